package io.dutydesk.testing;

import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Fingerprints;
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
    public volatile String refuseSilence;
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
    public CompletableFuture<List<Silence>> silences() {
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
        if (down != null) {
            return CompletableFuture.failedFuture(new IOException("Prometheus down"));
        }
        return CompletableFuture.completedFuture(List.copyOf(series));
    }
}
