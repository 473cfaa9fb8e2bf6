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
}
