package io.dutydesk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.metrics.Durations;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.core.metrics.QueryException;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.metrics.QueryStore;
import io.dutydesk.core.ports.EnvironmentHandle;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code dutydesk query --env NAME 'EXPR' [--range 1h] [--step 15s] [--json|--csv]}: a range query with
 * {@code --range} (ending now), else an instant query. Exit 0 ok, 1 Prometheus (or the way to it)
 * down, 2 usage or a query Prometheus rejects (its message printed).
 */
final class QueryCommand {
    /** The query's own options, taken out of the command line before the common parser sees it. */
    record Options(Optional<Duration> range, Optional<Duration> step, boolean csv, String name) {}

    /** Removes {@code --range X}, {@code --step X}, {@code --csv} (and their {@code =} forms) from {@code argv}. */
    static Options extract(List<String> argv) {
        Duration range = null;
        Duration step = null;
        boolean csv = false;
        String name = null;
        for (int i = 0; i < argv.size(); ) {
            String a = argv.get(i);
            String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (key.equals("--range") || key.equals("--step") || key.equals("--saved")) {
                String v;
                if (a.contains("=")) {
                    v = a.substring(a.indexOf('=') + 1);
                    argv.remove(i);
                } else {
                    if (i + 1 >= argv.size()) {
                        throw new Args.UsageException(a + " needs a value");
                    }
                    v = argv.get(i + 1);
                    argv.remove(i);
                    argv.remove(i);
                }
                try {
                    switch (key) {
                        case "--range" -> range = Durations.parse(v);
                        case "--step" -> step = Durations.parse(v);
                        default -> name = v;
                    }
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException(key + ": " + e.getMessage());
                }
            } else if (a.equals("--csv")) {
                csv = true;
                argv.remove(i);
            } else {
                i++;
            }
        }
        return new Options(Optional.ofNullable(range), Optional.ofNullable(step), csv, name);
    }

    private final PrintStream out;
    private final PrintStream err;
    private final AuditLog audit;

    QueryCommand(PrintStream out, PrintStream err, AuditLog audit) {
        this.out = out;
        this.err = err;
        this.audit = audit;
    }

    /** The expression: the positional argument, or a saved query by name. */
    static String expression(Args args, Options o, Environment e) {
        if (o.name() != null) {
            if (!args.positional().isEmpty()) {
                throw new Args.UsageException("query takes an expression or --saved NAME, not both");
            }
            String expr = e.metrics().queries().get(o.name());
            if (expr == null) {
                throw new Args.UsageException("no saved query '" + o.name() + "' in " + e.name() + "; saved: "
                        + String.join(", ", e.metrics().queries().keySet()));
            }
            return expr;
        }
        if (args.positional().size() != 1) {
            throw new Args.UsageException("query needs one PromQL expression (quote it), e.g. dutydesk query --env "
                    + e.name() + " 'up'");
        }
        if (args.json() && o.csv()) {
            throw new Args.UsageException("--json or --csv, not both");
        }
        return args.positional().get(0);
    }

