package io.dutydesk.core.ports;

import io.dutydesk.core.backups.Verification;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Backup verification results, kept in the console's local store per environment and file path. */
public interface VerificationResults {
    /** Keeps {@code v} as the latest result for its path (replacing an older one). */
    CompletableFuture<Void> save(String env, Verification v);

    /** The latest result per path of one environment. */
    CompletableFuture<Map<String, Verification>> load(String env);

    /**
     * Drops the passing result kept for {@code path}, if the kept one is passing (a failing one stays): a restore of
     * that file failed, so its "ok" is not reused as a passing verification — the next restore verifies it again.
     */
    CompletableFuture<Void> forgetPassed(String env, String path);

    /** None kept (the store could not be opened, or tests): nothing is remembered. */
    VerificationResults NONE = new VerificationResults() {
        @Override
        public CompletableFuture<Void> save(String env, Verification v) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Map<String, Verification>> load(String env) {
            return CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public CompletableFuture<Void> forgetPassed(String env, String path) {
            return CompletableFuture.completedFuture(null);
        }
    };
}
