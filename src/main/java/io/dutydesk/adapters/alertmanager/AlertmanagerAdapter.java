package io.dutydesk.adapters.alertmanager;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.Backend;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Silence;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.AlertsPort;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.Tunnels;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Alertmanager's API v2 through an in-process SSH channel per request: the alert feed and silences. */
public final class AlertmanagerAdapter implements BackendProbe, AlertsPort, AutoCloseable {
    private final Environment env;
    private final ExecutorService executor = BoundedExecutors.create("alertmanager", 2, 32);
    private final TunnelHttp http;
    private final AlertmanagerJson json;
    private final Clock clock;

    public AlertmanagerAdapter(Environment env, Tunnels tunnels, Duration timeout) {
        this(env, tunnels, timeout, Clock.systemUTC());
    }

    public AlertmanagerAdapter(Environment env, Tunnels tunnels, Duration timeout, Clock clock) {
        this.env = env;
        this.clock = clock;
        this.http = new TunnelHttp("Alertmanager", env.alertmanager(), tunnels, executor, timeout);
        this.json = new AlertmanagerJson(env.alerts().severityLabel());
    }

    @Override
    public Backend backend() {
        return Backend.ALERTMANAGER;
    }

    /** /api/v2/status answers once Alertmanager has loaded its configuration. */
    @Override
    public CompletableFuture<Void> ping() {
        return http.get("/api/v2/status").thenApply(r -> r.requireOk().body())
                .thenAccept(body -> {
                    if (!body.contains("\"cluster\"") && !body.contains("\"config\"")) {
                        throw new IllegalStateException("unexpected answer from /api/v2/status");
                    }
                });
    }

    @Override
    public CompletableFuture<AlertsFeed> alerts() {
        return http.get("/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true")
                .thenApplyAsync(r -> new AlertsFeed(env.name(), clock.instant(), json.alerts(ok(r, "reading alerts"))), executor);
    }

    @Override
    public CompletableFuture<java.time.Instant> startedAt() {
        return http.get("/api/v2/status").thenApplyAsync(r -> AlertmanagerJson.startedAt(ok(r, "reading its status")), executor);
    }

    @Override
    public CompletableFuture<List<Silence>> silences() {
        return http.get("/api/v2/silences").thenApplyAsync(r -> json.silences(ok(r, "reading silences")), executor);
    }

    @Override
    public CompletableFuture<String> silence(SilenceRequest request) {
        return http.postJson("/api/v2/silences", json.silenceBody(request))
                .thenApply(r -> json.silenceId(ok(r, "creating the silence")));
    }

    @Override
    public CompletableFuture<Void> expire(String silenceId) {
        return http.delete("/api/v2/silence/" + URLEncoder.encode(silenceId, StandardCharsets.UTF_8))
                .thenAccept(r -> ok(r, "expiring silence " + silenceId));
    }

    /** The body of a 2xx; otherwise Alertmanager's own words with the status. */
    private String ok(TunnelHttp.Response r, String what) {
        if (!r.ok()) {
            throw new AlertmanagerException(r.status(), "Alertmanager refused " + what + " (HTTP " + r.status() + "): "
                    + AlertmanagerJson.message(r.body()));
        }
        return r.body();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
