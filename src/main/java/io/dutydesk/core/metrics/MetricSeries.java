package io.dutydesk.core.metrics;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One series of a query result: its labels and its points (epoch ms, value; NaN and ±Inf as
 * Prometheus sent them). An instant vector has one point per series.
 */
public record MetricSeries(Map<String, String> metric, long[] times, double[] values) {
    public int size() {
        return times.length;
    }

    /**
     * The name in a legend among {@code all}: the labels every series shares (same value everywhere)
     * left out, so that what tells them apart is what shows ({@code {status="5xx"}} rather than a long
     * common prefix cut off just before it); the full name when that leaves nothing; {@code expr}
     * for a result without any label.
     */
    public String shortName(java.util.List<MetricSeries> all, String expr) {
        if (metric.isEmpty()) {
            return expr;
        }
        if (all.size() < 2) {
            return displayName();
        }
        Map<String, String> shown = new java.util.TreeMap<>(metric);
        shown.entrySet().removeIf(e -> all.stream().allMatch(o -> e.getValue().equals(o.metric().get(e.getKey()))));
        if (shown.isEmpty()) {
            return displayName();
        }
        String name = shown.remove("__name__");
        String labels = shown.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(", "));
        return labels.isEmpty() ? name : (name == null ? "" : name) + "{" + labels + "}";
    }

    /** {@code name{a="b", c="d"}} as Prometheus prints it; {@code {}} for an unnamed result. */
    public String displayName() {
        String name = metric.getOrDefault("__name__", "");
        String labels = metric.entrySet().stream().filter(e -> !e.getKey().equals("__name__"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(", "));
        return labels.isEmpty() ? (name.isEmpty() ? "{}" : name) : name + "{" + labels + "}";
    }
}
