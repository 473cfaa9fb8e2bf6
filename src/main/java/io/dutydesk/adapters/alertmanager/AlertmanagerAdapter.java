package io.dutydesk.adapters.alertmanager;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.Tunnels;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Alertmanager's API v2 through an SSH TCP forward. */
public final class AlertmanagerAdapter implements BackendProbe, AutoCloseable {
    private final Environment.Http config;
    private final Tunnels tunnels;
    private final ExecutorService executor = BoundedExecutors.create("alertmanager", 2, 32);
    private final TunnelHttp http;

    public AlertmanagerAdapter(Environment.Http config, Tunnels tunnels, Duration timeout) {
        this.config = config;
        this.tunnels = tunnels;
        this.http = new TunnelHttp("Alertmanager", config, tunnels, executor, timeout);
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
    public void close() {
        executor.shutdownNow();
    }
}
