package io.dutydesk.core.backups;

import java.util.List;
import java.util.Optional;

/**
 * How a server-side backup job ended (backup now, restore, scratch restore).
 *
 * @param safetyBackup the pre-restore safety backup's path (restores into the live database)
 * @param counts       per-table row counts, backup (scratch) against live (scratch restores)
 * @param newBackup    the backup that appeared (backup now)
 * @param result       as audited: succeeded, failed, or refused (stopped on the server before anything changed)
 * @param forced       a restore of a backup that failed verification, forced by the user
 * @param auditWarning present when its completion could not be written to the audit log: "succeeded on the server;
 *                     the audit log FILE could not be written (…)" — said beside the outcome, which stands
 */
public record JobResult(String actionId, String action, int exitCode, boolean ok, String message, long elapsedMs,
                        String outputSha256, Optional<String> safetyBackup, List<TableCount> counts,
                        Optional<BackupEntry> newBackup, String result, boolean forced, Optional<String> auditWarning) {

    public JobResult(String actionId, String action, int exitCode, boolean ok, String message, long elapsedMs,
                     String outputSha256, Optional<String> safetyBackup, List<TableCount> counts,
                     Optional<BackupEntry> newBackup, String result, boolean forced) {
        this(actionId, action, exitCode, ok, message, elapsedMs, outputSha256, safetyBackup, counts, newBackup, result, forced,
                Optional.empty());
    }

    public JobResult withAuditWarning(Optional<String> warning) {
        return new JobResult(actionId, action, exitCode, ok, message, elapsedMs, outputSha256, safetyBackup, counts, newBackup,
                result, forced, warning);
    }

    /** A job that succeeded or failed (never refused), not forced. */
    public JobResult(String actionId, String action, int exitCode, boolean ok, String message, long elapsedMs,
                     String outputSha256, Optional<String> safetyBackup, List<TableCount> counts, Optional<BackupEntry> newBackup) {
        this(actionId, action, exitCode, ok, message, elapsedMs, outputSha256, safetyBackup, counts, newBackup,
                ok ? "succeeded" : "failed", false);
    }
}
