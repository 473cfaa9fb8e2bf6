package io.dutydesk.core.metrics;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Metrics for one environment, used alike by the Metrics pane and {@code dutydesk query}: instant and
 * range queries with a step that keeps every series under Prometheus's 11,000 points and near one
 * point per pixel, saved queries (environments file + the user's), history, and the console's own
 * actions as chart markers.
 */
public final class MetricsService {
    /** Prometheus refuses a range query with more points per series than this. */
    public static final int MAX_POINTS = 11_000;
    static final long[] NICE_STEPS_S = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};

    /** One action of the audit log, as a chart marker. */
    /** One action as a marker: {@code result} is the audit's final word (succeeded, failed, started while running…). */
    public record ActionMark(Instant time, String label, String detail, String result) {
        public boolean ok() {
            return AuditRows.SUCCEEDED.equals(result);
        }

        public boolean running() {
            return AuditRows.STARTED.equals(result);
        }

        public boolean unknown() {
            return AuditRows.UNKNOWN.equals(result);
        }
    }

    private final Environment env;
    private final MetricsPort port;
    private final QueryStore store;
    private final AuditLog audit;
    private final Duration timeout;

    public MetricsService(Environment env, MetricsPort port, QueryStore store, AuditLog audit, Duration timeout) {
        this.env = env;
        this.port = port;
        this.store = store;
        this.audit = audit;
        this.timeout = timeout;
    }

    public Environment environment() {
        return env;
    }

    /**
     * The step for {@code range} drawn {@code widthPx} wide: about one point per pixel, rounded up to
     * a whole "nice" step (1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 m...), never below 1 s or {@code minStep},
     * and never so small that a series would pass {@link #MAX_POINTS}.
     */
    public static Duration stepFor(Duration range, int widthPx, Duration minStep) {
        double perPixel = range.toMillis() / 1000.0 / Math.max(1, widthPx);
        double floor = range.toMillis() / 1000.0 / (MAX_POINTS - 1);
        double want = Math.max(Math.max(perPixel, floor), Math.max(1, minStep.toMillis() / 1000.0));
        for (long s : NICE_STEPS_S) {
            if (s >= want) {
                return Duration.ofSeconds(s);
            }
        }
        return Duration.ofSeconds((long) Math.ceil(want));
    }

    /** Points per series a range query will return at most: (end - start) / step + 1. */
    public static long pointsFor(Duration range, Duration step) {
        return range.toMillis() / step.toMillis() + 1;
    }

    public CompletableFuture<QueryResult> instant(String expr, Instant at) {
        requireExpr(expr);
        return port.instant(expr.strip(), at, timeout);
    }

    public CompletableFuture<QueryResult> range(String expr, Instant start, Instant end, Duration step) {
        requireExpr(expr);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("the range is empty: " + start + " .. " + end);
        }
        if (pointsFor(Duration.between(start, end), step) > MAX_POINTS) {
            throw new IllegalArgumentException("step " + step.toSeconds() + "s gives more than " + MAX_POINTS
                    + " points per series over " + Duration.between(start, end) + "; use at least "
                    + stepFor(Duration.between(start, end), MAX_POINTS, Duration.ZERO).toSeconds() + "s");
        }
        return port.range(expr.strip(), start, end, step, timeout);
    }

    private static void requireExpr(String expr) {
        if (expr == null || expr.isBlank()) {
            throw new IllegalArgumentException("the query is empty");
        }
    }

    /** Saved queries: the environments file's first, then the user's (a user's query of the same name wins). */
    public CompletableFuture<Map<String, String>> savedQueries() {
        return store.saved(env.name()).thenApply(user -> {
            Map<String, String> all = new LinkedHashMap<>(env.metrics().queries());
            for (QueryStore.Saved s : user) {
                all.put(s.name(), s.expr());
            }
            return all;
        });
    }

    public CompletableFuture<Void> save(String name, String expr) {
        requireExpr(expr);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a saved query needs a name");
        }
        return store.save(env.name(), name.strip(), expr.strip());
    }

    public CompletableFuture<Void> deleteSaved(String name) {
        return store.deleteSaved(env.name(), name);
    }

    public CompletableFuture<List<String>> history(int max) {
        return store.history(env.name(), max);
    }

    public CompletableFuture<Void> remember(String expr) {
        return store.addHistory(env.name(), expr.strip());
    }

    public MetricsPort port() {
        return port;
    }

    /**
     * The console's actions on this environment between {@code from} and {@code to}, oldest first:
     * from the audit log's in-memory index ({@link AuditLog#indexed()}), so a pan that asks for markers
     * several times a second reads no file and never queues behind an action's audit write.
     */
    public CompletableFuture<List<ActionMark>> actions(Instant from, Instant to) {
        return audit.indexed().thenApply(entries -> {
            List<ActionMark> out = new ArrayList<>();
            // one marker per action: its "started" entry and its completion folded into one row
            // (one still "started" that this console does not run reads "unknown": killed, reconciled later)
            for (AuditEntry e : AuditRows.fold(entries, io.dutydesk.core.rollout.DetachedActions::isOpen)) {
                if (!env.name().equals(e.environment()) || e.start() == null) {
                    continue;
                }
                Instant at = e.end() != null ? e.end() : e.start();
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                out.add(mark(e, at));
            }
            out.sort(java.util.Comparator.comparing(ActionMark::time));
            return out;
        });
    }

    static ActionMark mark(AuditEntry e, Instant at) {
        String args = e.args() == null || e.args().isEmpty() ? ""
                : " " + String.join(" ", e.args().stream().map(MetricsService::readable).toList());
        String label = e.action() + args;
        String exit = e.exitCode() == null ? "" : ", exit " + e.exitCode();
        String move = e.liveBefore() != null && e.liveAfter() != null && !e.liveBefore().equals(e.liveAfter())
                ? ", " + e.liveBefore() + " → " + e.liveAfter() : "";
        String detail = e.actor() + ": " + label + move + exit + " (" + (e.result() == null ? "?" : e.result()) + ")";
        return new ActionMark(at, label, detail, e.result());
    }

    /** An argument as a person reads it: a silence's end ("until 2026-…Z") as "until Nov 22 21:51", the rest as is. */
    static String readable(String arg) {
        try {
            Instant t = Instant.parse(arg.startsWith("until ") ? arg.substring(6) : arg); // SilenceRequest.auditArgs
            return "until " + java.time.format.DateTimeFormatter.ofPattern("MMM d HH:mm", java.util.Locale.ROOT)
                    .withZone(java.time.ZoneId.systemDefault()).format(t);
        } catch (java.time.format.DateTimeParseException notATime) {
            return arg;
        }
    }

    /** PromQL's functions and aggregations, for completion. */
    public static final List<String> FUNCTIONS = List.of("abs", "absent", "absent_over_time", "avg", "avg_over_time",
            "bottomk", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "count", "count_over_time", "count_values",
            "day_of_month", "day_of_week", "delta", "deriv", "exp", "floor", "group", "histogram_quantile", "holt_winters",
            "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log2", "log10",
            "max", "max_over_time", "min", "min_over_time", "minute", "month", "predict_linear", "present_over_time",
            "quantile", "quantile_over_time", "rate", "resets", "round", "scalar", "sort", "sort_desc", "sqrt", "stddev",
            "stddev_over_time", "stdvar", "sum", "sum_over_time", "time", "timestamp", "topk", "vector", "year",
            "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless");
}
