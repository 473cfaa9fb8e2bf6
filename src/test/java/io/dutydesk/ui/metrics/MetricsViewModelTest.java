package io.dutydesk.ui.metrics;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.core.metrics.QueryException;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.metrics.QueryStore;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.chart.TimeRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Metrics pane's view-model on the test thread, against a scripted Prometheus. */
class MetricsViewModelTest {
    static final Instant NOW = Instant.parse("2026-11-22T21:00:00Z");

    /** Answers range queries with one point per step for two series; fails when told to. */
    static final class ScriptedPrometheus implements MetricsPort {
        final List<String> calls = new ArrayList<>();
        final List<Duration> steps = new ArrayList<>();
        final List<TimeRange> ranges = new ArrayList<>();
        RuntimeException fail;
        CompletableFuture<QueryResult> hold;
        Double flat; // every point of a range answer has this value

        public CompletableFuture<QueryResult> instant(String expr, Instant time, Duration timeout) {
            calls.add("instant " + expr);
            if (fail != null) {
                return CompletableFuture.failedFuture(fail);
            }
            return CompletableFuture.completedFuture(new QueryResult("vector", List.of(
                    new MetricSeries(Map.of("__name__", "up", "service", "a"), new long[] {time.toEpochMilli()}, new double[] {1})), List.of(), 0));
        }

        public CompletableFuture<QueryResult> range(String expr, Instant start, Instant end, Duration step, Duration timeout) {
            calls.add("range " + expr);
            steps.add(step);
            ranges.add(new TimeRange(start.toEpochMilli(), end.toEpochMilli()));
            if (hold != null) {
                return hold;
            }
            if (fail != null) {
                return CompletableFuture.failedFuture(fail);
            }
            int n = (int) ((end.toEpochMilli() - start.toEpochMilli()) / step.toMillis()) + 1;
            List<MetricSeries> series = new ArrayList<>();
            for (String svc : List.of("a", "b")) {
                long[] t = new long[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = start.toEpochMilli() + i * step.toMillis();
                    v[i] = flat != null ? flat : i;
                }
                series.add(new MetricSeries(Map.of("service", svc), t, v));
            }
            return CompletableFuture.completedFuture(new QueryResult("matrix", series, List.of(), step.toMillis()));
        }

        /** The label names it knows. */
        volatile List<String> labels = List.of("job", "service", "slot");

        public CompletableFuture<List<String>> labelNames() {
            return CompletableFuture.completedFuture(labels);
        }

        public CompletableFuture<List<String>> labelValues(String label) {
            return CompletableFuture.completedFuture(label.equals("__name__")
                    ? List.of("http_requests_total", "outbox_pending_events", "up") : List.of("blue", "green"));
        }

        public CompletableFuture<Map<String, String>> metadata() {
            return CompletableFuture.completedFuture(Map.of("up", "gauge: target up"));
        }
    }

    static final class MemoryQueries implements QueryStore {
        final List<String> history = new ArrayList<>();
        final List<Saved> saved = new ArrayList<>();

        public CompletableFuture<List<String>> history(String env, int max) {
            return CompletableFuture.completedFuture(List.copyOf(history));
        }

        public CompletableFuture<Void> addHistory(String env, String expr) {
            history.remove(expr);
            history.add(0, expr);
            return CompletableFuture.completedFuture(null);
        }

        public CompletableFuture<List<Saved>> saved(String env) {
            return CompletableFuture.completedFuture(List.copyOf(saved));
        }

        public CompletableFuture<Void> save(String env, String name, String expr) {
            saved.add(new Saved(name, expr));
            return CompletableFuture.completedFuture(null);
        }

        public CompletableFuture<Void> deleteSaved(String env, String name) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Monotonic time the test moves by hand; due tasks run on the test's thread as it moves. */
    static final class FakeTicker implements Ticker {
        private long now = 1_000_000;
        private final java.util.TreeMap<Long, List<Runnable>> due = new java.util.TreeMap<>();

        @Override
        public long millis() {
            return now;
        }

        @Override
        public Runnable schedule(long delayMillis, Runnable task) {
            long at = now + Math.max(0, delayMillis);
            due.computeIfAbsent(at, k -> new ArrayList<>()).add(task);
            return () -> {
                List<Runnable> l = due.get(at);
                if (l != null) {
                    l.remove(task);
                }
            };
        }

