package io.dutydesk.core.backups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verification shell, run by a real local sh on real files (the server runs the same text). */
class BackupScriptsTest {
    @TempDir
    Path dir;

    static final String DUMP = """
            --
            -- PostgreSQL database dump
            --

            SET statement_timeout = 0;
            CREATE TABLE selfology.event_outbox (id bigint);
            COPY selfology.event_outbox (id) FROM stdin;
            1
            2
            \\.

            COPY selfology.other (id) FROM stdin;
            \\.

            --
            -- PostgreSQL database dump complete
            --

            """;

    static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    Verification verify(Path f) throws Exception {
        BackupEntry e = new BackupEntry(f.getFileName().toString(), dir.toString(), f.toString(), "full", 1, Instant.EPOCH,
                Instant.EPOCH, null, Optional.empty());
        return BackupsService.parseVerification(e, sh(BackupScripts.verify(f.toString(), e.format())), Instant.EPOCH);
    }

    static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void aGoodCompressedDumpWithItsSidecarPasses() throws Exception {
        Path f = dir.resolve("selfology_full_20261122_020000.sql.gz");
        Files.write(f, gzip(DUMP));
        sh("cd '" + dir + "' && sha256sum " + f.getFileName() + " > " + f.getFileName() + ".sha256");
        Verification v = verify(f);
        assertTrue(v.ok(), v.detail());
        assertEquals("gzip -t: intact; plain SQL: pg_dump header, 2 COPY blocks terminated, completion footer; "
                + "sha256 matches selfology_full_20261122_020000.sql.gz.sha256", v.detail());
    }

    @Test
    void aTruncatedArchiveFailsWithGzipsReason() throws Exception {
        Path f = dir.resolve("cut.sql.gz");
        byte[] g = gzip(DUMP + "x".repeat(5000));
        Files.write(f, java.util.Arrays.copyOf(g, g.length / 2));
        Verification v = verify(f);
        assertFalse(v.ok());
        assertTrue(v.detail().startsWith("gzip -t: ") && v.detail().contains("unexpected end of file"), v.detail());
    }

    @Test
    void aPlainDumpCutInsideACopyBlockOrBeforeTheFooterFails() throws Exception {
        Path f = dir.resolve("a.sql");
        Files.writeString(f, DUMP.substring(0, DUMP.indexOf("2\n")));
        assertEquals("plain SQL: the COPY block of selfology.event_outbox is not terminated (truncated?)", verify(f).detail());
        Files.writeString(f, DUMP.substring(0, DUMP.indexOf("-- PostgreSQL database dump complete")));
        assertEquals("plain SQL: no \"dump complete\" footer (truncated?)", verify(f).detail());
        Files.writeString(f, "SELECT 1;\n");
        assertEquals("plain SQL: no pg_dump header in the first 30 lines", verify(f).detail());
        Files.writeString(f, DUMP);
        assertTrue(verify(f).ok());
    }

    @Test
    void aChecksumMismatchFailsAndSaysBothSums() throws Exception {
        Path f = dir.resolve("b.sql");
        Files.writeString(f, DUMP);
        Files.writeString(dir.resolve("b.sql.md5"), "0123456789abcdef0123456789abcdef  b.sql\n");
        Verification v = verify(f);
        assertFalse(v.ok());
        assertTrue(v.detail().startsWith("md5 mismatch: b.sql.md5 says 0123456789abcdef0123456789abcdef, the file is "), v.detail());
        assertTrue(v.detail().contains("plain SQL: pg_dump header"), "the passing checks are still listed: " + v.detail());
    }

