package io.dutydesk.core.alerts;

import io.dutydesk.core.config.Environment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The feed's order, pure: alerts grouped by the configured labels (alertname by default), a group
 * ranked by its most severe alert then its newest; inside a group by severity, then newest first.
 * Suppressed alerts sort after active ones of the same severity.
 */
public final class AlertGrouping {
    private AlertGrouping() {}

    /** One group: the grouping labels' values, its alerts in order, its most severe severity. */
    public record Group(String key, Map<String, String> labels, List<Alert> alerts, String severity, long active) {
        public String title() {
            return labels.values().stream().map(v -> v.isEmpty() ? "—" : v).collect(Collectors.joining(" · "));
        }
    }

    public static Comparator<Alert> order(Environment.Alerts cfg) {
        return Comparator.<Alert>comparingInt(a -> cfg.rank(a.severity()))
                .thenComparing(Alert::suppressed)
                .thenComparing(a -> a.startsAt() == null ? Instant.MIN : a.startsAt(), Comparator.reverseOrder())
                .thenComparing(Alert::fingerprint);
    }

    public static List<Group> group(List<Alert> alerts, Environment.Alerts cfg) {
        Map<String, List<Alert>> byKey = new LinkedHashMap<>();
        Map<String, Map<String, String>> labelsOf = new LinkedHashMap<>();
        List<String> by = cfg.groupBy();
        StringBuilder b = new StringBuilder();
        for (Alert a : alerts) {
            b.setLength(0);
            for (String g : by) {
                b.append(a.labels().getOrDefault(g, "")).append('\u0001');
            }
            String key = b.toString();
            List<Alert> members = byKey.get(key);
            if (members == null) {
                members = new ArrayList<>();
                byKey.put(key, members);
                Map<String, String> ls = new LinkedHashMap<>();
                for (String g : by) {
                    ls.put(g, a.labels().getOrDefault(g, ""));
                }
                labelsOf.put(key, ls);
            }
            members.add(a);
        }
        Comparator<Alert> order = order(cfg);
        List<Group> out = new ArrayList<>(byKey.size());
        for (Map.Entry<String, List<Alert>> e : byKey.entrySet()) {
            List<Alert> list = e.getValue();
            list.sort(order);
            long active = list.stream().filter(a -> !a.suppressed()).count();
            out.add(new Group(e.getKey(), labelsOf.get(e.getKey()), List.copyOf(list), list.get(0).severity(), active));
        }
        out.sort(Comparator.<Group>comparingInt(g -> cfg.rank(g.severity()))
                .thenComparing(g -> g.active() == 0)
                .thenComparing(g -> newest(g), Comparator.reverseOrder())
                .thenComparing(Group::key));
        return out;
    }

    private static Instant newest(Group g) {
        return g.alerts().stream().map(a -> a.startsAt() == null ? Instant.MIN : a.startsAt()).max(Comparator.naturalOrder())
                .orElse(Instant.MIN);
    }

    /** Active (not suppressed) alerts per configured severity, in the configured order, plus "other" if any. */
    public static Map<String, Long> activeBySeverity(List<Alert> alerts, Environment.Alerts cfg) {
        Map<String, Long> out = new LinkedHashMap<>();
        cfg.severities().forEach(s -> out.put(s, 0L));
        for (Alert a : alerts) {
            if (!a.suppressed()) {
                String s = cfg.severities().contains(a.severity()) ? a.severity() : "other";
                out.merge(s, 1L, Long::sum);
            }
        }
        return out;
    }
}