        void advance(long ms) {
            long end = now + ms;
            while (!due.isEmpty() && due.firstKey() <= end) {
                var first = due.pollFirstEntry();
                now = first.getKey();
                first.getValue().forEach(Runnable::run);
            }
            now = end;
        }

        int pending() {
            return due.values().stream().mapToInt(List::size).sum();
        }
    }

    ScriptedPrometheus prom;
    MemoryQueries store;
    MemoryAuditLog audit;
    MetricsViewModel vm;
    FakeTicker ticker;

    @BeforeEach
    void setUp() {
        prom = new ScriptedPrometheus();
        store = new MemoryQueries();
        audit = MemoryAuditLog.create();
        Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
        ticker = new FakeTicker();
        vm = new MetricsViewModel(Runnable::run, Clock.fixed(NOW, ZoneOffset.UTC), ticker);
        vm.attach(new MetricsService(env, prom, store, audit, Duration.ofSeconds(5)));
    }

    /** The chart's visible range {@code i} steps of a pan to the past, 1 % of an hour each. */
    static TimeRange panned(int i) {
        return TimeRange.last(Duration.ofHours(1), NOW).shift(-i * 36_000L);
    }

    @Test
    void aBurstOfPanEventsAsksOnceAtOnceAndThenTheLastRange() {
        vm.expressionProperty().set("up");
        vm.run();
        int before = prom.calls.size();
        for (int i = 1; i <= 100; i++) {
            vm.visibleRangeChanged(panned(i)); // a hundred mouse events within one instant
        }
        assertEquals(before + 1, prom.calls.size(), "the first change asks at once, the others wait");
        assertEquals(panned(1), prom.ranges.get(prom.ranges.size() - 1));
        ticker.advance(MetricsViewModel.PAN_INTERVAL - 1);
        assertEquals(before + 1, prom.calls.size(), "nothing more within the interval");
        ticker.advance(1);
        assertEquals(before + 2, prom.calls.size(), "then one query, for the last range");
        assertEquals(panned(100), prom.ranges.get(prom.ranges.size() - 1), "the last wins");
        ticker.advance(10_000);
        assertEquals(before + 2, prom.calls.size(), "and nothing after");
        assertEquals(0, ticker.pending());
    }

    @Test
    void tenSecondsOfContinuousPanningAt60HzAskAtMostFourTimesASecond() {
        vm.expressionProperty().set("up");
        vm.run();
        int before = prom.calls.size();
        for (int i = 1; i <= 600; i++) {
            vm.visibleRangeChanged(panned(i));
            ticker.advance(1000 / 60);
        }
        int asked = prom.calls.size() - before;
        long elapsed = 600 * (1000 / 60);
        assertTrue(asked <= elapsed / MetricsViewModel.PAN_INTERVAL + 1, asked + " queries in " + elapsed + " ms");
        assertTrue(asked >= elapsed / MetricsViewModel.PAN_INTERVAL - 1, "but the chart follows while it moves: " + asked);
        ticker.advance(MetricsViewModel.PAN_INTERVAL);
        assertEquals(panned(600), prom.ranges.get(prom.ranges.size() - 1), "the range the pan stopped at is asked");
    }

    @Test
    void theEndOfAGestureAsksItsFinalRangeAtOnceAndNothingAfter() {
        vm.expressionProperty().set("up");
        vm.run();
        int before = prom.calls.size();
        for (int i = 1; i <= 30; i++) {
            vm.visibleRangeChanged(panned(i));
        }
        ticker.advance(40); // released 40 ms later: the throttle would wait another 210 ms
        vm.gestureEnded(panned(30));
        assertEquals(before + 2, prom.calls.size(), "the first change, then the release at once");
        assertEquals(panned(30), prom.ranges.get(prom.ranges.size() - 1));
        ticker.advance(10_000);
        assertEquals(before + 2, prom.calls.size(), "the waiting change is dropped: its range was just asked");
        vm.gestureEnded(panned(30));
        assertEquals(before + 2, prom.calls.size(), "a release on the range just asked asks nothing");
        vm.visibleRangeChanged(panned(31));
        vm.gestureEnded(panned(32)); // within the interval of the last ask: the end asks all the same
        assertEquals(panned(32), prom.ranges.get(prom.ranges.size() - 1));
    }