    @Test
    void aMissingFileAndAHostileNameAreBadNotExecuted() throws Exception {
        Path f = dir.resolve("x'; touch pwned; '.sql");
        Verification v = verify(f);
        assertFalse(v.ok());
        assertEquals("no such file", v.detail());
        assertFalse(Files.exists(Path.of("pwned")));
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void freeSpaceIsReadPerFolder() throws Exception {
        String out = sh(BackupScripts.freeSpace(List.of(dir.toString(), dir.resolve("missing").toString())));
        var m = BackupsService.parseFree(List.of("a", "b"), out);
        assertTrue(m.get("a") > 0, out);
        assertEquals(-1L, m.get("b"), out);
    }

    @Test
    void rowCountsPairScratchWithLive() {
        List<TableCount> c = BackupsService.parseCounts(List.of("@@COUNT scratch selfology.event_outbox 15234",
                "@@COUNT scratch selfology.gone 3", "hello", "@@COUNT live selfology.event_outbox 15240",
                "@@COUNT live selfology.new 1"));
        assertEquals(List.of(new TableCount("selfology.event_outbox", 15234L, 15240L), new TableCount("selfology.gone", 3L, null),
                new TableCount("selfology.new", null, 1L)), c);
        assertEquals("selfology.event_outbox: backup 15234, live 15240 (-6)", c.get(0).describe());
        assertTrue(c.stream().allMatch(TableCount::differs));
        assertFalse(new TableCount("t", 1L, 1L).differs());
    }

    static BackupsService withRestore(String restore) {
        io.dutydesk.core.config.Environment r = io.dutydesk.testing.TestEnvironments.fastPolling(java.time.Duration.ofSeconds(1)).get("ref");
        java.util.Map<String, String> c = new java.util.HashMap<>(r.backups().commands());
        c.put("restore", restore);
        c.put("restoreScratch", restore);
        io.dutydesk.core.config.Environment env = new io.dutydesk.core.config.Environment(r.name(), r.description(), r.ssh(),
                r.docker(), r.postgres(), r.redis(), r.prometheus(), r.alertmanager(), r.backups().withCommands(c), r.deploy(),
                r.slots(), r.outbox(), r.thresholds(), r.poll(), r.metrics(), r.alerts());
        return new BackupsService(env, null, io.dutydesk.core.ports.VerificationResults.NONE, null, "t", java.time.Clock.systemUTC(), Runnable::run);
    }

    @Test
    void aHostileFileNameInATeamsRestoreCommandRunsNothing() throws Exception {
        Path f = dir.resolve("x';touch PWNED;'.sql.gz");
        Files.write(f, new byte[0]);
        BackupEntry e = new BackupEntry(f.getFileName().toString(), dir.toString(), f.toString(), "full", 0, Instant.EPOCH,
                Instant.EPOCH, null, Optional.empty());
        assertEquals(f + "\n", sh("cd '" + dir + "' && " + withRestore("printf '%s\\n' {file}").restoreCommand(e)));
        assertFalse(Files.exists(dir.resolve("PWNED")));
        // written inside the team's own quotes, the quoted word would end those quotes and run the name as shell: refused
        for (String quoted : List.of("printf '%s\\n' \"{file}\"", "printf '%s\\n' '{file}'", "printf '%s\\n' \"a \\\" {file}\"")) {
            try {
                sh("cd '" + dir + "' && " + withRestore(quoted).restoreCommand(e));
            } catch (IllegalArgumentException refused) {
                assertTrue(refused.getMessage().contains("inside quotes"), refused.getMessage());
            }
            try {
                sh("cd '" + dir + "' && " + withRestore(quoted).scratchCommand(e));
            } catch (IllegalArgumentException refused) {
                assertTrue(refused.getMessage().contains("inside quotes"), refused.getMessage());
            }
            assertFalse(Files.exists(dir.resolve("PWNED")), quoted);
        }
        // an escaped quote outside quotes opens nothing
        assertEquals("a \\\"x '/b/y z'", io.dutydesk.core.config.CommandTemplate.fill("backups.commands.restoreScratch",
                "a \\\"x {file}", java.util.Map.of("file", "/b/y z")));
    }

    @Test
    void aDownloadedBackupIsReadableByTheUserAlone() throws Exception {
        byte[] body = gzip(DUMP);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        io.dutydesk.core.ports.RemoteShell shell = new io.dutydesk.core.ports.RemoteShell() {
            @Override
            public java.util.concurrent.CompletableFuture<ExecResult> exec(String command, java.time.Duration t, OutputListener l) {
                return java.util.concurrent.CompletableFuture.completedFuture(new ExecResult(0, sha + "\n", "", java.time.Duration.ZERO));
            }

            @Override
            public java.util.concurrent.CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("no sidecar"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<RemoteFile>> list(String folder) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        List.of(new RemoteFile("selfology_full_20261122_020000.sql.gz", body.length, Instant.EPOCH, false)));
            }

            @Override
            public java.util.concurrent.CompletableFuture<Long> download(String path, Path local, Progress progress) {
                try (java.io.OutputStream o = Files.newOutputStream(local, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND)) {
                    o.write(body);
                } catch (java.io.IOException e) {
                    return java.util.concurrent.CompletableFuture.failedFuture(e);
                }
                return java.util.concurrent.CompletableFuture.completedFuture((long) body.length);
            }
        };
        io.dutydesk.core.config.Environment env = io.dutydesk.testing.TestEnvironments.fastPolling(java.time.Duration.ofSeconds(1)).get("ref");
        BackupsService s = new BackupsService(env, shell, io.dutydesk.core.ports.VerificationResults.NONE,
                io.dutydesk.testing.MemoryAuditLog.create(), "t", java.time.Clock.systemUTC(), Runnable::run);
        BackupsService.Download d = s.download("selfology_full_20261122_020000.sql.gz", dir.resolve("copies"), (a, b) -> true).join();
        assertEquals(sha, d.sha256());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(d.file())));
    }
}
