package io.dutydesk.testing;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit log in memory, for tests that do not look at the file. */
public final class MemoryAuditLog implements AuditLog {
    public final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

    public static MemoryAuditLog create() {
        return new MemoryAuditLog();
    }

    @Override
    public CompletableFuture<Void> append(AuditEntry entry) {
        entries.add(entry);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<AuditEntry>> recent(int max) {
        return CompletableFuture.completedFuture(List.copyOf(entries.subList(Math.max(0, entries.size() - max), entries.size())));
    }
}
