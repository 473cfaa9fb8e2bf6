package io.dutydesk.core.check;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.ports.CheckHistory;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.SlotsReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service around the rules: every check at once, a hanging or failing source UNKNOWN without stopping the others,
 * the previous run's statuses, logs since the previous run, the run kept.
 */
class CheckServiceTest {
    static final Instant NOW = Instant.parse("2026-03-10T08:00:00Z");

    static Environment env() {
        return EnvironmentsFile.parse(Path.of("c.yaml"), """
                environments:
                  ref:
                    ssh: { host: h }
                    slots: { services: [api, worker] }
                    checks:
                      slots:
                      outbox:
                      error-rate: { kind: prometheus, query: 'rate(x[5m])', max: 0.01, percent: true, timeoutSeconds: 1 }
                      logs: { pattern: 'ERROR' }
                      disk: { paths: { backups: /srv/backups, database: /var/lib/postgresql } }
                    checkSchedule: { overnightSince: "18:00", timeZone: UTC }
                """).require("ref");
    }

    /** Docker: both slots healthy; each container's log holds {@code lines}; records the time asked for. */
    static final class Containers implements ContainersPort {
        final List<Instant> since = new CopyOnWriteArrayList<>();
        volatile List<String> lines = List.of("GET /health 200", "ERROR db timeout", "ok");
        volatile String down;

        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            if (down != null) {
                return CompletableFuture.failedFuture(new java.io.IOException(down));
            }
            List<ContainerInfo> out = new ArrayList<>();
            for (String slot : List.of("blue", "green")) {
                for (String s : List.of("api", "worker")) {
                    out.add(new ContainerInfo(s + slot, "selfology-" + s + "-" + slot, "selfology/" + s + ":v1", "running", "healthy", NOW, 0, Map.of()));
                }
            }
            return CompletableFuture.completedFuture(out);
        }

        @Override
        public CompletableFuture<LogStream> logs(String container, int tail, boolean follow, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<LogStream> logsSince(String container, Instant s, int tail, RemoteShell.OutputListener l) {
            since.add(s);
            lines.forEach(x -> l.line(false, x));
            return CompletableFuture.completedFuture(new LogStream(() -> { }, CompletableFuture.completedFuture(null)));
        }

        @Override
        public CompletableFuture<Void> restart(String container, Duration stopTimeout) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    }

    /** The server: the live slot from the status command, df for the disk script. */
    static final class Shell implements RemoteShell {
        final List<String> commands = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
            commands.add(command);
            String out = command.contains("@@DISK") ? "@@DISK 0 500 1000 /srv/backups\n@@DISK 1 50 1000 /var/lib\n" : "Active Slot:   blue\n";
            return CompletableFuture.completedFuture(new ExecResult(0, out, "", Duration.ZERO));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    }

    /** Prometheus that never answers. */
    static final class Hanging implements MetricsPort {
        @Override
        public CompletableFuture<QueryResult> instant(String expr, Instant time, Duration timeout) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<QueryResult> range(String expr, Instant start, Instant end, Duration step, Duration timeout) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<List<String>> labelNames() {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<List<String>> labelValues(String label) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Map<String, String>> metadata() {
            return new CompletableFuture<>();
        }
    }

    /** The store in memory. */
    static class MemoryHistory implements CheckHistory {
        final List<CheckRun> runs = new CopyOnWriteArrayList<>();
        /** Why saving fails (a full disk); null: it keeps the run. */
        volatile String full;

        @Override
        public CompletableFuture<Long> save(CheckRun run) {
            if (full != null) {
                return CompletableFuture.failedFuture(new java.sql.SQLException(full));
            }
            runs.add(run.withId(runs.size() + 1));
            return CompletableFuture.completedFuture((long) runs.size());
        }

        @Override
        public CompletableFuture<Optional<CheckRun>> latestAtOrBefore(String env, Instant at) {
            return CompletableFuture.completedFuture(runs.stream().filter(r -> r.env().equals(env) && !r.at().isAfter(at))
                    .max(Comparator.comparing(CheckRun::at)));
        }

        @Override
        public CompletableFuture<List<CheckRun>> between(String env, Instant from, Instant to) {
            return CompletableFuture.completedFuture(runs.stream().filter(r -> !r.at().isBefore(from) && r.at().isBefore(to)).toList());
        }

        @Override
        public CompletableFuture<Integer> prune(Instant before) {
            return CompletableFuture.completedFuture(0);
        }
    }

    long pending = 12;
    /** Why the relay stream (Redis) cannot be read; null: it answers. */
    String streamDown;

