package io.dutydesk.core.backups;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell.RemoteFile;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service over real local folders and a real sh ({@link LocalFolderShell}): folders read apart, names checked. */
class BackupsServiceTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String FULL = "selfology_full_20261122_020000.sql.gz";

    @TempDir
    Path tmp;
    Path good;
    Path offsite;
    final LocalFolderShell shell = new LocalFolderShell();
    final MemoryAuditLog audit = MemoryAuditLog.create();
    byte[] body;

    @BeforeEach
    void folders() throws Exception {
        good = Files.createDirectories(tmp.resolve("backups"));
        offsite = tmp.resolve("offsite"); // configured, but not there
        body = BackupScriptsTest.gzip(BackupScriptsTest.DUMP);
        Files.write(good.resolve(FULL), body);
    }

    BackupsService service(List<String> folders) {
        Environment ref = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
        Environment env = ref.withBackups(ref.backups().withFolders(folders));
        return new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run);
    }

    @Test
    void aFolderThatCannotBeReadDoesNotBlockTheOthers() throws Exception {
        BackupsService s = service(List.of(good.toString(), offsite.toString()));
        BackupListing l = s.list().join();
        assertEquals(List.of(FULL), l.backups().stream().map(BackupEntry::name).toList());
        assertEquals(List.of(offsite.toString()), l.unreachableFolders().stream().map(BackupListing.Folder::path).toList());
        assertEquals("folder " + offsite + ": unreachable: " + offsite + ": no such file or folder", l.folders().get(1).problem().orElseThrow());

        Verification v = s.verify(FULL).join();
        assertTrue(v.ok(), v.detail());
        BackupsService.Download d = s.download(FULL, tmp.resolve("dl"), (a, b) -> true).join();
        assertArrayEquals(body, Files.readAllBytes(d.file()));

        // a folder the user may not read, too
        shell.unreachable.add(good.toString());
        CompletionException none = assertThrows(CompletionException.class, () -> s.list().join());
        assertEquals("folder " + good + ": unreachable: " + good + ": permission denied; folder " + offsite + ": unreachable: "
                + offsite + ": no such file or folder — check backups.folders in the environments file", io.dutydesk.core.Errors.describe(none),
                "no folder read: the listing fails, saying why for each");
        assertTrue(io.dutydesk.core.MisconfiguredException.in(none), "the server answered for each: misconfigured, not down");
    }

    @Test
    void aNameFromTheServerThatLeadsOutOfItsFolderIsRefusedAndAudited() throws Exception {
        BackupsService s = service(List.of(good.toString()));
        shell.listed.put(good.toString(), List.of(new RemoteFile("../escape.sql.gz", body.length, NOW, false)));
        Path dl = Files.createDirectories(tmp.resolve("dl"));
        CompletionException e = assertThrows(CompletionException.class,
                () -> s.download("../escape.sql.gz", dl, (a, b) -> true).join());
        RolloutException r = assertInstanceOf(RolloutException.class, e.getCause());
        assertEquals(RolloutException.Kind.INVALID_INPUT, r.kind());
        assertEquals("refused: the server lists a backup named '../escape.sql.gz' in " + good + ", which contains a path separator: "
                + "it could point outside its folder (on the server or on this computer)", r.getMessage());
        assertFalse(Files.exists(tmp.resolve("escape.sql.gz")), "nothing written outside the download folder");
        assertFalse(Files.exists(tmp.resolve("escape.sql.gz.part")));
        AuditEntry a = audit.entries.get(audit.entries.size() - 1);
        assertEquals("backup-download", a.action());
        assertEquals("refused", a.result());
        assertEquals(r.getMessage(), a.message());
        assertTrue(shell.commands.stream().noneMatch(c -> c.contains("sha256sum")), "nothing asked of the server: " + shell.commands);
        // verify and restore resolve names the same way: refused too
        assertThrows(CompletionException.class, () -> s.verify("../escape.sql.gz").join());
        assertEquals("refused", audit.entries.get(audit.entries.size() - 1).result());
    }

    @Test
    void theDownloadTargetIsAlwaysDirectlyInTheChosenFolder() {
        Path dir = tmp.resolve("dl");
        assertEquals(dir.resolve(FULL), BackupsService.localTarget(dir, FULL));
        for (String bad : List.of("../x.sql.gz", "a/b.sql.gz", "..", ".", "/etc/x.sql.gz", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupsService.localTarget(dir, bad), bad);
            assertTrue(e.getMessage().startsWith("refused: the backup name '"), e.getMessage());
        }
    }

    @Test
    void aBackupCommandWithAPlaceholderItIsNotGivenRunsNothingAndIsAudited() {
        Environment ref = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
        Map<String, String> c = new java.util.HashMap<>(ref.backups().commands());
        c.put("backup", "pg_dump app > {file}");
        Environment env = ref.withBackups(ref.backups().withFolders(List.of(good.toString())).withCommands(c));
        BackupsService s = new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", Clock.fixed(NOW, ZoneOffset.UTC),
                Runnable::run);
        shell.execute = false; // were it sent, it must not run here
        CompletionException e = assertThrows(CompletionException.class, () -> s.backupNow((err, line) -> { })
                .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
        assertTrue(e.getCause().getMessage().contains("{file} is not filled in for this command"), e.getCause().getMessage());
        assertTrue(shell.commands.isEmpty(), "nothing sent: " + shell.commands);
        assertEquals("refused", audit.entries.get(audit.entries.size() - 1).result());
        assertFalse(Files.exists(Path.of("{file}")));
    }
}
