package io.dutydesk.core.ports;

import io.dutydesk.core.alerts.RuleEvaluation;
import io.dutydesk.core.alerts.Transitions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Prometheus, the source of the alerts: its {@code ALERTS{alertstate="firing"}} over a time range (what fired
 * while the console was closed), its external labels, and whether it evaluates its alert rules and scrapes now.
 */
public interface AlertSeriesPort {
    /** Each series' labels (without {@code __name__} and {@code alertstate}) and the sampled instants it was firing. */
    CompletableFuture<List<Transitions.Series>> firing(Instant from, Instant to, Duration step);

    /**
     * Prometheus's external labels ({@code global.external_labels}), which it adds to every alert it sends Alertmanager
     * but not to its ALERTS series nor its rules API; empty when it has none or does not say (no config API).
     */
    CompletableFuture<Map<String, String>> externalLabels();

    /**
     * How often it sends a firing alert again ({@code --rules.alert.resend-delay}, from its flags); empty when it does not
     * say (no flags API).
     */
    default CompletableFuture<java.util.Optional<Duration>> resendDelay() {
        return CompletableFuture.completedFuture(java.util.Optional.empty());
    }

    /** Its alert rule groups (last evaluation, health, the alerts each holds), its newest scrape and its clock. */
    CompletableFuture<RuleEvaluation> evaluation();
}
