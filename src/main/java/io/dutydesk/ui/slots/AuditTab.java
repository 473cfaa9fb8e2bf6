package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.ui.fx.Times;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Slots pane's Audit tab (FX thread): its rows — a read of the newest 2,000 entries of the whole log, folded, the
 * newest 200 actions first — read only while it is shown: at once when it is shown after a change (an append by any
 * process, an action's end, another environment), not at every append while hidden nor during the window's launch.
 *
 * <p>A read that fails (an unreadable file, an IO error, a full read queue) keeps the rows read before, never passed off
 * as current: {@link #problemProperty} says so — "could not read the audit log FILE: reason; showing the rows read at
 * 12:00:05" — until a read succeeds, and the next show (or change) reads again.
 *
 * <p>Nothing of the log is asked on the FX thread but its location: whether it watches its file (the file log's answer
 * waits for its index's lock, which other threads hold over file IO: the watch's start, a look at the file's size) is
 * asked with the read, on the log's own thread ({@link AuditLog#recentUnlessWatched}), and the rows come back in one hop.
 */
final class AuditTab {
    private final Executor ui;
    private final Clock clock;
    private final ObservableList<AuditEntry> rows = FXCollections.observableArrayList();
    private final StringProperty problem = new SimpleStringProperty("");
    private boolean shown;
    private boolean stale = true; // something may have changed since the last read
    private Instant readAt;       // when the rows shown were read; null before a read succeeded

    AuditTab(Executor ui, Clock clock) {
        this.ui = ui;
        this.clock = clock;
    }

    ObservableList<AuditEntry> rows() {
        return rows;
    }

    /** "" while the rows shown are the log's last read; else why the log could not be read, and since when they are shown. */
    ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    /** The tab shown or hidden; {@code log}: the log of the environment shown (null: none). */
    void shown(boolean shown, AuditLog log) {
        this.shown = shown;
        if (shown && log != null) {
            // a log that cannot watch its file never says it changed: then every show reads it, as before the tab waited.
            // Whether it watches is asked with the read, off the FX thread (the file log's answer takes its index's lock)
            read(log, stale);
        }
    }

    /** Reads the rows now if the tab is shown, else marks them to be read when it is. */
    void refresh(AuditLog log) {
        if (!shown) {
            stale = true;
            return;
        }
        read(log, true);
    }

    /**
     * Reads the rows — if {@code changed}, else only if the log does not watch its file — on the log's own thread, and
     * comes back to the FX thread once with what it read (not at all when it read nothing).
     */
    private void read(AuditLog log, boolean changed) {
        stale = false;
        CompletableFuture<List<AuditEntry>> read = changed ? log.recent(2000) : log.recentUnlessWatched(2000);
        read.whenComplete((list, failed) -> {
            if (failed == null && list == null) {
                return; // watched and not changed since the last read: the rows shown are the log's
            }
            ui.execute(() -> took(log, list, failed));
        });
    }

    /** What a read came back with (FX thread): the rows, or why there are none new. */
    private void took(AuditLog log, List<AuditEntry> list, Throwable failed) {
        if (failed != null) {
            stale = true; // not read: the next show (or change) reads it again
            String where = log.location() == null || log.location().isBlank() ? "" : " " + log.location();
            problem.set("could not read the audit log" + where + ": " + reason(failed, log.location()) + "; "
                    + (readAt == null ? "no rows could be read yet" : "showing the rows read at " + Times.since(readAt, clock)));
            return;
        }
        readAt = clock.instant();
        problem.set("");
        List<AuditEntry> folded = AuditRows.fold(list, DetachedActions::isOpen);
        List<AuditEntry> newestFirst = new ArrayList<>(folded.subList(Math.max(0, folded.size() - 200), folded.size()));
        java.util.Collections.reverse(newestFirst);
        rows.setAll(newestFirst);
    }

    /**
     * Why a read failed, in words: the system's refusal of a file is said, not only its path ("permission denied"), with
     * the file when it is not the log's own ({@code location}): one of its rotated files.
     */
    static String reason(Throwable failed, String location) {
        Throwable c = Errors.unwrap(failed);
        if (c instanceof java.nio.file.FileSystemException f && (f instanceof java.nio.file.AccessDeniedException || f.getReason() != null)) {
            String file = f.getFile() == null || f.getFile().equals(location) ? "" : " (" + f.getFile() + ")";
            return (f.getReason() != null ? f.getReason() : "permission denied") + file;
        }
        return Errors.describe(c);
    }
}
