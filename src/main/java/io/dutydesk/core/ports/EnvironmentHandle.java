package io.dutydesk.core.ports;

import io.dutydesk.core.config.Environment;

import java.util.List;

/** An opened environment: its backends, reached through one SSH connection. */
public interface EnvironmentHandle extends AutoCloseable {
    Environment environment();

    /** One probe per backend, in {@link io.dutydesk.core.Backend} order. */
    List<BackendProbe> probes();

    RemoteShell shell();

    ContainersPort containers();

    OutboxPort outbox();

    /** The outbox's backlog, read gently (the Outbox pane, {@code dutydesk outbox}). */
    default BacklogPort backlog() {
        return () -> java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this environment handle has no outbox backlog"));
    }

    /** What the database has of the configured outbox (tables, columns, declared status values): {@code dutydesk doctor}. */
    default OutboxSchemaPort outboxSchema() {
        return values -> java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this environment handle cannot read the outbox's schema"));
    }

    /** The event stream and its consumer groups. */
    default StreamPort stream() {
        return () -> java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this environment handle has no event stream"));
    }

    /** Prometheus's query API (the Metrics pane, {@code dutydesk query}). */
    default io.dutydesk.core.metrics.MetricsPort metrics() {
        throw new UnsupportedOperationException("this environment handle has no Prometheus");
    }

    /** Backup verification results in the console's local store (none kept by default). */
    default VerificationResults verifications() {
        return VerificationResults.NONE;
    }

    /**
     * A secret of this environment resolved the way its backends' are (server file, dotenv key, keyring, prompt,
     * the console's environment), in memory only: e.g. the database password a restore job needs.
     */
    default java.util.concurrent.CompletableFuture<java.util.Optional<char[]>> secret(io.dutydesk.core.config.SecretRef ref) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("this environment handle resolves no secrets"));
    }

    /** Alertmanager's alerts and silences. */
    default AlertsPort alerts() {
        throw new UnsupportedOperationException("this environment handle has no Alertmanager");
    }

    /** Prometheus's ALERTS series (the alert history of the time the console was closed). */
    default AlertSeriesPort alertSeries() {
        throw new UnsupportedOperationException("this environment handle has no Prometheus");
    }

    /**
     * A Prometheus Pushgateway for the morning check's statuses ({@code dutydesk check --push URL}): a URL on the server's
     * loopback is reached over this environment's SSH connection, any other directly.
     */
    default CheckPush checkPush(java.net.URI url) {
        throw new UnsupportedOperationException("this environment handle cannot push to a Pushgateway");
    }

    /**
     * Forgets a refused host key and declined passwords: the next use asks again. Called when the
     * user asks for it (Refresh); until then a "no" is not asked again at every poll.
     */
    default void askAgain() {
    }

    /**
     * True while the first connection to the environment's server (SSH, through which every backend is reached)
     * has not been tried to completion: neither established nor failed. A probe that runs out of time meanwhile
     * has not been answered yet; it is not down ({@link io.dutydesk.core.health.HealthMonitor}).
     */
    default boolean connecting() {
        return false;
    }

    @Override
    void close();
}
