package io.dutydesk.core.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricSeriesTest {
    static MetricSeries s(Map<String, String> m) {
        return new MetricSeries(m, new long[0], new double[0]);
    }

    @Test
    void theLegendNameLeavesOutWhatEverySeriesShares() {
        MetricSeries ok = s(Map.of("instance", "127.0.0.1:24101", "job", "services", "service", "api", "status", "2xx"));
        MetricSeries bad = s(Map.of("instance", "127.0.0.1:24101", "job", "services", "service", "api", "status", "5xx"));
        MetricSeries other = s(Map.of("instance", "127.0.0.1:24101", "job", "services", "service", "worker", "status", "5xx"));
        List<MetricSeries> all = List.of(ok, bad, other);
        assertEquals("{service=\"api\", status=\"2xx\"}", ok.shortName(all, "x"));
        assertEquals("{service=\"worker\", status=\"5xx\"}", other.shortName(all, "x"));
        assertEquals("up{job=\"a\"}", s(Map.of("__name__", "up", "job", "a")).shortName(List.of(s(Map.of("__name__", "up", "job", "a"))), "up"),
                "alone: the whole name");
        MetricSeries up = s(Map.of("__name__", "up", "job", "a"));
        MetricSeries scrape = s(Map.of("__name__", "scrape_duration_seconds", "job", "a"));
        assertEquals("scrape_duration_seconds", scrape.shortName(List.of(up, scrape), "x"), "the metric name when only it differs");
        assertEquals("sum(rate(x[5m]))", s(Map.of()).shortName(List.of(s(Map.of())), "sum(rate(x[5m]))"), "no labels: the expression, not {}");
    }
}
