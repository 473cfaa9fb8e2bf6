package io.dutydesk.testing;

import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Fingerprints;
import io.dutydesk.core.alerts.RuleEvaluation;
import io.dutydesk.core.alerts.Silence;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.alerts.Transitions;
import io.dutydesk.core.ports.AlertSeriesPort;
import io.dutydesk.core.ports.AlertsPort;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in Alertmanager (and Prometheus ALERTS) for view-model and service tests: alerts set by the test, switchable faults. */
public final class FakeAlerts implements AlertsPort, AlertSeriesPort {
    public final List<Alert> alerts = new CopyOnWriteArrayList<>();
    public final List<SilenceRequest> silenced = new CopyOnWriteArrayList<>();
    public final List<String> expired = new CopyOnWriteArrayList<>();
    public final List<Transitions.Series> series = new CopyOnWriteArrayList<>();
    public volatile String down;
    /** Prometheus down (its ALERTS series, its rules and its config fail), in these words. */
    public volatile String prometheusDown;
    /** Prometheus's external labels: added to what Alertmanager gets, not to the ALERTS series nor the rules' alerts. */
    public final Map<String, String> external = new java.util.concurrent.ConcurrentHashMap<>();
    /** Prometheus's alert rules (besides the names of the alerts set); a name here with an error cannot be evaluated. */
    public final Map<String, String> rules = new java.util.concurrent.ConcurrentHashMap<>(Map.of("ServiceDown", "",
            "HighErrorRate", "", "EventProcessingBacklog", "", "Watchdog", ""));
    /** Prometheus's pending or firing alerts beyond the ones set (labels without the external ones): state. */
    public final Map<Map<String, String>, String> held = new java.util.concurrent.ConcurrentHashMap<>();
    /** Prometheus up, but refusing the ALERTS range query (too much: "query timed out"), in these words. */
    public volatile String rangeRefused;
    /** How many times the ALERTS series were asked for. */
    public final java.util.concurrent.atomic.AtomicInteger seriesAsked = new java.util.concurrent.atomic.AtomicInteger();
    public volatile String refuseSilence;
    /** When Alertmanager started (long before the tests' times unless a test restarts it). */
    public volatile Instant startedAt = Instant.parse("2000-01-01T00:00:00Z");
    public volatile Clock clock = Clock.systemUTC();
    private final String env;

    public FakeAlerts(String env) {
        this.env = env;
    }

    /** An alert as Alertmanager would report it; {@code labels} as k, v pairs (alertname first). */
    public static Alert alert(String severity, Instant startsAt, String... kv) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            labels.put(kv[i], kv[i + 1]);
        }
        labels.put("severity", severity);
        return new Alert(Fingerprints.of(labels), labels.getOrDefault("alertname", ""), severity, "active", startsAt, startsAt,
                java.util.Collections.unmodifiableMap(labels), Map.of("summary", labels.getOrDefault("alertname", "") + " on "
                + labels.getOrDefault("service", "?")), List.of(), List.of(),
                "http://127.0.0.1:9090/graph?g0.expr=up%7Bjob%3D%22services%22%7D+%3D%3D+0&g0.tab=1");
    }

    public static Alert silencedBy(Alert a, String silenceId) {
        return new Alert(a.fingerprint(), a.alertname(), a.severity(), "suppressed", a.startsAt(), a.updatedAt(), a.labels(),
                a.annotations(), List.of(silenceId), List.of(), a.generatorURL());
    }

    @Override
    public CompletableFuture<AlertsFeed> alerts() {
        if (down != null) {
            return CompletableFuture.failedFuture(new AlertmanagerException(500, down));
        }
        return CompletableFuture.completedFuture(new AlertsFeed(env, clock.instant(), List.copyOf(alerts)));
    }

    @Override
    public CompletableFuture<Instant> startedAt() {
        if (down != null) {
            return CompletableFuture.failedFuture(new AlertmanagerException(500, down));
        }
        return CompletableFuture.completedFuture(startedAt);
    }

    /** How many times the silences were read. */
    public final java.util.concurrent.atomic.AtomicInteger silenceReads = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletableFuture<List<Silence>> silences() {
        silenceReads.incrementAndGet();
        List<Silence> out = new ArrayList<>();
        for (int i = 0; i < silenced.size(); i++) {
            SilenceRequest r = silenced.get(i);
            String id = "s" + i;
            out.add(new Silence(id, r.matchers(), r.startsAt(), r.endsAt(), r.createdBy(), r.comment(),
                    expired.contains(id) ? "expired" : "active"));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<String> silence(SilenceRequest request) {
        if (refuseSilence != null) {
            return CompletableFuture.failedFuture(new AlertmanagerException(400, "Alertmanager refused creating the silence (HTTP 400): "
                    + refuseSilence));
        }
        silenced.add(request);
        return CompletableFuture.completedFuture("s" + (silenced.size() - 1));
    }

    @Override
    public CompletableFuture<Void> expire(String silenceId) {
        expired.add(silenceId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<Transitions.Series>> firing(Instant from, Instant to, Duration step) {
        seriesAsked.incrementAndGet();
        if (down != null || prometheusDown != null) {
            return CompletableFuture.failedFuture(new IOException(prometheusDown != null ? prometheusDown : "Prometheus down"));
        }
        if (rangeRefused != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(rangeRefused));
        }
        return CompletableFuture.completedFuture(List.copyOf(series));
    }

    @Override
    public CompletableFuture<Map<String, String>> externalLabels() {
        if (prometheusDown != null) {
            return CompletableFuture.failedFuture(new IOException(prometheusDown));
        }
        return CompletableFuture.completedFuture(Map.copyOf(external));
    }

    /** Prometheus evaluating every 5 s, just now: its rules, the alerts set as firing (without the external labels). */
    @Override
    public CompletableFuture<RuleEvaluation> evaluation() {
        if (prometheusDown != null) {
            return CompletableFuture.failedFuture(new IOException(prometheusDown));
        }
        Instant now = clock.instant();
        Map<String, List<RuleEvaluation.Held>> byRule = new TreeMap<>();
        rules.keySet().forEach(r -> byRule.put(r, new ArrayList<>()));
        for (Alert a : alerts) {
            Map<String, String> own = new TreeMap<>(a.labels());
            external.forEach((k, v) -> own.remove(k, v));
            byRule.computeIfAbsent(a.alertname(), k -> new ArrayList<>()).add(new RuleEvaluation.Held(own, "firing"));
        }
        held.forEach((labels, state) -> byRule.computeIfAbsent(labels.getOrDefault("alertname", ""), k -> new ArrayList<>())
                .add(new RuleEvaluation.Held(labels, state)));
        List<RuleEvaluation.Rule> rs = new ArrayList<>();
        byRule.forEach((name, hs) -> {
            String error = rules.getOrDefault(name, "");
            rs.add(new RuleEvaluation.Rule(name, error.isEmpty() ? "ok" : "err", error, List.copyOf(hs)));
        });
        return CompletableFuture.completedFuture(new RuleEvaluation(now, java.util.Optional.of(now.minusSeconds(2)),
                List.of(new RuleEvaluation.Group("fake", Duration.ofSeconds(5), now.minusSeconds(1), List.copyOf(rs)))));
    }
}
