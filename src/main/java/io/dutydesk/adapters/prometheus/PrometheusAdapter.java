package io.dutydesk.adapters.prometheus;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.HttpGet;
import io.dutydesk.adapters.support.TunnelErrors;
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
    private final HttpGet http;

    public PrometheusAdapter(Environment.Http config, Tunnels tunnels, Duration timeout) {
        this.config = config;
        this.tunnels = tunnels;
        this.http = new HttpGet(executor, timeout);
    }

    @Override
    public Backend backend() {
        return Backend.PROMETHEUS;
    }

    /** Prometheus's readiness endpoint: 200 once it serves queries. */
    @Override
    public CompletableFuture<Void> ping() {
        return tunnels.forwardTcp(config.host(), config.port())
                .thenCompose(a -> http.text(config.uriOn("127.0.0.1", a.getPort(), "/-/ready")))
                .exceptionally(e -> { throw TunnelErrors.wrap("Prometheus " + config.host() + ":" + config.port(), e); })
                .thenAccept(body -> { });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
