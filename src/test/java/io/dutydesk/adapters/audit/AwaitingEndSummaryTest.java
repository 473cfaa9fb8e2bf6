package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

import static io.dutydesk.adapters.audit.AwaitingEndReadTest.e;
import static io.dutydesk.adapters.audit.AwaitingEndReadTest.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The summary of what the rotated files leave open ({@link AwaitingEnd}): when it is trusted, and what it leaves behind. */
class AwaitingEndSummaryTest {
    @TempDir
    Path tmp;

    private static String line(String id, String result, int n) {
        return AuditJson.write(e(id, "ref", result, result, n)) + "\n";
    }

    /** One rotated file in which {@link #id}(1) is left open, and a current file with an ended action. */
    private Path log() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        Files.writeString(tmp.resolve("audit.jsonl.000001"), line(id(1), AuditRows.STARTED, 1), StandardCharsets.UTF_8);
        Files.writeString(file, line(id(3), AuditRows.STARTED, 3) + line(id(3), AuditRows.SUCCEEDED, 4), StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> ids(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::actionId).distinct().toList();
    }

    /**
     * A rotated file replaced by another of the same name, size and time modified (restored from a backup, copied back
     * with its time kept) is read again: its file key differs. The summary trusted name, size and time alone, and said
     * the old file's open action instead of the new one's.
     */
    @Test
    void aRotatedFileReplacedByAnotherOfTheSameSizeAndTimeIsReadAgain() throws Exception {
        Path file = log();
        Path rotated = tmp.resolve("audit.jsonl.000001");
        assertEquals(List.of(id(1)), ids(new JsonlAuditLog(file).awaitingEnd().join()));
        BasicFileAttributes before = Files.readAttributes(rotated, BasicFileAttributes.class);
        assumeTrue(before.fileKey() != null, "a file system with file keys");

        // another file, the same length (id(2) is as long as id(1)) and time, renamed over it
        Path other = tmp.resolve("restored");
        Files.writeString(other, line(id(2), AuditRows.STARTED, 1), StandardCharsets.UTF_8);
        Files.move(other, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(rotated, before.lastModifiedTime());
        BasicFileAttributes after = Files.readAttributes(rotated, BasicFileAttributes.class);
        assertEquals(before.size(), after.size());
        assertEquals(before.lastModifiedTime().toMillis(), after.lastModifiedTime().toMillis());
        assertNotEquals(before.fileKey(), after.fileKey());

        assertEquals(List.of(id(2)), ids(new JsonlAuditLog(file).awaitingEnd().join()), "the file read again, not its summary");
        assertEquals(List.of(id(2)), ids(new JsonlAuditLog(file).awaitingEnd().join()), "and the summary written anew for it");
    }

    /** The summary names each rotated file with its key, in one word. */
    @Test
    void theSummaryNamesEachFileWithItsKey() throws Exception {
        Path file = log();
        JsonlAuditLog log = new JsonlAuditLog(file);
        log.awaitingEnd().join();
        BasicFileAttributes a = Files.readAttributes(tmp.resolve("audit.jsonl.000001"), BasicFileAttributes.class);
        List<String> lines = Files.readAllLines(log.openSummaryFile());
        assertEquals(AwaitingEnd.HEAD, lines.get(0));
        assertEquals("file " + a.size() + " " + a.lastModifiedTime().toMillis() + " " + AwaitingEnd.key(a.fileKey()) + " audit.jsonl.000001",
                lines.get(1));
        assertEquals("-", AwaitingEnd.key(null));
        assertEquals("(dev=803,ino=1234)", AwaitingEnd.key("(dev=803,ino=1234)"));
        assertEquals("a%20b%0A%25%2D%C3%A9", AwaitingEnd.key("a b\n%-é"));
    }

    /**
     * A summary the previous version wrote (no file keys) is not trusted, and never fails the read: the rotated files are
     * read again and the summary written anew. So is one of this version's shape damaged by hand (a file line short of a
     * word).
     */
    @Test
    void aSummaryOfThePreviousVersionIsReadAgainNotTrusted() throws Exception {
        Path file = log();
        Path rotated = tmp.resolve("audit.jsonl.000001");
        JsonlAuditLog log = new JsonlAuditLog(file);
        Path summary = log.openSummaryFile();
        BasicFileAttributes a = Files.readAttributes(rotated, BasicFileAttributes.class);
        // the first version's summary of these very files, but saying another action open (what it would say of a file
        // replaced as above): were it trusted, id(9) would be said and id(1) not
        String v1 = "dutydesk open entries 1\nfile " + a.size() + " " + a.lastModifiedTime().toMillis() + " audit.jsonl.000001\n"
                + line(id(9), AuditRows.STARTED, 9) + "end 1 1\n";
        Files.writeString(summary, v1, StandardCharsets.UTF_8);
        assertEquals(List.of(id(1)), ids(log.awaitingEnd().join()));
        List<String> written = Files.readAllLines(summary);
        assertEquals(AwaitingEnd.HEAD, written.get(0), "written anew in this version's shape");
        assertEquals(List.of(id(1)), ids(new JsonlAuditLog(file).awaitingEnd().join()));

        // this version's head over the first version's file line (four words): not whole, read again
        Files.writeString(summary, v1.replace("dutydesk open entries 1", AwaitingEnd.HEAD), StandardCharsets.UTF_8);
        assertEquals(List.of(id(1)), ids(new JsonlAuditLog(file).awaitingEnd().join()));
        assertEquals(AwaitingEnd.HEAD + "\nfile " + a.size() + " " + a.lastModifiedTime().toMillis() + " " + AwaitingEnd.key(a.fileKey())
                + " audit.jsonl.000001", String.join("\n", Files.readAllLines(summary).subList(0, 2)));
    }

    /**
     * A rebuild killed between its temporary file and the rename (kill -9, a power cut) left a 0600
     * {@code .audit.jsonl.open-DIGITS.tmp} behind for ever: the next rebuild removes those, and nothing else — no other
     * name, no folder, no link, nothing in another folder.
     */
    @Test
    void theNextRebuildRemovesTheTemporaryFilesAKilledRebuildLeft() throws Exception {
        Path file = log();
        Path summary = new JsonlAuditLog(file).openSummaryFile();
        List<String> left = List.of(".audit.jsonl.open-123.tmp", ".audit.jsonl.open-18446744073709551615.tmp");
        for (String n : left) {
            Files.writeString(tmp.resolve(n), AwaitingEnd.HEAD + "\nfile ", StandardCharsets.UTF_8);
        }
        Path elsewhere = Files.createDirectories(tmp.resolve("sub")).resolve(".audit.jsonl.open-1.tmp");
        Files.writeString(elsewhere, "x");
        List<String> others = List.of(".audit.jsonl.open-12x.tmp", ".audit.jsonl.open-.tmp", "audit.jsonl.open-1.tmp",
                ".audit.jsonl.open-1.tmp.kept", ".audit.jsonl.open-1.tmpx", "x.audit.jsonl.open-1.tmp", ".audit.jsonl-1.tmp",
                ".audit.jsonl.open.lock-1.tmp", "notes.txt");
        for (String n : others) {
            Files.writeString(tmp.resolve(n), "x");
        }
        Path folder = Files.createDirectory(tmp.resolve(".audit.jsonl.open-7.tmp"));
        Path link = Files.createSymbolicLink(tmp.resolve(".audit.jsonl.open-8.tmp"), tmp.resolve("notes.txt"));

        assertEquals(List.of(id(1)), ids(new JsonlAuditLog(file).awaitingEnd().join()));
        assertTrue(Files.exists(summary), "rebuilt");
        for (String n : left) {
            assertFalse(Files.exists(tmp.resolve(n), LinkOption.NOFOLLOW_LINKS), n + " removed");
        }
        for (String n : others) {
            assertTrue(Files.exists(tmp.resolve(n)), n + " kept");
        }
        assertTrue(Files.exists(elsewhere) && Files.isDirectory(folder) && Files.isSymbolicLink(link), "kept");
        try (var listed = Files.list(tmp)) {
            assertEquals(List.of(), listed.map(p -> p.getFileName().toString())
                    .filter(n -> AwaitingEnd.temporaryName(summary).matcher(n).matches() && !n.equals(".audit.jsonl.open-7.tmp")
                            && !n.equals(".audit.jsonl.open-8.tmp")).toList(), "the rebuild's own temporary file renamed");
        }
    }

    /**
     * Two processes rebuilding the summary at once: the one that finds the other's rebuild under way (its lock held, its
     * temporary file not yet renamed) removes nothing and leaves the summary to it, its own read answered all the same;
     * once that process is killed before its rename, the next rebuild removes what it left.
     */
    @Test
    void aRebuildUnderWayInAnotherProcessIsLeftAlone() throws Exception {
        Path file = log();
        Path summary = new JsonlAuditLog(file).openSummaryFile();
        Path theirs = tmp.resolve(".audit.jsonl.open-42.tmp");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OtherRebuild.class.getName(), summary.toString(), theirs.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("rebuilding", r.readLine(), "the other process holds the rebuild's lock");
                assertEquals(List.of(id(1)), ids(new JsonlAuditLog(file).awaitingEnd().join()));
                assertTrue(Files.exists(theirs), "its temporary file, not yet renamed, kept");
                assertFalse(Files.exists(summary), "the summary left to the rebuild under way");
            }
        } finally {
            other.destroyForcibly(); // killed before its rename
            other.waitFor();
        }
        assertTrue(Files.exists(theirs));
        assertEquals(List.of(id(1)), ids(new JsonlAuditLog(file).awaitingEnd().join()));
        assertFalse(Files.exists(theirs), "left by a killed rebuild: removed by the next");
        assertTrue(Files.exists(summary));
    }

    /** Another process's rebuild, up to its rename: holds the lock, writes its temporary file, says so, and waits to be killed. */
    public static final class OtherRebuild {
        public static void main(String[] args) throws Exception {
            Path summary = Path.of(args[0]);
            try (FileChannel ch = FileChannel.open(AwaitingEnd.lockFile(summary), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                Files.writeString(Path.of(args[1]), AwaitingEnd.HEAD + "\n", StandardCharsets.UTF_8);
                System.out.println("rebuilding");
                System.out.flush();
                System.in.read(); // until killed
            }
        }
    }
}
