package io.dutydesk.ui.today;

import io.dutydesk.core.Backend;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.HealthSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dutydesk.ui.today.FakeChecks.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Today pane under the pane contract's health: a source down makes the newest run's checks through it "SSH down;
 * last answer at T" (as the status bar says it) and UNKNOWN (rows, badges, this environment's row, the header's statement) while the run stays shown
 * with its time; the header's statement names the environment, never "production" for another.
 */
class TodayHealthTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Tuesday in March (CET, UTC+1): not the day this test was written or is run. */
    static final Instant T0 = Instant.parse("2026-03-10T07:30:00Z");

    static HealthSnapshot health(String env, long seq, Instant now, Map<Backend, Instant> downSince) {
        Map<Backend, BackendStatus> m = new EnumMap<>(Backend.class);
        for (Backend b : Backend.values()) {
            Instant d = downSince.get(b);
            m.put(b, d == null ? new BackendStatus(b, BackendStatus.State.OK, 3, null, now, null, now)
                    : new BackendStatus(b, BackendStatus.State.DOWN, -1, "connection refused", now, d, d.minusSeconds(5)));
        }
        return new HealthSnapshot(env, seq, now, m);
    }

    TodayViewModel passingRun(Clock clock, FakeChecks fake) {
        fake.next = at -> List.of(
                result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy, rollback ready"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.PASS, "pending 12 < 100, oldest 40 s"),
                result("error-rate", CheckSource.PROMETHEUS, CheckStatus.PASS, "0.2 % < 1 %"),
                result("disk", CheckSource.DISK, CheckStatus.PASS, "backups volume 40 % free"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, () -> List.of("ref", "prod"), null);
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(), true, null, false));
        vm.attach(fake.env, null); // shown: runs at once
        vm.health(health("ref", 1, clock.instant(), Map.of()));
        assertEquals("pass", vm.productionStateProperty().get(), vm.productionProperty().get());
        return vm;
    }

    @Test
    void sshDownMakesTheNewestRunDownStaleAndUnknownWhileItStaysShownWithItsTime() {
        TodayViewModelTest.MovingClock clock = new TodayViewModelTest.MovingClock(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        TodayViewModel vm = passingRun(clock, fake);
        CheckRun run = vm.latestProperty().get();

        clock.advance(Duration.ofMinutes(12));
        vm.health(health("ref", 2, clock.instant(), Map.of(Backend.SSH, T0.plus(Duration.ofMinutes(10)))));

        // the run stays on the screen, with its time
        assertSame(run, vm.shownRunProperty().get());
        assertEquals(run, vm.history().get(0));
        assertEquals(4, vm.rows().size());
        for (TodayViewModel.Row r : vm.rows()) {
            assertEquals(CheckStatus.UNKNOWN, r.status(), r.toString());
            // why first, SSH's last answer (08:39:55 in Berlin; the run was at 08:30; its first failed check, 08:40:00, is
            // not a second time for the same outage), and what the check said
            assertTrue(r.evidence().startsWith("SSH down; last answer at 08:39:55: the check said pass: "), r.evidence());
            assertFalse(r.changed(), "not 'changed': the run did not change " + r);
        }
        for (String pane : List.of("slots", "outbox", "metrics", "backups", "today")) {
            assertEquals("unknown", vm.badges().get(pane).state(), pane + ": " + vm.badges().get(pane));
            assertEquals("?", vm.badges().get(pane).text());
            assertTrue(vm.badges().get(pane).tooltip().startsWith("SSH down; last answer at 08:39:55: "), vm.badges().get(pane).tooltip());
        }
        assertEquals(CheckStatus.UNKNOWN, vm.worstProperty().get());
        assertEquals("unknown", vm.productionStateProperty().get());
        assertEquals("ref: SSH down; last answer at 08:39:55", vm.productionProperty().get());
        assertTrue(vm.productionDetailProperty().get().contains("SSH down; last answer at 08:39:55"), vm.productionDetailProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("SSH down; last answer at 08:39:55: showing the run of"),
                vm.statusProperty().get());
        TodayViewModel.EnvRow ref = TodayViewModelTest.row(vm, "ref");
        assertEquals(Optional.of(CheckStatus.UNKNOWN), ref.worst());
        assertTrue(ref.when().contains(" · SSH down; last answer at 08:39:55"), ref.when());
        // an older run picked from the history is shown as it was (it says its own time)
        // the kept run's report is still the run as it was
        assertTrue(vm.markdown().contains("live blue healthy"), vm.markdown());

        // back up: the run is shown as it was
        vm.health(health("ref", 3, clock.instant(), Map.of()));
        assertTrue(vm.rows().stream().allMatch(r -> r.status() == CheckStatus.PASS), vm.rows().toString());
        assertEquals("pass", vm.badges().get("slots").state());
        assertEquals("pass", vm.productionStateProperty().get());
        assertFalse(vm.statusProperty().get().contains("down"), vm.statusProperty().get());
        assertEquals(Optional.of(CheckStatus.PASS), TodayViewModelTest.row(vm, "ref").worst());
    }

    @Test
    void oneBackendDownStalesOnlyTheChecksThatReadThroughIt() {
        TodayViewModelTest.MovingClock clock = new TodayViewModelTest.MovingClock(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        TodayViewModel vm = passingRun(clock, fake);
        clock.advance(Duration.ofMinutes(5));
        vm.health(health("ref", 2, clock.instant(), Map.of(Backend.PROMETHEUS, T0.plus(Duration.ofMinutes(4)))));
        assertEquals(CheckStatus.UNKNOWN, status(vm, "error-rate"));
        assertEquals(CheckStatus.PASS, status(vm, "slots"));
        assertEquals(CheckStatus.PASS, status(vm, "outbox"));
        assertEquals("unknown", vm.badges().get("metrics").state());
        assertEquals("pass", vm.badges().get("slots").state());
        assertEquals("pass", vm.badges().get("outbox").state());
        assertEquals("unknown", vm.badges().get("today").state());
        assertEquals("unknown", vm.productionStateProperty().get(), "never healthy while a check is stale");
        assertEquals("ref: Prometheus down; last answer at 08:33:55", vm.productionProperty().get());
        // a backend no check reads through: nothing stale
        vm.health(health("ref", 3, clock.instant(), Map.of(Backend.ALERTMANAGER, T0.plus(Duration.ofMinutes(4)))));
        assertEquals("pass", vm.productionStateProperty().get(), vm.productionProperty().get());
        // a snapshot of another environment (late, after a switch) changes nothing
        vm.health(health("prod", 9, clock.instant(), Map.of(Backend.SSH, T0)));
        assertEquals("pass", vm.productionStateProperty().get(), vm.productionProperty().get());
    }

    /** A stale warn or fail stays what it is (known bad, not green), said stale; a misconfigured backend counts as down. */
    @Test
    void aStaleFailureStaysAFailureAndAMisconfiguredBackendCounts() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.next = at -> List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.FAIL, "oldest 14 h"),
                result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.attach(fake.env, null);
        Map<Backend, BackendStatus> m = new EnumMap<>(Backend.class);
        for (Backend b : Backend.values()) {
            m.put(b, b == Backend.POSTGRES ? new BackendStatus(b, BackendStatus.State.MISCONFIGURED, 3, "no table selfology.event_outbox", T0, T0, T0)
                    : new BackendStatus(b, BackendStatus.State.OK, 3, null, T0, null, T0));
        }
        vm.health(new HealthSnapshot("ref", 1, T0, m));
        assertEquals(CheckStatus.FAIL, status(vm, "outbox"));
        assertTrue(vm.rows().get(0).evidence().startsWith("PostgreSQL misconfigured; last good answer at 08:30:00: the check said fail"),
                vm.rows().get(0).evidence());
        assertEquals("fail", vm.badges().get("outbox").state());
        assertEquals(CheckStatus.PASS, status(vm, "slots"));
        assertEquals("fail", vm.productionStateProperty().get());
        assertEquals("ref: PostgreSQL misconfigured; last good answer at 08:30:00", vm.productionProperty().get());
    }

    /**
     * Window trial: Docker went down hours after the morning check, and the header said "down / stale since" the check's
     * time — as if nothing had been known since the morning. It says, as every pane and the status bar do, Docker's last
     * answer; a backend that never answered, so (not its first failed check as if it were one); of two, the earlier.
     */
    @Test
    void theHeaderSaysFromWhenDockerIsUnknownNotWhenTheMorningCheckRan() {
        TodayViewModelTest.MovingClock clock = new TodayViewModelTest.MovingClock(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        TodayViewModel vm = passingRun(clock, fake); // 08:30 in Berlin
        clock.advance(Duration.ofHours(3));
        Instant dockerDown = T0.plus(Duration.ofMinutes(162)); // 11:12:00, last answer 11:11:55
        vm.health(health("ref", 2, clock.instant(), Map.of(Backend.DOCKER, dockerDown)));
        assertEquals("ref: Docker down; last answer at 11:11:55", vm.productionProperty().get());
        assertEquals("unknown", vm.productionStateProperty().get());
        assertTrue(vm.productionDetailProperty().get().contains("(checks of "), "the run's own time is said apart: "
                + vm.productionDetailProperty().get());
        assertTrue(vm.badges().get("today").tooltip().startsWith("Docker down; last answer at 11:11:55: "), vm.badges().get("today").tooltip());
        assertTrue(vm.statusProperty().get().startsWith("Docker down; last answer at 11:11:55: showing the run of"),
                vm.statusProperty().get());

        // a Docker that never answered in this window: so, not its first failed check
        Map<Backend, BackendStatus> m = new EnumMap<>(health("ref", 3, clock.instant(), Map.of()).all().stream()
                .collect(java.util.stream.Collectors.toMap(BackendStatus::backend, b -> b)));
        m.put(Backend.DOCKER, new BackendStatus(Backend.DOCKER, BackendStatus.State.DOWN, -1, "connection refused", clock.instant(),
                dockerDown, null));
        vm.health(new HealthSnapshot("ref", 3, clock.instant(), m));
        assertEquals("ref: Docker down; no answer yet", vm.productionProperty().get());

        // Docker and, earlier, Prometheus: the earlier
        vm.health(health("ref", 4, clock.instant(), Map.of(Backend.DOCKER, dockerDown, Backend.PROMETHEUS, T0.plus(Duration.ofMinutes(100)))));
        assertEquals("ref: Docker, Prometheus down; last answer at 10:09:55 (the earliest)", vm.productionProperty().get());
    }

    @Test
    void aRunOfThisWindowWhileSshIsDownStaysUnknownWithItsOwnReason() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        TodayViewModel vm = passingRun(clock, fake);
        vm.health(health("ref", 2, T0, Map.of(Backend.SSH, T0)));
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.UNKNOWN, "slots not read: SSH refused"));
        vm.run();
        assertEquals("slots not read: SSH refused", vm.rows().get(0).evidence(), "its own why, not stale twice");
        assertEquals("unknown", vm.productionStateProperty().get());
    }

    /** The pane rebuilds its checks at each event of its rows: SSH going down changes every row in one event, not one per row. */
    @Test
    void anOutageThatChangesSeveralRowsIsOneEvent() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.hidden();
        vm.attach(fake.env, null);
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.PASS, "pending 12 < 100"),
                result("disk", CheckSource.DISK, CheckStatus.PASS, "41 % used"));
        vm.run();
        java.util.concurrent.atomic.AtomicInteger events = new java.util.concurrent.atomic.AtomicInteger();
        vm.rows().addListener((javafx.collections.ListChangeListener<TodayViewModel.Row>) c -> events.incrementAndGet());
        vm.health(health("ref", 2, T0, Map.of(Backend.SSH, T0)));
        assertTrue(vm.rows().stream().allMatch(r -> r.status() == CheckStatus.UNKNOWN), vm.rows().toString());
        assertEquals(1, events.get(), "three rows changed at once");
    }

    /** The header's statement names the selected environment: "production" only for the one so named. */
    @Test
    void theHeadersStatementNamesTheSelectedEnvironment() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN); // environment "ref", "reference host"
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.hidden();
        vm.attach(fake.env, null);
        assertEquals("ref: not checked yet", vm.productionProperty().get());
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(), true, null, false));
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"));
        vm.run();
        assertEquals("ref: healthy (checks 08:30)", vm.productionProperty().get());
        assertFalse(vm.productionProperty().get().contains("production"), vm.productionProperty().get());
        assertTrue(vm.productionDetailProperty().get().startsWith("ref — reference host"), vm.productionDetailProperty().get());
        fake.next = at -> List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 140 ≥ 100"));
        vm.run();
        assertEquals("ref: outbox warn (checks 08:30)", vm.productionProperty().get(), "when it was read");
    }

    /**
     * The window trial: "slots unknown +1" from a CLI check run during an outage stayed in the header while the Slots
     * pane was itself fresh, without the run's time. The statement says when the checks ran; once every backend an
     * unknown check reads through has answered after the run, that unknown is superseded: no badge of it, not in the
     * statement; a known bad check stays.
     */
    @Test
    void anUnknownOfAKeptRunDuringAnOutageSaysItsTimeAndGivesWayToAFreshRead() {
        TodayViewModelTest.MovingClock clock = new TodayViewModelTest.MovingClock(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.keep(T0.minus(Duration.ofMinutes(20)), List.of( // 08:10 in Berlin, the CLI's run while SSH was down
                result("slots", CheckSource.SLOTS, CheckStatus.UNKNOWN, "slots not read: SSH does not answer"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 140 ≥ 100"),
                result("disk", CheckSource.DISK, CheckStatus.UNKNOWN, "disk not read: SSH does not answer")));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.hidden(); // the kept run adopted, nothing run
        vm.attach(fake.env, null);
        assertEquals("ref: slots unknown +2 (checks 08:10)", vm.productionProperty().get());

        // the backends answered before the run only: still unknown
        vm.health(health("ref", 1, T0.minus(Duration.ofMinutes(30)), Map.of()));
        assertEquals("ref: slots unknown +2 (checks 08:10)", vm.productionProperty().get());
        assertEquals("unknown", vm.badges().get("slots").state());

        // SSH and Docker answer after the run (the Slots pane polls fresh): the slots' unknown gives way; the disk's does
        // not (SSH answering its ping reads no free space: nothing has read the disk since)
        vm.health(health("ref", 2, clock.instant(), Map.of()));
        assertEquals("ref: outbox warn +1 (checks 08:10)", vm.productionProperty().get(), "the known warn stays");
        assertFalse(vm.badges().containsKey("slots"), "no stale unknown badge on a fresh pane: " + vm.badges());
        assertEquals("unknown", vm.badges().get("backups").state(), "the disk not read since: " + vm.badges());
        assertEquals("warn", vm.badges().get("outbox").state());
        assertTrue(vm.productionDetailProperty().get().contains("slots: could not tell at the checks, read again since"),
                vm.productionDetailProperty().get());

        // with nothing else wrong: never "healthy" on a run that could not tell, but the unknown is not repeated
        fake.keep(T0.minus(Duration.ofMinutes(10)), List.of(
                result("slots", CheckSource.SLOTS, CheckStatus.UNKNOWN, "slots not read: SSH does not answer"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.PASS, "pending 12 < 100")));
        vm.detach();
        vm.attach(fake.env, null);
        vm.health(health("ref", 3, clock.instant(), Map.of()));
        assertEquals("ref: slots read again since the checks of 08:20", vm.productionProperty().get());
        assertEquals("unknown", vm.productionStateProperty().get());
    }

    /**
     * An unknown is superseded only by a pane that reads what the check reads by itself (the slots, the alerts' feed): the
     * outbox's backlog, the newest backup, the free disk and the logs are read by nothing while their panes are hidden,
     * and a backend answering its ping says nothing of them. They stay unknown in the badges and the header.
     */
    @Test
    void anUnknownThatNoPaneReadsAgainIsNeverSupersededByABackendAnswering() {
        TodayViewModelTest.MovingClock clock = new TodayViewModelTest.MovingClock(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.keep(T0.minus(Duration.ofMinutes(20)), List.of(
                result("outbox", CheckSource.OUTBOX, CheckStatus.UNKNOWN, "outbox not read: SSH does not answer"),
                result("disk", CheckSource.DISK, CheckStatus.UNKNOWN, "disk not read: SSH does not answer"),
                result("logs", CheckSource.LOGS, CheckStatus.UNKNOWN, "logs not read: SSH does not answer")));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.hidden();
        vm.attach(fake.env, null);
        vm.health(health("ref", 1, clock.instant(), Map.of())); // every backend answers after the run
        assertEquals("ref: slots unknown +2 (checks 08:10)", vm.productionProperty().get());
        assertEquals("unknown", vm.productionStateProperty().get());
        for (String pane : List.of("slots", "outbox", "backups")) {
            assertEquals("unknown", vm.badges().get(pane).state(), pane + ": " + vm.badges());
        }
        assertFalse(vm.productionDetailProperty().get().contains("read again since"), vm.productionDetailProperty().get());
    }

    /** A run the local store could not keep (a full disk) is shown all the same, and the pane says it was not kept. */
    @Test
    void aRunTheStoreCouldNotKeepIsShownAndSaidNotKept() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.notKept = "[SQLITE_FULL] database or disk is full";
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.attach(fake.env, null);
        assertEquals(1, vm.rows().size());
        assertEquals(T0, vm.history().get(0).at(), "in the selector all the same");
        assertTrue(vm.statusProperty().get().endsWith("this run was not kept in the local store: [SQLITE_FULL] database or disk is full"),
                vm.statusProperty().get());
    }

    static CheckStatus status(TodayViewModel vm, String id) {
        return vm.rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow().status();
    }

    /**
     * The window trial: the Outbox badge followed the morning check ("ok") while the Outbox pane's banner said PostgreSQL
     * down. A built pane's own state (as the shell hands it over) is its badge when it is newer than the run — and so the
     * header's statement is not "healthy" — and back to fine when the pane reads it fine again; a run newer than the
     * pane on the screen is never better than the pane.
     */
    @Test
    void theOutboxBadgeFollowsThePanesStateNeverBetter() {
        TodayViewModelTest.MovingClock clock = new TodayViewModelTest.MovingClock(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        TodayViewModel vm = passingRun(clock, fake); // the run at 08:30: outbox pass
        javafx.collections.ObservableMap<String, io.dutydesk.ui.fx.PaneState> panes = javafx.collections.FXCollections.observableHashMap();
        vm.followPanes(panes);
        assertEquals("pass", vm.badges().get("outbox").state());

        io.dutydesk.ui.fx.NavBadge down = new io.dutydesk.ui.fx.NavBadge("unknown", "down",
                "PostgreSQL down; last answer at 08:31:10 (as the pane shows it)");
        panes.put("outbox", new io.dutydesk.ui.fx.PaneState(down, T0.plusSeconds(75), true));
        assertEquals(down, vm.badges().get("outbox"), "the pane's banner, not the run's ok");
        assertEquals("unknown", vm.productionStateProperty().get(), "nor the header's statement: " + vm.productionProperty().get());
        assertEquals("ref: outbox unknown (checks 08:30)", vm.productionProperty().get());

        io.dutydesk.ui.fx.NavBadge fine = new io.dutydesk.ui.fx.NavBadge("pass", "ok", "fine (as the pane shows it)");
        panes.put("outbox", new io.dutydesk.ui.fx.PaneState(fine, T0.plusSeconds(90), true));
        assertEquals(fine, vm.badges().get("outbox"));
        assertEquals("pass", vm.productionStateProperty().get(), vm.productionProperty().get());

        // a new run (outbox fail) newer than the pane's last read, the pane on the screen: the worse, the run's fail
        clock.advance(Duration.ofMinutes(2));
        fake.next = at -> List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.FAIL, "pending 1200 ≥ 1000"));
        vm.run();
        assertEquals("fail", vm.badges().get("outbox").state());
        // the pane left (closed with its environment): the run's again
        panes.remove("outbox");
        assertEquals("fail", vm.badges().get("outbox").state());
        assertEquals("fail", vm.productionStateProperty().get());
    }
}
