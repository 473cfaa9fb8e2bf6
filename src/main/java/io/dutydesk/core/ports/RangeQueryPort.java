package io.dutydesk.core.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A PromQL range query (Prometheus's /api/v1/query_range). */
public interface RangeQueryPort {
    /** One value at one time. */
    record Point(Instant at, double value) {}

    /** The points of the query's first series (a backlog query is expected to give one, e.g. max(...)). */
    CompletableFuture<List<Point>> rangeQuery(String promql, Instant start, Instant end, Duration step);
}
