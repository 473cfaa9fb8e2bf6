package io.dutydesk.core.check;

import io.dutydesk.core.Ages;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.deploy.StackSnapshot;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.outbox.BacklogLevel;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of each kind of check, on what the existing services read (no IO here): a status and one line of
 * evidence. What could not be read is decided by {@link CheckService} (UNKNOWN, never PASS).
 */
public final class CheckRules {
    private CheckRules() {}

    /** A status, the one line, and the lines behind it. */
    public record Verdict(CheckStatus status, String evidence, List<String> details) {
        public Verdict(CheckStatus status, String evidence) {
            this(status, evidence, List.of());
        }
    }

    static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    // ------------------------------------------------------------------ slots

    /** The live slot all healthy (else FAIL), and the idle one ready to roll back to (else WARN). */
    public static Verdict slots(SlotsSnapshot s) {
        SlotState live = s.live();
        SlotState idle = s.idle();
        if (!live.allReady()) {
            return new Verdict(CheckStatus.FAIL, "live " + live.summary() + ": " + String.join("; ", live.problems()), live.problems());
        }
        if (!s.rollbackReady()) {
            return new Verdict(CheckStatus.WARN, "live " + live.summary() + "; rollback not ready: " + String.join("; ", s.rollbackBlockers()),
                    s.rollbackBlockers());
        }
        return new Verdict(CheckStatus.PASS, "live " + live.summary() + "; rollback ready (" + idle.summary() + ")");
    }

    /**
     * A single stack ({@code deploy.model: single}): every service running and healthy (else FAIL, each one not named with
     * its condition), and rollback ready as the Slots pane's chip and {@code dutydesk status} say it
     * ({@link io.dutydesk.core.deploy.SingleReadiness}: a verified backup and/or an earlier release on the host; NOT READY:
     * WARN; a side that could not be read and nothing ready: UNKNOWN, never PASS). {@code recorded}: the version recorded
     * with the newest backup.
     */
    public static Verdict stack(StackSnapshot s, io.dutydesk.core.deploy.SingleReadiness ready, Optional<String> recorded) {
        String head = "stack " + s.summary();
        if (!s.allReady()) {
            List<String> problems = s.services().isEmpty() ? List.of("no service configured") : s.problems();
            return new Verdict(CheckStatus.FAIL, head + ": " + String.join("; ", problems), problems);
        }
        return switch (ready.state()) {
            case READY -> new Verdict(CheckStatus.PASS, head + "; rollback ready: " + ready.text()
                    + recorded.map(v -> " (newest backup taken on " + v + ")").orElse(""));
            case NOT_READY -> new Verdict(CheckStatus.WARN, head + "; rollback not ready: " + ready.text(), List.of(ready.text()));
            case UNKNOWN -> new Verdict(CheckStatus.UNKNOWN, head + "; rollback unknown: " + ready.text(), List.of(ready.text()));
        };
    }

    // ------------------------------------------------------------------ outbox

    /** The backlog against the outbox thresholds ({@link BacklogLevel#judge}): "pending 12 &lt; 100, oldest 40 s". */
    public static Verdict outbox(OutboxBacklog b, Environment.Thresholds t) {
        return outbox(b, t, true);
    }

    /**
     * {@code relay}: the environment has the outbox's relay stream (Redis); without one ({@code redis: false}) the evidence
     * says it was not checked (it does not apply: no FAIL, no WARN).
     */
    public static Verdict outbox(OutboxBacklog b, Environment.Thresholds t, boolean relay) {
        return outbox(b, t, relay, Optional.empty());
    }

    /**
     * As above; {@code streamProblem}: why the relay stream could not be read ("relay stream events not read: …"): the
     * check cannot tell then (UNKNOWN), unless the backlog already fails it.
     */
    public static Verdict outbox(OutboxBacklog b, Environment.Thresholds t, boolean relay, Optional<String> streamProblem) {
        Verdict v = outbox0(b, t);
        if (!relay) {
            return new Verdict(v.status(), v.evidence() + "; relay stream: none configured (redis: false), not checked", v.details());
        }
        if (streamProblem.isPresent()) {
            return new Verdict(v.status() == CheckStatus.FAIL ? CheckStatus.FAIL : CheckStatus.UNKNOWN,
                    (v.status() == CheckStatus.FAIL ? v.evidence() + "; " + streamProblem.get() : streamProblem.get() + "; " + v.evidence()),
                    v.details());
        }
        return v;
    }

