package io.dutydesk.core.metrics;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The user's query history and saved queries, per environment, in the console's local store. */
public interface QueryStore {
    record Saved(String name, String expr) {}

    /** Newest first, each expression once. */
    CompletableFuture<List<String>> history(String env, int max);

    CompletableFuture<Void> addHistory(String env, String expr);

    CompletableFuture<List<Saved>> saved(String env);

    /** Saves (or replaces) {@code name}. */
    CompletableFuture<Void> save(String env, String name, String expr);

    CompletableFuture<Void> deleteSaved(String env, String name);

    /** Keeps nothing (the CLI, tests). */
    QueryStore NONE = new QueryStore() {
        public CompletableFuture<List<String>> history(String env, int max) {
            return CompletableFuture.completedFuture(List.of());
        }

        public CompletableFuture<Void> addHistory(String env, String expr) {
            return CompletableFuture.completedFuture(null);
        }

        public CompletableFuture<List<Saved>> saved(String env) {
            return CompletableFuture.completedFuture(List.of());
        }

        public CompletableFuture<Void> save(String env, String name, String expr) {
            return CompletableFuture.completedFuture(null);
        }

        public CompletableFuture<Void> deleteSaved(String env, String name) {
            return CompletableFuture.completedFuture(null);
        }
    };
}
