package io.dutydesk.core.rollout;

import io.dutydesk.core.config.Environment;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a detached job may run on the server before it is killed ({@code timeout}: TERM, then KILL
 * 30 s later), per kind of job: deploy, switch, rollback and cleanup keep {@code deploy.actionTimeoutSeconds};
 * backups and restores have their own bounds ({@code backups.backupTimeoutSeconds},
 * {@code backups.restoreTimeoutSeconds}), none by default: a restore of a large database is never killed
 * half-way by the deploy's bound.
 *
 * @param limit  the bound, or empty: the job runs until it ends
 * @param source where it comes from (the configuration key), for the confirmation
 */
public record JobBound(Optional<Duration> limit, String source) {

    /** The deploy's bound: {@code deploy.actionTimeoutSeconds}. */
    public static JobBound deploy(Environment env) {
        return new JobBound(Optional.of(env.deploy().actionTimeout()), "deploy.actionTimeoutSeconds");
    }

    /** A backup job's bound (backup now). */
    public static JobBound backup(Environment env) {
        return new JobBound(env.backups().backupTimeout(), "backups.backupTimeoutSeconds");
    }

    /** A restore's bound (into the live database or a scratch one). */
    public static JobBound restore(Environment env) {
        return new JobBound(env.backups().restoreTimeout(), "backups.restoreTimeoutSeconds");
    }

    /** What the confirmation says: "none (runs until it ends; backups.restoreTimeoutSeconds)" or "2 h (…)". */
    public String describe() {
        return limit.map(d -> duration(d) + " (" + source + "; killed after that)")
                .orElse("none: runs until it ends (" + source + " not set; deploy.actionTimeoutSeconds does not apply)");
    }

    /** "2 h", "15 min", "90 s". */
    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s % 60 == 0) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
