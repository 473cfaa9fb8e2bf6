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

    /** {@code name{a="b", c="d"}} as Prometheus prints it; {@code {}} for an unnamed result. */
    public String displayName() {
        String name = metric.getOrDefault("__name__", "");
        String labels = metric.entrySet().stream().filter(e -> !e.getKey().equals("__name__"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(", "));
        return labels.isEmpty() ? (name.isEmpty() ? "{}" : name) : name + "{" + labels + "}";
    }
}
