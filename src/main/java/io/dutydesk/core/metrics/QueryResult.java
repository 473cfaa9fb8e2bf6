package io.dutydesk.core.metrics;

import java.util.List;

/**
 * What Prometheus answered: {@code resultType} (matrix, vector, scalar, string), the series, its
 * warnings, and for a range query the step used.
 */
public record QueryResult(String resultType, List<MetricSeries> series, List<String> warnings, long stepMillis) {
    public int maxPoints() {
        int m = 0;
        for (MetricSeries s : series) {
            m = Math.max(m, s.size());
        }
        return m;
    }
}
