package io.dutydesk.core.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Prometheus's query API (through the environment's tunnel, under its path prefix). Failures:
 * {@link QueryException} when Prometheus answered with an error (its message), any other exception
 * when it could not be reached. Cancelling a returned future aborts the request.
 */
public interface MetricsPort {
    CompletableFuture<QueryResult> instant(String expr, Instant time, Duration timeout);

    CompletableFuture<QueryResult> range(String expr, Instant start, Instant end, Duration step, Duration timeout);

    /** Every label name ({@code /api/v1/labels}). */
    CompletableFuture<List<String>> labelNames();

    /** The values of one label ({@code /api/v1/label/NAME/values}); {@code __name__}: the metric names. */
    CompletableFuture<List<String>> labelValues(String label);

    /** Metric name -> "type: help" ({@code /api/v1/metadata}). */
    CompletableFuture<Map<String, String>> metadata();
}
