package io.dutydesk.core.ports;

import io.dutydesk.core.outbox.OutboxBacklog;

import java.util.concurrent.CompletableFuture;

/** The outbox table's backlog, read gently (read-only transaction, statement timeout, index-served queries). */
public interface BacklogPort {
    CompletableFuture<OutboxBacklog> backlog();
}