    private static Verdict outbox0(OutboxBacklog b, Environment.Thresholds t) {
        BacklogLevel.Verdict v = BacklogLevel.judge(b, t);
        long limit = v.level() == BacklogLevel.CRITICAL && b.pending() >= t.outboxPendingCritical() ? t.outboxPendingCritical()
                : t.outboxPendingWarn();
        String count = "pending " + b.pending() + (b.pending() < limit ? " < " : " ≥ ") + limit;
        Long age = b.pending() > 0 ? b.oldestPendingAgeSeconds() : null;
        String oldest = age == null ? "none pending" : "oldest " + Ages.of(age) + (age >= t.outboxOldestWarnSeconds()
                ? " (≥ " + Ages.of(age >= t.outboxOldestCriticalSeconds() ? t.outboxOldestCriticalSeconds() : t.outboxOldestWarnSeconds()) + ")"
                : "");
        String failed = b.failed() > 0 ? ", " + b.failed() + " failed" : "";
        CheckStatus s = switch (v.level()) {
            case OK -> CheckStatus.PASS;
            case WARN -> CheckStatus.WARN;
            case CRITICAL -> CheckStatus.FAIL;
        };
        return new Verdict(s, count + ", " + oldest + failed);
    }

    // ------------------------------------------------------------------ alerts

