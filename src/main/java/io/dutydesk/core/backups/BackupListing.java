package io.dutydesk.core.backups;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The backups of one environment as read from the server at {@code takenAt}.
 *
 * @param newestFullAgeHours age of the newest backup of an RPO kind (empty: none at all)
 * @param rpoOk              the newest such backup is younger than the RPO
 * @param leftovers          partial files ({@code .part}) of killed jobs in the folders
 */
public record BackupListing(String env, List<Folder> folders, List<BackupEntry> backups, Optional<BackupEntry> newestFull,
                           Optional<Double> newestFullAgeHours, int rpoHours, boolean rpoOk, Instant takenAt,
                           List<Leftover> leftovers) {

    /** Without leftovers. */
    public BackupListing(String env, List<Folder> folders, List<BackupEntry> backups, Optional<BackupEntry> newestFull,
                         Optional<Double> newestFullAgeHours, int rpoHours, boolean rpoOk, Instant takenAt) {
        this(env, folders, backups, newestFull, newestFullAgeHours, rpoHours, rpoOk, takenAt, List.of());
    }

    /** A configured folder and the free space of its volume (-1 when the server did not say). */
    public record Folder(String path, long freeBytes) {}

    /** Why the RPO is not met, or empty. */
    public Optional<String> rpoWarning() {
        if (rpoOk) {
            return Optional.empty();
        }
        return Optional.of(newestFull.map(b -> String.format("Newest full backup %s is %.1f h old: older than the RPO of %d h",
                        b.name(), newestFullAgeHours.orElse(0.0), rpoHours))
                .orElse("No full backup at all: the RPO of " + rpoHours + " h is not met"));
    }
}
