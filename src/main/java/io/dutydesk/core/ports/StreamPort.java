package io.dutydesk.core.ports;

import io.dutydesk.core.outbox.StreamInfo;

import java.util.concurrent.CompletableFuture;

/** The event stream (Redis): length, consumer groups, consumers. */
public interface StreamPort {
    CompletableFuture<StreamInfo> stream();
}
