package io.dutydesk.core.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code checks} (the morning checklist: one entry per check, keyed by its id, in file order) and
 * {@code checkSchedule} (when it runs, since when alerts are "overnight"). Without {@code checks}: the runbook's list.
 */
final class CheckConventions {
    private CheckConventions() {}

    /** Every key a check may have; which kind uses which is {@link #USED_BY}. */
    static final List<String> KEYS = List.of("kind", "title", "timeoutSeconds", "query", "min", "max", "outside", "noData",
            "percent", "unit", "pattern", "warnAt", "failAt", "newest", "services", "paths", "warnFreePercent",
            "failFreePercent", "verify", "resolved");
    static final Map<String, Set<String>> USED_BY = Map.ofEntries(
            Map.entry("query", Set.of("prometheus")), Map.entry("min", Set.of("prometheus")), Map.entry("max", Set.of("prometheus")),
            Map.entry("outside", Set.of("prometheus")), Map.entry("noData", Set.of("prometheus")),
            Map.entry("percent", Set.of("prometheus")), Map.entry("unit", Set.of("prometheus")),
            Map.entry("pattern", Set.of("logs")), Map.entry("warnAt", Set.of("logs")), Map.entry("failAt", Set.of("logs")),
            Map.entry("newest", Set.of("logs")), Map.entry("services", Set.of("logs")),
            Map.entry("paths", Set.of("disk")), Map.entry("warnFreePercent", Set.of("disk")),
            Map.entry("failFreePercent", Set.of("disk")), Map.entry("verify", Set.of("backups")),
            Map.entry("resolved", Set.of("alerts")));

    static Environment.Checks checks(Optional<YamlNode> checks, Optional<YamlNode> schedule, boolean alertmanager,
                                     Environment.Backups backups) {
        return checks(checks, schedule, alertmanager, backups, false);
    }

    /** {@code single}: the environment deploys one stack ({@code deploy.model: single}): the default titles say "stack". */
    static Environment.Checks checks(Optional<YamlNode> checks, Optional<YamlNode> schedule, boolean alertmanager,
                                     Environment.Backups backups, boolean single) {
        List<Environment.Check> list = checks.isEmpty()
                ? Environment.Checks.defaultList(alertmanager, backups.configured(), backups.folders(), single)
                : list(checks.get(), backups, alertmanager, single);
        if (schedule.isEmpty()) {
            return new Environment.Checks(list, List.of(LocalTime.of(9, 0)), Environment.Checks.DEFAULT_OVERNIGHT,
                    Environment.Checks.DEFAULT_FIRST_BEFORE, Optional.empty());
        }
        YamlNode s = schedule.get().onlyKeys(List.of("times", "overnightSince", "todayFirstBefore", "timeZone"));
        List<LocalTime> times = new ArrayList<>();
        Optional<YamlNode> t = s.get("times");
        if (t.isPresent()) {
            for (YamlNode item : t.get().items()) {
                times.add(time(item));
            }
        } else {
            times.add(LocalTime.of(9, 0));
        }
        Optional<ZoneId> zone = s.get("timeZone").map(z -> {
            try {
                return ZoneId.of(z.nonEmptyText());
            } catch (DateTimeException e) {
                throw z.error("not a time zone (e.g. Europe/Berlin, UTC): " + e.getMessage());
            }
        });
        return new Environment.Checks(list, times.stream().distinct().sorted().toList(),
                s.get("overnightSince").map(CheckConventions::time).orElse(Environment.Checks.DEFAULT_OVERNIGHT),
                s.get("todayFirstBefore").map(CheckConventions::time).orElse(Environment.Checks.DEFAULT_FIRST_BEFORE), zone);
    }

    /** "09:00" (24-hour, minutes). */
    static LocalTime time(YamlNode n) {
        String v = n.nonEmptyText();
        if (!v.matches("([01]?[0-9]|2[0-3]):[0-5][0-9]")) {
            throw n.error("expected a time of day as HH:MM (24-hour, quoted: \"09:00\"), got '" + v + "'");
        }
        String[] p = v.split(":");
        return LocalTime.of(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }

    private static List<Environment.Check> list(YamlNode n, Environment.Backups backups, boolean alertmanager, boolean single) {
        Map<String, YamlNode> entries = n.entries();
        if (entries.isEmpty()) {
            throw n.error("lists no check; leave 'checks' out for the runbook's list (slots, outbox, alerts, backups, "
                    + "error-rate, logs, disk)");
        }
        List<Environment.Check> out = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
            out.add(check(e.getKey(), e.getValue(), backups, alertmanager, single));
        }
        return List.copyOf(out);
    }

