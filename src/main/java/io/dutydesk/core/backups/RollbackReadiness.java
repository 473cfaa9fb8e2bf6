package io.dutydesk.core.backups;

import io.dutydesk.core.config.Environment;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a single stack ({@code deploy.model: single}) can be rolled back, in words: the backups there are to restore
 * (a rollback there restores a backup, {@link io.dutydesk.core.deploy.SingleService#planRollback}). Usable: not a data-only
 * kind, not failed its verification; the verified ones are counted. One rule for the CLI's {@code status} and the morning
 * check.
 *
 * @param newest   the newest usable backup
 * @param usable   how many usable backups there are
 * @param verified how many of them were verified
 */
public record RollbackReadiness(boolean ready, String why, Optional<BackupEntry> newest, long usable, long verified) {

    /** {@code listing} empty: the backups could not be read ({@code unknown} says why). */
    public static RollbackReadiness of(Environment env, Optional<BackupListing> listing, String unknown) {
        if (!env.backups().configured()) {
            return new RollbackReadiness(false, "no backups configured (backups: false)", Optional.empty(), 0, 0);
        }
        if (listing.isEmpty()) {
            return new RollbackReadiness(false, "backups unknown: " + unknown, Optional.empty(), 0, 0);
        }
        List<BackupEntry> usable = listing.get().backups().stream()
                .filter(b -> !env.backups().dataOnlyKinds().contains(b.kind()))
                .filter(b -> b.verification().map(v -> v.ok()).orElse(true)).toList();
        long verified = usable.stream().filter(b -> b.verification().map(v -> v.ok()).orElse(false)).count();
        Optional<BackupEntry> newest = usable.stream().max(Comparator.comparing(BackupEntry::takenAt));
        if (newest.isEmpty()) {
            return new RollbackReadiness(false, "no backup to roll back to in " + String.join(", ", env.backups().folders()),
                    Optional.empty(), 0, 0);
        }
        return new RollbackReadiness(true, usable.size() + " backup" + (usable.size() == 1 ? "" : "s") + " to roll back to (" + verified
                + " verified), newest " + newest.get().name(), newest, usable.size(), verified);
    }
}