    CheckService service(Environment e, Containers c, MemoryHistory h, Instant at) {
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        Shell shell = new Shell();
        String down = streamDown;
        OutboxService outbox = new OutboxService(e, () -> CompletableFuture.completedFuture(
                new OutboxBacklog(at, pending, 0, 0, 100L, 40L, List.of(), true, "")),
                () -> down != null ? CompletableFuture.failedFuture(new java.io.IOException(down))
                        : CompletableFuture.completedFuture(new io.dutydesk.core.outbox.StreamInfo(at, "events", 40, List.of(), List.of())),
                clock);
        CheckService.Sources s = new CheckService.Sources(new SlotsReader(e, c, shell, clock), outbox, null, null, new Hanging(), c, shell);
        return new CheckService(e, s, h, "alice", clock);
    }

    @Test
    void aHangingSourceIsUnknownAfterItsTimeoutAndTheOthersStillRun() throws Exception {
        Containers c = new Containers();
        MemoryHistory h = new MemoryHistory();
        long t0 = System.nanoTime();
        CheckRun run = service(env(), c, h, NOW).run().get(20, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "bounded by the 1 s timeout, not the hang");
        assertEquals(List.of("slots", "outbox", "error-rate", "logs", "disk"), run.checks().stream().map(CheckResult::id).toList());
        Map<String, CheckResult> by = new java.util.HashMap<>();
        run.checks().forEach(r -> by.put(r.id(), r));
        assertEquals(CheckStatus.PASS, by.get("slots").status(), by.get("slots").evidence());
        assertEquals("pending 12 < 100, oldest 40 s", by.get("outbox").evidence());
        assertEquals(CheckStatus.UNKNOWN, by.get("error-rate").status());
        assertEquals("prometheus not read: no answer within 1 s", by.get("error-rate").evidence());
        assertEquals("metrics", by.get("error-rate").pane());
        assertEquals(CheckStatus.WARN, by.get("logs").status());
        assertTrue(by.get("logs").evidence().startsWith("2 error lines in blue since 18:00"), by.get("logs").evidence());
        assertEquals(CheckStatus.FAIL, by.get("disk").status(), by.get("disk").evidence());
        assertTrue(by.get("disk").evidence().startsWith("backups 50 % free ≥ 20 %"), by.get("disk").evidence());
        assertEquals("alice", run.actor());
        assertEquals(Optional.empty(), run.previousAt());
        assertTrue(run.checks().stream().noneMatch(CheckResult::changed), "nothing to compare with");
        assertEquals(1, h.runs.size(), "kept");
        // no previous run: logs since the overnight hour
        assertEquals(Instant.parse("2026-03-09T18:00:00Z"), c.since.get(0));
    }

    @Test
    void aFailingSourceIsUnknownWithItsReasonNeverPass() throws Exception {
        Containers c = new Containers();
        c.down = "Docker 127.0.0.1: connection refused";
        CheckRun run = service(env(), c, new MemoryHistory(), NOW).run().get(20, TimeUnit.SECONDS);
        CheckResult slots = run.check("slots").orElseThrow();
        assertEquals(CheckStatus.UNKNOWN, slots.status());
        assertTrue(slots.evidence().contains("connection refused"), slots.evidence());
        assertEquals(CheckStatus.UNKNOWN, run.check("logs").orElseThrow().status());
        assertEquals(CheckStatus.PASS, run.check("outbox").orElseThrow().status(), "the outbox does not need Docker");
        assertEquals(CheckStatus.FAIL, run.worst());
    }

    /** Redis down: the outbox check cannot vouch for the relay's stream: UNKNOWN with why, never PASS on the backlog alone. */
    @Test
    void theRelayStreamDownMakesTheOutboxCheckUnknownUnlessTheBacklogFailsIt() throws Exception {
        streamDown = "Redis 127.0.0.1:24379: the server could not connect to it";
        CheckRun run = service(env(), new Containers(), new MemoryHistory(), NOW).run().get(20, TimeUnit.SECONDS);
        CheckResult outbox = run.check("outbox").orElseThrow();
        assertEquals(CheckStatus.UNKNOWN, outbox.status(), outbox.evidence());
        assertEquals("relay stream selfology:events not read: Redis 127.0.0.1:24379: the server could not connect to it; pending 12 < 100, oldest 40 s",
                outbox.evidence());
        assertEquals(CheckStatus.PASS, run.check("slots").orElseThrow().status(), "the others still run");
        pending = 5000; // known to fail: it stays a failure, with the stream's problem said
        outbox = service(env(), new Containers(), new MemoryHistory(), NOW).run().get(20, TimeUnit.SECONDS).check("outbox").orElseThrow();
        assertEquals(CheckStatus.FAIL, outbox.status(), outbox.evidence());
        assertTrue(outbox.evidence().endsWith("; relay stream selfology:events not read: Redis 127.0.0.1:24379: the server could not connect to it"),
                outbox.evidence());
    }

