package io.dutydesk.adapters.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.alerts.Transitions;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.AlertSeriesPort;
import io.dutydesk.core.ports.Tunnels;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** {@code ALERTS{alertstate="firing"}} over a range, from Prometheus's query_range, through the tunnel. */
public final class PrometheusAlertSeries implements AlertSeriesPort, AutoCloseable {
    static final String QUERY = "ALERTS{alertstate=\"firing\"}";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ExecutorService executor = BoundedExecutors.create("prometheus-alerts", 1, 8);
    private final TunnelHttp http;
    private final Duration timeout;

    public PrometheusAlertSeries(Environment.Http config, Tunnels tunnels, Duration timeout) {
        this.timeout = timeout.multipliedBy(4);
        this.http = new TunnelHttp("Prometheus", config, tunnels, executor, this.timeout);
    }

    @Override
    public CompletableFuture<List<Transitions.Series>> firing(Instant from, Instant to, Duration step) {
        String form = "query=" + URLEncoder.encode(QUERY, StandardCharsets.UTF_8)
                + "&start=" + seconds(from) + "&end=" + seconds(to) + "&step=" + Math.max(1, step.toSeconds()) + "s";
        return http.postForm("/api/v1/query_range", form, timeout).thenApplyAsync(r -> parse(r.status(), r.body()), executor);
    }

    static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    static List<Transitions.Series> parse(int status, String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("Prometheus answered HTTP " + status + " with something that is not JSON");
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new IllegalStateException("Prometheus (HTTP " + status + "): " + root.path("errorType").asText("")
                    + " " + root.path("error").asText(body.length() > 200 ? body.substring(0, 200) : body));
        }
        List<Transitions.Series> out = new ArrayList<>();
        for (JsonNode s : root.path("data").path("result")) {
            Map<String, String> labels = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("__name__") && !e.getKey().equals("alertstate")) {
                    labels.put(e.getKey(), e.getValue().asText());
                }
            }
            List<Instant> ts = new ArrayList<>();
            for (JsonNode v : s.path("values")) {
                ts.add(Instant.ofEpochMilli(Math.round(v.get(0).asDouble() * 1000)));
            }
            out.add(new Transitions.Series(Map.copyOf(labels), List.copyOf(ts)));
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
