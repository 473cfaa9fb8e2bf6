package io.dutydesk.core.audit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Append-only record of every action. */
public interface AuditLog {
    /** Completes when the entry is durably written (fsync). */
    CompletableFuture<Void> append(AuditEntry entry);

    /** The most recent entries, newest last. */
    CompletableFuture<List<AuditEntry>> recent(int max);
}
