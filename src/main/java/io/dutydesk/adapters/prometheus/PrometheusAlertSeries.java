package io.dutydesk.adapters.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.alerts.RuleEvaluation;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Prometheus as the alerts' source, through the tunnel: {@code ALERTS{alertstate="firing"}} over a range
 * (query_range), its external labels ({@code /api/v1/status/config}), its alert rules' state
 * ({@code /api/v1/rules?type=alert}) and its newest scrape (an instant query, which also gives its clock).
 */
public final class PrometheusAlertSeries implements AlertSeriesPort, AutoCloseable {
    static final String QUERY = "ALERTS{alertstate=\"firing\"}";
    /**
     * The newest scrape of any target, answered or not ({@code scrape="any"}: a failed scrape writes {@code up} 0 too),
     * the newest a target answered ({@code "answered"}: {@code up} is 1; {@code timestamp} of the selector itself, as
     * {@code timestamp(up == 1)} would give the evaluation's time, not the sample's) and Prometheus's clock
     * ({@code "none"}, -1). A series is missing when there is no such scrape within the lookback (5 minutes).
     */
    static final String LAST_SCRAPE = "label_replace(max(timestamp(up)), \"scrape\", \"any\", \"\", \"\")"
            + " or label_replace(max(timestamp(up) and up == 1), \"scrape\", \"answered\", \"\", \"\")"
            + " or label_replace(vector(-1), \"scrape\", \"none\", \"\", \"\")";
    private final ExecutorService executor = BoundedExecutors.create("prometheus-alerts", 3, 16);
    private final TunnelHttp http;
    private final Duration timeout;
    private final Duration checkTimeout;

