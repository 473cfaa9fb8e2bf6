package io.dutydesk.core.backups;

import java.time.Instant;

/**
 * The result of verifying one backup file on the server, for the file as it was then (size and
 * modification time): a file that changed since is "not verified" again.
 *
 * @param detail why it is good or bad, one line per check joined by "; "
 */
public record Verification(String path, long sizeBytes, Instant modifiedAt, boolean ok, String detail, Instant checkedAt) {

    /** Whether this result still speaks for {@code e} (same size and modification time). */
    public boolean appliesTo(BackupEntry e) {
        return path.equals(e.path()) && sizeBytes == e.sizeBytes() && modifiedAt.getEpochSecond() == e.modifiedAt().getEpochSecond();
    }
}
