package io.dutydesk.core.backups;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trust finding: the safety backup of a restore whose console was killed read "not verified" forever — the job verified it
 * complete on the server, but only a console following the job to its end recorded that. A listing now reads it from the
 * job's own log on the server, for the file exactly as the job verified it; a truncated one stays not verified.
 */
class SafetyRecordsTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String WHOLE = "dutydesk_prerestore_20261122_101500.sql.gz";
    static final String CUT = "dutydesk_prerestore_20261122_111500.sql.gz";

    @TempDir
    Path tmp;
    Path folder;
    Path actions;
    Environment env;
    final LocalFolderShell shell = new LocalFolderShell();
    final Map<String, Verification> stored = new ConcurrentHashMap<>();
    final VerificationResults results = new VerificationResults() {
        @Override
        public CompletableFuture<Void> save(String e, Verification v) {
            stored.put(v.path(), v);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Map<String, Verification>> load(String e) {
            return CompletableFuture.completedFuture(Map.copyOf(stored));
        }

        @Override
        public CompletableFuture<Void> forgetPassed(String e, String path) {
            return CompletableFuture.completedFuture(null);
        }
    };

    @BeforeEach
    void server() throws Exception {
        folder = Files.createDirectories(tmp.resolve("backups"));
        actions = Files.createDirectories(tmp.resolve("state/actions"));
        Path config = tmp.resolve("envs.yaml");
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: 127.0.0.1, port: 24022, user: deploy }\n"
                + "    deploy: { stateDir: " + tmp.resolve("state") + " }\n    backups: { folders: [ " + folder + " ] }\n");
        env = EnvironmentsFile.load(config).require("ref");
    }

    /** A safety backup {@code name} of {@code bytes} as its restore job {@code id} wrote, verified and logged it. */
    private Path safetyBackup(String id, String name, byte[] bytes, Instant mtime) throws Exception {
        Path f = Files.write(folder.resolve(name), bytes);
        Files.setLastModifiedTime(f, FileTime.from(mtime));
        Files.writeString(actions.resolve(id + ".log"), "Pre-restore safety backup into " + f + " ...\n"
                + "✔ safety backup verified complete: " + f + " (" + bytes.length + " bytes; pg_dump's completion footer)\n"
                + BackupScripts.SAFETY_VERIFIED + "1795341305 " + mtime.getEpochSecond() + " " + bytes.length
                + " 1 gzip -t: intact; pg_dump's completion footer\n"
                + BackupScripts.SAFETY + f + " " + bytes.length + "\nRestoring ...\n");
        return f;
    }

    private BackupsService service() {
        return new BackupsService(env, shell, results, MemoryAuditLog.create(), "me@here", Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run);
    }

    private Optional<Verification> shown(BackupListing l, String name) {
        return l.backups().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().verification();
    }

    @Test
    void aSafetyBackupItsJobVerifiedIsVerifiedAtTheNextListingAndATruncatedOneIsNot() throws Exception {
        byte[] body = BackupScriptsTest.gzip(BackupScriptsTest.DUMP);
        Instant mtime = Instant.parse("2026-11-22T10:15:04Z");
        safetyBackup("20261122-101500-restore-0a1b2c3d", WHOLE, body, mtime); // its console was killed during the restore
        Path cut = safetyBackup("20261122-111500-restore-0b1b2c3d", CUT, body, mtime.plusSeconds(3600));
        Files.write(cut, Arrays.copyOf(body, body.length / 2)); // cut since the job verified it
        Files.setLastModifiedTime(cut, FileTime.from(mtime.plusSeconds(3600)));

        BackupsService s = service();
        BackupListing l = s.list().join();
        Verification v = shown(l, WHOLE).orElseThrow();
        assertTrue(v.ok());
        assertTrue(v.detail().startsWith("verified complete by the restore job 20261122-101500-restore-0a1b2c3d at "), v.detail());
        assertEquals(body.length, v.sizeBytes());
        assertEquals(Optional.empty(), shown(l, CUT), "another size than the job verified: not verified");
        assertEquals(Map.of(folder + "/" + WHOLE, v), stored, "kept: the next console shows it verified without asking");

        // asked once per file as listed: the polls do not read the logs again
        s.list().join();
        assertEquals(1, shell.commands.stream().filter(c -> c.contains("-restore-????????.log")).count(), shell.commands.toString());
        assertTrue(shown(service().list().join(), WHOLE).isPresent(), "a new console: from the store");
    }

    @Test
    void withoutTheJobsMarkersASafetyBackupStaysNotVerified() throws Exception {
        byte[] body = BackupScriptsTest.gzip(BackupScriptsTest.DUMP);
        safetyBackup("20261122-101500-restore-0a1b2c3d", WHOLE, body, Instant.parse("2026-11-22T10:15:04Z"));
        // the job was killed before it printed its markers (or its check failed: it prints none)
        Files.writeString(actions.resolve("20261122-101500-restore-0a1b2c3d.log"), "Pre-restore safety backup into x ...\n");
        // a scratch restore's log and an odd file name are not read
        Files.writeString(actions.resolve("20261122-101600-restore-scratch-0a1b2c3d.log"), BackupScripts.SAFETY_VERIFIED + "1 1 1 1 x\n");
        Files.writeString(actions.resolve("x\"$(touch pwned)-restore-0a1b2c3d.log"), BackupScripts.SAFETY + "x 1\n");
        assertEquals(Optional.empty(), shown(service().list().join(), WHOLE));
        assertTrue(stored.isEmpty(), stored.toString());
        assertTrue(Files.notExists(tmp.resolve("pwned")) && Files.notExists(Path.of("pwned")), "a file's name runs nothing");
    }
}
