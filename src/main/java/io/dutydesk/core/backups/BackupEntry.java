package io.dutydesk.core.backups;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One backup file in a configured folder.
 *
 * @param kind               the configured kind whose pattern matched the name, or {@link BackupCatalog#OTHER}
 * @param takenAt            the timestamp in the name (the kind's format, UTC), else the modification time
 * @param retentionExpiresAt takenAt + the kind's retention; null for files of no kind
 * @param verification       the last verification of this very file (same size and time), if any
 * @param recorded           the version the team's sidecar ({@code backups.versionSidecar}) names, or unknown with why
 */
public record BackupEntry(String name, String folder, String path, String kind, long sizeBytes, Instant modifiedAt,
                          Instant takenAt, Instant retentionExpiresAt, Optional<Verification> verification,
                          RecordedVersion recorded) {

    public BackupEntry {
        recorded = recorded == null ? RecordedVersion.NOT_READ : recorded;
    }

    /** Without its sidecar read. */
    public BackupEntry(String name, String folder, String path, String kind, long sizeBytes, Instant modifiedAt,
                       Instant takenAt, Instant retentionExpiresAt, Optional<Verification> verification) {
        this(name, folder, path, kind, sizeBytes, modifiedAt, takenAt, retentionExpiresAt, verification, RecordedVersion.NOT_READ);
    }

    public double ageHours(Instant now) {
        return Duration.between(takenAt, now).toSeconds() / 3600.0;
    }

    /** "custom" for pg_dump's custom format, "gzip" for a compressed plain dump, "plain" otherwise. */
    public String format() {
        return BackupCatalog.format(name);
    }

    public BackupEntry withVerification(Optional<Verification> v) {
        return new BackupEntry(name, folder, path, kind, sizeBytes, modifiedAt, takenAt, retentionExpiresAt, v, recorded);
    }

    public BackupEntry withRecorded(RecordedVersion r) {
        return new BackupEntry(name, folder, path, kind, sizeBytes, modifiedAt, takenAt, retentionExpiresAt, verification, r);
    }
}
