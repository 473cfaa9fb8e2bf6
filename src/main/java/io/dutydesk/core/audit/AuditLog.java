package io.dutydesk.core.audit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Append-only record of every action. */
public interface AuditLog {
    /** Completes when the entry is durably written (fsync). */
    CompletableFuture<Void> append(AuditEntry entry);

    /** The most recent entries, newest last. */
    CompletableFuture<List<AuditEntry>> recent(int max);

    /**
     * Calls {@code changed} (on a thread of the log's own) after entries were appended, by this
     * process or another (the CLI): a viewer re-reads then, without polling. Closing stops it.
     * The default watches nothing.
     */
    default AutoCloseable watch(Runnable changed) {
        return () -> { };
    }
}