    public PrometheusAlertSeries(Environment.Http config, Tunnels tunnels, Duration timeout) {
        this.checkTimeout = timeout;
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
            root = io.dutydesk.adapters.support.Jackson.plain().readTree(body);
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
    public CompletableFuture<Map<String, String>> externalLabels() {
        return http.get("/api/v1/status/config", checkTimeout).thenApplyAsync(r -> {
            if (r.status() == 404 || r.status() == 405 || r.status() == 501) {
                return Map.<String, String>of(); // no config API (not Prometheus itself): no external labels known
            }
            return parseExternalLabels(r.status(), r.body());
        }, executor);
    }

    @Override
    public CompletableFuture<Optional<Duration>> resendDelay() {
        return http.get("/api/v1/status/flags", checkTimeout).thenApplyAsync(r -> {
            if (r.status() == 404 || r.status() == 405 || r.status() == 501) {
                return Optional.<Duration>empty(); // no flags API (not Prometheus itself)
            }
            return goDuration(success(r.status(), r.body()).path("rules.alert.resend-delay").asText(""));
        }, executor);
    }

    /** A Go duration ("3s", "1m0s", "1m30s", "500ms"); empty when there is none or it does not parse. */
    static Optional<Duration> goDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|us|µs|ns)").matcher(text);
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "h" -> 3.6e12;
                case "m" -> 6e10;
                case "s" -> 1e9;
                case "ms" -> 1e6;
                case "us", "µs" -> 1e3;
                default -> 1;
            };
            end = m.end();
        }
        return text.isEmpty() || end != text.length() ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(nanos)));
    }

    @Override
    public CompletableFuture<RuleEvaluation> evaluation() {
        CompletableFuture<List<RuleEvaluation.Group>> rules = http.get("/api/v1/rules?type=alert", checkTimeout)
                .thenApplyAsync(r -> parseRules(r.status(), r.body()), executor);
        CompletableFuture<Instant[]> scrape = http.postForm("/api/v1/query",
                        "query=" + URLEncoder.encode(LAST_SCRAPE, StandardCharsets.UTF_8), checkTimeout)
                .thenApplyAsync(r -> parseLastScrape(r.status(), r.body()), executor);
        return rules.thenCombine(scrape, (groups, s) -> new RuleEvaluation(s[0], Optional.ofNullable(s[1]),
                Optional.ofNullable(s[2]), groups));
    }

    private static JsonNode success(int status, String body) {
        JsonNode root;
        try {
            root = io.dutydesk.adapters.support.Jackson.plain().readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("Prometheus answered HTTP " + status + " with something that is not JSON");
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new IllegalStateException("Prometheus (HTTP " + status + "): " + root.path("errorType").asText("")
                    + " " + root.path("error").asText(body.length() > 200 ? body.substring(0, 200) : body));
        }
        return root.path("data");
    }

    /** {@code global.external_labels} of the configuration Prometheus runs with. */
    static Map<String, String> parseExternalLabels(int status, String body) {
        String yaml = success(status, body).path("yaml").asText("");
        Object root = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                new org.yaml.snakeyaml.LoaderOptions())).load(yaml);
        Map<String, String> out = new TreeMap<>();
        if (root instanceof Map<?, ?> m && m.get("global") instanceof Map<?, ?> g && g.get("external_labels") instanceof Map<?, ?> e) {
            e.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return Map.copyOf(out);
    }

    /**
     * The alert rule groups: last evaluation (null before the first; not reported at all by versions before
     * {@code lastEvaluation} was added to the rules API), interval, each rule's health and held alerts.
     */
    static List<RuleEvaluation.Group> parseRules(int status, String body) {
        List<RuleEvaluation.Group> out = new ArrayList<>();
        for (JsonNode g : success(status, body).path("groups")) {
            List<RuleEvaluation.Rule> rules = new ArrayList<>();
            for (JsonNode r : g.path("rules")) {
                if (!r.path("type").asText("alerting").equals("alerting")) {
                    continue;
                }
                List<RuleEvaluation.Held> held = new ArrayList<>();
                for (JsonNode a : r.path("alerts")) {
                    held.add(new RuleEvaluation.Held(labels(a.path("labels")), a.path("state").asText("")));
                }
                rules.add(new RuleEvaluation.Rule(r.path("name").asText(""), r.path("health").asText(""),
                        r.path("lastError").asText(""), List.copyOf(held)));
            }
            boolean reported = g.hasNonNull("lastEvaluation");
            out.add(new RuleEvaluation.Group(g.path("name").asText(""),
                    Duration.ofMillis(Math.round(g.path("interval").asDouble(0) * 1000)),
                    reported ? time(g.path("lastEvaluation").asText("")) : null, reported, List.copyOf(rules)));
        }
        return List.copyOf(out);
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Go's time in RFC 3339; its zero time (never evaluated) is null. */
    static Instant time(String text) {
        if (text.isEmpty() || text.startsWith("0001-01-01")) {
            return null;
        }
        return java.time.OffsetDateTime.parse(text).toInstant();
    }

    /** [Prometheus's clock, its newest scrape or null, its newest answered scrape or null], from {@link #LAST_SCRAPE}. */
    static Instant[] parseLastScrape(int status, String body) {
        JsonNode result = success(status, body).path("result");
        Instant now = null;
        Instant any = null;
        Instant answered = null;
        for (JsonNode r : result) {
            JsonNode v = r.path("value");
            if (!v.isArray() || v.size() < 2) {
                continue;
            }
            now = Instant.ofEpochMilli(Math.round(v.get(0).asDouble() * 1000));
            double t = Double.parseDouble(v.get(1).asText());
            Instant at = t < 0 ? null : Instant.ofEpochMilli(Math.round(t * 1000));
            switch (r.path("metric").path("scrape").asText("")) {
                case "any" -> any = at;
                case "answered" -> answered = at;
                default -> { } // "none": the clock only
            }
        }
        if (now == null) {
            throw new IllegalStateException("Prometheus answered " + LAST_SCRAPE + " with no value");
        }
        return new Instant[] {now, any, answered};
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
