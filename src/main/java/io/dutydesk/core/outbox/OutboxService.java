package io.dutydesk.core.outbox;

import io.dutydesk.core.Errors;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BacklogPort;
import io.dutydesk.core.ports.OutboxHistory;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.ports.StreamPort;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The outbox and its stream, for the window and the CLI alike: one reading of both sources (each
 * failing on its own), the history kept locally, and the gap while the console was closed filled
 * from Prometheus's backlog metric.
 */
public final class OutboxService {
    /** How far back the chart looks. */
    public static final Duration WINDOW = Duration.ofHours(24);
    /** How long samples are kept in the local store. */
    public static final Duration KEEP = Duration.ofDays(7);

    private final Environment env;
    private final BacklogPort backlog;
    private final StreamPort stream;
    private final Clock clock;

    public OutboxService(Environment env, BacklogPort backlog, StreamPort stream, Clock clock) {
        this.env = env;
        this.backlog = backlog;
        this.stream = stream;
        this.clock = clock;
    }

    public Environment environment() {
        return env;
    }

    public CompletableFuture<OutboxBacklog> backlog() {
        return backlog.backlog();
    }

    public CompletableFuture<StreamInfo> stream() {
        return stream.stream();
    }

    /** Both sources at once, each with its own timeout; never fails. */
    public CompletableFuture<OutboxReport> readOnce(Duration timeout) {
        CompletableFuture<Result<OutboxBacklog>> b = settle(backlog.backlog(), timeout);
        CompletableFuture<Result<StreamInfo>> s = env.redis().configured() ? settle(stream.stream(), timeout)
                : CompletableFuture.completedFuture(new Result<>(null, null, false)); // redis: false — nothing to read
        return b.thenCombine(s, (rb, rs) -> new OutboxReport(env.name(), clock.instant(), Optional.ofNullable(rb.value),
                Optional.ofNullable(rb.error), Optional.ofNullable(rs.value), Optional.ofNullable(rs.error),
                rb.value == null ? new BacklogLevel.Verdict(BacklogLevel.OK, "unknown") : BacklogLevel.judge(rb.value, env.thresholds()),
                rb.misconfigured, rs.misconfigured));
    }

    private record Result<T>(T value, String error, boolean misconfigured) {}

    private static <T> CompletableFuture<Result<T>> settle(CompletableFuture<T> f, Duration timeout) {
        return f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((v, e) -> e == null ? new Result<>(v, null, false)
                : new Result<>(null, Errors.unwrap(e) instanceof java.util.concurrent.TimeoutException
                ? "no answer within " + timeout.toMillis() + " ms" : Errors.describe(e),
                io.dutydesk.core.MisconfiguredException.in(e)));
    }

    /** A history sample from the latest values of each source (null where a source has none). */
    public static BacklogSample sample(Instant at, OutboxBacklog b, StreamInfo s) {
        return new BacklogSample(at, b == null ? null : b.pending(), b == null ? null : b.oldestPendingAgeSeconds(),
                s == null ? null : s.length(), s == null ? null : s.maxLag(), BacklogSample.Source.CONSOLE);
    }

    /**
     * The last {@link #WINDOW} of history; where this console was not polling for longer than a few
     * intervals and Prometheus has a backlog metric, the gap is filled from it (and kept, marked as
     * Prometheus's). A Prometheus failure only leaves the gap empty: {@code gapError} says why.
     */
    public CompletableFuture<History> loadHistory(OutboxHistory history, Optional<MetricsPort> prometheus) {
        Instant now = clock.instant();
        Instant from = now.minus(WINDOW);
        history.prune(now.minus(KEEP)).exceptionally(e -> 0);
        return history.since(env.name(), from).thenCompose(stored -> {
            List<Gap> gaps = gaps(stored, from, now, env.outbox().pollInterval());
            String query = env.outbox().prometheusQuery();
            if (gaps.isEmpty() || query.isBlank() || prometheus.isEmpty()) {
                return CompletableFuture.completedFuture(new History(stored, Optional.empty()));
            }
            List<CompletableFuture<List<BacklogSample>>> fills = new ArrayList<>();
            for (Gap g : gaps) {
                Duration span = Duration.between(g.from, g.to);
                Duration step = Duration.ofSeconds(Math.max(15, span.toSeconds() / 600));
                fills.add(prometheus.get().range(query, g.from, g.to, step, Duration.ofSeconds(20))
                        .thenApply(r -> fromPrometheus(r.series())));
            }
            return CompletableFuture.allOf(fills.toArray(CompletableFuture[]::new)).handle((v, e) -> {
                if (e != null) {
                    return new History(stored, Optional.of("Prometheus (" + query + "): " + Errors.describe(e)));
                }
                List<BacklogSample> filled = fills.stream().flatMap(f -> f.join().stream()).toList();
                history.append(env.name(), filled);
                List<BacklogSample> all = new ArrayList<>(stored);
                all.addAll(filled);
                all.sort(java.util.Comparator.comparing(BacklogSample::at));
                return new History(all, Optional.empty());
            });
        });
    }

    /** One sample per time: the largest value of the query's series there (a backlog query gives one series). */
    static List<BacklogSample> fromPrometheus(List<MetricSeries> series) {
        java.util.TreeMap<Long, Double> max = new java.util.TreeMap<>();
        for (MetricSeries s : series) {
            for (int i = 0; i < s.size(); i++) {
                double v = s.values()[i];
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    max.merge(s.times()[i], v, Math::max);
                }
            }
        }
        List<BacklogSample> out = new ArrayList<>();
        max.forEach((t, v) -> out.add(new BacklogSample(Instant.ofEpochMilli(t), Math.round(v), null, null, null,
                BacklogSample.Source.PROMETHEUS)));
        return out;
    }

    /** What the chart starts with. */
    public record History(List<BacklogSample> samples, Optional<String> gapError) {}

    record Gap(Instant from, Instant to) {}

    /**
     * Stretches of the window with no sample (of either source) for more than 3 intervals and at
     * least 5 minutes: the console was closed. A stretch Prometheus already filled is not asked again.
     */
    static List<Gap> gaps(List<BacklogSample> stored, Instant from, Instant now, Duration interval) {
        Duration min = interval.multipliedBy(3).compareTo(Duration.ofMinutes(5)) > 0 ? interval.multipliedBy(3) : Duration.ofMinutes(5);
        List<Gap> out = new ArrayList<>();
        Instant last = from;
        for (BacklogSample s : stored) {
            if (Duration.between(last, s.at()).compareTo(min) > 0) {
                out.add(new Gap(last, s.at()));
            }
            if (s.at().isAfter(last)) {
                last = s.at();
            }
        }
        if (Duration.between(last, now).compareTo(min) > 0) {
            out.add(new Gap(last, now));
        }
        return out;
    }
}
