package io.dutydesk.ui.today;

import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.config.Environment;
import io.dutydesk.ui.fx.NavBadge;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static io.dutydesk.ui.today.FakeChecks.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Today pane's model with fixed clocks: which pane opens first, the schedule, the badges, the header's statement. */
class TodayViewModelTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Tuesday in March (CET, UTC+1): not the day this test was written or is run. */
    static final Instant T0 = Instant.parse("2026-03-10T07:30:00Z");

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        final AtomicReference<Instant> now;
        final ZoneId zone;

        MovingClock(Instant start, ZoneId zone) {
            this.now = new AtomicReference<>(start);
            this.zone = zone;
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new MovingClock(now.get(), z);
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    static Environment.Checks checks(Optional<ZoneId> zone) {
        return new Environment.Checks(List.of(), List.of(LocalTime.of(9, 0)), LocalTime.of(18, 0), LocalTime.of(12, 0), zone);
    }

    @Test
    void todayIsTheFirstPaneBeforeNoonInTheEnvironmentsZone() {
        // 10:59 UTC is 11:59 in Berlin: before noon there
        assertTrue(TodayViewModel.firstPane(checks(Optional.of(BERLIN)), Clock.fixed(Instant.parse("2026-03-10T10:59:00Z"), ZoneOffset.UTC)));
        // 11:00 UTC is 12:00 in Berlin: Slots stays first
        assertFalse(TodayViewModel.firstPane(checks(Optional.of(BERLIN)), Clock.fixed(Instant.parse("2026-03-10T11:00:00Z"), ZoneOffset.UTC)));
        // no zone in the file: the clock's (11:30 UTC is before noon in UTC)
        assertTrue(TodayViewModel.firstPane(checks(Optional.empty()), Clock.fixed(Instant.parse("2026-03-10T11:30:00Z"), ZoneOffset.UTC)));
        assertFalse(TodayViewModel.firstPane(checks(Optional.empty()), Clock.fixed(Instant.parse("2026-03-10T11:30:00Z"), BERLIN)));
        // a configured hour
        Environment.Checks nine = new Environment.Checks(List.of(), List.of(), LocalTime.of(18, 0), LocalTime.of(9, 0), Optional.of(BERLIN));
        assertFalse(TodayViewModel.firstPane(nine, Clock.fixed(Instant.parse("2026-03-10T08:00:00Z"), ZoneOffset.UTC)));
        assertTrue(TodayViewModel.firstPane(nine, Clock.fixed(Instant.parse("2026-03-10T07:59:00Z"), ZoneOffset.UTC)));
    }

    @Test
    void aScheduledTimeIsDueOnceWhenTheClockPassesIt() {
        List<LocalTime> times = List.of(LocalTime.of(9, 0), LocalTime.of(14, 30));
        Instant nine = Instant.parse("2026-03-10T08:00:00Z"); // 09:00 in Berlin
        assertTrue(TodayViewModel.due(times, BERLIN, nine.minusSeconds(30), nine));
        assertFalse(TodayViewModel.due(times, BERLIN, nine, nine.plusSeconds(30)), "due once: not again in the next tick");
        assertFalse(TodayViewModel.due(times, BERLIN, nine.minusSeconds(60), nine.minusSeconds(30)));
        // a machine asleep over the night wakes after a time: due
        assertTrue(TodayViewModel.due(times, BERLIN, Instant.parse("2026-03-09T20:00:00Z"), Instant.parse("2026-03-10T08:10:00Z")));
        assertFalse(TodayViewModel.due(List.of(), BERLIN, Instant.parse("2026-03-09T20:00:00Z"), Instant.parse("2026-03-10T08:10:00Z")));
    }

    @Test
    void theScheduleRunsTheChecksWhileHiddenAtTheConfiguredTimeOnly() {
        MovingClock clock = new MovingClock(Instant.parse("2026-03-10T07:59:00Z"), ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(LocalTime.of(9, 0)), BERLIN);
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.hidden(); // built with the window, not shown: it runs nothing but its schedule
        vm.attach(fake.env, null);
        assertEquals(0, fake.runs.get());
        clock.advance(Duration.ofSeconds(30));
        vm.tick(); // 08:59:30 Berlin
        assertEquals(0, fake.runs.get());
        clock.advance(Duration.ofSeconds(30));
        vm.tick(); // 09:00:00 Berlin
        assertEquals(1, fake.runs.get());
        clock.advance(Duration.ofSeconds(30));
        vm.tick();
        assertEquals(1, fake.runs.get(), "once per time");
        // opening the pane within a minute of that run shows it; later it runs again
        vm.shown();
        assertEquals(1, fake.runs.get());
        vm.hidden();
        clock.advance(Duration.ofMinutes(5));
        vm.shown();
        assertEquals(2, fake.runs.get());
        vm.run(); // Run now
        assertEquals(3, fake.runs.get());
    }

    @Test
    void badgesCarryEachPanesWorstCheckAndTheHeaderIsNeverHealthyWhileUnknown() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.next = at -> List.of(
                result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy, rollback ready"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 140 ≥ 100, oldest 34 min"),
                result("backups", CheckSource.BACKUPS, CheckStatus.PASS, "newest full 2.0 h"),
                result("disk", CheckSource.DISK, CheckStatus.FAIL, "backups volume 2 % free"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        assertEquals("unknown", vm.productionStateProperty().get(), "not checked: not healthy");
        vm.attach(fake.env, null); // shown: runs at once
        Map<String, NavBadge> b = vm.badges();
        assertEquals("pass", b.get("slots").state());
        assertEquals("warn", b.get("outbox").state());
        assertTrue(b.get("outbox").tooltip().contains("pending 140"), b.get("outbox").tooltip());
        assertTrue(b.get("outbox").tooltip().contains("as of the check at 08:30"), b.get("outbox").tooltip());
        assertEquals("fail", b.get("backups").state(), "the worst of the checks linking to Backups");
        assertEquals("fail", b.get("today").state());
        assertEquals("fail", vm.productionStateProperty().get());
        assertFalse(vm.productionProperty().get().contains("healthy"), vm.productionProperty().get());

        // all pass but the alerts feed is not read yet: unknown, not healthy
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "ok"));
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(), false, null, false));
        vm.run();
        assertEquals("unknown", vm.productionStateProperty().get());
        assertFalse(vm.productionProperty().get().startsWith("ref: healthy"), vm.productionProperty().get());
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(), true, null, false));
        assertEquals("pass", vm.productionStateProperty().get());
        assertTrue(vm.productionProperty().get().startsWith("ref: healthy"), vm.productionProperty().get());
        // a critical fires: Alerts fails at once, from the feed the console polls anyway
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(Map.entry("critical", 1L), Map.entry("warning", 2L)), true, null, false));
        assertEquals("fail", vm.badges().get("alerts").state());
        assertEquals("1 crit", vm.badges().get("alerts").text());
        assertEquals("fail", vm.productionStateProperty().get());
        // the feed fails: its last counts are not now's
        assertEquals("unknown", TodayViewModel.alertsBadge(List.of(), true, "Alertmanager down since 08:01", false).state());
        assertEquals("unknown", TodayViewModel.alertsBadge(List.of(), true, null, true).state());
        assertEquals("warn", TodayViewModel.alertsBadge(List.of(Map.entry("warning", 2L)), true, null, false).state());
    }

    /**
     * A backend a passing check read through goes down: that pane's badge is "?" at once, not the run's green "ok" until the
     * next run (the window trial: Prometheus down, the Metrics badge still "ok"), and the header is not healthy; back up, the
     * run's badge again. A failing check's badge stays failing.
     */
    @Test
    void aPassingBadgeIsUnknownWhileABackendItReadsThroughIsDown() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.FAIL, "oldest 14 h"),
                result("error-rate", CheckSource.PROMETHEUS, CheckStatus.PASS, "0 % < 1 %"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.attach(fake.env, null);
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(), true, null, false));
        assertEquals("pass", vm.badges().get("metrics").state());
        java.util.function.Function<io.dutydesk.core.health.BackendStatus.State, io.dutydesk.core.health.HealthSnapshot> health = prom -> {
            Map<io.dutydesk.core.Backend, io.dutydesk.core.health.BackendStatus> m = new java.util.EnumMap<>(io.dutydesk.core.Backend.class);
            for (io.dutydesk.core.Backend b : io.dutydesk.core.Backend.values()) {
                boolean down = b == io.dutydesk.core.Backend.PROMETHEUS && prom == io.dutydesk.core.health.BackendStatus.State.DOWN;
                m.put(b, new io.dutydesk.core.health.BackendStatus(b, down ? prom : io.dutydesk.core.health.BackendStatus.State.OK, 3,
                        down ? "connection refused" : null, T0, down ? T0.minusSeconds(20) : null, T0.minusSeconds(down ? 25 : 0)));
            }
            return new io.dutydesk.core.health.HealthSnapshot("ref", 1, T0, m);
        };
        vm.health(health.apply(io.dutydesk.core.health.BackendStatus.State.OK));
        assertEquals("pass", vm.badges().get("metrics").state());

        vm.health(health.apply(io.dutydesk.core.health.BackendStatus.State.DOWN));
        NavBadge metrics = vm.badges().get("metrics");
        assertEquals("unknown", metrics.state(), "never green while Prometheus is down: " + metrics);
        assertEquals("?", metrics.text());
        assertTrue(metrics.tooltip().startsWith("Prometheus down; last answer at 08:29:35"), metrics.tooltip());
        assertEquals("pass", vm.badges().get("slots").state(), "read through backends that answer");
        assertEquals("fail", vm.badges().get("outbox").state());
        assertFalse(vm.productionProperty().get().contains("healthy"), vm.productionProperty().get());

        vm.health(health.apply(io.dutydesk.core.health.BackendStatus.State.OK));
        assertEquals("pass", vm.badges().get("metrics").state(), "back: the run's badge again");
    }

    @Test
    void anUnknownCheckMakesTheRunUnknownNeverPass() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "ok"),
                result("error-rate", CheckSource.PROMETHEUS, CheckStatus.UNKNOWN, "prometheus not read: connection refused"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.attach(fake.env, null);
        assertEquals(CheckStatus.UNKNOWN, vm.worstProperty().get());
        assertEquals("unknown", vm.badges().get("metrics").state());
        assertEquals("unknown", vm.productionStateProperty().get());
    }

    @Test
    void historyAndNewSinceYesterday() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        CheckRun lastWeek = fake.keep(T0.minus(Duration.ofDays(7)), List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.FAIL, "x")));
        CheckRun yesterday = fake.keep(T0.minus(Duration.ofDays(1)), List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.PASS, "pending 3"),
                result("slots", CheckSource.SLOTS, CheckStatus.PASS, "ok")));
        fake.next = at -> List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 140"),
                result("slots", CheckSource.SLOTS, CheckStatus.PASS, "ok"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.attach(fake.env, null);
        assertEquals(3, vm.history().size(), "this run, yesterday's, last week's");
        assertEquals(T0, vm.history().get(0).at());
        assertTrue(vm.rows().stream().anyMatch(r -> r.id().equals("outbox") && r.changed()));
        assertTrue(vm.sinceYesterdayProperty().get().contains("outbox pass → warn"), vm.sinceYesterdayProperty().get());
        assertFalse(vm.sinceYesterdayProperty().get().contains("slots"), vm.sinceYesterdayProperty().get());
        vm.show(lastWeek);
        assertEquals(CheckStatus.FAIL, vm.rows().get(0).status());
        assertTrue(vm.sinceYesterdayProperty().get().contains("no run kept"), vm.sinceYesterdayProperty().get());
        vm.show(yesterday);
        assertTrue(vm.sinceYesterdayProperty().get().contains("outbox fail → pass"), vm.sinceYesterdayProperty().get());
        // the badges stay the newest run's, whatever run is shown
        assertEquals("warn", vm.badges().get("outbox").state());
    }

    /**
     * "Run all environments": this one, then each other over its own connection, one at a time; one that cannot be
     * reached is UNKNOWN with the reason and stays so (not its older kept run) when this environment runs again.
     */
    @Test
    void runAllRunsEveryEnvironmentAndAnUnreachableOneIsUnknownNotItsOlderRun() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"));
        CheckRun prodYesterday = new CheckRun(7, "prod", T0.minus(Duration.ofDays(1)), "alice",
                List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live green healthy")), Optional.empty());
        io.dutydesk.core.ports.CheckHistory kept = new io.dutydesk.core.ports.CheckHistory() {
            public java.util.concurrent.CompletableFuture<Long> save(CheckRun r) { return java.util.concurrent.CompletableFuture.completedFuture(0L); }
            public java.util.concurrent.CompletableFuture<Optional<CheckRun>> latestAtOrBefore(String env, Instant at) {
                return java.util.concurrent.CompletableFuture.completedFuture("prod".equals(env) ? Optional.of(prodYesterday) : Optional.empty());
            }
            public java.util.concurrent.CompletableFuture<List<CheckRun>> between(String env, Instant from, Instant to) {
                return java.util.concurrent.CompletableFuture.completedFuture(List.of());
            }
            public java.util.concurrent.CompletableFuture<Integer> prune(Instant before) { return java.util.concurrent.CompletableFuture.completedFuture(0); }
        };
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, () -> List.of("ref", "staging", "prod"), kept);
        List<String> asked = new java.util.ArrayList<>();
        java.util.concurrent.CompletableFuture<CheckRun> staging = new java.util.concurrent.CompletableFuture<>();
        vm.setRunOther(name -> {
            asked.add(name);
            return "staging".equals(name) ? staging
                    : java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("connection refused"));
        });
        vm.attach(fake.env, null);
        assertEquals("PASS", row(vm, "prod").worst().map(CheckStatus::name).orElse("NOT RUN"), "before: prod's kept run");
        vm.runAll();
        assertTrue(vm.runningAllProperty().get());
        assertEquals(List.of("staging"), asked, "one at a time: prod waits for staging");
        assertEquals("running…", row(vm, "staging").when());
        staging.complete(new CheckRun(9, "staging", T0, "tester",
                List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.FAIL, "oldest pending 34 min")), Optional.empty()));
        assertEquals(List.of("staging", "prod"), asked);
        assertEquals(Optional.of(CheckStatus.FAIL), row(vm, "staging").worst());
        assertEquals(Optional.of(CheckStatus.UNKNOWN), row(vm, "prod").worst(), "unreachable: unknown, not yesterday's pass");
        assertTrue(row(vm, "prod").when().contains("connection refused"), row(vm, "prod").when());
        assertFalse(vm.runningAllProperty().get());
        vm.run(); // this environment again: the rows are read again from the store
        assertEquals(Optional.of(CheckStatus.UNKNOWN), row(vm, "prod").worst(), "still what Run all found");
        assertEquals(Optional.of(CheckStatus.PASS), row(vm, "ref").worst());
    }

    /** Another environment: nothing of the first one's run, history, badges or header statement stays. */
    @Test
    void anotherEnvironmentKeepsNothingOfThePreviousOnesRun() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.next = at -> List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.attach(fake.env, null);
        assertEquals("pass", vm.productionStateProperty().get());
        assertFalse(vm.badges().isEmpty());
        vm.detach();
        assertEquals(null, vm.latestProperty().get());
        assertEquals(null, vm.shownRunProperty().get());
        assertTrue(vm.history().isEmpty());
        assertTrue(vm.badges().isEmpty(), "no badge of the previous environment: " + vm.badges());
        assertEquals("unknown", vm.productionStateProperty().get());
        assertEquals("not checked yet", vm.productionProperty().get());
    }

    /** A kept run (another session's, the CLI's) that passed is not "production healthy" now; a live alerts badge alone neither. */
    @Test
    void aKeptPassingRunOrAPassingAlertsFeedAloneIsNeverHealthy() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.keep(T0.minus(Duration.ofDays(2)), List.of(result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy")));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.hidden(); // hidden: attaching runs nothing, the kept run is adopted
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(), true, null, false));
        vm.attach(fake.env, null);
        assertEquals(0, fake.runs.get());
        assertEquals("unknown", vm.productionStateProperty().get(), vm.productionProperty().get());
        assertTrue(vm.productionProperty().get().contains("Mar 8"), "a kept run of another day says its day: " + vm.productionProperty().get());
        vm.detach();
        vm.liveBadge("alerts", TodayViewModel.alertsBadge(List.of(), true, null, false));
        assertEquals("unknown", vm.productionStateProperty().get(), "the alerts feed alone: " + vm.productionProperty().get());
    }

    /** "Yesterday" is the day before, whatever the hour: a run at 09:05 yesterday for one at 09:00 today. */
    @Test
    void yesterdayIsTheCalendarDayBefore() {
        Instant now = Instant.parse("2026-03-10T08:00:00Z"); // 09:00 in Berlin
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), BERLIN);
        fake.keep(now.minus(Duration.ofDays(2)), List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.FAIL, "old")));
        fake.keep(now.minus(Duration.ofHours(24)).plus(Duration.ofMinutes(5)), List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.PASS, "ok")));
        fake.next = at -> List.of(result("outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 140"));
        TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, List::of, null);
        vm.attach(fake.env, null);
        assertTrue(vm.sinceYesterdayProperty().get().contains("outbox pass → warn"), vm.sinceYesterdayProperty().get());
        assertTrue(vm.sinceYesterdayProperty().get().contains("09:05"), vm.sinceYesterdayProperty().get());
        vm.showDaysBefore(1);
        assertEquals(now.minus(Duration.ofHours(24)).plus(Duration.ofMinutes(5)), vm.shownRunProperty().get().at());
    }

    @Test
    void theAlertsBadgeIsUnknownWhereNoAlertCanFireOrSomeAreUnknownButACriticalStillFails() {
        assertEquals("pass", TodayViewModel.alertsBadge(List.of(), true, null, false, 0, null).state());
        assertEquals("unknown", TodayViewModel.alertsBadge(List.of(), true, null, false, 0, "Prometheus down").state());
        assertEquals("unknown", TodayViewModel.alertsBadge(List.of(), true, null, false, 2, null).state());
        assertEquals("fail", TodayViewModel.alertsBadge(List.of(Map.entry("critical", 1L)), true, null, false, 2, "Prometheus down").state());
    }

    static TodayViewModel.EnvRow row(TodayViewModel vm, String env) {
        return vm.environmentRows().stream().filter(r -> r.env().equals(env)).findFirst().orElseThrow();
    }
}
