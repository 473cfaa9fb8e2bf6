package io.dutydesk.core.audit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Append-only record of every action. */
public interface AuditLog {
    /** How many of the newest entries {@link #indexed()} keeps. */
    int INDEXED = 5000;

    /** Where the log is written, for messages: its file ("" when it has none). */
    default String location() {
        return "";
    }

    /** Completes when the entry is durably written (fsync). */
    CompletableFuture<Void> append(AuditEntry entry);

    /**
     * Appends {@code end}, the completion of action {@code end.actionId()}, only if that action still awaits its end in the
     * whole log ({@link AuditRows#awaited} of {@link #awaitingEnd}: the open entries' read and this check are one rule):
     * checked and appended as one step, so two consoles that learn the same end at once (both reconciling, both
     * re-attached) complete it once. Completes with whether it was appended. The default checks and appends under this
     * object's monitor (one process).
     */
    default CompletableFuture<Boolean> appendIfAwaited(AuditEntry end) {
        synchronized (this) {
            if (!AuditRows.awaited(awaitingEnd().join(), end.actionId())) {
                return CompletableFuture.completedFuture(false);
            }
            return append(end).thenApply(v -> true);
        }
    }

    /** The most recent entries, newest last (across the log's rotated files). */
    CompletableFuture<List<AuditEntry>> recent(int max);

    /**
     * {@link #recent} unless the log {@linkplain #watching watches} its file — then null, nothing read: its watch reports
     * every append, so a viewer that read it before has nothing new. For a viewer on the FX thread (the Audit tab shown
     * again): a log whose {@link #watching} waits for a lock or a file answers on a thread of its own. The default asks
     * {@link #watching} on the caller's thread.
     */
    default CompletableFuture<List<AuditEntry>> recentUnlessWatched(int max) {
        return watching() ? CompletableFuture.completedFuture(null) : recent(max);
    }

    /**
     * Every entry of the actions that still await their end ({@link AuditRows#awaitingEnd}) in the whole log, however
     * many entries were written after them, oldest first: what the completion of a killed console's open entries reads at
     * every start of the CLI and the window. No window of the newest entries bounds it (an action left open behind 2,000
     * newer entries was once hidden for good: never completed, never said). A log may answer it without parsing its other
     * lines or reading its older files at every call; an action closed and opened again may then lack its entries from
     * before it closed. The default reads every entry.
     */
    default CompletableFuture<List<AuditEntry>> awaitingEnd() {
        return recent(Integer.MAX_VALUE).thenApply(AuditRows::awaitingEnd);
    }

    /**
     * The newest entries (at most {@link #INDEXED}, newest last) from an index the log keeps in memory:
     * read once, then kept up to date by this process's appends and by the file watch (another
     * process's). For readers that ask often — the chart's markers, on every pan — it reads no file
     * and never waits behind an append. Called on the FX thread (the chart's markers): it never waits there for a file or
     * a lock — what needs either is answered on a thread of the log's own. The default reads {@link #recent}.
     */
    default CompletableFuture<List<AuditEntry>> indexed() {
        return recent(INDEXED);
    }

    /**
     * Calls {@code changed} (on a thread of the log's own) after entries were appended, by this
     * process or another (the CLI): a viewer re-reads then, without polling. Closing stops it.
     * Called on the FX thread (the Slots pane's attach): it returns at once, the watch started (a folder made, inotify
     * registered) on a thread of the log's own, before any read asked for after this call. The default watches nothing.
     */
    default AutoCloseable watch(Runnable changed) {
        return () -> { };
    }

    /**
     * Whether {@link #watch} reports every append now, by any process: a viewer that re-reads only when told (the Audit
     * tab, while hidden) must re-read whenever it is shown when not. False by default (the default watches nothing), and
     * for a log whose folder cannot be watched (no inotify instance left, a folder removed since).
     */
    default boolean watching() {
        return false;
    }

    /**
     * What could not be read as entries — lines torn by a crash or edited by hand — and where, as
     * one sentence each ("audit.jsonl line 812: not an entry (kept): {"actionId":"2026…"): the
     * readers show them instead of dropping them silently. Empty when the log is whole.
     */
    default List<String> damaged() {
        return List.of();
    }
}
