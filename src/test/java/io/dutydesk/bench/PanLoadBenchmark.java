package io.dutydesk.bench;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.adapters.ssh.SshConnection;
import io.dutydesk.app.Connector;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.metrics.QueryStore;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.ui.chart.TimeRange;
import io.dutydesk.ui.metrics.MetricsViewModel;
import io.dutydesk.ui.metrics.Ticker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on one SSH connection while the user pans the Metrics chart without stopping: mouse events at
 * 60 Hz, a release every 2 s, for {@code seconds}; meanwhile every backend is pinged at the poll
 * interval (as the health monitor does) and a rollback's audit entries are written every 2 s. Three
 * phases in one run, each on a fresh connection and the same audit log (3,000 entries to start):
 * <ol>
 *   <li><b>idle</b>: pings and audit writes only (the floor);</li>
 *   <li><b>every event</b>: what the pane did before — each mouse event cancels the query in flight,
 *   asks a new one, and reads the whole audit log for the markers, on the one thread that also
 *   writes the entries (the log's threading before, emulated: one thread, 256 waiting at most);</li>
 *   <li><b>console</b>: the Metrics view-model as the window drives it (throttled to 4 queries a second,
 *   the release asks at once; markers from the log's in-memory index).</li>
 * </ol>
 * Prints per phase: queries asked, channels opened, the most open at once, channels open at the end,
 * pings failed (goal 0), the audit log's whole reads, and the longest delay of a rollback's audit write;
 * then the ratios console / every event and console / idle.
 *
 * <pre>
 *   src/refhost/refhost up && mvn -q -DskipTests package test-compile
 *   java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.PanLoadBenchmark [seconds] [config]
 * </pre>
 * Run under the IT lock (it uses the reference host): {@code flock /tmp/dutydesk-it.lock …}.
 */
public final class PanLoadBenchmark {
    static final int HZ = 60;
    static final long GESTURE_MS = 2_000;

    record Result(String name, long queries, SshConnection.ChannelStats channels, int openAtEnd, Map<String, Integer> pingsFailed,
                  int pings, long fullReads, List<Long> auditWritesMicros, long answered) {
        long auditMaxMicros() {
            return auditWritesMicros.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        long auditMedianMicros() {
            List<Long> s = new ArrayList<>(auditWritesMicros);
            Collections.sort(s);
            return s.isEmpty() ? 0 : s.get(s.size() / 2);
        }

        int failed() {
            return pingsFailed.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path config = Path.of(args.length > 1 ? args[1] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        Environment env = EnvironmentsFile.load(config).require("ref");
        String expr = env.metrics().queries().values().stream().findFirst().orElse("up");
        Path dir = Files.createTempDirectory("dutydesk-panload");
        Path auditFile = dir.resolve("audit.jsonl");
        try (JsonlAuditLog seed = new JsonlAuditLog(auditFile)) {
            Instant t = Instant.now().minus(Duration.ofDays(6));
            List<CompletableFuture<Void>> w = new ArrayList<>();
            for (int i = 0; i < 3000; i++) { // a log of some months: most actions of other environments
                Instant at = t.plusSeconds(170L * i);
                if (w.size() == 200) {
                    w.forEach(CompletableFuture::join);
                    w.clear();
                }
                w.add(seed.append(new AuditEntry(String.format("seed-%06d", i), "ops@desk", i % 5 == 0 ? "ref" : "prod",
                        i % 3 == 0 ? "deploy" : "switch", List.of("v" + i), at, at.plusSeconds(20), 0, "x", "succeeded", "blue",
                        "green", "seeded")));
            }
            w.forEach(CompletableFuture::join);
        }
        System.out.println("Pan load: " + seconds + " s per phase, mouse events at " + HZ + " Hz, a release every "
                + GESTURE_MS / 1000 + " s, query: " + expr);
        int idleSeconds = (int) Math.max(seconds / 3, 2 * env.poll().interval().toSeconds() + 1);
        Result idle = phase("idle", env, auditFile, expr, idleSeconds, Mode.IDLE);
        Result every = phase("every event", env, auditFile, expr, seconds, Mode.EVERY_EVENT);
        Result console = phase("console", env, auditFile, expr, seconds, Mode.CONSOLE);
        System.out.println();
        System.out.printf("%-12s %8s %9s %8s %9s %7s %11s %11s %14s %14s%n", "phase", "queries", "answered", "channels",
                "most open", "at end", "pings fail", "audit reads", "audit write p50", "audit write max");
        for (Result r : List.of(idle, every, console)) {
            System.out.printf("%-12s %8d %9d %8d %9d %7d %6d/%-4d %11d %12.1f ms %12.1f ms   %s%n", r.name, r.queries, r.answered,
                    r.channels.opened(), r.channels.most(), r.openAtEnd, r.failed(), r.pings, r.fullReads,
                    r.auditMedianMicros() / 1000.0, r.auditMaxMicros() / 1000.0, r.pingsFailed);
        }
        System.out.println();
        System.out.printf("ratio console / every event: queries %.3f, channels opened %.3f, most open at once %.2f, audit reads %.4f,"
                        + " longest audit write %.4f%n",
                ratio(console.queries, every.queries), ratio(console.channels.opened(), every.channels.opened()),
                ratio(console.channels.most(), every.channels.most()), ratio(console.fullReads, every.fullReads),
                ratio(console.auditMaxMicros(), every.auditMaxMicros()));
        System.out.printf("ratio console / idle: longest audit write %.2f (%.1f ms vs %.1f ms), pings failed %d vs %d (goal 0)%n",
                ratio(console.auditMaxMicros(), idle.auditMaxMicros()), console.auditMaxMicros() / 1000.0,
                idle.auditMaxMicros() / 1000.0, console.failed(), idle.failed());
        System.exit(0);
    }

    static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    enum Mode { IDLE, EVERY_EVENT, CONSOLE }

    static Result phase(String name, Environment env, Path auditFile, String expr, int seconds, Mode mode) throws Exception {
        System.out.println("-- " + name + " (" + seconds + " s)");
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(3);
        ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-ui")); // the FX thread's stand-in
        Map<String, Integer> failed = new TreeMap<>();
        AtomicInteger pings = new AtomicInteger();
        List<Long> writes = Collections.synchronizedList(new ArrayList<>());
        AtomicLong queries = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicInteger writesRefused = new AtomicInteger();
        try (JsonlAuditLog log = new JsonlAuditLog(auditFile);
             Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            MetricsPort counting = counting(h.metrics(), queries, answered);
            io.dutydesk.core.audit.AuditLog audit = mode == Mode.EVERY_EVENT ? oneThread(log) : log;
            MetricsService svc = new MetricsService(env, counting, QueryStore.NONE, audit, Duration.ofSeconds(20));
            for (BackendProbe p : h.probes()) {
                p.ping().get(60, TimeUnit.SECONDS); // all up and connected before the clock starts
            }
            log.recent(1).get(); // the file in the page cache for every phase alike
            long readsBefore = log.fullReads();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            // the health monitor: every backend at the poll interval, each with the poll timeout
            Duration interval = env.poll().interval();
            long timeout = env.poll().timeout().toMillis();
            timers.scheduleAtFixedRate(() -> {
                if (System.nanoTime() > end) {
                    return;
                }
                for (BackendProbe p : h.probes()) {
                    pings.incrementAndGet();
                    p.ping().orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
                        if (e != null) {
                            synchronized (failed) {
                                failed.merge(p.backend().id(), 1, Integer::sum);
                            }
                        }
                    });
                }
            }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            // a rollback every 2 s: its "started" entry, which must be written before it may run
            AtomicInteger n = new AtomicInteger();
            timers.scheduleAtFixedRate(() -> {
                if (System.nanoTime() > end) {
                    return;
                }
                Instant now = Instant.now();
                String id = String.format("bench-%s-%04d", mode.name().toLowerCase(), n.incrementAndGet());
                long t0 = System.nanoTime();
                try {
                    audit.append(new AuditEntry(id, "bench@desk", "ref", "rollback", List.of(), now, null, null, null, "started",
                            "blue", null, "")).join();
                } catch (RuntimeException refused) {
                    writesRefused.incrementAndGet(); // the rollback could not start
                    return;
                } finally {
                    writes.add((System.nanoTime() - t0) / 1000);
                }
                audit.append(new AuditEntry(id, "bench@desk", "ref", "rollback", List.of(), now, Instant.now(), 0, "x",
                        "succeeded", "blue", "green", "")).join();
            }, 500, 2_000, TimeUnit.MILLISECONDS);

            TimeRange home = TimeRange.last(Duration.ofHours(1), Instant.now());
            MetricsViewModel vm = new MetricsViewModel(ui, Clock.systemUTC(), Ticker.SYSTEM);
            if (mode == Mode.CONSOLE) {
                ui.submit(() -> {
                    vm.expressionProperty().set(expr);
                    vm.attach(svc);
                    vm.run();
                }).get();
            }
            CompletableFuture<?>[] inFlight = new CompletableFuture<?>[1];
            long t0 = System.nanoTime();
            long event = 0;
            while (System.nanoTime() < end) {
                long due = t0 + event * 1_000_000_000L / HZ;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                // back and forth over the last 6 hours, 1 % of the span per event
                double phase = (event % (HZ * 20)) / (double) (HZ * 20);
                long shift = Math.round(-Math.abs(Math.sin(Math.PI * phase)) * Duration.ofHours(5).toMillis());
                TimeRange r = home.shift(shift - (event % 2));
                boolean release = ms / GESTURE_MS != (ms + 1000 / HZ) / GESTURE_MS;
                switch (mode) {
                    case IDLE -> { }
                    case EVERY_EVENT -> {
                        if (inFlight[0] != null) {
                            inFlight[0].cancel(true);
                        }
                        Duration step = MetricsService.stepFor(Duration.ofMillis(r.spanMillis()), 1000, Duration.ZERO);
                        inFlight[0] = svc.range(expr, r.from(), r.to(), step);
                        audit.recent(2000); // the markers, as the pane read them: the whole log per event
                    }
                    case CONSOLE -> ui.execute(() -> {
                        vm.visibleRangeChanged(r);
                        if (release) {
                            vm.gestureEnded(r);
                        }
                    });
                }
                event++;
            }
            if (inFlight[0] != null) {
                inFlight[0].cancel(true);
            }
            if (mode == Mode.CONSOLE) {
                ui.submit(vm::detach).get();
            }
            timers.shutdown();
            timers.awaitTermination(30, TimeUnit.SECONDS);
            Thread.sleep(1_000); // the last pings answer; cancelled channels close
            SshConnection.ChannelStats stats = h.ssh().channelStats();
            long reads = log.fullReads() - readsBefore;
            Result r = new Result(name, queries.get(), stats, stats.open(), new TreeMap<>(failed), pings.get(), reads,
                    new ArrayList<>(writes), answered.get());
            System.out.println("   " + stats + ", pings failed " + failed + " of " + pings.get() + ", audit writes " + writes.size()
                    + (writesRefused.get() > 0 ? " (" + writesRefused.get() + " refused: the rollback could not start)" : ""));
            return r;
        } finally {
            timers.shutdownNow();
            ui.shutdownNow();
        }
    }

    /** The log as it was threaded before: reads and appends on one thread, 256 waiting at most. */
    static io.dutydesk.core.audit.AuditLog oneThread(JsonlAuditLog log) {
        ExecutorService one = io.dutydesk.adapters.support.BoundedExecutors.create("audit-as-before", 1, 256);
        return new io.dutydesk.core.audit.AuditLog() {
            @Override
            public CompletableFuture<Void> append(AuditEntry entry) {
                return io.dutydesk.adapters.support.BoundedExecutors.supply(one, () -> log.append(entry).join());
            }

            @Override
            public CompletableFuture<List<AuditEntry>> recent(int max) {
                return io.dutydesk.adapters.support.BoundedExecutors.supply(one, () -> log.recent(max).join());
            }
        };
    }

    /** The adapter, counting range queries asked and answered. */
    static MetricsPort counting(MetricsPort p, AtomicLong asked, AtomicLong answered) {
        return new MetricsPort() {
            @Override
            public CompletableFuture<QueryResult> instant(String expr, Instant time, Duration timeout) {
                return p.instant(expr, time, timeout);
            }

            @Override
            public CompletableFuture<QueryResult> range(String expr, Instant start, Instant end, Duration step, Duration timeout) {
                asked.incrementAndGet();
                CompletableFuture<QueryResult> f = p.range(expr, start, end, step, timeout);
                f.thenRun(answered::incrementAndGet);
                return f;
            }

            @Override
            public CompletableFuture<List<String>> labelNames() {
                return p.labelNames();
            }

            @Override
            public CompletableFuture<List<String>> labelValues(String label) {
                return p.labelValues(label);
            }

            @Override
            public CompletableFuture<Map<String, String>> metadata() {
                return p.metadata();
            }
        };
    }
}
