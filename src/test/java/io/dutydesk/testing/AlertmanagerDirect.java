package io.dutydesk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The reference host's Alertmanager and Prometheus seen directly by a test (not through the console):
 * to post an alert as Prometheus would, and to watch when something appears in the API.
 */
public final class AlertmanagerDirect {
    public static final int AM_PORT = 24093;
    public static final int PROM_PORT = 24090;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerDirect() {}

    /** Posts one alert (as Prometheus would), firing until {@code endsAt}. */
    public static void post(Map<String, String> labels, Map<String, String> annotations, Instant endsAt) {
        var root = JSON.createArrayNode();
        var a = root.addObject();
        labels.forEach(a.putObject("labels")::put);
        annotations.forEach(a.putObject("annotations")::put);
        a.put("startsAt", Instant.now().toString());
        a.put("endsAt", endsAt.toString());
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + AM_PORT + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(root.toString())).build());
    }

    /** Alertmanager's alerts, as it answers them now. */
    public static JsonNode alerts() {
        return json(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + AM_PORT + "/api/v2/alerts")).GET().build()));
    }

    /** The first alert whose labels include all of {@code labels}, or null. */
    public static JsonNode find(Map<String, String> labels) {
        for (JsonNode a : alerts()) {
            boolean all = true;
            for (var e : labels.entrySet()) {
                all &= e.getValue().equals(a.path("labels").path(e.getKey()).asText(null));
            }
            if (all) {
                return a;
            }
        }
        return null;
    }

    /** A PromQL instant query to Prometheus: its {@code data.result}. */
    public static JsonNode query(String promql) {
        return json(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PROM_PORT + "/api/v1/query?query="
                + java.net.URLEncoder.encode(promql, java.nio.charset.StandardCharsets.UTF_8))).GET().build())).path("data").path("result");
    }

    /** Prometheus's rule groups (to check a rule is loaded). */
    public static String rules() {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PROM_PORT + "/api/v1/rules")).GET().build());
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String send(HttpRequest r) {
        try {
            HttpResponse<String> resp = HTTP.send(HttpRequest.newBuilder(r.uri()).timeout(Duration.ofSeconds(5))
                    .method(r.method(), r.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() / 100 != 2) {
                throw new AssertionError(r.uri() + ": HTTP " + resp.statusCode() + " " + resp.body());
            }
            return resp.body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
