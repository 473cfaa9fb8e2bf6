package io.dutydesk.core.ports;

import io.dutydesk.core.doctor.OutboxSchema;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * What the server's database has of the outbox the environments file names ({@code dutydesk doctor}): the table,
 * its columns, the status values its CHECK constraints or enum type allow and, for the configured status values
 * nothing declares, whether a row has one. Read-only, with a statement timeout.
 */
public interface OutboxSchemaPort {
    CompletableFuture<OutboxSchema> schema(Collection<String> statusValues);
}