    @Test
    void cancelAlsoDropsThePansQueryStillToCome() {
        vm.expressionProperty().set("up");
        vm.run();
        prom.hold = new CompletableFuture<>(); // Prometheus is slow
        int before = prom.calls.size();
        for (int i = 1; i <= 10; i++) {
            vm.visibleRangeChanged(panned(i));
        }
        assertEquals(before + 1, prom.calls.size());
        vm.cancel();
        assertTrue(prom.hold.isCancelled());
        ticker.advance(10_000);
        assertEquals(before + 1, prom.calls.size(), "nothing asked after the user cancelled");
        assertEquals("Cancelled.", vm.statusProperty().get());
    }

    @Test
    void markersOfTheEnvironmentLeftNeverLandOnTheNextOne() {
        // environment A's audit answers late (its markers are on their way while the user switches)
        CompletableFuture<List<AuditEntry>> late = new CompletableFuture<>();
        io.dutydesk.core.audit.AuditLog slow = new io.dutydesk.core.audit.AuditLog() {
            @Override
            public CompletableFuture<Void> append(AuditEntry entry) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<List<AuditEntry>> recent(int max) {
                return late;
            }

            @Override
            public CompletableFuture<List<AuditEntry>> indexed() {
                return late;
            }
        };
        Map<String, Environment> envs = TestEnvironments.fastPolling(Duration.ofSeconds(1));
        vm.detach();
        vm.attach(new MetricsService(envs.get("ref"), prom, store, slow, Duration.ofSeconds(5)));
        vm.expressionProperty().set("up");
        vm.run();
        assertEquals(2, vm.data().snapshot().series().size());
        // switched to B, which has one deploy of its own
        MemoryAuditLog other = MemoryAuditLog.create();
        other.append(new AuditEntry("b1", "ops@desk", "prod", "deploy", List.of("v9"), NOW.minusSeconds(120), NOW.minusSeconds(110), 0,
                "x", "succeeded", "blue", "blue", "")).join();
        vm.detach();
        vm.attach(new MetricsService(envs.get("prod"), prom, store, other, Duration.ofSeconds(5)));
        vm.run();
        assertEquals(List.of("deploy v9"), vm.data().snapshot().markers().stream().map(io.dutydesk.ui.chart.Marker::label).toList());
        late.complete(List.of(new AuditEntry("a1", "ops@desk", "ref", "rollback", List.of(), NOW.minusSeconds(300),
                NOW.minusSeconds(290), 0, "x", "succeeded", "green", "blue", "")));
        assertEquals(List.of("deploy v9"), vm.data().snapshot().markers().stream().map(io.dutydesk.ui.chart.Marker::label).toList(),
                "A's rollback, answered after the switch, is not drawn on B's chart");
    }

    /**
     * A query's markers never wait on the FX thread for the audit log's index lock (held by its read thread over the
     * index's reads, and by the watch): neither the first, which starts the log's watch and reads the log, nor a pan's with
     * the index current; they come back in one hop. The markers asked {@code indexed()} on the FX thread, which took that
     * lock there (and started the watch under it: the folder made, inotify registered).
     */
    @Test
    void markersNeverWaitOnTheFxThreadForTheAuditLogsLock(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        io.dutydesk.testing.UiQueue fx = new io.dutydesk.testing.UiQueue();
        try (io.dutydesk.adapters.audit.JsonlAuditLog log = new io.dutydesk.adapters.audit.JsonlAuditLog(dir.resolve("state/audit.jsonl"))) {
            log.append(new AuditEntry("1", "ops@desk", "ref", "rollback", List.of(), NOW.minusSeconds(600), NOW.minusSeconds(590), 0,
                    "x", "succeeded", "green", "blue", "")).join();
            MetricsViewModel vm = new MetricsViewModel(fx, Clock.fixed(NOW, ZoneOffset.UTC), ticker);
            Object indexLock = io.dutydesk.testing.MonitorHeld.field(log, "indexLock");
            int before = prom.calls.size();
            boolean waited = io.dutydesk.testing.MonitorHeld.waitedFor(indexLock, () -> {
                vm.attach(new MetricsService(TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref"), prom, store, log,
                        Duration.ofSeconds(5)));
                fx.drain(); // the first saved query fills the editor and is plotted at once: the first markers asked
            });
            org.junit.jupiter.api.Assertions.assertFalse(waited, "the first query's markers waited on the FX thread for the index lock");
            assertEquals(before + 1, prom.calls.size(), "the first query ran");
            fx.await("the marker drawn", Duration.ofSeconds(10), () -> vm.data().snapshot().markers().size() == 1);
            vm.expressionProperty().set("up");

            waited = io.dutydesk.testing.MonitorHeld.waitedFor(indexLock, () -> vm.visibleRangeChanged(panned(1)));
            org.junit.jupiter.api.Assertions.assertFalse(waited, "a pan's markers waited on the FX thread for the index lock");
            fx.await("the pan's query answered", Duration.ofSeconds(10), () -> prom.ranges.get(prom.ranges.size() - 1).equals(panned(1))
                    && vm.data().snapshot().markers().size() == 1);
        }
    }

