package io.dutydesk.core.deploy;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.rollout.ReleaseHistory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a single stack can be rolled back, for the window's chip and {@code status} alike: READY when a verified
 * backup to restore and/or an earlier release whose images are still on the host exists, saying which of the two (e.g.
 * "backup 03:00 verified (lifeos_predeploy_….sql.gz), release v1.4.0"). A backup not verified yet is named but never
 * makes it ready on its own; a side that cannot be read makes it "unknown" unless the other side is ready — never READY
 * on nothing.
 *
 * @param state   READY, NOT READY or unknown
 * @param text    the chip's text after "Rollback: "
 * @param backup  the verified backup to go back to (the newest one), if any
 * @param release the earlier release to go back to, if any
 * @param newest  the newest backup a rollback could restore (verified or not yet), if any
 */
public record SingleReadiness(State state, String text, Optional<BackupEntry> backup, Optional<String> release,
                             Optional<BackupEntry> newest) {
    public enum State { READY, NOT_READY, UNKNOWN }

    public boolean ready() {
        return state == State.READY;
    }

    /**
     * "Rollback: READY (backup 03:00 verified (…), release v1.4.0)", "Rollback: READY (release v1.4.0); no verified
     * backup (…)": what makes it ready in the parentheses, what is missing after them; "Rollback: NOT READY — …".
     */
    public String line() {
        if (state == State.READY) {
            int semi = text.indexOf("; ");
            return "Rollback: READY (" + (semi < 0 ? text : text.substring(0, semi) + ")" + text.substring(semi)) + (semi < 0 ? ")" : "");
        }
        return "Rollback: " + (state == State.NOT_READY ? "NOT READY" : "unknown") + " — " + text;
    }

    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DAY_HM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /**
     * @param backups        the backup listing; empty when it could not be read ({@code backupsUnknown} says why) or
     *                       backups are not configured
     * @param releases       the release history; empty when it could not be read ({@code releasesUnknown} says why)
     * @param zone           the zone times are shown in; {@code now}: today's times are shown as HH:mm only
     */
    public static SingleReadiness of(Environment env, Optional<BackupListing> backups, String backupsUnknown,
                                     Optional<ReleaseHistory.Listing> releases, String releasesUnknown, ZoneId zone, Instant now) {
        boolean unknown = false;
        String backupPart;
        Optional<BackupEntry> verified = Optional.empty();
        Optional<BackupEntry> newest = Optional.empty();
        if (!env.backups().configured()) {
            backupPart = "no backups configured";
        } else if (backups.isEmpty()) {
            backupPart = "backups unknown (" + backupsUnknown + ")";
            unknown = true;
        } else {
            List<BackupEntry> usable = backups.get().backups().stream()
                    .filter(b -> !env.backups().dataOnlyKinds().contains(b.kind()))
                    .filter(b -> b.verification().map(v -> v.ok()).orElse(true)).toList();
            verified = usable.stream().filter(b -> b.verification().map(v -> v.ok()).orElse(false))
                    .max(Comparator.comparing(BackupEntry::takenAt));
            newest = usable.stream().max(Comparator.comparing(BackupEntry::takenAt));
            if (verified.isPresent()) {
                backupPart = "backup " + time(verified.get().takenAt(), zone, now) + " verified (" + verified.get().name() + ")";
            } else if (newest.isPresent()) {
                backupPart = "no verified backup (newest " + newest.get().name() + " of " + time(newest.get().takenAt(), zone, now)
                        + " not verified yet)";
            } else {
                backupPart = "no backup in " + String.join(", ", env.backups().folders());
            }
        }
        String releasePart;
        Optional<String> release = Optional.empty();
        if (releases.isEmpty()) {
            releasePart = "releases unknown (" + releasesUnknown + ")";
            unknown = true;
        } else {
            release = SingleReleases.earlier(releases.get()).map(ReleaseHistory.Release::version);
            releasePart = release.map(v -> "release " + v).orElse("no earlier release on the host");
        }
        boolean ready = verified.isPresent() || release.isPresent();
        State state = ready ? State.READY : unknown ? State.UNKNOWN : State.NOT_READY;
        // READY: what makes it ready first, then what is missing ("release v1.4.0; no verified backup (…)"), so it never
        // reads "READY — no verified backup"
        String text;
        if (verified.isPresent() && release.isPresent()) {
            text = backupPart + ", " + releasePart;
        } else if (verified.isPresent()) {
            text = backupPart + "; " + releasePart;
        } else if (release.isPresent()) {
            text = releasePart + "; " + backupPart;
        } else {
            text = backupPart + ", " + releasePart;
        }
        return new SingleReadiness(state, text, verified, release, newest);
    }

    static String time(Instant t, ZoneId zone, Instant now) {
        LocalDate day = t.atZone(zone).toLocalDate();
        return (day.equals(now.atZone(zone).toLocalDate()) ? HM : DAY_HM).format(t.atZone(zone));
    }
}
