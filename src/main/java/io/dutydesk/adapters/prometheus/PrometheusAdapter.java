package io.dutydesk.adapters.prometheus;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.Tunnels;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Prometheus's HTTP API through an SSH TCP forward. */
public final class PrometheusAdapter implements BackendProbe, AutoCloseable {
    private final Environment.Http config;
    private final Tunnels tunnels;
    private final ExecutorService executor = BoundedExecutors.create("prometheus", 2, 32);
    private final TunnelHttp http;

    public PrometheusAdapter(Environment.Http config, Tunnels tunnels, Duration timeout) {
        this.config = config;
        this.tunnels = tunnels;
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
    public void close() {
        executor.shutdownNow();
    }
}
