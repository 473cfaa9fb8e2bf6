package io.dutydesk.ui.today;

import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.config.Environment;
import io.dutydesk.testing.TestEnvironments;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The Today pane's input without a server: each run's results from {@code next} (given the run's time), compared
 * with the previous run kept here and kept in turn, as {@link io.dutydesk.core.check.CheckService} does.
 */
final class FakeChecks implements TodayViewModel.Checks {
    final Environment env;
    final Clock clock;
    final List<CheckRun> kept = new ArrayList<>();
    final AtomicInteger runs = new AtomicInteger();
    volatile Function<Instant, List<CheckResult>> next = at -> List.of();
    /** When set, runs complete only when the test completes this. */
    volatile CompletableFuture<Void> gate;
    /** When set, the store cannot keep a run (why), as a full disk. */
    volatile String notKept;

    FakeChecks(Clock clock, List<LocalTime> times, ZoneId zone) {
        Environment e = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
        Environment.Checks c = e.checks();
        this.env = e.withChecks(new Environment.Checks(c.list(), times, c.overnightSince(), c.todayFirstBefore(), Optional.of(zone)));
        this.clock = clock;
    }

    static CheckResult result(String id, CheckSource source, CheckStatus s, String evidence) {
        return new CheckResult(id, id + " check", source, s, evidence, List.of(), source.pane(), Optional.empty(), Duration.ofNanos(5_123_456));
    }

    /** A run kept earlier (yesterday's, last week's). */
    CheckRun keep(Instant at, List<CheckResult> results) {
        CheckRun r = new CheckRun(kept.size() + 1, env.name(), at, "alice", results, Optional.empty());
        kept.add(r);
        return r;
    }

    @Override
    public Environment environment() {
        return env;
    }

    @Override
    public ZoneId zone() {
        return env.checks().zone().orElse(clock.getZone());
    }

    @Override
    public CompletableFuture<CheckRun> run() {
        runs.incrementAndGet();
        Instant at = clock.instant();
        Optional<CheckRun> prev = kept.stream().filter(r -> !r.at().isAfter(at)).max(java.util.Comparator.comparing(CheckRun::at));
        List<CheckResult> rs = new ArrayList<>();
        for (CheckResult r : next.apply(at)) {
            rs.add(r.withPrevious(prev.flatMap(p -> p.check(r.id())).map(CheckResult::status)));
        }
        CheckRun run = new CheckRun(kept.size() + 1, env.name(), at, "tester", rs, prev.map(CheckRun::at));
        kept.add(run);
        CompletableFuture<Void> g = gate;
        return g == null ? CompletableFuture.completedFuture(run) : g.thenApply(v -> run);
    }

    @Override
    public CompletableFuture<io.dutydesk.core.check.CheckService.Outcome> runKept() {
        String why = notKept;
        if (why == null) {
            return run().thenApply(r -> new io.dutydesk.core.check.CheckService.Outcome(r, Optional.empty()));
        }
        int before = kept.size();
        return run().thenApply(r -> {
            kept.subList(before, kept.size()).clear(); // not kept
            return new io.dutydesk.core.check.CheckService.Outcome(r.withId(0), Optional.of(why));
        });
    }

    @Override
    public CompletableFuture<List<CheckRun>> runs(Instant from, Instant to) {
        // as a store gives them back: copies, times in milliseconds (not equal to the run in memory)
        return CompletableFuture.completedFuture(kept.stream().filter(r -> !r.at().isBefore(from) && r.at().isBefore(to))
                .sorted((a, b) -> b.at().compareTo(a.at()))
                .map(r -> new CheckRun(r.id(), r.env(), r.at(), r.actor(), r.checks().stream()
                        .map(c -> new io.dutydesk.core.check.CheckResult(c.id(), c.title(), c.source(), c.status(), c.evidence(),
                                c.details(), c.pane(), c.previous(), Duration.ofMillis(c.took().toMillis()))).toList(), r.previousAt()))
                .toList());
    }
}
