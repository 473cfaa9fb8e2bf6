package io.dutydesk.testing;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An audit log on a full disk: the appends {@link #fails} picks fail with "No space left on device" (as a
 * FileChannel write does), the others are kept. Its file is named, as the real log's is.
 */
public final class FailingAuditLog implements AuditLog {
    public static final String FILE = "/home/oncall/.local/state/dutydesk/audit.jsonl";
    public final List<AuditEntry> entries = new CopyOnWriteArrayList<>();
    public final List<AuditEntry> refused = new CopyOnWriteArrayList<>();
    private final Predicate<AuditEntry> fails;

    public FailingAuditLog(Predicate<AuditEntry> fails) {
        this.fails = fails;
    }

    /** Every append fails. */
    public static FailingAuditLog full() {
        return new FailingAuditLog(e -> true);
    }

    /** The started entries are written; the completions (and one-line entries) fail: the disk filled up meanwhile. */
    public static FailingAuditLog fullAfterStart() {
        return new FailingAuditLog(e -> !"started".equals(e.result()));
    }

    @Override
    public String location() {
        return FILE;
    }

    @Override
    public CompletableFuture<Void> append(AuditEntry entry) {
        if (fails.test(entry)) {
            refused.add(entry);
            return CompletableFuture.failedFuture(new IOException("No space left on device"));
        }
        entries.add(entry);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<AuditEntry>> recent(int max) {
        return CompletableFuture.completedFuture(List.copyOf(entries.subList(Math.max(0, entries.size() - max), entries.size())));
    }
}
