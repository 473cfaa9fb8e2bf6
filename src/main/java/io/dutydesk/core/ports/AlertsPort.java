package io.dutydesk.core.ports;

import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Silence;
import io.dutydesk.core.alerts.SilenceRequest;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Alertmanager's API v2. Refusals (4xx/5xx) fail with {@link AlertmanagerException} carrying
 * Alertmanager's own words; an answer that is not the expected JSON fails too, never as an empty list.
 */
public interface AlertsPort {
    /** Every alert: active, suppressed (silenced, inhibited), unprocessed. */
    CompletableFuture<AlertsFeed> alerts();

    /**
     * When Alertmanager started (its status's uptime). It keeps no alerts across a restart: until Prometheus sends them
     * again, an alert it lacks is not known to have resolved.
     */
    default CompletableFuture<java.time.Instant> startedAt() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this Alertmanager does not say when it started"));
    }

    CompletableFuture<List<Silence>> silences();

    /** Creates the silence; completes with its id. */
    CompletableFuture<String> silence(SilenceRequest request);

    /** Expires the silence now. */
    CompletableFuture<Void> expire(String silenceId);

    /** A refusal or a malformed answer from Alertmanager, in its words. */
    final class AlertmanagerException extends RuntimeException {
        private final int status;

        public AlertmanagerException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status, 0 for a malformed answer. */
        public int status() {
            return status;
        }
    }
}