    /** A run the store cannot keep is still the whole run, and says why it was not kept (the CLI tells and exits 1). */
    @Test
    void aRunTheStoreCannotKeepSaysWhy() throws Exception {
        MemoryHistory h = new MemoryHistory();
        h.full = "[SQLITE_FULL] database or disk is full";
        CheckService.Outcome o = service(env(), new Containers(), h, NOW).runKept().get(20, TimeUnit.SECONDS);
        assertEquals(Optional.of("[SQLITE_FULL] database or disk is full"), o.notKept());
        assertEquals(5, o.run().checks().size());
        assertEquals(0, o.run().id());
        h.full = null;
        o = service(env(), new Containers(), h, NOW).runKept().get(20, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), o.notKept());
        assertEquals(1, o.run().id());
        assertEquals(1, h.runs.size());
    }

    @Test
    void theNextRunIsComparedWithThePreviousAndReadsLogsSinceIt() throws Exception {
        Containers c = new Containers();
        MemoryHistory h = new MemoryHistory();
        service(env(), c, h, NOW).run().get(20, TimeUnit.SECONDS);
        pending = 150;
        c.lines = List.of("fine");
        Instant next = NOW.plus(Duration.ofDays(1));
        CheckRun run = service(env(), c, h, next).run().get(20, TimeUnit.SECONDS);
        assertEquals(Optional.of(NOW), run.previousAt());
        CheckResult outbox = run.check("outbox").orElseThrow();
        assertEquals(CheckStatus.WARN, outbox.status());
        assertEquals(Optional.of(CheckStatus.PASS), outbox.previous());
        assertTrue(outbox.changed());
        CheckResult logs = run.check("logs").orElseThrow();
        assertEquals(CheckStatus.PASS, logs.status());
        assertTrue(logs.changed(), "warn → pass is a change too");
        assertFalse(run.check("slots").orElseThrow().changed());
        assertFalse(run.check("error-rate").orElseThrow().changed(), "unknown both times");
        assertEquals(List.of("outbox", "logs"), run.changed().stream().map(CheckResult::id).toList());
        assertEquals(NOW, c.since.get(c.since.size() - 1), "logs since the previous run");
        // the previous run is one call away
        assertEquals(NOW, service(env(), c, h, next).runAtOrBefore(next.minus(Duration.ofHours(12))).get().orElseThrow().at());
    }

    @Test
    void theDiskScriptQuotesEveryPathAndMeasuresTheNearestExistingFolder() {
        String s = CheckService.diskScript(List.of("~/backups/a b", "/var/lib/postgresql", "/x'; rm -rf /"));
        assertTrue(s.contains("~/'backups/a b'"), s);
        assertTrue(s.contains("'/x'\"'\"'; rm -rf /'"), s);
        List<CheckRules.Volume> v = CheckService.parseDisk(new java.util.LinkedHashMap<>(Map.of("b", "/b")),
                "noise\n@@DISK 0 10 100 /b\n@@DISK 7 1 1 /z\n");
        assertEquals(List.of(new CheckRules.Volume("b", "/b", "/b", 10, 100)), v);
        assertEquals(-1, CheckService.parseDisk(Map.of("b", "/b"), "").get(0).sizeBytes(), "df said nothing: unknown");
    }

    /**
     * A local store that cannot be read or written (a full disk, a broken file) is said: never "no previous run" for a
     * previous run that could not be read, and a run that was not kept says so (both were silent).
     */
    @Test
    void aStoreThatFailsIsSaidNeverNoPreviousRun() throws Exception {
        MemoryHistory broken = new MemoryHistory() {
            @Override
            public CompletableFuture<Long> save(CheckRun run) {
                return CompletableFuture.failedFuture(new java.io.IOException("No space left on device"));
            }

            @Override
            public CompletableFuture<Optional<CheckRun>> latestAtOrBefore(String env, Instant at) {
                return CompletableFuture.failedFuture(new java.io.IOException("database disk image is malformed"));
            }
        };
        CheckRun run = service(env(), new Containers(), broken, NOW).run().get(20, TimeUnit.SECONDS);
        assertEquals(0, run.id());
        assertEquals(Optional.of("the local store could not be read (database disk image is malformed); this run could not be kept "
                + "in the local store (No space left on device)"), run.storeProblem());
        assertTrue(run.comparedWith(Instant::toString).startsWith("previous run unknown: the local store could not be read"),
                run.comparedWith(Instant::toString));
        assertTrue(CheckReport.markdown(List.of(run), ZoneOffset.UTC).contains("previous run unknown"));

        CheckRun fine = service(env(), new Containers(), new MemoryHistory(), NOW).run().get(20, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), fine.storeProblem());
        assertEquals("no previous run", fine.comparedWith(Instant::toString));
    }
}
