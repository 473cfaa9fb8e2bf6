package io.dutydesk.core.deploy;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.rollout.ReleaseHistory;
import io.dutydesk.core.slots.SlotsSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Rollback ready" on a single stack: a verified backup and/or an earlier release on the host, and which. */
class SingleReadinessTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Environment ENV = EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  life:\n    ssh: { host: lifeos-prod }\n"
            + "    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n"
            + "    backups: { folders: [ /b ] }\n").require("life");

    static BackupEntry backup(String name, Instant t, Boolean ok) {
        return new BackupEntry(name, "/b", "/b/" + name, "full", 1, t, t, null, ok == null ? Optional.empty()
                : Optional.of(new Verification("/b/" + name, 1, t, ok, ok ? "ok" : "truncated", NOW)));
    }

    static Optional<BackupListing> backups(BackupEntry... b) {
        return Optional.of(new BackupListing("life", List.of(), List.of(b), Optional.empty(), Optional.empty(), 26, true, NOW));
    }

    static Optional<ReleaseHistory.Listing> releases(ReleaseHistory.Release... r) {
        return Optional.of(new ReleaseHistory.Listing("life", List.of(r), List.of("lifeos/app"),
                new SlotsSnapshot("life", NOW, "production", "docker-host", List.of())));
    }

    static final ReleaseHistory.Release LIVE = new ReleaseHistory.Release("v1.5.0", NOW.minusSeconds(600), "me", 1,
            List.of("production (live)"), true);
    static final ReleaseHistory.Release EARLIER = new ReleaseHistory.Release("v1.4.0", NOW.minusSeconds(86400), "me", 1, List.of(), true);
    static final ReleaseHistory.Release GONE = new ReleaseHistory.Release("v1.3.0", NOW.minusSeconds(2 * 86400), "me", 1, List.of(), false);

    static SingleReadiness of(Optional<BackupListing> b, Optional<ReleaseHistory.Listing> r) {
        return SingleReadiness.of(ENV, b, "ssh: refused", r, "docker does not answer", ZoneOffset.UTC, NOW);
    }

    @Test
    void aVerifiedBackupAndAnEarlierReleaseAreBothNamed() {
        SingleReadiness r = of(backups(backup("a.sql.gz", Instant.parse("2026-03-01T03:00:00Z"), true),
                backup("b.sql.gz", Instant.parse("2026-03-01T04:00:00Z"), false)), releases(LIVE, EARLIER));
        assertTrue(r.ready());
        assertEquals("Rollback: READY (backup 03:00 verified (a.sql.gz), release v1.4.0)", r.line());
        assertEquals(Optional.of("v1.4.0"), r.release());
        assertEquals("a.sql.gz", r.backup().orElseThrow().name());
    }

    @Test
    void anEarlierReleaseAloneIsReadyWithoutAnyBackup() {
        SingleReadiness r = of(backups(), releases(LIVE, GONE, EARLIER));
        assertTrue(r.ready());
        assertEquals("Rollback: READY (release v1.4.0); no backup in /b", r.line());
    }

    @Test
    void aVerifiedBackupAloneIsReadyWhenNoEarlierImageIsLeft() {
        SingleReadiness r = of(backups(backup("a.sql.gz", Instant.parse("2026-02-27T03:00:00Z"), true)), releases(LIVE, GONE));
        assertTrue(r.ready());
        assertEquals("Rollback: READY (backup 2026-02-27 03:00 verified (a.sql.gz)); no earlier release on the host", r.line());
    }

    /** Issue 18: "Rollback: READY — no verified backup …, release v1.4.0" read like "ready — no": what makes it ready comes first. */
    @Test
    void readyByAReleaseAloneSaysTheReleaseFirstAndTheMissingBackupAfter() {
        SingleReadiness r = of(backups(backup("a.sql.gz", Instant.parse("2026-03-01T03:00:00Z"), null)), releases(LIVE, EARLIER));
        assertTrue(r.ready());
        assertEquals("Rollback: READY (release v1.4.0); no verified backup (newest a.sql.gz of 03:00 not verified yet)", r.line());
        assertEquals("release v1.4.0; no verified backup (newest a.sql.gz of 03:00 not verified yet)", r.text());
    }

    @Test
    void aBackupNotVerifiedYetIsNamedButNotEnough() {
        SingleReadiness r = of(backups(backup("a.sql.gz", Instant.parse("2026-03-01T03:00:00Z"), null)), releases(LIVE));
        assertFalse(r.ready());
        assertEquals("Rollback: NOT READY — no verified backup (newest a.sql.gz of 03:00 not verified yet), no earlier release on the host",
                r.line());
        assertEquals("a.sql.gz", r.newest().orElseThrow().name());
    }

    @Test
    void aSideThatCannotBeReadIsUnknownNeverNotReadyAndTheOtherSideStillCounts() {
        SingleReadiness r = of(Optional.empty(), releases(LIVE));
        assertEquals(SingleReadiness.State.UNKNOWN, r.state());
        assertEquals("Rollback: unknown — backups unknown (ssh: refused), no earlier release on the host", r.line());
        SingleReadiness r2 = of(Optional.empty(), releases(LIVE, EARLIER));
        assertTrue(r2.ready(), "a release to go back to is enough");
        SingleReadiness r3 = of(backups(backup("a.sql.gz", NOW.minusSeconds(60), true)), Optional.empty());
        assertTrue(r3.ready());
        assertEquals("Rollback: READY (backup 11:59 verified (a.sql.gz)); releases unknown (docker does not answer)", r3.line());
    }

    /**
     * A failed deploy (the script put the previous version back) leaves its image on the host: it is listed, but it is
     * no release to go back to, so it never makes rollback READY (it did: "READY — release v1.6.0" for a deploy that
     * failed a minute before).
     */
    @Test
    void aVersionWhoseDeploysHereAllFailedIsNoEarlierRelease() {
        ReleaseHistory.Release failedImage = new ReleaseHistory.Release("v1.6.0", null, "", 0, List.of(), true);
        Optional<ReleaseHistory.Listing> l = Optional.of(new ReleaseHistory.Listing("life", List.of(LIVE, failedImage), List.of("lifeos/app"),
                new SlotsSnapshot("life", NOW, "production", "docker-host", List.of()), java.util.Set.of("v1.6.0")));
        SingleReadiness r = of(backups(), l);
        assertEquals("Rollback: NOT READY — no backup in /b, no earlier release on the host", r.line());

        // the audit log's failed deploy of v1.6.0 (no success) is what marks it; a later success clears it
        io.dutydesk.core.audit.AuditEntry failed = new io.dutydesk.core.audit.AuditEntry("20260301-110000-deploy-aaaaaaaa", "me", "life",
                "deploy", List.of("v1.6.0"), NOW.minusSeconds(3600), NOW.minusSeconds(3500), 1, null, "failed", "v1.5.0", "v1.5.0", "x");
        assertEquals(java.util.Set.of("v1.6.0"), ReleaseHistory.failedOnly(ENV, List.of(failed)));
        io.dutydesk.core.audit.AuditEntry ok = new io.dutydesk.core.audit.AuditEntry("20260301-113000-deploy-bbbbbbbb", "me", "life",
                "deploy", List.of("v1.6.0"), NOW.minusSeconds(1800), NOW.minusSeconds(1700), 0, null, "succeeded", "v1.5.0", "v1.6.0", "x");
        assertEquals(java.util.Set.of(), ReleaseHistory.failedOnly(ENV, List.of(failed, ok)));
    }
}