    private static Environment.Check check(String id, YamlNode v, Environment.Backups backups, boolean alertmanager, boolean single) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw v.error("a check's id is letters, digits, '.', '_' and '-'");
        }
        Map<String, YamlNode> keys = v.isNull() ? Map.of() : v.onlyKeys(KEYS).entries();
        String kind;
        if (keys.containsKey("kind")) {
            kind = keys.get("kind").nonEmptyText();
            if (!Environment.Check.KINDS.contains(kind)) {
                throw keys.get("kind").error("unknown kind '" + kind + "'; one of " + String.join(", ", Environment.Check.KINDS));
            }
        } else if (Environment.Check.KINDS.contains(id)) {
            kind = id;
        } else {
            throw v.error("needs a kind (" + String.join(", ", Environment.Check.KINDS) + "); only a check named after "
                    + "its kind may leave it out");
        }
        if (kind.equals("backups") && !backups.configured()) {
            throw v.error("a backups check, but this environment has backups: false");
        }
        if (kind.equals("alerts") && !alertmanager) {
            throw v.error("an alerts check, but this environment has alertmanager: false");
        }
        for (String k : keys.keySet()) {
            Set<String> users = USED_BY.get(k);
            if (users != null && !users.contains(kind)) {
                throw keys.get(k).error("'" + k + "' is for checks of kind " + String.join(", ", users) + ", not " + kind);
            }
        }
        Environment.Check d = Environment.Check.of(id, kind, defaultTitle(id, kind, single));
        if (v.isNull()) {
            return kind.equals("disk") ? d.withPaths(Environment.Checks.defaultDiskPaths(backups.configured(), backups.folders()))
                    : kind.equals("prometheus") ? missingQuery(v) : d;
        }
        String title = v.string("title", d.title());
        Duration timeout = Duration.ofSeconds(v.integer("timeoutSeconds", (int) d.timeout().toSeconds(), 1, 3600));
        String query = "";
        Optional<Double> min = number(v, "min");
        Optional<Double> max = number(v, "max");
        if (kind.equals("prometheus")) {
            query = v.get("query").map(YamlNode::nonEmptyText).orElseThrow(() -> missingQueryError(v));
            if (min.isEmpty() && max.isEmpty()) {
                throw v.error("a prometheus check needs a bound: min, max or both (e.g. min: 10, max: 20)");
            }
            if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
                throw v.require("min").error("must not be above max (" + max.get() + ")");
            }
        }
        String outside = word(v, "outside", "warn", List.of("warn", "fail"));
        String noData = word(v, "noData", "unknown", List.of("pass", "warn", "fail", "unknown"));
        Pattern pattern = v.get("pattern").map(Conventions::regex).orElse(d.pattern());
        int warnAt = v.integer("warnAt", d.warnAt(), 1, Integer.MAX_VALUE);
        int failAt = v.integer("failAt", Math.max(d.failAt(), warnAt), 1, Integer.MAX_VALUE);
        if (failAt < warnAt) {
            throw v.require("failAt").error("must not be below warnAt (" + warnAt + ")");
        }
        int newest = v.integer("newest", d.newest(), 0, 50);
        List<String> services = v.strings("services", List.of());
        Map<String, String> paths = kind.equals("disk") ? Environment.Checks.defaultDiskPaths(backups.configured(), backups.folders()) : Map.of();
        Optional<YamlNode> p = v.get("paths");
        if (p.isPresent()) {
            Map<String, String> given = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : p.get().entries().entrySet()) {
                String path = e.getValue().nonEmptyText();
                if (!path.startsWith("/") && !path.startsWith("~")) {
                    throw e.getValue().error("a server path, absolute or starting with ~/");
                }
                given.put(e.getKey(), path);
            }
            if (given.isEmpty()) {
                throw p.get().error("names no path (label: /server/path)");
            }
            paths = java.util.Collections.unmodifiableMap(given);
        }
        int warnFree = v.integer("warnFreePercent", d.warnFreePercent(), 0, 100);
        int failFree = v.integer("failFreePercent", Math.min(d.failFreePercent(), warnFree), 0, 100);
        if (failFree > warnFree) {
            throw v.require("failFreePercent").error("must not be above warnFreePercent (" + warnFree + ")");
        }
        return new Environment.Check(id, kind, title, timeout, query, min, max, outside, noData, v.bool("percent", false),
                v.string("unit", ""), pattern, warnAt, failAt, newest, services, paths, warnFree, failFree,
                v.bool("verify", true), word(v, "resolved", "warn", List.of("pass", "warn")));
    }

    private static Environment.Check missingQuery(YamlNode v) {
        throw missingQueryError(v);
    }

    private static ConfigException missingQueryError(YamlNode v) {
        return v.error("a prometheus check needs its query (PromQL) and a bound: min, max or both");
    }

    static String defaultTitle(String id, String kind) {
        return defaultTitle(id, kind, false);
    }

    static String defaultTitle(String id, String kind, boolean single) {
        for (Environment.Check c : Environment.Checks.defaultList(true, true, List.of("~/backups"), single)) {
            if (c.id().equals(id) && c.kind().equals(kind)) {
                return c.title();
            }
        }
        return id;
    }

    private static Optional<Double> number(YamlNode v, String key) {
        Optional<YamlNode> n = v.get(key);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        String t = n.get().text().strip();
        try {
            double d = Double.parseDouble(t);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw n.get().error("expected a finite number, got '" + t + "'");
            }
            return Optional.of(d);
        } catch (NumberFormatException e) {
            throw n.get().error("expected a number, got '" + t + "'");
        }
    }

    private static String word(YamlNode v, String key, String dflt, List<String> allowed) {
        Optional<YamlNode> n = v.get(key);
        if (n.isEmpty()) {
            return dflt;
        }
        String t = n.get().nonEmptyText().toLowerCase(Locale.ROOT);
        if (!allowed.contains(t)) {
            throw n.get().error("one of " + String.join(", ", allowed) + ", got '" + n.get().text() + "'");
        }
        return t;
    }
}
