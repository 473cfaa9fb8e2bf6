package io.dutydesk.core.audit;

import io.dutydesk.core.Errors;

/**
 * The audit log could not be written (a full disk, a read-only folder). Said the same way everywhere, in the CLI and
 * the window, naming the file:
 * <ul>
 *   <li>before an action ({@link #nothingRun}): "nothing was run: the audit log FILE could not be written (No space left
 *       on device)" — an action is never run unaudited;</li>
 *   <li>after it ran ({@link #afterRun}): "succeeded on the server; the audit log FILE could not be written (…)" — the
 *       action's real outcome stands (a successful action is never reported failed for want of its log line); its
 *       started entry is in the log and the server's exit file completes it at the next start
 *       ({@code DetachedActions.reconcile}).</li>
 * </ul>
 */
public final class AuditWriteException extends RuntimeException {
    private final boolean ran;
    private final boolean succeeded;

    private AuditWriteException(String message, Throwable cause, boolean ran, boolean succeeded) {
        super(message, cause);
        this.ran = ran;
        this.succeeded = succeeded;
    }

    /** "the audit log /home/me/.local/state/dutydesk/audit.jsonl could not be written (No space left on device)". */
    public static String unwritten(AuditLog log, Throwable cause) {
        String where = log.location();
        return "the audit log" + (where == null || where.isBlank() ? "" : " " + where) + " could not be written ("
                + reason(cause) + ")";
    }

    /** The action's started entry could not be written: it was refused, nothing was run. */
    public static AuditWriteException nothingRun(AuditLog log, Throwable cause) {
        Throwable c = Errors.unwrap(cause);
        if (c instanceof AuditWriteException a && !a.ran) {
            return a;
        }
        return new AuditWriteException("nothing was run: " + unwritten(log, c), c, false, false);
    }

    /**
     * The sentence for an action that ran whose completion could not be written: {@code outcome} is what happened
     * ("succeeded on the server", "failed on the server (exit 2)").
     */
    public static String afterRun(String outcome, AuditLog log, Throwable cause) {
        return outcome + "; " + unwritten(log, cause);
    }

    /**
     * An action without a result record of its own (a verification, a download, a restart) ran; only its audit entry
     * could not be written. {@code what}: what happened, e.g. "restarted selfology-api-blue".
     */
    public static AuditWriteException ran(String what, boolean succeeded, AuditLog log, Throwable cause) {
        return new AuditWriteException(afterRun(what, log, cause), Errors.unwrap(cause), true, succeeded);
    }

    /** True when the action ran (only its entry is missing); false when nothing was run. */
    public boolean ran() {
        return ran;
    }

    /** For an action that ran: whether it did what was asked (the outcome the caller reports, exit code included). */
    public boolean succeeded() {
        return succeeded;
    }

    /** The audit-write problem in {@code t}'s causes, if any. */
    public static java.util.Optional<AuditWriteException> in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AuditWriteException a) {
                return java.util.Optional.of(a);
            }
        }
        return java.util.Optional.empty();
    }

    private static String reason(Throwable cause) {
        Throwable c = Errors.unwrap(cause);
        if (c instanceof AuditWriteException a) {
            return a.getCause() == null ? a.getMessage() : Errors.describe(a.getCause());
        }
        return Errors.describe(c);
    }
}
