package io.dutydesk.adapters.docker;

import io.dutydesk.core.Errors;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelErrors;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.Tunnels;

import java.io.IOException;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** The server's Docker engine, through the forwarded unix socket (docker-java, httpclient5). */
public final class DockerAdapter implements BackendProbe, ContainersPort, AutoCloseable {
    /** Who a call that timed out did not hear from. */
    private static final String DOCKER = "Docker on the server";
    private final Environment.Docker config;
    private final Tunnels tunnels;
    private final Duration timeout;
    private final ExecutorService executor = BoundedExecutors.create("docker", 2, 32);
    private DockerClient client;
    private DockerClient streamingClient;
    private Path clientAddress;

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
                        throw error("the Docker socket " + config.socket(), e);
                    }
                    return null;
                }));
    }

    /** The client for the tunnel's current address (stable across reconnects, rebuilt if not). */
    synchronized DockerClient client(Path addr) throws IOException {
        if (client == null || !addr.equals(clientAddress)) {
            if (client != null) {
                client.close();
            }
            io.dutydesk.adapters.support.NetworkClients.creating(io.dutydesk.adapters.support.NetworkClients.DOCKER);
            URI host = URI.create("unix://" + addr.toAbsolutePath());
            DefaultDockerClientConfig cfg = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(host.toString()).withDockerTlsVerify(false).build();
            ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(host)
                    .connectionTimeout(timeout).responseTimeout(timeout).maxConnections(8).build();
            client = DockerClientImpl.getInstance(cfg, http);
            // logs that follow and restarts that wait for a stop need a longer read timeout
            ApacheDockerHttpClient slow = new ApacheDockerHttpClient.Builder().dockerHost(host)
                    .connectionTimeout(timeout).responseTimeout(Duration.ofHours(12)).maxConnections(8).build();
            if (streamingClient != null) {
                streamingClient.close();
            }
            streamingClient = DockerClientImpl.getInstance(cfg, slow);
            clientAddress = addr;
        }
        return client;
    }

    private synchronized DockerClient streaming(Path addr) throws IOException {
        client(addr);
        return streamingClient;
    }

    private <T> CompletableFuture<T> call(String what, DockerCall<T> work) {
        return tunnels.forwardUnixSocket(config.socket(), config.dialStdioCommand())
                .thenCompose(addr -> BoundedExecutors.supply(executor, () -> {
                    try {
                        return work.run(addr);
                    } catch (RuntimeException e) {
                        throw error("the Docker socket " + config.socket() + " (" + what + ")", e);
                    }
                }));
    }

    /**
     * Docker's own words when the server side said why (permission denied, the fallback command's
     * error), rather than a guess from the closed socket.
     */
    private java.util.concurrent.CompletionException error(String where, RuntimeException e) {
        java.util.Optional<String> why = tunnels.unixSocketFailure(config.socket());
        if (why.isPresent() && TunnelErrors.closedWithoutAnswer(e)) {
            return new java.util.concurrent.CompletionException(new IOException(where + ": " + why.get(), e));
        }
        return TunnelErrors.wrap(where, e);
    }

    @FunctionalInterface
    private interface DockerCall<T> {
        T run(Path addr) throws Exception;
    }

    @Override
    public CompletableFuture<List<ContainerInfo>> containers() {
        return Errors.within(call("list containers", addr -> {
            DockerClient c = client(addr);
            List<ContainerInfo> out = new ArrayList<>();
            for (Container k : c.listContainersCmd().withShowAll(true).exec()) {
                try {
                    out.add(info(c.inspectContainerCmd(k.getId()).exec()));
                } catch (NotFoundException gone) {
                    // removed between list and inspect
                }
            }
            return List.copyOf(out);
        }), timeout.multipliedBy(3), DOCKER);
    }

    /** The list filtered by Docker itself (label keys, or names anchored: Docker's name filter matches substrings). */
    @Override
    public CompletableFuture<List<ContainerInfo>> containers(Selection selection) {
        if (selection.names().isEmpty() && selection.labelKeys().isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return Errors.within(call("list containers", addr -> {
            DockerClient c = client(addr);
            var list = c.listContainersCmd().withShowAll(true);
            if (!selection.labelKeys().isEmpty()) {
                list.withLabelFilter(selection.labelKeys());
            } else {
                list.withNameFilter(selection.names().stream().map(DockerAdapter::exactName).toList());
            }
            List<ContainerInfo> out = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Container k : list.exec()) {
                seen.add(k.getId());
                String listed = listed(k);
                long now = System.nanoTime();
                Inspected before = inspected.get(k.getId());
                ContainerInfo i;
                if (needsInspect(before, listed, now)) {
                    try {
                        i = info(c.inspectContainerCmd(k.getId()).exec());
                    } catch (NotFoundException gone) {
                        inspected.remove(k.getId());
                        continue; // removed between list and inspect
                    }
                    inspected.put(k.getId(), new Inspected(listed, i, now));
                } else {
                    i = before.info();
                }
                if (selection.matches(i)) {
                    out.add(i);
                }
            }
            inspected.keySet().retainAll(seen);
            return List.copyOf(out);
        }), timeout.multipliedBy(3), DOCKER);
    }

    /**
     * The last inspection of each container listed (by id) and what its list entry said then. A poll inspects only what may
     * have changed: every container is listed each time (one call), but inspecting eight containers every five seconds was
     * most of an idle window's Docker cost (eight ~10 KB answers parsed). See {@link #needsInspect}.
     */
    private final Map<String, Inspected> inspected = new java.util.concurrent.ConcurrentHashMap<>();

    record Inspected(String listed, ContainerInfo info, long atNanos) {}

    /** Inspected again at least this often, whatever the list says. */
    static final Duration INSPECT_AT_LEAST_EVERY = Duration.ofSeconds(60);

    /** A list entry's state and Docker's status line ("Up 3 hours (healthy)", "Exited (1) 2 minutes ago"). */
    static String listed(Container k) {
        return k.getState() + "\u0000" + k.getStatus();
    }

    /**
     * Whether a listed container must be inspected again: never inspected; its state or status line changed (a health
     * change, a stop, a start — and the line's age when it passes a unit, which is rare); its status line counts seconds
     * (started, restarted or stopped within the last minute: a restart between two polls that left the same words, e.g.
     * "Up 5 seconds" both times, is still read — the restart count and start time are only in the inspection); or the last
     * inspection is older than {@link #INSPECT_AT_LEAST_EVERY} (e.g. the pane was hidden and nobody polled).
     */
    static boolean needsInspect(Inspected before, String listed, long nowNanos) {
        return before == null || !before.listed().equals(listed) || listed.contains("second")
                || nowNanos - before.atNanos() >= INSPECT_AT_LEAST_EVERY.toNanos();
    }

    /** Docker's name filter is a (Go) regular expression over "/name": anchored and escaped, one name exactly. */
    static String exactName(String name) {
        return "^/" + name.replaceAll("[^A-Za-z0-9_-]", "\\\\$0") + "$";
    }

    static ContainerInfo info(InspectContainerResponse r) {
        InspectContainerResponse.ContainerState st = r.getState();
        String health = st.getHealth() == null || st.getHealth().getStatus() == null ? "none" : st.getHealth().getStatus();
        Instant started = null;
        if (st.getStartedAt() != null && !st.getStartedAt().startsWith("0001-")) {
            try {
                started = Instant.parse(st.getStartedAt());
            } catch (java.time.format.DateTimeParseException ignored) {
                // left unknown
            }
        }
        String name = r.getName() != null && r.getName().startsWith("/") ? r.getName().substring(1) : r.getName();
        Map<String, String> labels = r.getConfig() != null && r.getConfig().getLabels() != null ? r.getConfig().getLabels() : Map.of();
        return new ContainerInfo(r.getId(), name, r.getConfig() == null ? "" : r.getConfig().getImage(),
                st.getStatus() == null ? "unknown" : st.getStatus(), health, started,
                r.getRestartCount() == null ? 0 : r.getRestartCount(), Map.copyOf(labels));
    }

    @Override
    public CompletableFuture<LogStream> logs(String container, int tail, boolean follow, RemoteShell.OutputListener lines) {
        return call("logs of " + container, addr -> {
            LogSplitter cb = new LogSplitter(lines);
            streaming(addr).logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(tail)
                    .withFollowStream(follow).exec(cb);
            if (!follow) {
                cb.awaitCompletion(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
            }
            return new LogStream(cb, cb.ended);
        });
    }

    @Override
    public CompletableFuture<LogStream> logsSince(String container, java.time.Instant since, int tail, RemoteShell.OutputListener lines) {
        return call("logs of " + container, addr -> {
            LogSplitter cb = new LogSplitter(lines);
            streaming(addr).logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(tail)
                    .withSince((int) since.getEpochSecond()).withFollowStream(false).exec(cb);
            cb.awaitCompletion(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
            return new LogStream(cb, cb.ended);
        });
    }

    @Override
    public CompletableFuture<Void> restart(String container, Duration stopTimeout) {
        return Errors.within(call("restart " + container, addr -> {
            streaming(addr).restartContainerCmd(container).withTimeout((int) stopTimeout.toSeconds()).exec();
            return (Void) null;
        }), stopTimeout.plus(timeout).plusSeconds(30), DOCKER);
    }

    /** Docker log frames into lines, stdout and stderr apart. */
    private static final class LogSplitter extends ResultCallback.Adapter<Frame> {
        private final RemoteShell.OutputListener lines;
        private final StringBuilder out = new StringBuilder();
        private final StringBuilder err = new StringBuilder();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        LogSplitter(RemoteShell.OutputListener lines) {
            this.lines = lines;
        }

        @Override
        public void onNext(Frame f) {
            boolean stderr = f.getStreamType() == StreamType.STDERR;
            StringBuilder b = stderr ? err : out;
            b.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            int nl;
            while ((nl = b.indexOf("\n")) >= 0) {
                String line = b.substring(0, nl);
                b.delete(0, nl + 1);
                lines.line(stderr, line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
        }

        @Override
        public void onComplete() {
            if (out.length() > 0) {
                lines.line(false, out.toString());
            }
            if (err.length() > 0) {
                lines.line(true, err.toString());
            }
            super.onComplete();
            ended.complete(null);
        }

        @Override
        public void onError(Throwable t) {
            super.onError(t);
            ended.completeExceptionally(t);
        }
    }

    @Override
    public synchronized void close() {
        executor.shutdownNow();
        if (streamingClient != null) {
            try {
                streamingClient.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
