package io.dutydesk.core.ports;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The OS keyring. */
public interface Keyring {
    CompletableFuture<Optional<char[]>> lookup(String name);
}
