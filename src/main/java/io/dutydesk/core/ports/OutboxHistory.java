package io.dutydesk.core.ports;

import io.dutydesk.core.outbox.BacklogSample;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The backlog's history, kept locally per environment (the console's one local store). */
public interface OutboxHistory {
    CompletableFuture<Void> append(String environment, List<BacklogSample> samples);

    /** Samples at or after {@code from}, oldest first. */
    CompletableFuture<List<BacklogSample>> since(String environment, Instant from);

    /** Forgets samples older than {@code before}; returns how many. */
    CompletableFuture<Integer> prune(Instant before);
}
