package io.dutydesk.core.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The audit log is append-only: an action has a {@code started} entry, written before it
 * starts, and later a completion with the same action id. Readers (the Audit tab, {@code dutydesk
 * audit}) show one row per action: this folds the entries.
 */
public final class AuditRows {
    /** Written before the action starts; completed by a second entry with the same id. */
    public static final String STARTED = "started";
    /** Ran and verified on the server. */
    public static final String SUCCEEDED = "succeeded";
    /** Exit code 0 read from the server, not verified by a console (it had stopped following). */
    public static final String ENDED = "ended";
    public static final String FAILED = "failed";
    /** Not run: refused before it started, or by the server inside the lock. */
    public static final String REFUSED = "refused";
    /** The console stopped following (closed, killed); the action went on on the server. */
    public static final String INTERRUPTED = "interrupted";
    /** Its end is not known (no exit code on the server, or the server could not be asked). */
    public static final String UNKNOWN = "unknown";
    /** Prefix of a completion's message when it was read from the server by reconciliation. */
    public static final String SERVER_SAYS = "server: ";

    private AuditRows() {}

    /**
     * Whether {@code e} counts in its action's state (open or closed): it names an action and an environment. The one rule
     * of the open entries' read ({@link #newestAwaitingEnd}, {@link AuditLog#awaitingEnd}) and of the completion's check
     * ({@link #awaited}, {@link AuditLog#appendIfAwaited}): an entry without an environment — a hand-edited or old line —
     * neither opens an action (no server could be asked for its end) nor closes one (the server's end is still appended).
     * The two paths once disagreed on it, and such a line kept an action open for good.
     */
    public static boolean counts(AuditEntry e) {
        return e.actionId() != null && e.environment() != null;
    }

    /**
     * Whether an end of action {@code actionId} is awaited given {@code all} (oldest first): it is one of {@link
     * #newestAwaitingEnd}'s actions. An action with no entry that {@linkplain #counts counts} awaits nothing.
     */
    public static boolean awaited(List<AuditEntry> all, String actionId) {
        return actionId != null && newestAwaitingEnd(all).stream().anyMatch(e -> actionId.equals(e.actionId()));
    }

    /**
     * Of {@code all} (oldest first), every entry of the actions whose newest entry (of those that {@linkplain #counts
     * count}) {@linkplain #awaitsEnd awaits its end}, in their order.
     */
    public static List<AuditEntry> awaitingEnd(List<AuditEntry> all) {
        java.util.Set<String> open = new java.util.HashSet<>();
        for (AuditEntry e : newestAwaitingEnd(all)) {
            open.add(e.actionId());
        }
        List<AuditEntry> out = new ArrayList<>();
        for (AuditEntry e : all) {
            if (e.actionId() != null && open.contains(e.actionId())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Of {@code all} (oldest first), the newest entry (of those that {@linkplain #counts count}) of each action that
     * {@linkplain #awaitsEnd awaits its end}, in the order the actions first appear.
     */
    public static List<AuditEntry> newestAwaitingEnd(List<AuditEntry> all) {
        Map<String, AuditEntry> last = new LinkedHashMap<>();
        for (AuditEntry e : all) {
            if (counts(e)) {
                last.put(e.actionId(), e);
            }
        }
        return last.values().stream().filter(AuditRows::awaitsEnd).toList();
    }

    /**
     * Whether an action whose newest entry is {@code last} still waits for its end: started, interrupted (its console
     * stopped following), or unknown for a reason other than the server's word (the server could not be asked).
     */
    public static boolean awaitsEnd(AuditEntry last) {
        return STARTED.equals(last.result()) || INTERRUPTED.equals(last.result())
                || (UNKNOWN.equals(last.result()) && (last.message() == null || !last.message().startsWith(SERVER_SAYS)));
    }

    /**
     * One row per action, in the order the actions started (newest last): the first entry's
     * start, args and live slot before; the last entry's end, result, exit code, live slot after
     * and message. An action still {@code started} that {@code inFlight} does not claim (a
     * console that was killed, or another console) reads {@code unknown} until it is reconciled.
     */
    public static List<AuditEntry> fold(List<AuditEntry> entries, Predicate<String> inFlight) {
        Map<Object, AuditEntry> rows = new LinkedHashMap<>();
        int anonymous = 0;
        for (AuditEntry e : entries) {
            Object key = e.actionId() == null ? Integer.valueOf(anonymous++) : e.actionId();
            AuditEntry first = rows.get(key);
            rows.put(key, first == null ? e : merge(first, e));
        }
        List<AuditEntry> out = new ArrayList<>(rows.size());
        for (AuditEntry e : rows.values()) {
            if (STARTED.equals(e.result()) && e.actionId() != null && !inFlight.test(e.actionId())) {
                e = new AuditEntry(e.actionId(), e.actor(), e.environment(), e.action(), e.args(), e.start(), e.end(),
                        e.exitCode(), e.outputSha256(), UNKNOWN, e.liveBefore(), e.liveAfter(),
                        "no end recorded (the console was killed, or another console still follows it); "
                                + "read from the server on the next start");
            }
            out.add(e);
        }
        return out;
    }

    private static AuditEntry merge(AuditEntry first, AuditEntry later) {
        return new AuditEntry(first.actionId(), first.actor(), first.environment(), first.action(),
                first.args() == null || first.args().isEmpty() ? later.args() : first.args(), first.start() != null ? first.start() : later.start(),
                later.end(), later.exitCode(), later.outputSha256() != null ? later.outputSha256() : first.outputSha256(),
                later.result(), first.liveBefore() != null ? first.liveBefore() : later.liveBefore(),
                later.liveAfter(), Objects.requireNonNullElse(later.message(), first.message()));
    }
}
