package io.dutydesk.core.backups;

import io.dutydesk.core.config.ConfigException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.RemoteShell.RemoteFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackupCatalogTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String F = "/srv/backups";

    static Environment.Backups selfology() {
        return EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  prod:
                    ssh: { host: h }
                    backups: { folders: [ /srv/backups ] }
                """).require("prod").backups();
    }

    static RemoteFile file(String name, long size, String modified) {
        return new RemoteFile(name, size, Instant.parse(modified), false);
    }

    static BackupListing listing(Environment.Backups b, List<RemoteFile> files, Map<String, Verification> verified) {
        return BackupCatalog.listing("prod", b, Map.of(F, files), Map.of(F, 123L), verified, NOW);
    }

    @Test
    void filesAreClassifiedByTheConfiguredPatternsWithTheirRetention() {
        BackupListing l = listing(selfology(), List.of(
                file("selfology_full_20261122_020000.sql.gz", 500, "2026-11-22T02:00:05Z"),
                file("selfology_full_20261122_020000.sql.gz.sha256", 90, "2026-11-22T02:00:05Z"),
                file("selfology_incr_20261122_110000.sql", 50, "2026-11-22T11:00:01Z"),
                file("selfology_premigration_20261101_143012.dump", 70, "2026-11-01T14:30:12Z"),
                file("selfology_predeploy_20261120_101500.sql.gz", 80, "2026-11-20T10:15:00Z"),
                file("dutydesk_prerestore_20261121_080000.sql.gz", 90, "2026-11-21T08:00:00Z"),
                file("notes.sql", 10, "2026-11-10T00:00:00Z"),
                file("selfology_full_20261122_030000.sql.gz.part", 10, "2026-11-22T03:00:00Z"),
                new RemoteFile("old", 0, NOW, true)), Map.of());
        assertEquals(List.of("selfology_incr_20261122_110000.sql", "selfology_full_20261122_020000.sql.gz",
                        "dutydesk_prerestore_20261121_080000.sql.gz", "selfology_predeploy_20261120_101500.sql.gz",
                        "notes.sql", "selfology_premigration_20261101_143012.dump"),
                l.backups().stream().map(BackupEntry::name).toList(), "newest first; sidecars, partial files and folders left out");
        Map<String, BackupEntry> by = new java.util.HashMap<>();
        l.backups().forEach(e -> by.put(e.name(), e));
        BackupEntry full = by.get("selfology_full_20261122_020000.sql.gz");
        assertEquals("full", full.kind());
        assertEquals(Instant.parse("2026-11-22T02:00:00Z"), full.takenAt(), "the name's timestamp, not the file time");
        assertEquals(Instant.parse("2026-12-22T02:00:00Z"), full.retentionExpiresAt(), "30 days");
        assertEquals("/srv/backups/selfology_full_20261122_020000.sql.gz", full.path());
        assertEquals("gzip", full.format());
        assertEquals("incremental", by.get("selfology_incr_20261122_110000.sql").kind());
        assertEquals("plain", by.get("selfology_incr_20261122_110000.sql").format());
        assertEquals(Instant.parse("2026-11-29T11:00:00Z"), by.get("selfology_incr_20261122_110000.sql").retentionExpiresAt());
        assertEquals("pre-migration", by.get("selfology_premigration_20261101_143012.dump").kind());
        assertEquals("custom", by.get("selfology_premigration_20261101_143012.dump").format());
        assertEquals("pre-deployment", by.get("selfology_predeploy_20261120_101500.sql.gz").kind());
        assertEquals("pre-restore", by.get("dutydesk_prerestore_20261121_080000.sql.gz").kind());
        assertEquals(BackupCatalog.OTHER, by.get("notes.sql").kind());
        assertNull(by.get("notes.sql").retentionExpiresAt());
        assertEquals(10.0, full.ageHours(NOW), 0.001);
        assertEquals(List.of(new BackupListing.Folder(F, 123L)), l.folders());
    }

    @Test
    void theRpoHoldsWhileTheNewestFullIsYoungerThan26Hours() {
        BackupListing ok = listing(selfology(), List.of(file("selfology_full_20261121_120000.sql.gz", 1, "2026-11-21T12:00:00Z"),
                file("selfology_incr_20261122_110000.sql.gz", 1, "2026-11-22T11:00:00Z")), Map.of());
        assertTrue(ok.rpoOk());
        assertEquals(24.0, ok.newestFullAgeHours().orElseThrow(), 0.001);
        assertEquals(BackupListing.Rpo.MET_UNVERIFIED, ok.rpo(), "young enough, but nothing verified");

        BackupListing stale = listing(selfology(), List.of(file("selfology_full_20261121_090000.sql.gz", 1, "2026-11-21T09:00:00Z"),
                file("selfology_incr_20261122_110000.sql.gz", 1, "2026-11-22T11:00:00Z")), Map.of());
        assertFalse(stale.rpoOk(), "27 h > 26 h; a fresh incremental does not count");
        assertEquals(BackupListing.Rpo.NOT_MET, stale.rpo());
        assertEquals("RPO not met: newest full backup selfology_full_20261121_090000.sql.gz is 27.0 h old: older than the RPO of 26 h",
                stale.rpoText());
        assertEquals("RPO not met: newest full backup selfology_full_20261121_090000.sql.gz is 27.0 h old at 12:00:00: older than "
                + "the RPO of 26 h", stale.rpoText("12:00:00"), "a stale listing's age is the age then, said so");

        BackupListing none = listing(selfology(), List.of(), Map.of());
        assertFalse(none.rpoOk());
        assertEquals(BackupListing.Rpo.NOT_MET, none.rpo());
        assertEquals("RPO not met: no full backup at all (RPO 26 h)", none.rpoText());
    }

    static Verification verified(RemoteFile f, boolean ok) {
        return new Verification(F + "/" + f.name(), f.size(), f.modified(), ok, ok ? "gzip -t: intact" : "gzip -t: unexpected end of file", NOW);
    }

    @Test
    void theRpoIsMetOnlyByAVerifiedBackupAndSaysWhenNoneIs() {
        RemoteFile older = file("selfology_full_20261121_120000.sql.gz", 1, "2026-11-21T12:00:00Z");
        RemoteFile newer = file("selfology_full_20261122_020000.sql.gz", 1, "2026-11-22T02:00:00Z");
        List<RemoteFile> files = List.of(older, newer);

        BackupListing unverified = listing(selfology(), files, Map.of());
        assertEquals(BackupListing.Rpo.MET_UNVERIFIED, unverified.rpo());
        assertEquals("RPO met, unverified: newest full backup selfology_full_20261122_020000.sql.gz is 10.0 h old (RPO 26 h), "
                + "but no full backup within the RPO is verified yet — verify it before you count on it", unverified.rpoText());
        assertTrue(unverified.newestVerified().isEmpty());

        BackupListing met = listing(selfology(), files, Map.of(F + "/" + newer.name(), verified(newer, true)));
        assertEquals(BackupListing.Rpo.MET, met.rpo());
        assertEquals("RPO met: full backup selfology_full_20261122_020000.sql.gz verified, 10.0 h old (RPO 26 h)", met.rpoText());

        BackupListing olderGood = listing(selfology(), files, Map.of(F + "/" + older.name(), verified(older, true)));
        assertEquals(BackupListing.Rpo.MET, olderGood.rpo(), "an older verified backup within the RPO still meets it");
        assertEquals("RPO met: full backup selfology_full_20261121_120000.sql.gz verified, 24.0 h old (RPO 26 h); newer "
                + "selfology_full_20261122_020000.sql.gz 10.0 h old, not verified", olderGood.rpoText());

        BackupListing newestBad = listing(selfology(), files, Map.of(F + "/" + newer.name(), verified(newer, false)));
        assertEquals(BackupListing.Rpo.MET_UNVERIFIED, newestBad.rpo(), "the older one is not verified yet: not known bad");
        assertEquals("The newest full backup failed verification: selfology_full_20261122_020000.sql.gz, 10.0 h old (gzip -t: "
                + "unexpected end of file) — RPO met, unverified: the older selfology_full_20261121_120000.sql.gz (24.0 h old, RPO 26 h) "
                + "is not verified yet — verify it before you count on it; fix the backup job", newestBad.rpoText());

        BackupListing allBad = listing(selfology(), files, Map.of(F + "/" + newer.name(), verified(newer, false),
                F + "/" + older.name(), verified(older, false)));
        assertEquals(BackupListing.Rpo.NOT_MET, allBad.rpo(), "a backup that failed verification meets no RPO");
        assertEquals("RPO not met: every full backup within the RPO of 26 h failed verification", allBad.rpoText());
    }

    /**
     * The trial's case: an older full backup verified ok meets the RPO, but the newest one FAILED verification. The
     * backup job is broken: never green, and the sentence starts with the failure (not with "RPO met").
     */
    @Test
    void theNewestFullBackupFailingVerificationIsNeverGreenEvenWhileAnOlderVerifiedOneMeetsTheRpo() {
        RemoteFile older = file("selfology_full_20261122_020000.sql.gz", 1, "2026-11-22T02:00:00Z");
        RemoteFile newer = file("selfology_full_20261122_030000.sql.gz", 1, "2026-11-22T03:00:00Z");
        RemoteFile incr = file("selfology_incr_20261122_070000.sql.gz", 1, "2026-11-22T07:00:00Z");
        BackupListing l = listing(selfology(), List.of(older, newer, incr), Map.of(F + "/" + older.name(), verified(older, true),
                F + "/" + newer.name(), verified(newer, false)));
        assertEquals(BackupListing.Rpo.MET_NEWEST_FAILED, l.rpo());
        assertEquals("met-newest-failed", l.rpo().id);
        assertEquals(Optional.of("selfology_full_20261122_030000.sql.gz"), l.newestFailed().map(BackupEntry::name));
        assertEquals(Optional.of("selfology_full_20261122_020000.sql.gz"), l.newestVerified().map(BackupEntry::name));
        assertEquals("The newest full backup failed verification: selfology_full_20261122_030000.sql.gz, 9.0 h old (gzip -t: "
                + "unexpected end of file) — the RPO is still met by selfology_full_20261122_020000.sql.gz, verified, 10.0 h old "
                + "(RPO 26 h); fix the backup job", l.rpoText());
        assertTrue(l.rpoText("12:00:00").contains("9.0 h old at 12:00:00"), "a stale listing's ages are the ages then");

        // verified again after the job was fixed: a newer good one makes it green again
        RemoteFile fixed = file("selfology_full_20261122_110000.sql.gz", 1, "2026-11-22T11:00:00Z");
        BackupListing again = listing(selfology(), List.of(older, newer, fixed), Map.of(F + "/" + older.name(), verified(older, true),
                F + "/" + newer.name(), verified(newer, false), F + "/" + fixed.name(), verified(fixed, true)));
        assertEquals(BackupListing.Rpo.MET, again.rpo());
        assertTrue(again.newestFailed().isEmpty());
    }

    @Test
    void aFolderThatCouldNotBeReadIsListedWithWhyAndTheRpoIsUnknownUnlessTheOthersMeetIt() {
        Environment.Backups two = selfology().withFolders(List.of(F, "/mnt/offsite"));
        RemoteFile old = file("selfology_full_20261120_020000.sql.gz", 1, "2026-11-20T02:00:00Z");
        BackupListing l = BackupCatalog.listing("prod", two, Map.of(F, List.of(old)),
                Map.of("/mnt/offsite", "no such file"), Map.of(F, 1L), Map.of(), NOW);
        assertEquals(List.of(new BackupListing.Folder(F, 1L), new BackupListing.Folder("/mnt/offsite", -1L, Optional.of("no such file"))),
                l.folders());
        assertEquals(Optional.of("folder /mnt/offsite: unreachable: no such file"), l.folders().get(1).problem());
        assertEquals(1, l.backups().size(), "the other folder is listed");
        assertEquals(BackupListing.Rpo.UNKNOWN, l.rpo(), "the newest full backup may be in the folder not read");
        assertEquals("RPO unknown: folder /mnt/offsite: unreachable: no such file — the newest full backup may be there; in the "
                + "folders read, the newest is selfology_full_20261120_020000.sql.gz, 2.4 d old", l.rpoText());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupCatalog.find(l, "selfology_full_x.sql.gz"));
        assertEquals("'selfology_full_x.sql.gz' is not a backup in /srv/backups (folder /mnt/offsite: unreachable: no such file)",
                e.getMessage());

        RemoteFile fresh = file("selfology_full_20261122_020000.sql.gz", 1, "2026-11-22T02:00:00Z");
        BackupListing met = BackupCatalog.listing("prod", two, Map.of(F, List.of(fresh)), Map.of("/mnt/offsite", "no such file"),
                Map.of(), Map.of(F + "/" + fresh.name(), verified(fresh, true)), NOW);
        assertEquals(BackupListing.Rpo.MET, met.rpo(), "a verified backup within the RPO meets it wherever the others are");
    }

    @Test
    void aNameFromTheServerThatIsNotOnePlainFileNameIsRefused() {
        for (String bad : List.of("../../etc/x.sql.gz", "a/b.sql.gz", "..", ".", "x\\..\\y.sql.gz", "x\n.sql.gz", "")) {
            assertTrue(BackupCatalog.notPlainName(bad).isPresent(), bad);
        }
        for (String good : List.of("selfology_full_20261122_020000.sql.gz", "..x.sql", "a..b.sql.gz", "with space.sql")) {
            assertEquals(Optional.empty(), BackupCatalog.notPlainName(good), good);
        }
        // a server that lists "../../etc/x.sql.gz" in a folder: the entry is listed, but no action may use it
        BackupListing l = listing(selfology(), List.of(file("../../etc/x.sql.gz", 5, "2026-11-22T02:00:00Z")), Map.of());
        assertEquals("/srv/backups/../../etc/x.sql.gz", l.backups().get(0).path());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupCatalog.find(l, "../../etc/x.sql.gz"));
        assertEquals("refused: the server lists a backup named '../../etc/x.sql.gz' in /srv/backups, which contains a path "
                + "separator: it could point outside its folder (on the server or on this computer)", e.getMessage());
    }

    @Test
    void aLeftoverIsFoundOnlyByAPlainNameInTheFoldersThatWereRead() {
        Environment.Backups two = selfology().withFolders(List.of(F, "/mnt/offsite"));
        BackupListing l = BackupCatalog.listing("prod", two, Map.of(F, List.of(file("x.sql.gz.part", 5, "2026-11-22T02:00:00Z"),
                        file("../../etc/y.part", 5, "2026-11-22T02:00:00Z"))), Map.of("/mnt/offsite", "no such file"), Map.of(), Map.of(), NOW);
        assertEquals("/srv/backups/x.sql.gz.part", BackupCatalog.findLeftover(l, "x.sql.gz.part").path());
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> BackupCatalog.findLeftover(l, "../../etc/y.part"));
        assertEquals("the server lists a leftover named '../../etc/y.part' in /srv/backups, which contains a path separator: "
                + "it could point outside its folder", odd.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> BackupCatalog.findLeftover(l, "z.part"));
        assertEquals("'z.part' is not a leftover .part file in /srv/backups (folder /mnt/offsite: unreachable: no such file)",
                none.getMessage());
    }

    /**
     * The .part files of the job running right now are not leftovers: its own (its tag in the name, or written since it
     * started by the server's clock) are "being written by job X" and cannot be picked for removal; the others are.
     */
    @Test
    void thePartsOfTheRunningJobAreNotLeftovers() {
        String id = "20261122-115500-restore-0a1b2c3d";
        Instant since = Instant.parse("2026-11-22T11:55:02Z");
        List<RemoteFile> files = List.of(
                file("dutydesk_prerestore_20261122_115503.sql.gz.0a1b2c3d.part", 7, "2026-11-22T11:59:00Z"), // its tag
                file("selfology_full_20261122_115600.sql.gz.part", 8, "2026-11-22T11:55:02Z"), // written since it started
                file("dutydesk_prerestore_20261121_090000.sql.gz.ffffffff.part", 9, "2026-11-22T11:58:00Z"), // another tag, written since
                file("selfology_full_20261121_020000.sql.gz.part", 10, "2026-11-22T11:55:01Z")); // before it started: a leftover
        BackupListing l = BackupCatalog.listing("prod", selfology(), Map.of(F, files), Map.of(), Map.of(), Map.of(),
                Optional.of(new BackupCatalog.RunningJob(id, since)), NOW);
        assertEquals(List.of("selfology_full_20261121_020000.sql.gz.part"), l.leftovers().stream().map(Leftover::name).toList());
        assertEquals(List.of("selfology_full_20261122_115600.sql.gz.part (8 B) being written by job " + id,
                        "dutydesk_prerestore_20261121_090000.sql.gz.ffffffff.part (9 B) being written by job " + id,
                        "dutydesk_prerestore_20261122_115503.sql.gz.0a1b2c3d.part (7 B) being written by job " + id),
                l.inProgress().stream().map(PartInProgress::describe).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupCatalog.findLeftover(l, "dutydesk_prerestore_20261122_115503.sql.gz.0a1b2c3d.part"));
        assertEquals("'dutydesk_prerestore_20261122_115503.sql.gz.0a1b2c3d.part' is being written by job " + id
                + ", which is running right now: it is not a leftover", e.getMessage());
        assertEquals(F + "/selfology_full_20261121_020000.sql.gz.part", BackupCatalog.findLeftover(l, "selfology_full_20261121_020000.sql.gz.part").path());

        // no job running: every .part is a leftover of a job that ended
        BackupListing idle = BackupCatalog.listing("prod", selfology(), Map.of(F, files), Map.of(), Map.of(), Map.of(), Optional.empty(), NOW);
        assertEquals(4, idle.leftovers().size());
        assertTrue(idle.inProgress().isEmpty());
    }

    @Test
    void aStoredVerificationAppliesOnlyToTheSameFile() {
        RemoteFile f = file("selfology_full_20261122_020000.sql.gz", 500, "2026-11-22T02:00:05Z");
        String path = F + "/" + f.name();
        Verification same = new Verification(path, 500, f.modified(), false, "gzip -t: unexpected end of file", NOW);
        assertEquals(Optional.of(same), listing(selfology(), List.of(f), Map.of(path, same)).backups().get(0).verification());
        Verification older = new Verification(path, 400, f.modified(), true, "ok", NOW);
        assertTrue(listing(selfology(), List.of(f), Map.of(path, older)).backups().get(0).verification().isEmpty(),
                "the file changed since: not verified");
    }

    @Test
    void onlyAListedBackupCanBeNamed() {
        BackupListing l = listing(selfology(), List.of(file("selfology_full_20261122_020000.sql.gz", 500, "2026-11-22T02:00:05Z")), Map.of());
        assertEquals("selfology_full_20261122_020000.sql.gz", BackupCatalog.find(l, "selfology_full_20261122_020000.sql.gz").name());
        assertEquals("selfology_full_20261122_020000.sql.gz", BackupCatalog.find(l, F + "/selfology_full_20261122_020000.sql.gz").name());
        for (String bad : List.of("../secrets/pg_password", "/etc/passwd", F + "/../x.sql", "selfology_full_20261122_020000.sql.gz; rm -rf /", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupCatalog.find(l, bad));
            assertTrue(e.getMessage().contains("not a backup in /srv/backups") || e.getMessage().startsWith("which backup"), e.getMessage());
        }
    }

    @Test
    void anotherTeamsKindsAndRpoAreConfigurationOnly() {
        Environment.Backups b = EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  lifeos:
                    ssh: { host: h }
                    backups:
                      folders: [ /var/backups/lifeos, ~/more ]
                      rpoHours: 2
                      rpoKinds: [ nightly ]
                      kinds:
                        nightly: { pattern: 'lifeos-(\\d{4}-\\d{2}-\\d{2}T\\d{2})\\.dump', timestampFormat: "yyyy-MM-dd'T'HH", retentionDays: 14 }
                      commands: { backup: ./bin/backup.sh, restore: builtin }
                """).require("lifeos").backups();
        assertEquals(2, b.rpoHours());
        BackupListing l = BackupCatalog.listing("lifeos", b, Map.of("/var/backups/lifeos",
                List.of(file("lifeos-2026-11-22T09.dump", 5, "2026-11-22T09:10:00Z"))), Map.of(), Map.of(), NOW);
        assertEquals("nightly", l.backups().get(0).kind());
        assertEquals(Instant.parse("2026-11-22T09:00:00Z"), l.backups().get(0).takenAt());
        assertFalse(l.rpoOk(), "3 h > 2 h");
        assertEquals(List.of("/var/backups/lifeos", "~/more"), l.folders().stream().map(BackupListing.Folder::path).toList());

        ConfigException e = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  x:
                    ssh: { host: h }
                    backups: { rpoHourz: 3 }
                """));
        assertTrue(e.getMessage().contains("rpoHourz"), e.getMessage());
    }

    @Test
    void aDateOnlyTimestampIsTheNamesDayAtMidnightNotTheFileTime() {
        Environment.Backups b = EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  x:
                    ssh: { host: h }
                    backups:
                      folders: [ /b ]
                      kinds:
                        daily: { pattern: 'daily_(\\d{8})\\.sql', timestampFormat: yyyyMMdd }
                """).require("x").backups();
        BackupListing l = BackupCatalog.listing("x", b, Map.of("/b", List.of(file("daily_20261120.sql", 5, "2026-11-22T09:10:00Z"))),
                Map.of(), Map.of(), NOW);
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), l.backups().get(0).takenAt());
    }
}
