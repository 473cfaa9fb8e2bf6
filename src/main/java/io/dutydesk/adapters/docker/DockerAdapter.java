package io.dutydesk.adapters.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelErrors;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.Tunnels;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** The server's Docker engine, through the forwarded unix socket (docker-java, httpclient5). */
public final class DockerAdapter implements BackendProbe, AutoCloseable {
    private final Environment.Docker config;
    private final Tunnels tunnels;
    private final Duration timeout;
    private final ExecutorService executor = BoundedExecutors.create("docker", 2, 32);
    private DockerClient client;
    private InetSocketAddress clientAddress;

    public DockerAdapter(Environment.Docker config, Tunnels tunnels, Duration timeout) {
        this.config = config;
        this.tunnels = tunnels;
        this.timeout = timeout;
    }

    @Override
    public Backend backend() {
        return Backend.DOCKER;
    }

    @Override
    public CompletableFuture<Void> ping() {
        return tunnels.forwardUnixSocket(config.socket(), config.dialStdioCommand())
                .thenCompose(addr -> BoundedExecutors.supply(executor, () -> {
                    try {
                        client(addr).pingCmd().exec();
                    } catch (RuntimeException e) {
                        throw TunnelErrors.wrap("the Docker socket " + config.socket(), e);
                    }
                    return null;
                }));
    }

    /** The client for the tunnel's current address (stable across reconnects, rebuilt if not). */
    synchronized DockerClient client(InetSocketAddress addr) throws IOException {
        if (client == null || !addr.equals(clientAddress)) {
            if (client != null) {
                client.close();
            }
            URI host = URI.create("tcp://127.0.0.1:" + addr.getPort());
            DefaultDockerClientConfig cfg = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host.toString()).withDockerTlsVerify(false).build();
            ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(host)
                    .connectionTimeout(timeout).responseTimeout(timeout).maxConnections(8).build();
            client = DockerClientImpl.getInstance(cfg, http);
            clientAddress = addr;
        }
        return client;
    }

    @Override
    public synchronized void close() {
        executor.shutdownNow();
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
