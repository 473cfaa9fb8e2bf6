package io.dutydesk.core.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The server's containers, as Docker sees them. */
public interface ContainersPort {

    /**
     * @param state   Docker's state: running, exited, restarting, created …
     * @param health  healthy, unhealthy, starting, or "none" without a healthcheck
     */
    record ContainerInfo(String id, String name, String image, String state, String health, Instant startedAt,
                         int restarts, Map<String, String> labels) {
        public boolean running() {
            return "running".equals(state);
        }

        /** Healthy, or running without a healthcheck. */
        public boolean healthyOrUnchecked() {
            return running() && ("healthy".equals(health) || "none".equals(health));
        }

        /** The image's tag, e.g. v1.2.0 of selfology/service:v1.2.0. */
        public String version() {
            int slash = image.lastIndexOf('/');
            int colon = image.lastIndexOf(':');
            return colon > slash ? image.substring(colon + 1) : "latest";
        }
    }

    /** Every container (running or not) with its inspect details. */
    CompletableFuture<List<ContainerInfo>> containers();

    /**
     * Which containers a reader wants: those with every one of {@code labelKeys} (when not empty), else those named
     * exactly one of {@code names}.
     */
    record Selection(List<String> names, List<String> labelKeys) {
        public Selection {
            names = List.copyOf(names);
            labelKeys = List.copyOf(labelKeys);
        }

        public boolean matches(ContainerInfo c) {
            return labelKeys.isEmpty() ? names.contains(c.name()) : c.labels().keySet().containsAll(labelKeys);
        }
    }

    /**
     * The selected containers (running or not) with their details: Docker filters them (by label or exact name), so
     * a server's other containers are neither listed nor inspected.
     */
    default CompletableFuture<List<ContainerInfo>> containers(Selection selection) {
        return containers().thenApply(all -> all.stream().filter(selection::matches).toList());
    }

    /** A log being read: close it to stop; {@code ended} completes when Docker ends the stream (e.g. the container stopped). */
    record LogStream(AutoCloseable closer, CompletableFuture<Void> ended) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            closer.close();
        }
    }

    /** The last {@code tail} lines of a container's log; with {@code follow} until closed or the container stops. */
    CompletableFuture<LogStream> logs(String container, int tail, boolean follow, RemoteShell.OutputListener lines);

    /**
     * The lines a container logged since {@code since} (at most the last {@code tail}), read to the end: the morning
     * check's error lines. Only an adapter that can ask for a time overrides this; the default refuses.
     */
    default CompletableFuture<LogStream> logsSince(String container, Instant since, int tail, RemoteShell.OutputListener lines) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this containers port cannot read logs since a time"));
    }

    CompletableFuture<Void> restart(String container, Duration stopTimeout);
}
