package io.dutydesk.cli;

import io.dutydesk.core.ports.SecretPrompt;

import java.io.Console;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Asks for a secret on the terminal without echo; declines when there is no terminal. */
public final class ConsoleSecretPrompt implements SecretPrompt {
    @Override
    public synchronized CompletableFuture<Optional<char[]>> ask(String environment, String label) {
        Console c = System.console();
        if (c == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        char[] pw = c.readPassword("%s for %s: ", label, environment);
        return CompletableFuture.completedFuture(pw == null || pw.length == 0 ? Optional.empty() : Optional.of(pw));
    }
}