    /**
     * Alerts since {@code since}: still firing (the most severe severity: FAIL, others WARN; silenced ones WARN), fired and
     * resolved ({@code resolved}: PASS or WARN, the runbook's "document in the log"), none (PASS). An alert the console
     * cannot vouch for (its source down) makes the check UNKNOWN unless something is known to fire.
     *
     * @param active      the alerts firing now as the alert feed shows them, with whether each is unverified
     * @param transitions the history's transitions at or after {@code since}
     */
    public static Verdict alerts(List<Alert> active, java.util.Set<String> unverified, List<Transition> transitions, Instant since,
                                 ZoneId zone, Environment.Alerts cfg, CheckStatus resolved) {
        String sinceText = HM.format(since.atZone(zone));
        // per fingerprint: the first firing since, the last resolution
        Map<String, Instant> fired = new LinkedHashMap<>();
        Map<String, Instant> resolvedAt = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Transition t : transitions) {
            names.putIfAbsent(t.fingerprint(), t.alertname());
            if (Transition.FIRING.equals(t.event())) {
                fired.putIfAbsent(t.fingerprint(), t.at());
                resolvedAt.remove(t.fingerprint());
            } else if (Transition.RESOLVED.equals(t.event())) {
                resolvedAt.put(t.fingerprint(), t.at());
            }
        }
        List<String> lines = new ArrayList<>();
        CheckStatus status = CheckStatus.PASS;
        java.util.Set<String> activeFps = new java.util.HashSet<>();
        for (Alert a : active) {
            activeFps.add(a.fingerprint());
            Instant start = fired.getOrDefault(a.fingerprint(), a.startsAt());
            String when = start == null ? "" : " since " + HM.format(start.atZone(zone));
            if (unverified.contains(a.fingerprint())) {
                lines.add(a.alertname() + " unknown (its source cannot tell)" + when);
                status = CheckStatus.worst(status, CheckStatus.UNKNOWN);
            } else if (a.suppressed()) {
                lines.add(a.alertname() + " firing, silenced" + when);
                status = CheckStatus.worst(status, CheckStatus.WARN);
            } else {
                boolean worst = cfg.rank(a.severity()) == 0;
                lines.add(a.alertname() + " firing" + when + (a.severity().isEmpty() ? "" : " (" + a.severity() + ")"));
                status = CheckStatus.worst(status, worst ? CheckStatus.FAIL : CheckStatus.WARN);
            }
        }
        for (Map.Entry<String, Instant> r : resolvedAt.entrySet()) {
            if (activeFps.contains(r.getKey())) {
                continue;
            }
            Instant f = fired.get(r.getKey());
            lines.add(names.get(r.getKey()) + (f == null ? " firing before " + sinceText : " fired " + HM.format(f.atZone(zone)))
                    + ", resolved " + HM.format(r.getValue().atZone(zone)));
            status = CheckStatus.worst(status, resolved);
        }
        if (lines.isEmpty()) {
            return new Verdict(CheckStatus.PASS, "no alert fired since " + sinceText + ", none firing");
        }
        lines = collapse(lines);
        return new Verdict(status, String.join("; ", lines), lines);
    }

    /** The same line n times once, "… (×n)", in the order first seen: eight instances of one alert are one line. */
    static List<String> collapse(List<String> lines) {
        Map<String, Integer> n = new LinkedHashMap<>();
        lines.forEach(l -> n.merge(l, 1, Integer::sum));
        List<String> out = new ArrayList<>();
        n.forEach((l, c) -> out.add(c == 1 ? l : l + " (×" + c + ")"));
        return out;
    }

    // ------------------------------------------------------------------ backups

    /** The RPO as the Backups pane says it: met and verified PASS, met but unverified or the newest failed WARN, not met FAIL. */
    public static Verdict backups(BackupListing l) {
        CheckStatus s = switch (l.rpo()) {
            case MET -> CheckStatus.PASS;
            case MET_NEWEST_FAILED, MET_UNVERIFIED -> CheckStatus.WARN;
            case NOT_MET -> CheckStatus.FAIL;
            case UNKNOWN -> CheckStatus.UNKNOWN;
        };
        return new Verdict(s, l.rpoText());
    }

    // ------------------------------------------------------------------ prometheus

    /**
     * Every series of an instant query against the bounds: one out of bounds makes the check {@code outside}; an empty
     * result (or only NaN: 0/0 without traffic) is {@code noData}. Evidence: the value (or the highest/lowest of
     * several) against the bound it is held to.
     */
    public static Verdict prometheus(Environment.Check c, QueryResult r) {
        List<double[]> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (MetricSeries s : r.series()) {
            if (s.size() == 0) {
                continue;
            }
            double v = s.values()[s.size() - 1];
            if (!Double.isNaN(v)) {
                values.add(new double[]{v});
                names.add(s.metric().isEmpty() ? "" : s.shortName(r.series(), c.query()));
            }
        }
        if (values.isEmpty()) {
            return new Verdict(CheckStatus.parse(c.noData()), "no data: the query returned no value" + bounds(c));
        }
        CheckStatus out = CheckStatus.parse(c.outside());
        List<String> bad = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        String loName = "";
        String hiName = "";
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i)[0];
            if (v < lo) {
                lo = v;
                loName = names.get(i);
            }
            if (v > hi) {
                hi = v;
                hiName = names.get(i);
            }
            if (c.max().isPresent() && v >= c.max().get()) {
                bad.add(fmt(c, v) + " ≥ " + fmt(c, c.max().get()) + where(names.get(i)));
            } else if (c.min().isPresent() && v < c.min().get()) {
                bad.add(fmt(c, v) + " < " + fmt(c, c.min().get()) + where(names.get(i)));
            }
        }
        String of = values.size() > 1 ? " (" + values.size() + " series)" : "";
        if (!bad.isEmpty()) {
            return new Verdict(out, String.join("; ", bad.subList(0, Math.min(3, bad.size())))
                    + (bad.size() > 3 ? "; " + (bad.size() - 3) + " more" : "") + of, bad);
        }
        String text;
        if (c.min().isPresent() && c.max().isPresent()) {
            text = values.size() == 1 ? fmt(c, lo) + " within " + fmt(c, c.min().get()) + " … " + fmt(c, c.max().get())
                    : fmt(c, lo) + " … " + fmt(c, hi) + " within " + fmt(c, c.min().get()) + " … " + fmt(c, c.max().get());
        } else if (c.max().isPresent()) {
            text = (values.size() == 1 ? "" : "max ") + fmt(c, hi) + " < " + fmt(c, c.max().get()) + where(values.size() == 1 ? "" : hiName);
        } else {
            text = (values.size() == 1 ? "" : "min ") + fmt(c, lo) + " ≥ " + fmt(c, c.min().get()) + where(values.size() == 1 ? "" : loName);
        }
        return new Verdict(CheckStatus.PASS, text + of);
    }

    private static String where(String name) {
        return name.isEmpty() ? "" : " " + name;
    }

    private static String bounds(Environment.Check c) {
        if (c.min().isPresent() && c.max().isPresent()) {
            return " (expected " + fmt(c, c.min().get()) + " … " + fmt(c, c.max().get()) + ")";
        }
        return c.max().map(m -> " (expected < " + fmt(c, m) + ")").orElseGet(() -> c.min().map(m -> " (expected ≥ " + fmt(c, m) + ")").orElse(""));
    }

    /** A value as the check shows it: × 100 with "%" for a percent check, at most 3 decimals, then the unit. */
    static String fmt(Environment.Check c, double v) {
        double x = c.percent() ? v * 100 : v;
        String n = new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        if (Math.abs(x) >= 1000) {
            n = String.format(Locale.ROOT, "%.0f", x);
        }
        return n + (c.percent() ? " %" : "") + (c.unit().isEmpty() ? "" : " " + c.unit());
    }

    // ------------------------------------------------------------------ logs

    /** The error lines read from the live slot's containers since {@code since}: their count against warnAt / failAt. */
    public record LogLines(String container, int count, List<String> newest, boolean cut) {
        /** A log read whole since the time asked. */
        public LogLines(String container, int count, List<String> newest) {
            this(container, count, newest, false);
        }
    }

    public static Verdict logs(Environment.Check c, String liveSlot, List<LogLines> read, List<String> unread, Instant since, ZoneId zone) {
        int total = read.stream().mapToInt(LogLines::count).sum();
        String sinceText = HM.format(since.atZone(zone));
        List<String> newest = new ArrayList<>();
        for (LogLines l : read) {
            for (String line : l.newest()) {
                newest.add(l.container() + ": " + line);
            }
        }
        if (newest.size() > c.newest()) {
            newest = newest.subList(newest.size() - c.newest(), newest.size());
        }
        List<String> cut = read.stream().filter(LogLines::cut).map(LogLines::container).toList();
        String missing = (unread.isEmpty() ? "" : "; not read: " + String.join(", ", unread))
                + (cut.isEmpty() ? "" : "; only the newest lines read of " + String.join(", ", cut) + " (more were written since)");
        CheckStatus s = total >= c.failAt() ? CheckStatus.FAIL : total >= c.warnAt() ? CheckStatus.WARN : CheckStatus.PASS;
        if ((!unread.isEmpty() || !cut.isEmpty()) && s == CheckStatus.PASS) {
            s = CheckStatus.UNKNOWN; // a log not read (or not read whole) may hold the errors
        }
        if (total == 0) {
            return new Verdict(s, "no error line in " + liveSlot + " since " + sinceText + " (" + read.size() + " containers)" + missing);
        }
        List<String> per = new ArrayList<>();
        for (LogLines l : read) {
            if (l.count() > 0) {
                per.add(l.container() + " " + l.count());
            }
        }
        String last = newest.isEmpty() ? "" : "; newest: " + shorten(newest.get(newest.size() - 1), 160);
        return new Verdict(s, total + " error line" + (total == 1 ? "" : "s") + " in " + liveSlot + " since " + sinceText
                + " (" + String.join(", ", per) + ")" + last + missing, newest);
    }

    static String shorten(String s, int max) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    // ------------------------------------------------------------------ disk

    /** One path's volume: bytes available and the volume's size (-1 when df said nothing), and the path df measured. */
    public record Volume(String label, String path, String measured, long availBytes, long sizeBytes) {
        public double freePercent() {
            return sizeBytes <= 0 ? -1 : availBytes * 100.0 / sizeBytes;
        }
    }

    public static Verdict disk(Environment.Check c, List<Volume> volumes) {
        CheckStatus status = CheckStatus.PASS;
        List<String> parts = new ArrayList<>();
        for (Volume v : volumes) {
            if (v.sizeBytes() <= 0 || v.availBytes() < 0) {
                parts.add(v.label() + " " + v.path() + ": free space unknown");
                status = CheckStatus.worst(status, CheckStatus.UNKNOWN);
                continue;
            }
            double pct = v.freePercent();
            CheckStatus s = pct < c.failFreePercent() ? CheckStatus.FAIL : pct < c.warnFreePercent() ? CheckStatus.WARN : CheckStatus.PASS;
            status = CheckStatus.worst(status, s);
            String bound = s == CheckStatus.PASS ? " ≥ " + c.warnFreePercent() + " %"
                    : " < " + (s == CheckStatus.FAIL ? c.failFreePercent() : c.warnFreePercent()) + " %";
            parts.add(v.label() + " " + String.format(Locale.ROOT, "%.0f", Math.floor(pct)) + " % free" + bound + " ("
                    + bytes(v.availBytes()) + " of " + bytes(v.sizeBytes()) + (v.measured().equals(v.path()) ? "" : ", at " + v.measured()) + ")");
        }
        return new Verdict(status, String.join("; ", parts));
    }

    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (u == 0 ? String.valueOf(b) : String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v)) + " " + units[u];
    }

    /** The newest time of day {@code t} at or before {@code now} in {@code zone}: "overnight since 18:00". */
    public static Instant lastOccurrence(java.time.LocalTime t, Instant now, ZoneId zone) {
        java.time.ZonedDateTime z = now.atZone(zone);
        java.time.ZonedDateTime at = z.toLocalDate().atTime(t).atZone(zone);
        if (at.toInstant().isAfter(now)) {
            at = z.toLocalDate().minusDays(1).atTime(t).atZone(zone);
        }
        return at.toInstant();
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
