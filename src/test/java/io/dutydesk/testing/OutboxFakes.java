package io.dutydesk.testing;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.outbox.StreamInfo;
import io.dutydesk.core.ports.BacklogPort;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.OutboxHistory;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.StreamPort;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.ui.outbox.OutboxContext;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-in outbox, stream, Docker and Prometheus for the Outbox view-model and pane tests (the
 * adapters themselves are tested against the reference host): each answers or fails as the test says.
 */
public final class OutboxFakes implements BacklogPort, StreamPort, MetricsPort {
    /** A value of Prometheus's backlog metric at one time. */
    public record Point(Instant at, double value) {}

    public volatile long pending = 5;
    public volatile long oldestAgeSeconds = 40;
    /** The oldest pending event's age in the list of them (the next ones a second younger each). */
    public volatile long eventsAgeSeconds = 40;
    public volatile boolean indexOk = true;
    public volatile String pgDown;
    public volatile String redisDown;
    /** Docker does not answer: the relay's container cannot be read. */
    public volatile String dockerDown;
    /** The source answers, but without what the environments file names (as the adapters say it). */
    public volatile String pgMisconfigured;
    public volatile String redisMisconfigured;
    public volatile long streamLength = 58;
    public volatile List<Point> prometheusPoints = List.of();
    public final AtomicInteger rangeQueries = new AtomicInteger();
    public final MemoryAuditLog audit = MemoryAuditLog.create();

    /** The test environment ("ref") polled every {@code interval}, outbox included. */
    public static Environment environment(Duration interval) {
        Environment e = TestEnvironments.fastPolling(interval).get("ref");
        Environment.Outbox o = e.outbox();
        return e.withOutbox(new Environment.Outbox(o.table(), o.columns(), o.statuses(), interval, o.prometheusQuery(),
                o.relayService()), new Environment.Redis("127.0.0.1", 6379, Optional.empty(), e.redis().password(),
                "selfology:events", List.of("analysis-workers")));
    }

    /** Reads asked of each source: a hidden pane asks none. */
    public final AtomicInteger backlogReads = new AtomicInteger();
    public final AtomicInteger streamReads = new AtomicInteger();

    @Override
    public CompletableFuture<OutboxBacklog> backlog() {
        backlogReads.incrementAndGet();
        String down = pgDown;
        if (down != null) {
            return CompletableFuture.failedFuture(new IOException(down));
        }
        String wrong = pgMisconfigured;
        if (wrong != null) {
            return CompletableFuture.failedFuture(new IOException("PostgreSQL 127.0.0.1:5432 (selfology.event_outbox): " + wrong,
                    new io.dutydesk.core.MisconfiguredException(wrong)));
        }
        long p = pending;
        List<OutboxBacklog.OldEvent> oldest = new ArrayList<>();
        for (int i = 0; i < Math.min(10, p); i++) {
            oldest.add(new OutboxBacklog.OldEvent(String.valueOf(15235 + i), "user.answer.submitted", eventsAgeSeconds - i));
        }
        return CompletableFuture.completedFuture(new OutboxBacklog(Instant.now(), p, 1, 2, 15234L, p == 0 ? null : oldestAgeSeconds, oldest,
                indexOk, "CREATE INDEX CONCURRENTLY IF NOT EXISTS event_outbox_open_status_idx ON selfology.event_outbox "
                + "(status, created_at) WHERE status IN ('pending', 'processing', 'failed');"));
    }

    @Override
    public CompletableFuture<StreamInfo> stream() {
        streamReads.incrementAndGet();
        String down = redisDown;
        if (down != null) {
            return CompletableFuture.failedFuture(new IOException(down));
        }
        String wrong = redisMisconfigured;
        if (wrong != null) {
            return CompletableFuture.failedFuture(new IOException("Redis 127.0.0.1:6379 (stream selfology:events): " + wrong,
                    new io.dutydesk.core.MisconfiguredException(wrong)));
        }
        return CompletableFuture.completedFuture(new StreamInfo(Instant.now(), "selfology:events", streamLength,
                List.of(new StreamInfo.Group("analysis-workers", 1, 10, 28L, "0-1",
                        List.of(new StreamInfo.Consumer("worker-1", 10, 720_000))),
                        new StreamInfo.Group("profile-updaters", 1, 0, null, "0-2", List.of())), List.of()));
    }

    @Override
    public CompletableFuture<QueryResult> range(String expr, Instant start, Instant end, Duration step, Duration timeout) {
        rangeQueries.incrementAndGet();
        List<Point> in = prometheusPoints.stream().filter(p -> !p.at().isBefore(start) && !p.at().isAfter(end)).toList();
        long[] t = in.stream().mapToLong(p -> p.at().toEpochMilli()).toArray();
        double[] v = in.stream().mapToDouble(Point::value).toArray();
        return CompletableFuture.completedFuture(new QueryResult("matrix", in.isEmpty() ? List.of()
                : List.of(new MetricSeries(java.util.Map.of(), t, v)), List.of(), step.toMillis()));
    }

    @Override
    public CompletableFuture<QueryResult> instant(String expr, Instant time, Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("unused"));
    }

    @Override
    public CompletableFuture<List<String>> labelNames() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("unused"));
    }

    @Override
    public CompletableFuture<List<String>> labelValues(String label) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("unused"));
    }

    @Override
    public CompletableFuture<java.util.Map<String, String>> metadata() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("unused"));
    }

    final RemoteShell shell = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            if (command.contains("/maintenance\"")) { // the maintenance lock's read (before a restart): none held
                return CompletableFuture.completedFuture(new ExecResult(0, io.dutydesk.core.rollout.ActionScripts.NOT_LOCKED + "\n", "",
                        Duration.ofMillis(5)));
            }
            return CompletableFuture.completedFuture(new ExecResult(0, "Active Slot:   blue\n", "", Duration.ofMillis(5)));
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

    public final List<String> restarted = new java.util.concurrent.CopyOnWriteArrayList<>();

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            String down = dockerDown;
            if (down != null) {
                return CompletableFuture.failedFuture(new IOException(down));
            }
            return CompletableFuture.completedFuture(Snapshots.of("blue", "v1.0.0", "v0.9.0", Set.of(), Set.of()).slots().stream()
                    .flatMap(s -> s.services().stream()).map(ServiceState::container).flatMap(Optional::stream).toList());
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            restarted.add(c);
            return CompletableFuture.completedFuture(null);
        }
    };

    public OutboxContext context(Environment env, OutboxHistory history, Clock clock) {
        SlotsReader reader = new SlotsReader(env, containers, shell, clock);
        return new OutboxContext(new OutboxService(env, this, this, clock), reader,
                new RolloutService(env, reader, () -> CompletableFuture.completedFuture(java.util.Map.of()), containers, shell, audit,
                        "test@host", clock), history, Optional.of(this));
    }
}
