package io.dutydesk.ui.slots;

import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutRules;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.FailingAuditLog;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slots polled through switchable stand-in ports. The view-model runs on a {@link UiQueue}: one thread, this one, as on
 * the FX thread (with {@code Runnable::run} the poll's and the action's threads changed it while this thread read it).
 */
class SlotsViewModelTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final UiQueue ui = new UiQueue();
    volatile boolean dockerUp = true;
    volatile String live = "blue";
    volatile Set<String> unhealthy = Set.of();
    final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<Void> restarted = new CompletableFuture<>();
    /** What the server's check inside the lock says of a job started now (the job refuses, nothing run); null: no job runs. */
    volatile String refusing;

    final RemoteShell shell = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            commands.add(command);
            if (refusing != null && command.contains("flock -n 9") && command.contains("setsid")) {
                String id = command.substring(command.indexOf(ActionScripts.STARTED) + ActionScripts.STARTED.length()).split("\"")[0];
                l.line(false, ActionScripts.STARTED + id);
                l.line(false, ActionScripts.REFUSED + refusing);
                l.line(false, ActionScripts.EXIT + ActionScripts.EXIT_REFUSED);
                return CompletableFuture.completedFuture(new ExecResult(0, "", "", Duration.ofMillis(5)));
            }
            if (command.contains("/maintenance\"")) { // the maintenance lock's read: none held
                return CompletableFuture.completedFuture(new ExecResult(0, ActionScripts.NOT_LOCKED + "\n", "",
                        Duration.ofMillis(5)));
            }
            return CompletableFuture.completedFuture(new ExecResult(0, "Active Slot:   " + live + "\nInactive Slot: x\n", "",
                    Duration.ofMillis(5)));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }
    };

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            if (!dockerUp) {
                return CompletableFuture.failedFuture(new IOException("the Docker socket /var/run/docker.sock on the server does not answer"));
            }
            return CompletableFuture.completedFuture(Snapshots.of(live, "v1", "v2", unhealthy, Set.of()).slots().stream()
                    .flatMap(s -> s.services().stream()).map(ServiceState::container).flatMap(java.util.Optional::stream).toList());
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            return restarted;
        }
    };

    final SlotsViewModel vm = new SlotsViewModel(ui, scheduler, Clock.systemDefaultZone());

    @AfterEach
    void stop() {
        vm.close();
        scheduler.shutdownNow();
    }

    private void attach() {
        attach("ref", MemoryAuditLog.create());
    }

    private void attach(String name, AuditLog audit) {
        var env = TestEnvironments.fastPolling(Duration.ofMillis(50)).get(name);
        SlotsReader reader = new SlotsReader(env, containers, shell, Clock.systemUTC());
        vm.attach(new SlotsContext(env, reader, new RolloutService(env, reader,
                () -> CompletableFuture.completedFuture(java.util.Map.of("pending", 3L)), containers, shell, audit, "t@d",
                Clock.systemUTC()),
                containers, audit));
    }

    @Test
    void aRestartShowsProgressAndBecomesTheHeadline() {
        MemoryAuditLog audit = MemoryAuditLog.create();
        attach("ref", audit);
        String container = "selfology-analysis-worker-green";
        CompletableFuture<Void> done = vm.restart(container);
        ui.await("audited as started", WAIT, () -> !audit.entries.isEmpty());
        assertTrue(vm.actionRunningProperty().get(), "progress shown while it restarts");
        assertEquals("Restarting " + container + "…", vm.actionStatusProperty().get());
        assertEquals("$ docker restart " + container, vm.actionLog().get(0), "the log is this action's");
        assertEquals("started", audit.entries.get(0).result());
        restarted.complete(null);
        ui.join("the restart's end shown", WAIT, done);
        assertTrue(!vm.actionRunningProperty().get());
        assertTrue(vm.actionStatusProperty().get().startsWith("✔ restarted " + container + " in "), vm.actionStatusProperty().get());
        assertEquals(2, audit.entries.size());
        assertEquals(audit.entries.get(0).actionId(), audit.entries.get(1).actionId(), "the completion names the same action");
        assertEquals("succeeded", audit.entries.get(1).result());
    }

    @Test
    void aPlanConfirmedAfterAnEnvironmentSwitchIsRefusedAndNothingRuns() {
        MemoryAuditLog audit = MemoryAuditLog.create();
        attach("ref", audit);
        ui.await("first snapshot", WAIT, () -> vm.snapshotProperty().get() != null);
        io.dutydesk.core.rollout.Plan plan = ui.join("the plan", WAIT, vm.plan(io.dutydesk.core.rollout.Verb.ROLLBACK, false));
        assertEquals("ref", plan.environment());
        // the confirmation is open; meanwhile the user picks another environment, then confirms
        attach("prod", audit);
        commands.clear();
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                () -> ui.join("the run", WAIT, vm.run(plan)));
        var re = org.junit.jupiter.api.Assertions.assertInstanceOf(io.dutydesk.core.rollout.RolloutException.class, e.getCause());
        assertEquals(io.dutydesk.core.rollout.RolloutException.Kind.STALE, re.kind());
        assertTrue(re.getMessage().contains("made for environment ref, not prod"), re.getMessage());
        assertTrue(commands.stream().noneMatch(c -> c.contains("flock") || c.contains("setsid") || c.contains("rollback")), "nothing sent: " + commands);
        var last = audit.entries.get(audit.entries.size() - 1);
        assertEquals("refused", last.result());
        assertEquals("rollback", last.action());
        assertTrue(vm.actionStatusProperty().get().startsWith("Refused: "), vm.actionStatusProperty().get());
        assertEquals("✖ " + re.getMessage(), vm.actionLog().get(vm.actionLog().size() - 1), "a refusal no job streamed is in the log");
    }

    /**
     * Window trial: the server's check inside the lock refused (the state changed since the click) and the action log said
     * it twice — the job's streamed line and the failure's message, the same words. Once now; what the failure adds to it
     * (the audit log not written) follows as a warning, not the refusal again.
     */
    @Test
    void aRefusalInsideTheLockIsInTheActionLogOnce() {
        attach();
        ui.await("first snapshot", WAIT, () -> vm.snapshotProperty().get() != null);
        io.dutydesk.core.rollout.Plan plan = ui.join("the plan", WAIT, vm.plan(io.dutydesk.core.rollout.Verb.ROLLBACK, false));
        String why = RolloutRules.refusal("live is now green");
        refusing = why;
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                () -> ui.join("the run", WAIT, vm.run(plan)));
        assertEquals(RolloutException.Kind.STALE, org.junit.jupiter.api.Assertions.assertInstanceOf(RolloutException.class,
                e.getCause()).kind());
        List<String> log = List.copyOf(vm.actionLog());
        assertEquals(1, log.stream().filter(l -> l.contains("state changed since you confirmed")).count(), "said once: " + log);
        assertEquals("✖ " + why, log.get(log.size() - 1), log.toString());
        assertEquals("Refused: " + why, vm.actionStatusProperty().get());

        // the disk filled up meanwhile: the refusal's completion is not audited, which the log adds once
        attach("ref", FailingAuditLog.fullAfterStart());
        ui.await("read again", WAIT, () -> vm.snapshotProperty().get() != null);
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                () -> ui.join("the run", WAIT, vm.run(plan)));
        log = List.copyOf(vm.actionLog());
        assertEquals(1, log.stream().filter(l -> l.contains("state changed since you confirmed")).count(), "said once: " + log);
        assertEquals(List.of("✖ " + why, "⚠ the audit log " + FailingAuditLog.FILE + " could not be written (No space left on device)"),
                log.subList(log.size() - 2, log.size()));
        assertTrue(vm.actionStatusProperty().get().endsWith("could not be written (No space left on device)"),
                vm.actionStatusProperty().get());
    }

    @Test
    void aFailingDockerKeepsTheLastSnapshotMarkedStaleThenRecovers() {
        attach();
        ui.await("first snapshot", WAIT, () -> vm.snapshotProperty().get() != null);
        assertEquals("blue", vm.snapshotProperty().get().liveSlot());
        assertTrue(vm.problemProperty().get() == null);

        dockerUp = false;
        ui.await("stale", WAIT, () -> vm.problemProperty().get() != null);
        String p = vm.problemProperty().get();
        assertTrue(p.matches("Slots: down; last answer at ([A-Z][a-z]{2} \\d{1,2} )?\\d\\d:\\d\\d:\\d\\d: .*does not answer"), p);
        assertNotNull(vm.snapshotProperty().get(), "never emptied");
        assertEquals("blue", vm.snapshotProperty().get().liveSlot());

        dockerUp = true;
        live = "green"; // someone switched from another console: the server says so, we follow
        vm.refresh();
        ui.await("recovered", WAIT, () -> vm.problemProperty().get() == null
                && "green".equals(vm.snapshotProperty().get().liveSlot()));
    }

    @Test
    void nothingReadYetSaysSo() {
        dockerUp = false;
        attach();
        ui.await("problem", WAIT, () -> vm.problemProperty().get() != null);
        assertTrue(vm.problemProperty().get().startsWith("Slots: down; no answer yet: "), vm.problemProperty().get());
        assertTrue(vm.snapshotProperty().get() == null);
    }

    @Test
    void deployIsAllowedOnlyForAValidVersion() {
        attach();
        var allowed = vm.deployAllowed();
        vm.versionProperty().set("v1.2.0");
        assertTrue(allowed.get());
        vm.versionProperty().set("1.0;touch /tmp/pwned");
        assertTrue(!allowed.get());
        assertTrue(vm.versionProblem().startsWith("“1.0;touch /tmp/pwned” is not a version ref deploys: write it like v1.2.0 — it must match "), vm.versionProblem());
    }
    @Test
    void anOpenConfirmationFollowsTheSlotsAndItsClickCarriesWhatItWasConfirmedOnToTheServersCheck() {
        MemoryAuditLog audit = MemoryAuditLog.create();
        attach("ref", audit);
        ui.await("first snapshot", WAIT, () -> vm.snapshotProperty().get() != null);
        io.dutydesk.core.rollout.Plan plan = ui.join("the plan", WAIT, vm.plan(io.dutydesk.core.rollout.Verb.ROLLBACK, false));
        assertTrue(plan.blocked().isEmpty(), plan.blocked().toString());
        assertEquals("green 4/4 healthy", plan.facts().get(0));
        try (SlotsViewModel.Confirmation open = vm.confirm(plan)) {
            assertEquals("", open.changedProperty().get());
            // the dialog is open; the target turns unhealthy: the pane and the dialog say so alike
            unhealthy = Set.of("analysis-worker-green");
            ui.await("the dialog's facts follow the server", WAIT,
                    () -> open.planProperty().get().facts().get(0).equals("green 3/4 healthy")
                            && vm.rollbackStateProperty().get() == SlotsViewModel.Readiness.NOT_READY);
            assertEquals(SlotsViewModel.Readiness.NOT_READY, vm.rollbackStateProperty().get());
            assertEquals("the green slot is now unhealthy (selfology-analysis-worker-green: unhealthy)", open.changedProperty().get());
            assertEquals(List.of("rollback to green refused: selfology-analysis-worker-green: unhealthy"),
                    open.planProperty().get().blocked());

            // confirmed all the same (the plan as first shown): the click goes to the server with what the plan was confirmed
            // on, checked inside the lock before the command (ActionSafetyIT: the real server refuses it, nothing runs)
            commands.clear();
            ui.join("the run", WAIT, vm.run(plan).handle((r, x) -> null));
            String sent = commands.stream().filter(c -> c.contains("setsid")).findFirst()
                    .orElseThrow(() -> new AssertionError("no job sent: " + commands));
            assertTrue(sent.contains("flock -n 9"), "inside the lock");
            assertTrue(sent.contains("state changed since you confirmed"), sent);
            assertTrue(sent.contains("slot-health") && sent.contains("selfology-analysis-worker-green"), "the target's health: " + sent);
            assertTrue(sent.indexOf("slot-health") < sent.indexOf(".cmd"), "checked before the command");

            // healthy again: what it states holds again
            unhealthy = Set.of();
            ui.await("the dialog holds again", WAIT, () -> open.changedProperty().get().isEmpty()
                    && open.planProperty().get().facts().get(0).equals("green 4/4 healthy"));
        }
    }

    @Test
    void anOpenConfirmationSaysWhenTheLiveSlotMovedAndKeepsItsAction() {
        attach();
        ui.await("first snapshot", WAIT, () -> vm.snapshotProperty().get() != null);
        io.dutydesk.core.rollout.Plan plan = ui.join("the plan", WAIT, vm.plan(io.dutydesk.core.rollout.Verb.SWITCH, false));
        try (SlotsViewModel.Confirmation open = vm.confirm(plan)) {
            live = "green"; // another console switched
            ui.await("the dialog says so", WAIT, () -> open.changedProperty().get().equals("live is now green"));
            assertEquals("blue", open.planProperty().get().liveBefore(), "still the action that was asked about, refused");
            assertEquals("green", open.planProperty().get().target());
        }
    }

    /** A time as the pane says it (Times.since): with its date when the last answer was another day (a test run across midnight). */
    static final String AT = "([A-Z][a-z]{2} \\d{1,2} )?\\d\\d:\\d\\d:\\d\\d";

    io.dutydesk.ui.fx.NavBadge badge() {
        io.dutydesk.ui.fx.PaneState st = vm.paneState().get();
        return st == null ? null : st.badge();
    }

    /** The navigation's badge of the pane's own state: {@code state} and its words. */
    void badgeIs(String state, String text) {
        ui.await(() -> "badge " + badge() + ", headline " + vm.headlineProperty().get() + ", stale " + vm.staleNoteProperty().get(),
                WAIT, () -> badge() != null && badge().state().equals(state) && badge().text().equals(text));
    }

    /** The header's health of {@code env}: every backend answering but those in {@code down}, down since a minute ago. */
    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.Backend... down) {
        return health(env, seq, io.dutydesk.core.health.BackendStatus.State.DOWN, down);
    }

    /** As above, those in {@code failing} {@code state} (DOWN, or MISCONFIGURED: answering without what the file names). */
    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.health.BackendStatus.State state,
                                                         io.dutydesk.core.Backend... failing) {
        java.time.Instant now = java.time.Instant.now();
        java.util.Map<io.dutydesk.core.Backend, io.dutydesk.core.health.BackendStatus> m = new java.util.EnumMap<>(io.dutydesk.core.Backend.class);
        for (io.dutydesk.core.Backend b : io.dutydesk.core.Backend.values()) {
            m.put(b, List.of(failing).contains(b)
                    ? new io.dutydesk.core.health.BackendStatus(b, state, -1, "connection refused",
                    now, now.minusSeconds(55), now.minusSeconds(60))
                    : new io.dutydesk.core.health.BackendStatus(b, io.dutydesk.core.health.BackendStatus.State.OK, 3, null, now, null, now));
        }
        return new io.dutydesk.core.health.HealthSnapshot(env, seq, now, m);
    }

    /**
     * The Slots badge followed only the morning check and said "ok" beside the pane's degraded live slot or its stale mark:
     * it is drawn from the pane's one state, with its header — the live slot degraded fail, rollback not ready warn, what
     * is shown stale (the slots not read now) unknown, never green; as of when the pane read it, and whether it is shown.
     */
    @Test
    void theBadgeIsTheHeadersStateNeverBetter() {
        assertNull(vm.paneState().get(), "nothing read: nothing to say");
        attach();
        badgeIs("pass", "ok");
        java.time.Instant first = vm.paneState().get().asOf();
        assertTrue(vm.paneState().get().shown());
        assertTrue(badge().tooltip().startsWith(vm.headlineProperty().get()), badge().tooltip());

        unhealthy = Set.of("analysis-worker-blue");
        badgeIs("fail", "fail");
        assertTrue(vm.liveDegradedProperty().get());
        assertTrue(badge().tooltip().startsWith(vm.headlineProperty().get()), "the header's words: " + badge().tooltip());
        assertTrue(!vm.paneState().get().asOf().isBefore(first), "as of the newest read");

        unhealthy = Set.of("analysis-worker-green");
        badgeIs("warn", "warn");
        assertEquals(SlotsViewModel.Readiness.NOT_READY, vm.rollbackStateProperty().get());

        unhealthy = Set.of();
        badgeIs("pass", "ok");
        dockerUp = false;
        badgeIs("unknown", "?");
        assertTrue(vm.staleProperty().get(), "the header says it is stale");
        assertTrue(badge().tooltip().contains(vm.staleNoteProperty().get()), badge().tooltip());

        dockerUp = true;
        vm.refresh();
        badgeIs("pass", "ok");
        vm.hidden();
        assertTrue(!vm.paneState().get().shown(), "hidden: its state says so");
        vm.shown();
        assertTrue(vm.paneState().get().shown());
        vm.detach();
        assertNull(vm.paneState().get(), "nothing of the environment left");
    }

    /** Nothing read yet, Docker not answering: the badge is unknown ("down"), never the check's "ok" beside the banner. */
    @Test
    void nothingReadYetAndTheSlotsDownTheBadgeIsUnknown() {
        dockerUp = false;
        attach();
        badgeIs("unknown", "down");
        assertTrue(badge().tooltip().contains("Slots: down; no answer yet: "), badge().tooltip());
    }

    /**
     * SSH or Docker down, as the header says it: what the pane shows is stale at once, and its badge unknown, never green;
     * a known fail stays; both answering again, it is its last read again.
     */
    @Test
    void hiddenItsBadgeIsNeverOkWhileASourceItReadsThroughIsDown() {
        attach();
        badgeIs("pass", "ok");
        vm.hidden();
        vm.health(health("ref", 1, io.dutydesk.core.Backend.DOCKER));
        assertEquals("unknown", badge().state(), badge().toString());
        assertTrue(badge().tooltip().matches(".*Docker down; last answer at " + AT + ".*"), badge().tooltip());
        assertTrue(!vm.paneState().get().shown());
        vm.health(health("ref", 2));
        ui.await(() -> "back up: its last read " + badge(), WAIT, () -> "pass".equals(badge().state()));
        vm.health(health("ref", 3, io.dutydesk.core.Backend.SSH));
        assertEquals("unknown", badge().state(), "SSH carries the slots' read");
        vm.health(health("ref", 4, io.dutydesk.core.Backend.POSTGRES));
        assertEquals("pass", badge().state(), "nothing of the pane's state is read through PostgreSQL");

        unhealthy = Set.of("analysis-worker-blue");
        badgeIs("fail", "fail");
        vm.health(health("ref", 5, io.dutydesk.core.Backend.DOCKER));
        assertEquals("fail", badge().state(), "a known fail stays: " + badge());
    }

    /**
     * The header's health is the shown environment's only, and a backend the slots are read through that answers without
     * what the environments file names (MISCONFIGURED) cannot be read as the file names it, as one down: the Slots pane
     * took only DOWN (its badge said "ok" beside the status bar's "Docker misconfigured") and took every environment's
     * health as its own (another environment's SSH down made it unknown, and its all answering made it "ok" again), where
     * the Outbox pane's did both right.
     */
    @Test
    void aSourceMisconfiguredMakesTheBadgeUnknownAndAnotherEnvironmentsHealthIsNotIts() {
        attach();
        badgeIs("pass", "ok");
        vm.health(health("prod", 1, io.dutydesk.core.Backend.SSH));
        assertEquals("pass", badge().state(), "another environment's SSH down says nothing of this one: " + badge());
        assertTrue(!vm.staleProperty().get(), vm.staleNoteProperty().get());

        vm.health(health("ref", 2, io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED, io.dutydesk.core.Backend.DOCKER));
        assertEquals("unknown", badge().state(), "Docker misconfigured: the slots cannot be read as the file names them: " + badge());
        assertEquals("?", badge().text());
        assertTrue(vm.staleProperty().get(), "the header says it is stale");
        assertTrue(vm.staleNoteProperty().get().matches(".*Docker misconfigured; last good answer at " + AT + ".*"),
                vm.staleNoteProperty().get());
        assertTrue(badge().tooltip().contains(vm.staleNoteProperty().get()), badge().tooltip());
        vm.health(health("prod", 3));
        assertEquals("unknown", badge().state(), "another environment's all answering says nothing of this one: " + badge());
        vm.health(health("ref", 4));
        assertEquals("pass", badge().state(), "this one's all answering: its last read again");

        unhealthy = Set.of("analysis-worker-green");
        badgeIs("warn", "warn");
        vm.health(health("ref", 5, io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED, io.dutydesk.core.Backend.SSH));
        assertEquals("warn", badge().state(), "a known warn stays: " + badge());
        assertTrue(vm.staleProperty().get());
    }
}