    @Test
    void savedQueriesComeFromTheEnvironmentsFileAndTheFirstFillsTheEditor() {
        List<String> names = vm.saved().stream().map(Map.Entry::getKey).toList();
        assertEquals(List.of("error rate", "p95 latency", "outbox backlog", "request rate", "targets up"), names);
        assertTrue(vm.expressionProperty().get().contains("http_requests_total"));
        assertEquals(1, prom.calls.size(), "and it is plotted at once");
        vm.expressionProperty().set("up");
        vm.save("mine");
        assertTrue(vm.saved().stream().anyMatch(e -> e.getKey().equals("mine") && e.getValue().equals("up")));
    }

    @Test
    void anAnswerWhoseEveryValueIsTheSameSaysItInWordsForItsLinesLieOnTheAxis() {
        prom.flat = 0.0;
        vm.expressionProperty().set("sum by (service) (rate(http_requests_total{status=~\"5..\"}[5m]))");
        vm.run();
        assertTrue(vm.statusProperty().get().startsWith("2 series"), vm.statusProperty().get());
        assertTrue(vm.statusProperty().get().endsWith(" ms · every value is 0"), vm.statusProperty().get());
        prom.flat = null; // values that differ: nothing said
        vm.run();
        assertTrue(!vm.statusProperty().get().contains("every value"), vm.statusProperty().get());
        assertEquals("0.25", MetricsViewModel.sameValue(List.of(new MetricSeries(Map.of(), new long[] {1, 2}, new double[] {0.25, 0.25}))));
        assertEquals("1", MetricsViewModel.sameValue(List.of(new MetricSeries(Map.of(), new long[] {1}, new double[] {1}))));
        assertNull(MetricsViewModel.sameValue(List.of(new MetricSeries(Map.of(), new long[] {1, 2}, new double[] {0, Double.NaN}))));
        assertNull(MetricsViewModel.sameValue(List.of()));
    }

    @Test
    void aRangeQueryFillsTheChartWithAStepFromItsWidthAndIsRemembered() {
        vm.plotWidthProperty().set(1200);
        vm.rangeProperty().set(Duration.ofHours(1));
        vm.expressionProperty().set("rate(http_requests_total[5m])");
        vm.run();
        assertEquals(Duration.ofSeconds(5), prom.steps.get(prom.steps.size() - 1), "3600 s over 1200 px: 3 s, rounded up to 5 s");
        assertEquals(2, vm.data().snapshot().series().size());
        assertEquals(721, vm.data().snapshot().series().get(0).size());
        assertEquals(TimeRange.last(Duration.ofHours(1), NOW), vm.homeProperty().get());
        assertNull(vm.errorProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("2 series"), vm.statusProperty().get());
        assertEquals("rate(http_requests_total[5m])", vm.history().get(0));
    }

    @Test
    void sevenDaysOnAHugeWidthNeverAsksForMoreThan11000Points() {
        vm.plotWidthProperty().set(50_000);
        vm.rangeProperty().set(Duration.ofDays(7));
        vm.expressionProperty().set("up");
        vm.run();
        Duration step = prom.steps.get(prom.steps.size() - 1);
        assertTrue(MetricsService.pointsFor(Duration.ofDays(7), step) <= 11_000, prom.steps.toString());
    }

