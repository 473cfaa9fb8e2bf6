package io.dutydesk.core.backups;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.RemoteShell.RemoteFile;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The team's version sidecars ({@code FILE.version}): read with the listing, never listed as backups, and whatever they
 * hold — nothing, garbage, megabytes, an unreadable file — the version is "unknown, because …", never a failed listing.
 */
class RecordedVersionTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String FULL = "selfology_full_20261122_020000.sql.gz";
    static final String F = "/srv/backups";

    @TempDir
    Path tmp;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aVersionIsTheFirstLineTrimmed() {
        assertEquals(Optional.of("v1.4.0"), RecordedVersion.parse("x.version", b("v1.4.0\n")).version());
        assertEquals(Optional.of("v1.4.0-rc.1"), RecordedVersion.parse("x.version", b("  v1.4.0-rc.1  \r\nsecond line\n")).version());
        assertEquals("v1.4.0 (recorded with the backup)", RecordedVersion.parse("x.version", b("v1.4.0")).describe());
    }

    @Test
    void emptyGarbageBinaryHugeOrUnreadableIsUnknownWithWhy() {
        assertEquals("unknown (x.version is empty)", RecordedVersion.parse("x.version", b("")).describe());
        assertEquals("unknown (x.version is empty)", RecordedVersion.parse("x.version", b("  \n\n")).describe());
        assertEquals("unknown (x.version does not name a version: 'rm -rf /')",
                RecordedVersion.parse("x.version", b("rm -rf /\n")).describe());
        assertEquals("unknown (x.version does not name a version: '$(reboot)')",
                RecordedVersion.parse("x.version", b("$(reboot)")).describe());
        assertEquals("unknown (x.version is not text)",
                RecordedVersion.parse("x.version", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}).describe());
        assertEquals("unknown (x.version does not name a version: 'v1?')",
                RecordedVersion.parse("x.version", b("v1\u0007")).describe(), "a control character is shown as '?'");
        assertEquals("unknown (x.version is larger than 256 bytes: not a version)",
                RecordedVersion.parse("x.version", new byte[RecordedVersion.MAX_BYTES + 1]).describe());
        assertEquals("unknown (x.version could not be read)", RecordedVersion.parse("x.version", null).describe());
        assertFalse(RecordedVersion.parse("x.version", b("a".repeat(129))).known(), "longer than a Docker tag");
    }

    static Environment.Backups backups(String yamlExtra) {
        return EnvironmentsFile.parse(Path.of("t.yaml"), "environments:\n  prod:\n    ssh: { host: h }\n" + yamlExtra)
                .require("prod").backups().withFolders(List.of(F));
    }

    static RemoteFile file(String name, long size) {
        return new RemoteFile(name, size, Instant.parse("2026-11-22T02:00:04Z"), false);
    }

    @Test
    void theListingReadsEachBackupsSidecarAndNeverListsASidecarAsABackup() {
        // an odd suffix that looks like a backup itself: still the sidecar of the backup it extends, never a backup
        Environment.Backups config = backups("    backups:\n      versionSidecar: .meta.sql\n");
        assertEquals(".meta.sql", config.versionSidecar());
        String other = "selfology_full_20261121_020000.sql.gz";
        String third = "selfology_full_20261120_020000.sql.gz";
        String fourth = "selfology_full_20261119_020000.sql.gz";
        List<RemoteFile> files = List.of(file(FULL, 500), file(FULL + ".meta.sql", 7), file(other, 500),
                file(third, 500), file(third + ".meta.sql", 4096), file(fourth, 500), file(fourth + ".meta.sql", 3));
        Map<String, RemoteFile> toRead = BackupCatalog.sidecarsToRead(config, Map.of(F, files));
        assertEquals(List.of(F + "/" + FULL + ".meta.sql", F + "/" + fourth + ".meta.sql"), List.copyOf(toRead.keySet()),
                "the one of 4096 bytes is not read at all");
        Map<String, byte[]> read = new HashMap<>();
        read.put(F + "/" + FULL + ".meta.sql", b("v1.4.0\n")); // the fourth's could not be read
        BackupListing l = BackupCatalog.listing("prod", config, Map.of(F, files), Map.of(), Map.of(), Map.of(),
                Optional.empty(), read, NOW);
        assertEquals(List.of(FULL, other, third, fourth), l.backups().stream().map(BackupEntry::name).toList(),
                "the sidecars are not backups");
        assertEquals("v1.4.0 (recorded with the backup)", l.backups().get(0).recorded().describe());
        assertEquals("unknown (no " + other + ".meta.sql)", l.backups().get(1).recorded().describe());
        assertEquals("unknown (" + third + ".meta.sql is larger than 256 bytes: not a version)", l.backups().get(2).recorded().describe());
        assertEquals("unknown (" + fourth + ".meta.sql could not be read)", l.backups().get(3).recorded().describe());
    }

    @Test
    void theDefaultSuffixIsDotVersionAndABadOneIsRefused() {
        assertEquals(".version", backups("").versionSidecar());
        for (String bad : List.of("version", "./x", ".a/b", "." + "v".repeat(40))) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(io.dutydesk.core.config.ConfigException.class,
                    () -> backups("    backups:\n      versionSidecar: '" + bad + "'\n"), bad);
            assertTrue(e.getMessage().contains("versionSidecar") && e.getMessage().contains("a file name suffix such as .version"),
                    e.getMessage());
        }
    }

    BackupsService service(Path folder, LocalFolderShell shell) {
        Environment ref = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
        Environment env = ref.withBackups(ref.backups().withFolders(List.of(folder.toString())));
        return new BackupsService(env, shell, io.dutydesk.core.ports.VerificationResults.NONE, MemoryAuditLog.create(), "me@here",
                Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run);
    }

    @Test
    void theServiceReadsTheSidecarsOverSftpOnceAndAnUnreadableOneNeverFailsTheListing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b"));
        String a = "selfology_full_20261122_020000.sql.gz";
        String c = "selfology_full_20261121_020000.sql.gz";
        String d = "selfology_full_20261120_020000.sql.gz";
        String e = "selfology_full_20261119_020000.sql.gz";
        for (String n : List.of(a, c, d, e)) {
            Files.write(dir.resolve(n), new byte[] {1});
        }
        Files.writeString(dir.resolve(a + ".version"), "v1.4.0\n");
        Files.writeString(dir.resolve(c + ".version"), "");
        Files.write(dir.resolve(d + ".version"), new byte[1 << 20]); // a megabyte: never read
        Files.createDirectory(dir.resolve(e + ".version")); // not a file
        LocalFolderShell shell = new LocalFolderShell();
        List<String> reads = shell.reads;
        BackupsService s = service(dir, shell);
        BackupListing l = s.list().join();
        assertEquals(List.of(a, c, d, e), l.backups().stream().map(BackupEntry::name).toList());
        assertEquals(List.of("v1.4.0", "unknown", "unknown", "unknown"), l.backups().stream().map(x -> x.recorded().text()).toList());
        assertEquals("unknown (" + c + ".version is empty)", l.backups().get(1).recorded().describe());
        assertEquals("unknown (" + d + ".version is larger than 256 bytes: not a version)", l.backups().get(2).recorded().describe());
        assertEquals("unknown (no " + e + ".version)", l.backups().get(3).recorded().describe());
        assertEquals(2, reads.size(), "only the small files are read: " + reads);

        s.list().join();
        assertEquals(2, reads.size(), "an unchanged sidecar is not read again by the next poll: " + reads);

        // a sidecar that cannot be read: that backup's version is unknown, the listing is there all the same
        Files.writeString(dir.resolve(a + ".version"), "v1.5.0\n");
        shell.unreadable.add(dir.resolve(a + ".version").toString());
        BackupListing again = s.list().join();
        assertEquals(4, again.backups().size());
        assertEquals("unknown (" + a + ".version could not be read)", again.backups().get(0).recorded().describe());
        shell.unreadable.clear();
        assertEquals("v1.5.0", s.list().join().backups().get(0).recorded().text(), "read again once it changed");
    }

    @Test
    void theRestoreConfirmationSaysTheRecordedVersionAndThatOnlyTheDatabaseGoesBack() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("r"));
        Files.write(dir.resolve(FULL), new byte[] {1});
        Files.writeString(dir.resolve(FULL + ".version"), "v1.4.0\n");
        BackupsService s = service(dir, new LocalFolderShell());
        BackupEntry entry = s.list().join().backups().get(0);
        List<String> facts = s.plan(entry, false).facts();
        assertTrue(facts.contains("version deployed when it was taken: v1.4.0 (recorded with the backup); a restore puts back the "
                + "database only — the services stay on their version"), facts.toString());
        assertTrue(s.plan(entry, true).facts().contains("version deployed when it was taken: v1.4.0 (recorded with the backup)"));
    }
}
