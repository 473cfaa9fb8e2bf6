package io.dutydesk.core.ports;

import io.dutydesk.core.Backend;

import java.util.concurrent.CompletableFuture;

/** A backend that can say whether it answers. Each adapter implements one. */
public interface BackendProbe {
    Backend backend();

    /** Completes normally when the backend answered, exceptionally with the reason otherwise. */
    CompletableFuture<Void> ping();
}
