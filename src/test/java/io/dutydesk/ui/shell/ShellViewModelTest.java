package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell's view-model without a JavaFX toolkit. Its ui executor is a queue the test thread runs
 * (as the FX thread would): every assertion reads a state no other thread is changing.
 */
class ShellViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final UiQueue ui = new UiQueue();
    final ShellViewModel vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(50)), backends,
            HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler, ui, Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(ui, scheduler, io.dutydesk.testing.MemoryAuditLog.create()));

    @AfterEach
    void close() {
        vm.close();
        scheduler.shutdownNow();
    }

    @Test
    void listsEnvironmentsAndStartsUnknown() {
        assertEquals(List.of("ref", "prod"), vm.environmentNames());
        for (Backend b : Backend.values()) {
            assertEquals(BackendStatus.State.UNKNOWN, vm.indicator(b).stateProperty().get());
            assertEquals("…", vm.indicator(b).textProperty().get());
        }
        assertEquals(6, vm.panes().size());
    }

    @Test
    void everyIndicatorTurnsOkWithItsLatency() {
        vm.select("ref");
        assertEquals("dutydesk-deploy@127.0.0.1:24022 — reference host", vm.targetProperty().get());
        ui.await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        assertEquals("all 7 backends ok", vm.summaryProperty().get());
        for (Backend b : Backend.values()) {
            assertTrue(vm.indicator(b).textProperty().get().matches("ok|<\\d+ m?s"), vm.indicator(b).textProperty().get());
        }
    }

    @Test
    void aFailingBackendShowsDownWithItsLastAnswerAndTheErrorAndRecovers() {
        vm.select("ref");
        ui.await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        backends.down(Backend.POSTGRES, "PostgreSQL 127.0.0.1:5432 on the server does not answer");
        BackendIndicatorViewModel pg = vm.indicator(Backend.POSTGRES);
        ui.await("postgres down", WAIT, () -> pg.stateProperty().get() == BackendStatus.State.DOWN);
        // its last answer, as the header and the panes say it (the first failed check only on hover, labelled); the time of
        // day, with the day before it ("Dec 3 23:59:59") when it last answered before a midnight the test ran across
        String t = "([A-Z][a-z]{2} \\d{1,2} )?\\d\\d:\\d\\d:\\d\\d";
        assertTrue(pg.textProperty().get().matches("down; last answer at " + t), pg.textProperty().get());
        assertTrue(pg.detailsProperty().get().contains("PostgreSQL 127.0.0.1:5432 on the server does not answer"));
        assertTrue(pg.detailsProperty().get().matches("(?s)PostgreSQL: down; last answer at " + t + " \\(first failed check at " + t
                + "\\)\n.*\nWhat was read through it is as of " + t + "\\."), pg.detailsProperty().get());
        assertEquals("1 down: postgres", vm.summaryProperty().get());
        assertEquals(BackendStatus.State.DOWN, vm.summaryStateProperty().get());
        assertEquals(BackendStatus.State.OK, vm.indicator(Backend.REDIS).stateProperty().get(), "others unaffected");

        backends.up(Backend.POSTGRES);
        vm.refresh();
        ui.await("postgres back", WAIT, () -> pg.stateProperty().get() == BackendStatus.State.OK);
        assertEquals("all 7 backends ok", vm.summaryProperty().get());
    }

    /** A backend that answers without what the file names is "misconfigured" (amber), not "down", in the indicator and the summary. */
    @Test
    void aBackendLackingWhatTheFileNamesIsMisconfiguredNotDown() {
        vm.select("ref");
        ui.await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        backends.misconfigured(Backend.POSTGRES, "relation \"selfology.event_outboxx\" does not exist (outbox.table in the environments file)");
        vm.refresh();
        BackendIndicatorViewModel pg = vm.indicator(Backend.POSTGRES);
        ui.await("postgres misconfigured", WAIT, () -> pg.stateProperty().get() == BackendStatus.State.MISCONFIGURED);
        assertEquals("misconfigured", pg.textProperty().get());
        assertTrue(pg.detailsProperty().get().contains("outbox.table in the environments file"), pg.detailsProperty().get());
        assertTrue(pg.detailsProperty().get().startsWith("PostgreSQL: misconfigured; last good answer at "), pg.detailsProperty().get());
        assertEquals("1 misconfigured: postgres", vm.summaryProperty().get());
        assertEquals(BackendStatus.State.MISCONFIGURED, vm.summaryStateProperty().get());

        backends.down(Backend.REDIS, "Redis 127.0.0.1:6379 on the server does not answer");
        vm.refresh();
        ui.await("redis down too", WAIT, () -> vm.indicator(Backend.REDIS).stateProperty().get() == BackendStatus.State.DOWN);
        assertEquals("1 down: redis; 1 misconfigured: postgres", vm.summaryProperty().get());
        assertEquals(BackendStatus.State.DOWN, vm.summaryStateProperty().get(), "an outage outranks it");

        backends.up(Backend.REDIS);
        backends.up(Backend.POSTGRES);
        vm.refresh();
        ui.await("all back", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        assertEquals("all 7 backends ok", vm.summaryProperty().get());
    }

    @Test
    void switchingEnvironmentClosesThePreviousConnectionAndResets() {
        vm.select("ref");
        ui.await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        backends.down(Backend.SSH, "ssh deploy@n8n-server:22: Connection refused");
        vm.select("prod");
        ui.await("prod closed ref", WAIT, () -> backends.closed.contains("ref"));
        assertEquals(List.of("ref", "prod"), backends.opened);
        ui.await("ssh down on prod", WAIT, () -> vm.indicator(Backend.SSH).stateProperty().get() == BackendStatus.State.DOWN);
        assertEquals("prod", vm.selectedProperty().get());
        assertTrue(vm.latestHealth().orElseThrow().environment().equals("prod"));
    }

    @Test
    void selectingTheSameEnvironmentAgainDoesNotReconnect() {
        vm.select("ref");
        vm.select("ref");
        assertEquals(List.of("ref"), backends.opened);
    }

    @Test
    void anSshOutageMarksEverythingFromTheServerStaleAndRecoveryUnmarksIt() {
        backends.slots = io.dutydesk.testing.Snapshots.of("green", "v1.4.2", "v1.0.0", java.util.Set.of(), java.util.Set.of());
        var slots = vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots();
        vm.select("ref");
        ui.await("rollback ready", WAIT, () -> slots.rollbackStateProperty().get() == io.dutydesk.ui.slots.SlotsViewModel.Readiness.READY);
        assertEquals("✔ Rollback ready: blue 4/4 healthy", slots.rollbackTextProperty().get());
        assertEquals("LIVE: GREEN", slots.headlineProperty().get());
        assertEquals("Dutydesk — ref — LIVE: GREEN", vm.titleProperty().get());
        assertTrue(!slots.staleProperty().get());

        backends.down(Backend.SSH, "ssh dutydesk-deploy@127.0.0.1:24022: Connection refused");
        // whichever notices first (the SSH indicator or the slots poll) marks it; both in the end
        ui.await("stale, ssh down", WAIT, () -> slots.staleProperty().get()
                && vm.indicator(Backend.SSH).stateProperty().get() == BackendStatus.State.DOWN);
        assertEquals(io.dutydesk.ui.slots.SlotsViewModel.Readiness.UNKNOWN, slots.rollbackStateProperty().get(),
                "never 'ready' while nothing is known");
        assertTrue(slots.rollbackTextProperty().get().matches("\\? Rollback unknown — at \\d\\d:\\d\\d:\\d\\d it was ready: blue 4/4 healthy"),
                slots.rollbackTextProperty().get());
        assertTrue(slots.staleNoteProperty().get().contains("SSH down; last answer at "), slots.staleNoteProperty().get());
        assertTrue(slots.staleNoteProperty().get().contains("reads the server again before it asks you"));
        assertEquals("Dutydesk — ref — LIVE: GREEN (stale)", vm.titleProperty().get());
        // several polls while down: the mark must not pile up
        ui.await("slots poll failed too", WAIT, () -> slots.problemProperty().get() != null);

        backends.up(Backend.SSH);
        ui.await("fresh again", WAIT, () -> !slots.staleProperty().get()
                && vm.indicator(Backend.SSH).stateProperty().get() == BackendStatus.State.OK);
        assertEquals(io.dutydesk.ui.slots.SlotsViewModel.Readiness.READY, slots.rollbackStateProperty().get());
        assertEquals("", slots.staleNoteProperty().get());
        assertEquals("Dutydesk — ref — LIVE: GREEN", vm.titleProperty().get());
    }

    @Test
    void aDegradedLiveSlotReachesTheHeadlineAndTheTitle() {
        backends.slots = io.dutydesk.testing.Snapshots.of("green", "v1.4.2", "v1.0.0", java.util.Set.of("analysis-worker-green"),
                java.util.Set.of());
        vm.select("ref");
        var slots = vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots();
        ui.await("read", WAIT, () -> slots.snapshotProperty().get() != null);
        assertEquals("LIVE: GREEN — 3/4 healthy", slots.headlineProperty().get());
        assertTrue(slots.liveDegradedProperty().get());
        assertEquals("Dutydesk — ref — LIVE: GREEN — 3/4 healthy", vm.titleProperty().get());
    }

    /**
     * The Backups probe fails (the folder went away: {@code refhost stop backups}): the pane is stale at once — not
     * green with "RPO met … verified" until its own next read (every 30 s at least) — and it reads the folders again
     * as soon as the probe answers.
     */
    @Test
    void theBackupsProbeFailingMarksTheBackupsPaneStaleAtOnceAndItsRecoveryReadsAgain() {
        backends.backupFolders.put("~/backups/selfology", List.of(new io.dutydesk.core.ports.RemoteShell.RemoteFile(
                "selfology_full_20261122_020000.sql.gz", 500, java.time.Instant.parse("2026-11-22T02:00:04Z"), false)));
        var backups = io.dutydesk.testing.TestPanes.shown(vm, "backups", io.dutydesk.ui.backups.BackupsViewModel.class);
        vm.select("ref");
        ui.await("listed, fresh", WAIT, () -> backups.listingProperty().get() != null && !backups.staleProperty().get()
                && vm.indicator(Backend.BACKUPS).stateProperty().get() == BackendStatus.State.OK);
        int reads = backends.backupLists.get();

        backends.down(Backend.BACKUPS, "SFTP ~/backups/selfology: no such file or folder");
        ui.await("stale at once", WAIT, () -> backups.staleProperty().get());
        assertEquals(reads, backends.backupLists.get(), "marked by the probe, not by a read of its own");
        assertEquals(io.dutydesk.core.backups.BackupListing.Rpo.UNKNOWN, backups.rpoStateProperty().get(), "never green while down");
        assertTrue(backups.problemProperty().get().contains("Backups down; last answer at "), backups.problemProperty().get());
        assertTrue(backups.problemProperty().get().contains("no such file or folder"), backups.problemProperty().get());
        assertTrue(backups.freeSpaceProperty().get().contains("(at "), "the free space is as of the read: " + backups.freeSpaceProperty().get());

        backends.up(Backend.BACKUPS);
        ui.await("read again at once, fresh", WAIT, () -> !backups.staleProperty().get() && backends.backupLists.get() > reads);
        assertTrue(backups.problemProperty().get() == null, backups.problemProperty().get());
    }

    /** A view-model on {@code envs}, closed after the test. */
    ShellViewModel shell(java.util.Map<String, io.dutydesk.core.config.Environment> envs) {
        ShellViewModel v = new ShellViewModel(envs, backends, HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler, ui,
                Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(ui, scheduler, io.dutydesk.testing.MemoryAuditLog.create()));
        others.add(v);
        return v;
    }

    final List<ShellViewModel> others = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void closeOthers() {
        others.forEach(ShellViewModel::close);
    }

    /** "ref" with the header's probes polled every {@code probes} and the Outbox pane every {@code outbox}. */
    static java.util.Map<String, io.dutydesk.core.config.Environment> environments(Duration probes, Duration outbox) {
        var e = io.dutydesk.testing.OutboxFakes.environment(outbox);
        return java.util.Map.of("ref", e.withPoll(new io.dutydesk.core.config.Environment.Poll(probes, probes.multipliedBy(4),
                Duration.ofSeconds(2))));
    }

    /**
     * PostgreSQL is back: the Outbox pane's poll reads it, and the header's probe — backed off, here for an hour —
     * is run at once, so the header never says "PostgreSQL down" while a pane reads it fine.
     */
    @Test
    void aPaneReadingABackendRefreshesTheHeadersProbeOfItAtOnce() {
        io.dutydesk.testing.OutboxFakes pg = new io.dutydesk.testing.OutboxFakes();
        backends.backlog = pg;
        backends.stream = pg;
        pg.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        backends.down(Backend.POSTGRES, "PostgreSQL 127.0.0.1:5432: Connection refused");
        ShellViewModel v = shell(environments(Duration.ofHours(1), Duration.ofMillis(50)));
        var outbox = io.dutydesk.testing.TestPanes.shown(v, "outbox", io.dutydesk.ui.outbox.OutboxViewModel.class);
        v.select("ref");
        ui.await("down in the header and the pane", WAIT, () -> v.indicator(Backend.POSTGRES).stateProperty().get() == BackendStatus.State.DOWN
                && outbox.backlogProblemProperty().get() != null);

        pg.pgDown = null;
        backends.up(Backend.POSTGRES);
        ui.await("the pane reads it", WAIT, () -> outbox.backlogProblemProperty().get() == null);
        ui.await("the header follows at once, not in an hour", WAIT,
                () -> v.indicator(Backend.POSTGRES).stateProperty().get() == BackendStatus.State.OK);
    }

    /**
     * The reverse: the header's probe of PostgreSQL answers again, and the Outbox pane — backed off, here polled every
     * hour — reads it at once.
     */
    @Test
    void aProbeRecoveryReadsThePanesThatDependOnItAtOnce() {
        io.dutydesk.testing.OutboxFakes pg = new io.dutydesk.testing.OutboxFakes();
        backends.backlog = pg;
        backends.stream = pg;
        pg.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        backends.down(Backend.POSTGRES, "PostgreSQL 127.0.0.1:5432: Connection refused");
        ShellViewModel v = shell(environments(Duration.ofMillis(50), Duration.ofHours(1)));
        var outbox = io.dutydesk.testing.TestPanes.shown(v, "outbox", io.dutydesk.ui.outbox.OutboxViewModel.class);
        v.select("ref");
        ui.await("down in the header and the pane", WAIT, () -> v.indicator(Backend.POSTGRES).stateProperty().get() == BackendStatus.State.DOWN
                && outbox.backlogProblemProperty().get() != null);

        pg.pgDown = null;
        backends.up(Backend.POSTGRES);
        ui.await("the header sees it back", WAIT, () -> v.indicator(Backend.POSTGRES).stateProperty().get() == BackendStatus.State.OK);
        ui.await("the pane reads it at once, not in an hour", WAIT, () -> outbox.backlogProblemProperty().get() == null
                && outbox.backlogProperty().get() != null);
    }

    /**
     * A pane hidden (another one shown) reads nothing of its own — neither at its interval, nor on Ctrl+R, nor when the
     * header sees a backend it reads come back — while the header goes on probing.
     */
    @Test
    void aHiddenPaneReadsNothing() {
        io.dutydesk.testing.OutboxFakes pg = new io.dutydesk.testing.OutboxFakes();
        backends.backlog = pg;
        backends.stream = pg;
        ShellViewModel v = shell(environments(Duration.ofMillis(50), Duration.ofMillis(50)));
        io.dutydesk.ui.outbox.OutboxViewModel outbox = io.dutydesk.testing.TestPanes.shown(v, "outbox",
                io.dutydesk.ui.outbox.OutboxViewModel.class);
        v.select("ref");
        ui.await("the shown pane polls", WAIT, () -> pg.backlogReads.get() >= 3 && pg.streamReads.get() >= 3);

        v.show("slots");
        assertTrue(!v.pane("outbox").orElseThrow().isShown());
        int ssh = backends.pings(Backend.SSH);
        ui.await("a read under way when it was hidden has ended", WAIT, () -> backends.pings(Backend.SSH) >= ssh + 2);
        int backlog = pg.backlogReads.get();
        int stream = pg.streamReads.get();
        v.refresh(); // Ctrl+R
        backends.down(Backend.POSTGRES, "PostgreSQL 127.0.0.1:5432: Connection refused");
        ui.await("postgres down in the header", WAIT, () -> v.indicator(Backend.POSTGRES).stateProperty().get() == BackendStatus.State.DOWN);
        backends.up(Backend.POSTGRES); // its recovery reads the panes that read through it: not a hidden one
        ui.await("postgres back in the header", WAIT, () -> v.indicator(Backend.POSTGRES).stateProperty().get() == BackendStatus.State.OK);
        int now = backends.pings(Backend.SSH);
        ui.await("ten more header rounds, ten outbox intervals", WAIT, () -> backends.pings(Backend.SSH) >= now + 10);
        assertEquals(backlog, pg.backlogReads.get(), "the outbox table is not read while the pane is hidden");
        assertEquals(stream, pg.streamReads.get(), "nor the stream");
        assertTrue(outbox.backlogProperty().get() != null, "what it read stays");
    }

    /** Shown again, a pane reads at once — here its interval is an hour — rather than show what it read before. */
    @Test
    void aPaneShownAgainReadsAtOnce() {
        io.dutydesk.testing.OutboxFakes pg = new io.dutydesk.testing.OutboxFakes();
        backends.backlog = pg;
        backends.stream = pg;
        ShellViewModel v = shell(environments(Duration.ofMillis(50), Duration.ofHours(1)));
        v.select("ref");
        assertEquals(0, pg.backlogReads.get(), "a pane never shown is not even built: nothing read");
        assertTrue(v.pane("outbox").isEmpty());
        io.dutydesk.ui.outbox.OutboxViewModel outbox = io.dutydesk.testing.TestPanes.shown(v, "outbox",
                io.dutydesk.ui.outbox.OutboxViewModel.class);
        ui.await("first shown: read", WAIT, () -> pg.backlogReads.get() == 1 && outbox.backlogProperty().get() != null);
        assertEquals(5, outbox.backlogProperty().get().pending());

        v.show("alerts");
        pg.pending = 7;
        v.refresh();
        ui.drain();
        assertEquals(1, pg.backlogReads.get(), "hidden: Ctrl+R reads nothing of it");

        v.show("outbox");
        ui.await("shown again: read at once, not in an hour", WAIT, () -> outbox.backlogProperty().get().pending() == 7);
        assertEquals(2, pg.backlogReads.get());
    }

    /**
     * A built pane's own state reaches the shell's map (for the navigation's badge) as the pane's header changes: none
     * before the pane is built, its state once it read, "down" with its banner, gone with its environment.
     */
    @Test
    void aBuiltPanesOwnStateIsHandedOverForItsBadge() {
        io.dutydesk.testing.OutboxFakes pg = new io.dutydesk.testing.OutboxFakes();
        backends.backlog = pg;
        backends.stream = pg;
        backends.slots = io.dutydesk.testing.Snapshots.of("green", "v1.4.2", "v1.0.0", java.util.Set.of(), java.util.Set.of()); // the relay
        ShellViewModel v = shell(environments(Duration.ofMillis(50), Duration.ofMillis(50)));
        v.select("ref");
        ui.drain();
        // the Slots pane, shown at the start, hands its own over once it read: the Outbox's is not there
        assertTrue(!v.paneStates().containsKey("outbox"), "the Outbox pane is not built: nothing of its own");
        io.dutydesk.ui.outbox.OutboxViewModel outbox = io.dutydesk.testing.TestPanes.shown(v, "outbox",
                io.dutydesk.ui.outbox.OutboxViewModel.class);
        ui.await(() -> "its state: " + v.paneStates(), WAIT, () -> v.paneStates().containsKey("outbox")
                && v.paneStates().get("outbox").badge().text().equals("ok"));
        assertTrue(v.paneStates().get("outbox").shown());
        pg.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        ui.await("down with its banner", WAIT, () -> outbox.backlogProblemProperty().get() != null
                && v.paneStates().get("outbox").badge().text().equals("down"));
        v.show("slots");
        assertTrue(!v.paneStates().get("outbox").shown(), "hidden: as of its last read");
        v.close();
        assertTrue(v.paneStates().isEmpty(), "closed: nothing left");
    }

    /** A backend not answered yet while the first connection is set up is "connecting…", neutral; never "down since". */
    @Test
    void aBackendNotAnsweredYetIsConnectingNotDown() {
        BackendIndicatorViewModel pg = new BackendIndicatorViewModel(Backend.POSTGRES, Clock.systemUTC());
        pg.show(new BackendStatus(Backend.POSTGRES, BackendStatus.State.UNKNOWN, -1,
                "connecting… (no answer within 4000 ms while the connection to the server was still being set up)",
                java.time.Instant.parse("2026-11-22T12:00:00Z"), null, null));
        assertEquals("connecting…", pg.textProperty().get());
        assertEquals(BackendStatus.State.UNKNOWN, pg.stateProperty().get());
        assertTrue(pg.detailsProperty().get().startsWith("PostgreSQL: not answered yet, connecting…"), pg.detailsProperty().get());
    }
}
