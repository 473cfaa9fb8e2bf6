package io.dutydesk.core.ports;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Asks the user for a secret; empty when the user declines. */
public interface SecretPrompt {
    SecretPrompt NONE = (env, label) -> CompletableFuture.completedFuture(Optional.empty());

    CompletableFuture<Optional<char[]>> ask(String environment, String label);
}