    @Test
    void zoomingReQueriesAtAFinerStep() {
        vm.plotWidthProperty().set(1000);
        vm.rangeProperty().set(Duration.ofHours(24));
        vm.expressionProperty().set("up");
        vm.run();
        int before = prom.calls.size();
        Duration coarse = prom.steps.get(before - 1);
        vm.visibleRangeChanged(TimeRange.last(Duration.ofHours(1), NOW));
        Duration fine = prom.steps.get(before);
        assertTrue(fine.compareTo(coarse) < 0, coarse + " -> " + fine);
        assertEquals(before + 1, prom.calls.size());
    }

    /**
     * The window trial: with Prometheus (or the SSH it is read through) down, the Metrics pane showed its last chart under
     * "8 series · 721 points each at most · step 5s · 65 ms", nothing saying it was not as of now — only the navigation's
     * "?". The status says who is down and when the chart was read, never that of another environment's health, and is
     * the result's own again once they answer.
     */
    @Test
    void aResultShownWhilePrometheusIsDownSaysSoAndWhenItWasRead() {
        vm.expressionProperty().set("up");
        vm.run();
        String fresh = vm.statusProperty().get();
        assertTrue(fresh.startsWith("2 series"), fresh);
        assertEquals("", vm.staleProperty().get());
        vm.health(health("prod", 3, io.dutydesk.core.Backend.PROMETHEUS));
        assertEquals("", vm.staleProperty().get(), "another environment's health is not this pane's");
        vm.health(health("ref", 4, io.dutydesk.core.Backend.PROMETHEUS));
        String down = vm.staleProperty().get();
        assertTrue(down.startsWith("Prometheus down; last answer at "), down);
        assertTrue(down.endsWith(" — what is shown was read at 21:00:00, not since"), down);
        assertEquals(fresh, vm.statusProperty().get(), "the query's own status kept");
        vm.health(health("ref", 5, io.dutydesk.core.Backend.SSH));
        assertTrue(vm.staleProperty().get().startsWith("SSH down; last answer at "), vm.staleProperty().get());
        vm.health(health("ref", 6));
        assertEquals("", vm.staleProperty().get(), "back: as of its read again");
    }

    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.Backend... down) {
        java.util.Map<io.dutydesk.core.Backend, io.dutydesk.core.health.BackendStatus> m = new java.util.EnumMap<>(io.dutydesk.core.Backend.class);
        for (io.dutydesk.core.Backend b : io.dutydesk.core.Backend.values()) {
            m.put(b, List.of(down).contains(b)
                    ? new io.dutydesk.core.health.BackendStatus(b, io.dutydesk.core.health.BackendStatus.State.DOWN, -1, "connection refused",
                    NOW, NOW.minusSeconds(55), NOW)
                    : new io.dutydesk.core.health.BackendStatus(b, io.dutydesk.core.health.BackendStatus.State.OK, 3, null, NOW, null, NOW));
        }
        return new io.dutydesk.core.health.HealthSnapshot(env, seq, NOW, m);
    }

    @Test
    void aRejectedQueryShowsPrometheussMessageAndKeepsThePreviousResult() {
        vm.expressionProperty().set("up");
        vm.run();
        assertEquals(2, vm.data().snapshot().series().size());
        prom.fail = new QueryException("bad_data", "invalid parameter \"query\": 1:18: parse error: unexpected <by> in aggregation", 400);
        vm.expressionProperty().set("sum(rate(up[5m]) by (job");
        vm.run();
        MetricsViewModel.QueryError e = vm.errorProperty().get();
        assertNotNull(e);
        assertTrue(e.fromPrometheus());
        assertTrue(e.message().contains("parse error: unexpected <by>"));
        assertEquals(1, e.line());
        assertEquals(18, e.column());
        assertEquals(2, vm.data().snapshot().series().size(), "one query's failure never blanks the pane");
        prom.fail = new RuntimeException("Prometheus 127.0.0.1:9090 does not answer");
        vm.run();
        assertTrue(vm.errorProperty().get().message().contains("did not answer"));
        assertEquals(2, vm.data().snapshot().series().size());
    }

    @Test
    void aSlowQueryIsCancellable() {
        prom.hold = new CompletableFuture<>();
        vm.expressionProperty().set("up");
        vm.run();
        assertTrue(vm.runningProperty().get());
        vm.cancel();
        assertTrue(prom.hold.isCancelled(), "the request is aborted");
        assertTrue(!vm.runningProperty().get());
        assertEquals("Cancelled.", vm.statusProperty().get());
    }

