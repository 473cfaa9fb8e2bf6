package io.dutydesk.core.ports;

import io.dutydesk.core.alerts.Transitions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Prometheus's {@code ALERTS{alertstate="firing"}} over a time range: what fired while the console was closed. */
public interface AlertSeriesPort {
    /** Each series' labels (without {@code __name__} and {@code alertstate}) and the sampled instants it was firing. */
    CompletableFuture<List<Transitions.Series>> firing(Instant from, Instant to, Duration step);
}
