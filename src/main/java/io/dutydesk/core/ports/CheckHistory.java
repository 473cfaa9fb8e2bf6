package io.dutydesk.core.ports;

import io.dutydesk.core.check.CheckRun;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The checklist's runs in the console's local store, per environment: yesterday's and last week's one call away. */
public interface CheckHistory {
    /** Keeps {@code run}; completes with its id. */
    CompletableFuture<Long> save(CheckRun run);

    /** The newest run at or before {@code at}, if any. */
    CompletableFuture<Optional<CheckRun>> latestAtOrBefore(String env, Instant at);

    /** The runs between {@code from} (inclusive) and {@code to} (exclusive), newest first. */
    CompletableFuture<List<CheckRun>> between(String env, Instant from, Instant to);

    /** Forgets runs older than {@code before}; completes with how many. */
    CompletableFuture<Integer> prune(Instant before);

    /** Nothing kept (tests, a console without a store): every run is compared with none. */
    CheckHistory NONE = new CheckHistory() {
        @Override
        public CompletableFuture<Long> save(CheckRun run) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public CompletableFuture<Optional<CheckRun>> latestAtOrBefore(String env, Instant at) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletableFuture<List<CheckRun>> between(String env, Instant from, Instant to) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<Integer> prune(Instant before) {
            return CompletableFuture.completedFuture(0);
        }
    };
}