    @Test
    void anInstantQueryIsATable() {
        vm.instantProperty().set(true);
        vm.expressionProperty().set("up");
        vm.run();
        assertEquals(1, vm.rows().size());
        assertEquals("up{service=\"a\"}", vm.rows().get(0).series());
        assertEquals("1", vm.rows().get(0).value());
    }

    @Test
    void theConsolesActionsOnThisEnvironmentAreMarkers() {
        audit.append(new AuditEntry("1", "ops@desk", "ref", "rollback", List.of(), NOW.minusSeconds(600), NOW.minusSeconds(590), 0,
                "x", "succeeded", "green", "blue", "")).join();
        audit.append(new AuditEntry("2", "ops@desk", "prod", "deploy", List.of("v2"), NOW.minusSeconds(600), NOW.minusSeconds(590), 0,
                "x", "succeeded", "blue", "blue", "")).join();
        vm.expressionProperty().set("up");
        vm.run();
        var markers = vm.data().snapshot().markers();
        assertEquals(1, markers.size());
        assertEquals("rollback", markers.get(0).label());
        assertTrue(markers.get(0).detail().contains("ops@desk: rollback, green → blue, exit 0"), markers.get(0).detail());
    }

    @Test
    void anActionIsOneMarkerInTheColourOfItsEndAndATimeArgumentReadsAsATime() {
        // the rollout writes "started" first and the completion as a second entry with the same id
        audit.append(new AuditEntry("7", "ops@desk", "ref", "switch", List.of(), NOW.minusSeconds(300), null, null,
                null, "started", "green", null, "")).join();
        audit.append(new AuditEntry("7", "ops@desk", "ref", "switch", List.of(), NOW.minusSeconds(300), NOW.minusSeconds(290), 0,
                "x", "succeeded", "green", "blue", "")).join();
        audit.append(new AuditEntry("8", "ops@desk", "ref", "deploy", List.of("v3"), NOW.minusSeconds(100), null, null,
                null, "started", "blue", null, "")).join();
        List<String> silenceArgs = new io.dutydesk.core.alerts.SilenceRequest(List.of(io.dutydesk.core.alerts.Matcher.eq("alertname", "HighErrorRate")),
                NOW, java.time.Instant.parse("2026-11-22T21:51:53.485298097Z"), "ops@desk", "x").auditArgs(); // as the alerts pane writes them
        audit.append(new AuditEntry("9", "ops@desk", "ref", "silence", silenceArgs,
                NOW.minusSeconds(50), NOW.minusSeconds(50), 0, "x", "succeeded", null, null, "")).join();
        vm.expressionProperty().set("up");
        vm.run();
        var markers = vm.data().snapshot().markers();
        assertEquals(List.of("switch", "deploy v3", "silence alertname=\"HighErrorRate\" until "), markers.stream()
                .map(m -> m.label().replaceAll("until .*", "until ")).toList(), "one marker per action, not one per entry");
        assertEquals(javafx.scene.paint.Color.web("#8250df"), markers.get(0).color(), "succeeded");
        assertEquals(javafx.scene.paint.Color.web("#bf8700"), markers.get(1).color(),
                "started, not running in this console (killed): unknown in amber, neither running nor a failure");
        assertTrue(markers.get(1).detail().contains("(unknown)"), markers.get(1).detail());
        assertTrue(markers.get(2).label().matches("silence alertname=\"HighErrorRate\" until Nov 2\\d \\d\\d:\\d\\d comment: x"),
                markers.get(2).label());
    }

    @Test
    void completionOffersFunctionsMetricsLabelsAndValues() {
        assertTrue(vm.completions("ra", 2).contains("rate"));
        assertTrue(vm.completions("outbox", 6).contains("outbox_pending_events"));
        assertTrue(vm.completions("up{sl", 5).contains("slot"));
        vm.loadLabelValues("slot");
        String t = "up{slot=\"gr";
        assertEquals(List.of("green"), vm.completions(t, t.length()));
        assertEquals(t.indexOf('"') + 1, MetricsViewModel.wordStart(t, t.length()));
    }
}
