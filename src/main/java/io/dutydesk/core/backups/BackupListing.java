package io.dutydesk.core.backups;

import io.dutydesk.core.Ages;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The backups of one environment as read from the server at {@code takenAt}. Ages in it are ages at
 * {@code takenAt}: whoever shows a listing that is no longer fresh says "at T" (see {@link #rpoText}).
 *
 * @param folders            every configured folder; one that could not be read is listed with why
 *                           ({@link Folder#unreachable}), the backups of the others are listed all the same
 * @param newestFull         the newest backup of an RPO kind (empty: none in the folders that were read)
 * @param newestFullAgeHours its age at {@code takenAt}
 * @param rpoOk              the newest such backup is younger than the RPO (by age alone: see {@link #rpo()})
 * @param rpoKinds           the kinds that count for the RPO
 * @param leftovers          partial files ({@code .part}) of jobs that ended (killed) in the folders: removable once quiet
 * @param inProgress         partial files the job running right now is writing: not leftovers, never offered for removal
 */
public record BackupListing(String env, List<Folder> folders, List<BackupEntry> backups, Optional<BackupEntry> newestFull,
                           Optional<Double> newestFullAgeHours, int rpoHours, boolean rpoOk, Instant takenAt,
                           List<String> rpoKinds, List<Leftover> leftovers, List<PartInProgress> inProgress) {

    /** Without parts in progress. */
    public BackupListing(String env, List<Folder> folders, List<BackupEntry> backups, Optional<BackupEntry> newestFull,
                         Optional<Double> newestFullAgeHours, int rpoHours, boolean rpoOk, Instant takenAt,
                         List<String> rpoKinds, List<Leftover> leftovers) {
        this(env, folders, backups, newestFull, newestFullAgeHours, rpoHours, rpoOk, takenAt, rpoKinds, leftovers, List.of());
    }

    /** Without leftovers. */
    public BackupListing(String env, List<Folder> folders, List<BackupEntry> backups, Optional<BackupEntry> newestFull,
                         Optional<Double> newestFullAgeHours, int rpoHours, boolean rpoOk, Instant takenAt,
                         List<String> rpoKinds) {
        this(env, folders, backups, newestFull, newestFullAgeHours, rpoHours, rpoOk, takenAt, rpoKinds, List.of());
    }

    /** Without {@code rpoKinds} (the newest full backup's kind, or "full", counts) and without leftovers. */
    public BackupListing(String env, List<Folder> folders, List<BackupEntry> backups, Optional<BackupEntry> newestFull,
                         Optional<Double> newestFullAgeHours, int rpoHours, boolean rpoOk, Instant takenAt) {
        this(env, folders, backups, newestFull, newestFullAgeHours, rpoHours, rpoOk, takenAt,
                List.of(newestFull.map(BackupEntry::kind).orElse("full")));
    }

    /** This listing with {@code verified} (by path) given to the backups each applies to (same size and time). */
    BackupListing withVerifications(java.util.Map<String, Verification> verified) {
        java.util.function.UnaryOperator<BackupEntry> with = e -> {
            Verification v = verified.get(e.path());
            return v != null && v.appliesTo(e) ? e.withVerification(Optional.of(v)) : e;
        };
        return verified.isEmpty() ? this : new BackupListing(env, folders, backups.stream().map(with).toList(), newestFull.map(with),
                newestFullAgeHours, rpoHours, rpoOk, takenAt, rpoKinds, leftovers, inProgress);
    }

    /**
     * A configured folder and the free space of its volume (-1 when the server did not say); {@code unreachable}:
     * why it could not be listed (its backups are then missing from the listing).
     */
    public record Folder(String path, long freeBytes, Optional<String> unreachable) {
        public Folder(String path, long freeBytes) {
            this(path, freeBytes, Optional.empty());
        }

        /** "folder ~/b: unreachable: no such file", or empty. */
        public Optional<String> problem() {
            return unreachable.map(r -> "folder " + path + ": unreachable: " + r);
        }
    }

    /**
     * Whether the RPO holds, and how sure that is. {@link #id} is what {@code dutydesk backups --json}
     * prints; a listing that could not be refreshed is {@code unknown} whatever it said (the pane and the CLI
     * decide that, the listing does not know it is old).
     */
    public enum Rpo {
        /** A backup of an RPO kind younger than the RPO, verified on the server. */
        MET("met"),
        /**
         * Met by an older backup verified ok, but the newest backup of an RPO kind FAILED verification: the backup
         * job is broken, which is urgent even while the RPO still holds (amber, never green).
         */
        MET_NEWEST_FAILED("met-newest-failed"),
        /** Younger than the RPO, but none of those backups is verified yet (the newest may have failed verification). */
        MET_UNVERIFIED("met-unverified"),
        /** No backup of an RPO kind younger than the RPO (or every one of them failed verification). */
        NOT_MET("not-met"),
        /** Cannot be told: a folder that may hold the newest backup was not read, or the listing is stale. */
        UNKNOWN("unknown");

        public final String id;

        Rpo(String id) {
            this.id = id;
        }
    }

    /** The backups of an RPO kind younger than the RPO at {@code takenAt}, newest first. */
    public List<BackupEntry> withinRpo() {
        return backups.stream().filter(b -> rpoKinds.contains(b.kind()) && b.ageHours(takenAt) <= rpoHours).toList();
    }

    /** The newest backup within the RPO that was verified ok. */
    public Optional<BackupEntry> newestVerified() {
        return withinRpo().stream().filter(b -> b.verification().map(v -> v.ok()).orElse(false)).findFirst();
    }

    public List<Folder> unreachableFolders() {
        return folders.stream().filter(f -> f.unreachable().isPresent()).toList();
    }

    /** The newest backup within the RPO when it failed verification (the backup job is broken), else empty. */
    public Optional<BackupEntry> newestFailed() {
        List<BackupEntry> within = withinRpo();
        return within.isEmpty() || within.get(0).verification().map(Verification::ok).orElse(true)
                ? Optional.empty() : Optional.of(within.get(0));
    }

    public Rpo rpo() {
        List<BackupEntry> within = withinRpo();
        if (newestVerified().isPresent()) {
            return newestFailed().isPresent() ? Rpo.MET_NEWEST_FAILED : Rpo.MET;
        }
        if (!within.isEmpty()) {
            boolean allBad = within.stream().allMatch(b -> b.verification().map(v -> !v.ok()).orElse(false));
            return allBad ? Rpo.NOT_MET : Rpo.MET_UNVERIFIED;
        }
        return unreachableFolders().isEmpty() ? Rpo.NOT_MET : Rpo.UNKNOWN;
    }

    /** "The newest full backup failed verification: NAME, 9.2 h old (DETAIL)". */
    private String failed(String what, String at) {
        BackupEntry f = newestFailed().orElseThrow();
        return "The newest " + what + " backup failed verification: " + f.name() + ", " + Ages.hours(f.ageHours(takenAt)) + " old"
                + at + " (" + f.verification().orElseThrow().detail() + ")";
    }

    /** The RPO in one sentence, ages as of {@code takenAt} (a fresh listing). */
    public String rpoText() {
        return rpoText(null);
    }

    /**
     * The RPO in one sentence. {@code staleAt}: the listing is stale and was read at that time (as the caller
     * writes times), so every age in the sentence is said to be the age then ("10.0 h old at 12:00:00"),
     * never a current age; null for a fresh listing.
     */
    public String rpoText(String staleAt) {
        String at = staleAt != null ? " at " + staleAt : "";
        String what = rpoKinds.size() == 1 ? rpoKinds.get(0) : String.join("/", rpoKinds);
        Optional<BackupEntry> good = newestVerified();
        List<BackupEntry> within = withinRpo();
        return switch (rpo()) {
            case MET -> {
                BackupEntry g = good.orElseThrow();
                BackupEntry newest = within.get(0);
                yield "RPO met: " + what + " backup " + g.name() + " verified, " + Ages.hours(g.ageHours(takenAt)) + " old" + at
                        + " (RPO " + rpoHours + " h)" + (newest.equals(g) ? "" : "; newer " + newest.name() + " "
                        + Ages.hours(newest.ageHours(takenAt)) + " old, " + (newest.verification().isEmpty() ? "not verified" : "failed verification"));
            }
            case MET_NEWEST_FAILED -> {
                BackupEntry g = good.orElseThrow();
                yield failed(what, at) + " — the RPO is still met by " + g.name() + ", verified, "
                        + Ages.hours(g.ageHours(takenAt)) + " old" + at + " (RPO " + rpoHours + " h); fix the backup job";
            }
            case MET_UNVERIFIED -> newestFailed().isPresent() && within.size() > 1
                    ? failed(what, at) + " — RPO met, unverified: the older " + within.get(1).name() + " ("
                    + Ages.hours(within.get(1).ageHours(takenAt)) + " old" + at + ", RPO " + rpoHours + " h) is not verified yet"
                    + " — verify it before you count on it; fix the backup job"
                    : "RPO met, unverified: newest " + what + " backup " + within.get(0).name() + " is "
                    + Ages.hours(within.get(0).ageHours(takenAt)) + " old" + at + " (RPO " + rpoHours + " h), but no "
                    + what + " backup within the RPO is verified yet — verify it before you count on it";
            case NOT_MET -> !within.isEmpty()
                    ? "RPO not met: every " + what + " backup within the RPO of " + rpoHours + " h failed verification"
                    : newestFull.map(b -> "RPO not met: newest " + what + " backup " + b.name() + " is "
                            + Ages.hours(b.ageHours(takenAt)) + " old" + at + ": older than the RPO of " + rpoHours + " h")
                    .orElse("RPO not met: no " + what + " backup at all (RPO " + rpoHours + " h)");
            case UNKNOWN -> "RPO unknown: " + String.join("; ", unreachableFolders().stream().map(f -> f.problem().orElseThrow()).toList())
                    + " — the newest " + what + " backup may be there" + newestFull.map(b -> "; in the folders read, the newest is "
                    + b.name() + ", " + Ages.hours(b.ageHours(takenAt)) + " old" + at).orElse("; the folders read hold none");
        };
    }
}
