package io.dutydesk.ui.slots;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.StackSnapshot;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Slots pane of a single stack: the same per-service detail as a slot, stale instead of empty, rollback readiness. */
class SingleStackViewModelTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /**
     * The "FX thread": what the view-model hands it runs only when the test drains it, on the test's thread. A queue the
     * poll's thread adds to while the test's takes from (an ArrayDeque here before: neither thread-safe nor waited on).
     */
    final UiQueue fx = new UiQueue();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    static Environment env(String deploy) {
        return EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  life:\n    ssh: { host: lifeos-prod }\n" + deploy
                + "    backups: { folders: [ /b ] }\n").require("life");
    }

    static final Environment SINGLE = env("    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n");

    static ContainersPort.ContainerInfo c(String name, String version, String health, int restarts) {
        return new ContainersPort.ContainerInfo("id", name, "lifeos/app:" + version, "running", health, NOW.minusSeconds(3720), restarts, Map.of());
    }

    static EnvironmentHandle handle(Environment env, List<ContainersPort.ContainerInfo> containers) {
        LocalFolderShell shell = new LocalFolderShell();
        shell.execute = false;
        return handle(env, containers, shell, io.dutydesk.core.ports.VerificationResults.NONE);
    }

    /** {@code containers} as Docker lists them (a list the test may change), the server's {@code shell}, the stored {@code verified}. */
    static EnvironmentHandle handle(Environment env, List<ContainersPort.ContainerInfo> containers, RemoteShell shell,
                                    io.dutydesk.core.ports.VerificationResults verified) {
        ContainersPort cp = new ContainersPort() {
            @Override
            public CompletableFuture<List<ContainerInfo>> containers() {
                return CompletableFuture.completedFuture(containers);
            }

            @Override
            public CompletableFuture<LogStream> logs(String container, int tail, boolean follow, RemoteShell.OutputListener lines) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException());
            }

            @Override
            public CompletableFuture<Void> restart(String container, Duration stopTimeout) {
                return CompletableFuture.completedFuture(null);
            }
        };
        return new EnvironmentHandle() {
            public Environment environment() { return env; }
            public List<BackendProbe> probes() { return List.of(); }
            public RemoteShell shell() { return shell; }
            public ContainersPort containers() { return cp; }
            public OutboxPort outbox() { return () -> CompletableFuture.completedFuture(Map.of("pending", 0L)); }
            public io.dutydesk.core.ports.VerificationResults verifications() { return verified; }
            public void close() { }
        };
    }

    SingleStackViewModel vm() {
        return new SingleStackViewModel(fx, scheduler, CLOCK, MemoryAuditLog.create(), "me@test");
    }

    @Test
    void aBlueGreenEnvironmentLeavesThePaneInactive() {
        SingleStackViewModel vm = vm();
        Environment bg = env("");
        vm.attach(bg, handle(bg, List.of()));
        assertFalse(vm.activeProperty().get());
        assertTrue(vm.service().isEmpty());
    }

    @Test
    void theStackShowsEveryServicesDetailAndStaysShownWhenAReadFails() {
        SingleStackViewModel vm = vm();
        EnvironmentHandle h = handle(SINGLE, List.of(c("lifeos-app-1", "v1.2.0", "healthy", 0), c("lifeos-worker-1", "v1.2.0", "unhealthy", 3)));
        vm.attach(SINGLE, h);
        assertTrue(vm.activeProperty().get());
        StackSnapshot read = vm.service().orElseThrow().engine().read().join();
        vm.apply(vm.service().get(), new Snapshot<>(read, NOW, NOW, null, null, 0, 1000));
        assertEquals("PRODUCTION: v1.2.0 — 1/2 healthy", vm.headlineProperty().get());
        assertEquals(List.of(new SingleStackViewModel.Row("app", "lifeos-app-1", "lifeos-prod", "running", "healthy", "v1.2.0", "1h2m", "0"),
                new SingleStackViewModel.Row("worker", "lifeos-worker-1", "lifeos-prod", "running", "unhealthy", "v1.2.0", "1h2m", "3")),
                vm.rows());
        assertEquals(null, vm.problemProperty().get());
        // its last answer at NOW, its first failure 10 s later: named by the last answer, as everywhere (it said the first
        // failure's time as "stale since")
        vm.apply(vm.service().get(), new Snapshot<>(read, NOW.plusSeconds(10), NOW, "ssh: connection refused", NOW.plusSeconds(10), 1, 1001));
        assertEquals(2, vm.rows().size(), "never emptied");
        assertEquals("down; last answer at " + io.dutydesk.ui.fx.Times.since(NOW, CLOCK) + ": ssh: connection refused",
                vm.problemProperty().get());
        assertTrue(vm.problemProperty().get().endsWith(": ssh: connection refused"));
        fx.drain(); // the poller's own (older) snapshots are dropped
        assertEquals(2, vm.rows().size());
        vm.detach();
        assertFalse(vm.activeProperty().get());
    }

    @Test
    void rollbackIsReadyWhenAVerifiedBackupOrAnEarlierReleaseExistsAndSaysWhich() {
        Instant t = NOW.minusSeconds(3600);
        BackupEntry good = new BackupEntry("a.sql.gz", "/b", "/b/a.sql.gz", "full", 1, t, t, null,
                Optional.of(new Verification("/b/a.sql.gz", 1, t, true, "ok", NOW)));
        BackupEntry failed = new BackupEntry("b.sql.gz", "/b", "/b/b.sql.gz", "full", 1, NOW, NOW, null,
                Optional.of(new Verification("/b/b.sql.gz", 1, NOW, false, "truncated", NOW)));
        BackupListing l = new BackupListing("life", List.of(), List.of(good, failed), Optional.empty(), Optional.empty(), 26, true, NOW);
        BackupListing none = new BackupListing("life", List.of(), List.of(failed), Optional.empty(), Optional.empty(), 26, true, NOW);
        io.dutydesk.core.rollout.ReleaseHistory.Release live = new io.dutydesk.core.rollout.ReleaseHistory.Release("v1.2.0", NOW, "me", 1,
                List.of("production (live)"), true);
        io.dutydesk.core.rollout.ReleaseHistory.Release earlier = new io.dutydesk.core.rollout.ReleaseHistory.Release("v1.1.0",
                NOW.minusSeconds(86400), "me", 1, List.of(), true);
        java.util.function.Function<List<io.dutydesk.core.rollout.ReleaseHistory.Release>, io.dutydesk.core.rollout.ReleaseHistory.Listing> rel =
                r -> new io.dutydesk.core.rollout.ReleaseHistory.Listing("life", r, List.of("lifeos/app"),
                        io.dutydesk.core.deploy.SingleReleases.asSlots(new StackSnapshot("life", "docker-host", NOW, List.of())));
        assertEquals("Rollback: READY (backup 11:00 verified (a.sql.gz), release v1.1.0)",
                SingleStackViewModel.readiness(SINGLE, l, rel.apply(List.of(live, earlier)), CLOCK));
        assertEquals("Rollback: READY (backup 11:00 verified (a.sql.gz)); no earlier release on the host",
                SingleStackViewModel.readiness(SINGLE, l, rel.apply(List.of(live)), CLOCK));
        assertEquals("Rollback: READY (release v1.1.0); no backup in /b",
                SingleStackViewModel.readiness(SINGLE, none, rel.apply(List.of(live, earlier)), CLOCK), "an earlier release alone is enough");
        assertEquals("Rollback: NOT READY — no backup in /b, no earlier release on the host",
                SingleStackViewModel.readiness(SINGLE, none, rel.apply(List.of(live)), CLOCK));
        assertEquals("Rollback: unknown — no backup in /b, releases unknown (cannot be read: docker does not answer)",
                SingleStackViewModel.readiness(SINGLE, none, "cannot be read: docker does not answer", CLOCK));
    }

    /**
     * Beside a maintenance lock the single stack's rollback line says the lock as the blue-green slots' chip does
     * ("✖ Rollback refused while locked for maintenance (ready: …)"): never "READY" while every rollback is refused.
     */
    @Test
    void aReadyRollbackIsSaidRefusedWhileTheMaintenanceLockIsHeld() {
        String ready = "Rollback: READY (backup 11:00 verified (a.sql.gz), release v1.1.0)";
        assertEquals(ready, SingleStackViewModel.rollbackShown(ready, false));
        assertEquals("✖ Rollback refused while locked for maintenance (ready: backup 11:00 verified (a.sql.gz), release v1.1.0)",
                SingleStackViewModel.rollbackShown(ready, true));
        assertEquals("✖ Rollback refused while locked for maintenance (ready: release v1.1.0; no backup in /b)",
                SingleStackViewModel.rollbackShown("Rollback: READY (release v1.1.0); no backup in /b", true));
        assertEquals("✖ Rollback refused while locked for maintenance (ready: backup 11:00 verified (a.sql.gz); no earlier release "
                + "on the host)", SingleStackViewModel.rollbackShown("Rollback: READY (backup 11:00 verified (a.sql.gz)); no earlier "
                + "release on the host", true));
        String notReady = "Rollback: NOT READY — no backup in /b, no earlier release on the host";
        assertEquals(notReady, SingleStackViewModel.rollbackShown(notReady, true), "not ready says why, lock or not");
        assertEquals("? Rollback unknown — at 03:39:21 it was READY (release v1.1.0)",
                SingleStackViewModel.staleRollback("Rollback: READY (release v1.1.0)", "03:39:21"));
        assertEquals("? Rollback unknown — at 03:39:21 it was " + notReady.substring("Rollback: ".length()),
                SingleStackViewModel.staleRollback(notReady, "03:39:21"));
        assertEquals("Rollback: …", SingleStackViewModel.staleRollback("Rollback: …", "03:39:21"));
    }

    /**
     * What an action, a health check or the team's logs of one environment answer after the pane switched to another is
     * not shown as the other's: its log, status line and running state stay the shown environment's (the status of A's
     * refused deploy stayed on B's pane, and A's end cleared B's "running").
     */
    @Test
    void answersOfThePreviousEnvironmentNeverShowOnTheNextOne() {
        SingleStackViewModel vm = vm();
        List<ContainersPort.ContainerInfo> up = List.of(c("lifeos-app-1", "v1.2.0", "healthy", 0), c("lifeos-worker-1", "v1.2.0", "healthy", 0));
        vm.attach(SINGLE, handle(SINGLE, up));
        io.dutydesk.core.deploy.StackSnapshot read = vm.service().orElseThrow().engine().read().join();
        Environment other = EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  elsewhere:\n    ssh: { host: x }\n"
                + "    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n"
                + "    backups: { folders: [ /b ] }\n").require("elsewhere");
        // a plan made for another environment: refused at once (audited), its answer queued for the FX thread
        io.dutydesk.core.deploy.SingleService.SinglePlan plan = new io.dutydesk.core.deploy.SingleService.SinglePlan(
                io.dutydesk.core.deploy.SinglePlans.deploy(other, read, "v1.3.0", "outbox pending 0"), Optional.empty());
        vm.run(plan);
        vm.healthCheck(); // fails at once here (the shell runs nothing): its answer queued too
        vm.teamLogs("app");

        Environment next = EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  life2:\n    ssh: { host: lifeos-prod2 }\n"
                + "    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n"
                + "    backups: { folders: [ /b ] }\n").require("life2");
        vm.attach(next, handle(next, up));
        fx.drain();
        assertEquals("No action in this session.", vm.statusProperty().get());
        assertTrue(vm.log().stream().noneMatch(l -> l.contains("health check") || l.contains("logs of app")), vm.log().toString());
        assertFalse(vm.runningProperty().get());
        vm.detach();
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        volatile Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * The rollback chip follows the backups while the pane polls (at most every {@link SingleStackViewModel#ROLLBACK_READ_EVERY}),
     * not only at attach: the window trial's chip said "not verified yet" minutes after the backup had been verified.
     */
    @Test
    void theRollbackChipIsReadAgainWithTheStacksPolls() throws Exception {
        MovingClock clock = new MovingClock();
        SingleStackViewModel vm = new SingleStackViewModel(fx, scheduler, clock, MemoryAuditLog.create(), "me@test");
        EnvironmentHandle h = handle(SINGLE, List.of(c("lifeos-app-1", "v1.2.0", "healthy", 0), c("lifeos-worker-1", "v1.2.0", "healthy", 0)));
        LocalFolderShell server = (LocalFolderShell) h.shell();
        server.listed.put("/b", List.of());
        vm.attach(SINGLE, h);
        fx.await(() -> vm.rollbackProperty().get(), Duration.ofSeconds(10),
                () -> vm.rollbackProperty().get().contains("no backup in /b"));

        // a backup appears on the server (the team's cron, or "Backup now" in the Backups pane)
        server.listed.put("/b", List.of(new RemoteShell.RemoteFile("selfology_full_20260301_115900.sql.gz", 1000, NOW, false)));
        StackSnapshot read = vm.service().orElseThrow().engine().read().join();
        clock.now = NOW.plus(SingleStackViewModel.ROLLBACK_READ_EVERY).plusSeconds(1);
        vm.apply(vm.service().get(), new Snapshot<>(read, clock.now, clock.now, null, null, 0, Long.MAX_VALUE - 1, false));
        fx.await(() -> "the chip names the new backup: " + vm.rollbackProperty().get(), Duration.ofSeconds(10),
                () -> vm.rollbackProperty().get().contains("selfology_full_20260301_115900.sql.gz"));
        vm.detach();
    }

    static final String BACKUP = "/b/selfology_full_20260301_115900.sql.gz";
    static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * The server of the badge's tests: the backup folder lists what {@code files} holds, Docker's image list (the releases'
     * read) answers {@code images} ("": no earlier release on the host), every other command fails without running.
     */
    static RemoteShell server(LocalFolderShell files, java.util.function.Supplier<String> images) {
        files.execute = false;
        return new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                if (command.contains("docker image ls")) {
                    return CompletableFuture.completedFuture(new ExecResult(0, images.get(), "", Duration.ZERO));
                }
                return files.exec(command, timeout, l);
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return files.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return files.list(folder);
            }
        };
    }

    /** {@link #BACKUP} verified, as the console's store keeps it. */
    static final io.dutydesk.core.ports.VerificationResults VERIFIED = new io.dutydesk.core.ports.VerificationResults() {
        @Override
        public CompletableFuture<Void> save(String env, Verification v) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Map<String, Verification>> load(String env) {
            return CompletableFuture.completedFuture(Map.of(BACKUP, new Verification(BACKUP, 1000, NOW, true, "ok", NOW)));
        }

        @Override
        public CompletableFuture<Void> forgetPassed(String env, String path) {
            return CompletableFuture.completedFuture(null);
        }
    };

    final LocalFolderShell files = new LocalFolderShell();
    volatile String images = "";
    final List<ContainersPort.ContainerInfo> containers = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(
            c("lifeos-app-1", "v1.2.0", "healthy", 0), c("lifeos-worker-1", "v1.2.0", "healthy", 0)));

    /** Attached to {@link #SINGLE}: its backup verified (rollback READY), read once its rollback line is. */
    SingleStackViewModel attachedReady() {
        files.listed.put("/b", List.of(new RemoteShell.RemoteFile("selfology_full_20260301_115900.sql.gz", 1000, NOW, false)));
        SingleStackViewModel vm = vm();
        assertEquals(null, state(vm), "nothing read: nothing to say (the morning check's badge)");
        vm.attach(SINGLE, handle(SINGLE, containers, server(files, () -> images), VERIFIED));
        fx.await(() -> "the rollback read: " + vm.rollbackProperty().get(), WAIT, () -> vm.rollbackProperty().get().startsWith("Rollback: READY"));
        return vm;
    }

    /** The single stack's own state for the navigation's badge (the Slots pane's model hands it over). */
    static io.dutydesk.ui.fx.PaneState state(SingleStackViewModel vm) {
        javafx.beans.value.ObservableValue<io.dutydesk.ui.fx.PaneState> p = vm.paneState();
        assertTrue(p != null, "the single stack has a state of its own for its badge, not the morning check's alone");
        return p.getValue();
    }

    static void badgeIs(SingleStackViewModel vm, String state, String text, String why) {
        io.dutydesk.ui.fx.PaneState st = state(vm);
        assertTrue(st != null && st.badge().state().equals(state) && st.badge().text().equals(text),
                why + ": badge " + (st == null ? null : st.badge()) + "; headline " + vm.headlineProperty().get() + "; problem "
                        + vm.problemProperty().get() + "; " + vm.rollbackProperty().get());
    }

    /** {@code read} as the poll got it at {@code at} (a success), after every earlier one the test gave. */
    long seq = 1000;

    void read(SingleStackViewModel vm, StackSnapshot read, Instant at) {
        vm.apply(vm.service().orElseThrow(), new Snapshot<>(read, at, at, null, null, 0, seq++));
    }

    /** A read that failed at {@code at}: {@code last} still shown, as read at {@code lastOk} (null: never read). */
    void failed(SingleStackViewModel vm, StackSnapshot last, Instant lastOk, Instant at) {
        vm.apply(vm.service().orElseThrow(), new Snapshot<>(last, at, lastOk, "ssh: connection refused", at, 1, seq++));
    }

    /**
     * The single stack's Slots pane had no state of its own: its badge was the morning check's, "ok" beside the pane's
     * "1/2 healthy" or its stale mark. Its badge is now drawn from what the pane shows, as the check judges a stack
     * (CheckRules.stack): a service not healthy fail, rollback NOT READY warn, rollback unknown never green; what is shown
     * not read now (a failed read) unknown, a known warn or fail kept; as of the stack's last read, and whether it is shown.
     */
    @Test
    void theStacksBadgeIsItsOwnStateNeverBetterThanWhatThePaneShows() {
        SingleStackViewModel vm = attachedReady();
        StackSnapshot healthy = vm.service().orElseThrow().engine().read().join();
        read(vm, healthy, NOW);
        badgeIs(vm, "pass", "ok", "all healthy, rollback ready");
        assertTrue(state(vm).badge().tooltip().startsWith("PRODUCTION: v1.2.0 — 2/2 healthy; Rollback: READY (backup "),
                state(vm).badge().tooltip());
        assertEquals(NOW, state(vm).asOf(), "as of the stack's read");
        assertTrue(state(vm).shown());

        containers.set(1, c("lifeos-worker-1", "v1.2.0", "unhealthy", 3));
        StackSnapshot degraded = vm.service().orElseThrow().engine().read().join();
        read(vm, degraded, NOW.plusSeconds(10));
        badgeIs(vm, "fail", "fail", "a service not healthy, as the headline says");
        assertTrue(state(vm).badge().tooltip().startsWith("PRODUCTION: v1.2.0 — 1/2 healthy"), state(vm).badge().tooltip());
        failed(vm, degraded, NOW.plusSeconds(10), NOW.plusSeconds(20));
        badgeIs(vm, "fail", "fail", "a known fail stays while the stack cannot be read");
        assertEquals(NOW.plusSeconds(20), state(vm).asOf(), "as of the failed read: it learnt then that the stack is not read");

        read(vm, healthy, NOW.plusSeconds(30));
        badgeIs(vm, "pass", "ok", "healthy again");
        failed(vm, healthy, NOW.plusSeconds(30), NOW.plusSeconds(40));
        badgeIs(vm, "unknown", "?", "healthy as last read, not read now: never green");
        assertTrue(state(vm).badge().tooltip().contains(vm.problemProperty().get()), "the pane's stale line: " + state(vm).badge().tooltip());
        read(vm, healthy, NOW.plusSeconds(50));
        badgeIs(vm, "pass", "ok", "read again");

        files.listed.put("/b", List.of());
        vm.refresh();
        fx.await(() -> "not ready: " + vm.rollbackProperty().get(), WAIT, () -> vm.rollbackProperty().get().startsWith("Rollback: NOT READY"));
        badgeIs(vm, "warn", "warn", "rollback NOT READY, as the check's warn");
        assertTrue(state(vm).badge().tooltip().contains(vm.rollbackProperty().get()), state(vm).badge().tooltip());
        images = "@@DUTYDESK-NODOCKER\n";
        vm.refresh();
        fx.await(() -> "unknown: " + vm.rollbackProperty().get(), WAIT, () -> vm.rollbackProperty().get().startsWith("Rollback: unknown"));
        badgeIs(vm, "unknown", "?", "rollback unknown: never green");

        vm.hidden();
        assertFalse(state(vm).shown(), "hidden: its state says so");
        vm.shown();
        assertTrue(state(vm).shown());
        vm.detach();
        assertEquals(null, state(vm), "nothing of the environment left");
    }

    /** Nothing read yet and the stack not answering: unknown ("down"), never the check's "ok" beside the pane's line. */
    @Test
    void nothingReadYetAndTheStackDownTheBadgeIsUnknown() {
        SingleStackViewModel vm = vm();
        vm.attach(SINGLE, handle(SINGLE, containers));
        assertEquals(null, state(vm), "nothing read, nothing known down: nothing to say");
        failed(vm, null, null, NOW);
        badgeIs(vm, "unknown", "down", "the stack not read");
        assertTrue(state(vm).badge().tooltip().startsWith("the stack not read yet; " + vm.problemProperty().get()), state(vm).badge().tooltip());
        vm.detach();
    }

    /** {@code env}'s health: every backend answering but those in {@code failing}, {@code how} since their last answer at NOW. */
    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.health.BackendStatus.State how,
                                                         io.dutydesk.core.Backend... failing) {
        Map<io.dutydesk.core.Backend, io.dutydesk.core.health.BackendStatus> m = new java.util.EnumMap<>(io.dutydesk.core.Backend.class);
        for (io.dutydesk.core.Backend b : io.dutydesk.core.Backend.values()) {
            m.put(b, List.of(failing).contains(b)
                    ? new io.dutydesk.core.health.BackendStatus(b, how, -1, "connection refused", NOW, NOW, NOW)
                    : new io.dutydesk.core.health.BackendStatus(b, io.dutydesk.core.health.BackendStatus.State.OK, 3, null, NOW, null, NOW));
        }
        return new io.dutydesk.core.health.HealthSnapshot(env, seq, NOW, m);
    }

    /**
     * The header's health of the stack's environment (the pane contract's {@code health}, which the Slots pane's model
     * handed the single stack for nothing): SSH or Docker, through which the stack is read, down or misconfigured makes its
     * badge unknown, never green, a known fail kept; another environment's health is not its.
     */
    @Test
    void aSourceTheStackIsReadThroughDownOrMisconfiguredMakesItsBadgeUnknownNeverGreen() {
        SingleStackViewModel vm = attachedReady();
        StackSnapshot healthy = vm.service().orElseThrow().engine().read().join();
        read(vm, healthy, NOW);
        badgeIs(vm, "pass", "ok", "all healthy, rollback ready");
        var down = io.dutydesk.core.health.BackendStatus.State.DOWN;
        var misconfigured = io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED;
        vm.health(health("elsewhere", 1, down, io.dutydesk.core.Backend.SSH));
        badgeIs(vm, "pass", "ok", "another environment's SSH down says nothing of this one");
        vm.health(health("life", 2, misconfigured, io.dutydesk.core.Backend.DOCKER));
        badgeIs(vm, "unknown", "?", "Docker misconfigured: the stack cannot be read as the file names it");
        assertTrue(state(vm).badge().tooltip().contains("Docker misconfigured; last good answer at " + io.dutydesk.ui.fx.Times.since(NOW, CLOCK)),
                state(vm).badge().tooltip());
        vm.health(health("elsewhere", 3, down));
        badgeIs(vm, "unknown", "?", "another environment's all answering says nothing of this one");
        vm.health(health("life", 4, down));
        badgeIs(vm, "pass", "ok", "all answering: its last read again");
        vm.health(health("life", 5, down, io.dutydesk.core.Backend.SSH));
        badgeIs(vm, "unknown", "?", "SSH carries the stack's read");
        vm.health(health("life", 6, down, io.dutydesk.core.Backend.POSTGRES));
        badgeIs(vm, "pass", "ok", "nothing of the stack is read through PostgreSQL");

        containers.set(1, c("lifeos-worker-1", "v1.2.0", "unhealthy", 3));
        read(vm, vm.service().orElseThrow().engine().read().join(), NOW.plusSeconds(10));
        badgeIs(vm, "fail", "fail", "a service not healthy");
        vm.health(health("life", 7, down, io.dutydesk.core.Backend.DOCKER));
        badgeIs(vm, "fail", "fail", "a known fail stays");
        vm.detach();
    }

    /**
     * What the pane shows of the stack, not as of now — its read failed, or Docker or SSH (through which it is read) down
     * since — says so: the headline and the window's title end in "(stale)" and the banner's note says when it was read and
     * what is down; read again (or the source back), neither. The window trial at 3 a.m. with Docker stopped, every
     * container gone, read "PRODUCTION: v1.0.0 — 2/2 healthy" unmarked in the pane and the title.
     */
    @Test
    void aStaleStackSaysSoInItsHeadlineTheWindowsTitleAndItsNote() {
        SingleStackViewModel vm = attachedReady();
        StackSnapshot healthy = vm.service().orElseThrow().engine().read().join();
        read(vm, healthy, NOW);
        SlotsPaneModel pane = new SlotsPaneModel(new SlotsViewModel(fx, scheduler, CLOCK), vm);
        assertFalse(vm.staleProperty().get());
        assertEquals("PRODUCTION: v1.2.0 — 2/2 healthy", vm.titlePart().get());
        assertEquals("PRODUCTION: v1.2.0 — 2/2 healthy", pane.titlePart().getValue(), "the window's title");
        assertEquals("", vm.staleNoteProperty().get());

        var down = io.dutydesk.core.health.BackendStatus.State.DOWN;
        vm.health(health("life", 1, down, io.dutydesk.core.Backend.DOCKER));
        assertTrue(vm.staleProperty().get(), "Docker down since the read");
        assertEquals("PRODUCTION: v1.2.0 — 2/2 healthy (stale)", vm.titlePart().get());
        assertEquals("PRODUCTION: v1.2.0 — 2/2 healthy (stale)", pane.titlePart().getValue(), "the window's title");
        String at = io.dutydesk.ui.fx.Times.hms(NOW, CLOCK);
        assertTrue(vm.staleNoteProperty().get().startsWith("Shown as read at " + at + "; Docker down"), vm.staleNoteProperty().get());
        assertTrue(vm.rollbackShownProperty().get().startsWith("? Rollback unknown — at " + at + " it was READY (backup "),
                "the rollback's line as of its read, not as of now: " + vm.rollbackShownProperty().get());
        vm.health(health("life", 2, down));
        assertFalse(vm.staleProperty().get(), "Docker back: its last read is as of now again");
        assertEquals("", vm.staleNoteProperty().get());
        assertEquals(vm.rollbackProperty().get(), vm.rollbackShownProperty().get());
        assertTrue(vm.rollbackShownProperty().get().startsWith("Rollback: READY ("), vm.rollbackShownProperty().get());

        failed(vm, healthy, NOW, NOW.plusSeconds(10));
        assertTrue(vm.staleProperty().get(), "its own read failed");
        assertEquals("PRODUCTION: v1.2.0 — 2/2 healthy (stale)", vm.titlePart().get());
        assertEquals("Shown as read at " + at + ".", vm.staleNoteProperty().get());
        read(vm, healthy, NOW.plusSeconds(20));
        assertFalse(vm.staleProperty().get(), "read again");
        assertEquals("PRODUCTION: v1.2.0 — 2/2 healthy", pane.titlePart().getValue());
        vm.detach();
        assertFalse(vm.staleProperty().get());
    }
}
