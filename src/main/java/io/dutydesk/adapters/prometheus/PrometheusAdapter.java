package io.dutydesk.adapters.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.MetricsPort;
import io.dutydesk.core.metrics.QueryException;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.Tunnels;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/** Prometheus's HTTP API through an in-process SSH channel per request (under the configured path prefix). */
public final class PrometheusAdapter implements BackendProbe, MetricsPort, AutoCloseable {

    private final ExecutorService executor = BoundedExecutors.create("prometheus", 2, 32);
    private final TunnelHttp http;
    private final Duration timeout;

    public PrometheusAdapter(Environment.Http config, Tunnels tunnels, Duration timeout) {
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

    @Override
    public CompletableFuture<QueryResult> instant(String expr, Instant time, Duration callTimeout) {
        String form = "query=" + enc(expr) + "&time=" + seconds(time) + "&timeout=" + callTimeout.toSeconds() + "s";
        return call("/api/v1/query", form, callTimeout.plusSeconds(2), d -> result(d, 0));
    }

    @Override
    public CompletableFuture<QueryResult> range(String expr, Instant start, Instant end, Duration step, Duration callTimeout) {
        String form = "query=" + enc(expr) + "&start=" + seconds(start) + "&end=" + seconds(end)
                + "&step=" + (step.toMillis() / 1000.0) + "&timeout=" + callTimeout.toSeconds() + "s";
        return call("/api/v1/query_range", form, callTimeout.plusSeconds(2), d -> result(d, step.toMillis()));
    }

    @Override
    public CompletableFuture<List<String>> labelNames() {
        return get("/api/v1/labels", PrometheusAdapter::strings);
    }

    @Override
    public CompletableFuture<List<String>> labelValues(String label) {
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a label name: " + label));
        }
        return get("/api/v1/label/" + label + "/values", PrometheusAdapter::strings);
    }

    @Override
    public CompletableFuture<Map<String, String>> metadata() {
        return get("/api/v1/metadata", d -> {
            Map<String, String> out = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = d.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode first = e.getValue().path(0);
                out.put(e.getKey(), first.path("type").asText("") + ": " + first.path("help").asText(""));
            }
            return out;
        });
    }

    private <T> CompletableFuture<T> get(String path, Function<JsonNode, T> parse) {
        return relay(http.get(path), parse);
    }

    private <T> CompletableFuture<T> call(String path, String form, Duration callTimeout, Function<JsonNode, T> parse) {
        return relay(http.postForm(path, form, callTimeout), parse);
    }

    /** Parses on the adapter's executor; cancelling the result cancels the HTTP exchange. */
    private <T> CompletableFuture<T> relay(CompletableFuture<TunnelHttp.Response> inFlight, Function<JsonNode, T> parse) {
        CompletableFuture<T> result = new CompletableFuture<>();
        inFlight.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
                return;
            }
            try {
                result.complete(parse.apply(data(r)));
            } catch (RuntimeException ex) {
                result.completeExceptionally(ex);
            }
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                inFlight.cancel(true);
            }
        });
        return result;
    }

    /** The {@code data} of a success; Prometheus's own error otherwise. */
    static JsonNode data(TunnelHttp.Response r) {
        JsonNode root;
        try {
            root = io.dutydesk.adapters.support.Jackson.plain().readTree(r.body());
        } catch (Exception e) {
            throw new TunnelHttp.HttpStatusException(r.status(), r.body());
        }
        if (root == null || !root.isObject()) {
            throw new TunnelHttp.HttpStatusException(r.status(), r.body());
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new QueryException(root.path("errorType").asText(""), root.path("error").asText(r.body()), r.status());
        }
        if (!r.ok()) {
            throw new TunnelHttp.HttpStatusException(r.status(), r.body());
        }
        if (root.has("warnings")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) root.path("data")).set("__warnings", root.get("warnings"));
        }
        return root.path("data");
    }

    static QueryResult result(JsonNode d, long stepMillis) {
        String type = d.path("resultType").asText();
        List<MetricSeries> series = new ArrayList<>();
        JsonNode res = d.path("result");
        switch (type) {
            case "matrix" -> {
                for (JsonNode s : res) {
                    JsonNode values = s.path("values");
                    int n = values.size();
                    long[] t = new long[n];
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        t[i] = Math.round(values.get(i).get(0).asDouble() * 1000);
                        v[i] = value(values.get(i).get(1).asText());
                    }
                    series.add(new MetricSeries(labels(s.path("metric")), t, v));
                }
            }
            case "vector" -> {
                for (JsonNode s : res) {
                    JsonNode p = s.path("value");
                    series.add(new MetricSeries(labels(s.path("metric")), new long[] {Math.round(p.get(0).asDouble() * 1000)},
                            new double[] {value(p.get(1).asText())}));
                }
            }
            case "scalar", "string" -> series.add(new MetricSeries(Map.of(), new long[] {Math.round(res.get(0).asDouble() * 1000)},
                    new double[] {type.equals("scalar") ? value(res.get(1).asText()) : Double.NaN}));
            default -> throw new IllegalStateException("Prometheus answered an unknown result type: " + type);
        }
        List<String> warnings = new ArrayList<>();
        d.path("__warnings").forEach(w -> warnings.add(w.asText()));
        return new QueryResult(type, List.copyOf(series), List.copyOf(warnings), stepMillis);
    }

    static double value(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static Map<String, String> labels(JsonNode m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static List<String> strings(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(Instant t) {
        return String.valueOf(t.toEpochMilli() / 1000.0);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
