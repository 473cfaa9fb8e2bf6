package io.dutydesk.adapters.prometheus;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.RangeQueryPort;
import io.dutydesk.core.ports.Tunnels;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Prometheus's HTTP API through an SSH TCP forward. */
public final class PrometheusAdapter implements BackendProbe, RangeQueryPort, AutoCloseable {
    private final Environment.Http config;
    private final Tunnels tunnels;
    private final ExecutorService executor = BoundedExecutors.create("prometheus", 2, 32);
    private final TunnelHttp http;
    private final Duration timeout;
    private static final ObjectMapper JSON = new ObjectMapper();

    public PrometheusAdapter(Environment.Http config, Tunnels tunnels, Duration timeout) {
        this.config = config;
        this.tunnels = tunnels;
        this.timeout = timeout;
        this.http = new TunnelHttp("Prometheus", config, tunnels, executor, timeout);
    }

    @Override
    public Backend backend() {
        return Backend.PROMETHEUS;
    }

    /** Prometheus's readiness endpoint: 200 once it serves queries. */
    @Override
    public CompletableFuture<Void> ping() {
        return http.get("/-/ready").thenApply(r -> r.requireOk().body())
                .thenAccept(body -> { });
    }

    /** /api/v1/query_range; the first series' points (Prometheus's error message when it refuses the query). */
    @Override
    public CompletableFuture<List<Point>> rangeQuery(String promql, Instant start, Instant end, Duration step) {
        String form = "query=" + enc(promql) + "&start=" + seconds(start) + "&end=" + seconds(end)
                + "&step=" + Math.max(1, step.toSeconds());
        return http.postForm("/api/v1/query_range", form, timeout).thenApply(r -> {
            JsonNode j;
            try {
                j = JSON.readTree(r.body());
            } catch (Exception e) {
                r.requireOk();
                throw new IllegalStateException(http.where() + ": not JSON: " + e.getMessage());
            }
            if (!"success".equals(j.path("status").asText())) {
                throw new IllegalStateException(http.where() + ": " + j.path("errorType").asText("error") + ": "
                        + j.path("error").asText("HTTP " + r.status()));
            }
            List<Point> out = new ArrayList<>();
            JsonNode series = j.path("data").path("result");
            if (series.isArray() && series.size() > 0) {
                for (JsonNode v : series.get(0).path("values")) {
                    double t = v.get(0).asDouble();
                    String value = v.get(1).asText();
                    double d;
                    try {
                        d = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        continue; // NaN written oddly: skipped
                    }
                    if (!Double.isNaN(d)) {
                        out.add(new Point(Instant.ofEpochMilli(Math.round(t * 1000)), d));
                    }
                }
            }
            return out;
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