    int run(Environment e, EnvironmentHandle h, String expr, Options o, boolean json) {
        MetricsService svc = new MetricsService(e, h.metrics(), QueryStore.NONE, audit,
                e.poll().timeout().plusSeconds(26));
        QueryResult r;
        Instant now = Instant.now();
        try {
            if (o.range().isPresent()) {
                Duration range = o.range().get();
                Duration step = o.step().orElse(MetricsService.stepFor(range, 1000, Duration.ZERO));
                if (MetricsService.pointsFor(range, step) > MetricsService.MAX_POINTS) {
                    err.println("dutydesk: --step " + Durations.format(step) + " over " + Durations.format(range)
                            + " gives more than " + MetricsService.MAX_POINTS + " points per series; use --step "
                            + Durations.format(MetricsService.stepFor(range, MetricsService.MAX_POINTS, Duration.ZERO)) + " or more");
                    return Cli.USAGE;
                }
                r = svc.range(expr, now.minus(range), now, step).join();
            } else {
                if (o.step().isPresent()) {
                    throw new Args.UsageException("--step needs --range");
                }
                r = svc.instant(expr, now).join();
            }
        } catch (RuntimeException ex) {
            Throwable c = Errors.unwrap(ex);
            if (c instanceof QueryException q) {
                err.println("dutydesk: Prometheus: " + q.prometheusMessage());
                q.column().ifPresent(col -> {
                    String[] lines = expr.split("\n", -1);
                    int ln = q.line().orElse(1) - 1;
                    if (ln >= 0 && ln < lines.length) {
                        err.println("  " + lines[ln]);
                        err.println("  " + " ".repeat(Math.max(0, Math.min(col - 1, lines[ln].length()))) + "^");
                    }
                });
                return q.rejected() ? Cli.USAGE : Cli.DOWN;
            }
            if (c instanceof Args.UsageException u) {
                throw u;
            }
            err.println("dutydesk: " + e.name() + ": Prometheus: " + Errors.describe(ex));
            return Cli.DOWN;
        }
        for (String w : r.warnings()) {
            err.println("dutydesk: Prometheus warns: " + w);
        }
        if (json) {
            printJson(r);
        } else if (o.csv()) {
            printCsv(r);
        } else {
            printText(r);
        }
        return Cli.OK;
    }

    private void printJson(QueryResult r) {
        out.println(Json.write(json(r)));
    }

    /**
     * {@code {resultType, stepSeconds, series[]{metric{}, values[][time, value]}}}: each time ISO-8601
     * ({@link Json#time}), each value a plain number, NaN and ±Inf as strings.
     */
    static ObjectNode json(QueryResult r) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("resultType", r.resultType());
        if (r.stepMillis() > 0) {
            root.put("stepSeconds", r.stepMillis() / 1000.0);
        }
        ArrayNode arr = root.putArray("series");
        for (MetricSeries s : r.series()) {
            ObjectNode o = arr.addObject();
            ObjectNode m = o.putObject("metric");
            s.metric().forEach(m::put);
            ArrayNode values = o.putArray("values");
            for (int i = 0; i < s.size(); i++) {
                ArrayNode p = values.addArray();
                p.add(Json.time(Instant.ofEpochMilli(s.times()[i])));
                double v = s.values()[i];
                if (Double.isNaN(v) || Double.isInfinite(v)) {
                    p.add(Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf");
                } else {
                    p.add(Json.number(v));
                }
            }
        }
        return root;
    }

    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private void printCsv(QueryResult r) {
        out.println("series,epoch_seconds,time,value");
        for (MetricSeries s : r.series()) {
            String name = csv(s.displayName());
            for (int i = 0; i < s.size(); i++) {
                out.println(name + "," + java.math.BigDecimal.valueOf(s.times()[i], 3).toPlainString() + "," + ISO.format(Instant.ofEpochMilli(s.times()[i]))
                        + "," + number(s.values()[i]));
            }
        }
    }

    private void printText(QueryResult r) {
        if (r.series().isEmpty()) {
            out.println("(no series)");
            return;
        }
        if (!r.resultType().equals("matrix")) {
            List<String[]> rows = new ArrayList<>();
            int w = 0;
            for (MetricSeries s : r.series()) {
                String v = number(s.values()[0]);
                w = Math.max(w, v.length());
                rows.add(new String[] {v, s.displayName()});
            }
            for (String[] row : rows) {
                out.printf("%" + w + "s  %s%n", row[0], row[1]);
            }
            return;
        }
        DateTimeFormatter t = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
        for (MetricSeries s : r.series()) {
            out.println(s.displayName() + "  (" + s.size() + " points)");
            for (int i = 0; i < s.size(); i++) {
                out.println("  " + t.format(Instant.ofEpochMilli(s.times()[i])) + "  " + number(s.values()[i]));
            }
        }
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String plain = java.math.BigDecimal.valueOf(v).toPlainString(); // 1796281975.797, not 1.796281975797E9
        return plain.length() <= 24 ? plain : Double.toString(v);
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
