package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.TestEnvironments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlAuditLogTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theLogAndTheFoldersItCreatesAreTheUsersAlone() throws Exception {
        Path file = tmp.resolve("state/dutydesk/audit.jsonl");
        JsonlAuditLog log = new JsonlAuditLog(file);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        log.append(new AuditEntry("20260101-000000-rollback-0a1b2c3d", "me@h", "prod", "rollback", List.of(), t, null, null,
                null, "started", "blue", null, "started")).join();
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(file.getParent()));
        assertEquals("rwx------", mode(file.getParent().getParent()));
        assertEquals(1, log.recent(10).join().size());
    }

    @Test
    void anExistingLogIsMadePrivate() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new JsonlAuditLog(file).append(new AuditEntry(null, "me@h", "prod", "deploy", List.of("v1"), Instant.now(),
                Instant.now(), null, null, "refused", null, null, "bad")).join();
        assertEquals("rw-------", mode(file));
    }

    static final Instant T0 = Instant.parse("2026-11-22T20:00:00Z");

    /** A rollback of environment {@code env}, the {@code n}-th: its "started" entry. */
    static AuditEntry entry(int n, String env) {
        return new AuditEntry(String.format("20261122-2000%02d-rollback-%08x", n % 60, n), "me@h", env, "rollback", List.of("arg " + n),
                T0.plusSeconds(n), null, null, null, "started", "blue", null, "started " + n);
    }

    static List<String> ids(List<AuditEntry> l) {
        return l.stream().map(AuditEntry::actionId).toList();
    }

    static List<String> idsOf(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            out.add(entry(n, "ref").actionId());
        }
        return out;
    }

    @Test
    void aFullLogIsRotatedBySizeAndReadAcrossItsFilesInOrderEveryFile0600() throws Exception {
        Path file = tmp.resolve("state/audit.jsonl");
        long line = (new com.fasterxml.jackson.databind.ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(entry(1, "ref")) + "\n").length();
        try (JsonlAuditLog log = new JsonlAuditLog(file, 4 * line + 10)) { // four entries a file
            for (int n = 1; n <= 18; n++) {
                log.append(entry(n, "ref")).join();
            }
            List<Path> rotated = log.rotatedFiles();
            assertEquals(4, rotated.size(), "18 entries at 4 a file: 4 rotated files and the current one: " + rotated);
            assertEquals(List.of("audit.jsonl.000001", "audit.jsonl.000002", "audit.jsonl.000003", "audit.jsonl.000004"),
                    rotated.stream().map(p -> p.getFileName().toString()).toList());
            for (Path p : rotated) {
                assertTrue(Files.size(p) <= 4 * line + 10, p + " " + Files.size(p));
                assertEquals("rw-------", mode(p), p.toString());
            }
            assertEquals("rw-------", mode(file));
            assertEquals("rwx------", mode(file.getParent()));
            for (Path p : Files.list(file.getParent()).toList()) {
                assertEquals("rw-------", mode(p), "every file of the log: " + p);
            }
            assertEquals(idsOf(1, 18), ids(log.recent(100).join()), "every entry, oldest first, across the files");
            assertEquals(idsOf(11, 18), ids(log.recent(8).join()), "the newest 8 span the current file and the one before");
            assertTrue(log.damaged().isEmpty(), log.damaged().toString());
        }
        // another process (the CLI) reads the same, and its appends continue the numbering
        try (JsonlAuditLog cli = new JsonlAuditLog(file, 4 * line + 10)) {
            assertEquals(idsOf(1, 18), ids(cli.recent(1000).join()));
            for (int n = 19; n <= 22; n++) {
                cli.append(entry(n, "ref")).join();
            }
            assertEquals("audit.jsonl.000005", cli.rotatedFiles().get(4).getFileName().toString());
            assertEquals(idsOf(1, 22), ids(cli.recent(1000).join()));
        }
    }

    @Test
    void twoWritersOnOneLogLoseAndDuplicateNothingAcrossRotations() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        try (JsonlAuditLog window = new JsonlAuditLog(file, 2_000); JsonlAuditLog cli = new JsonlAuditLog(file, 2_000)) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int n = 1; n <= 120; n++) {
                writes.add((n % 2 == 0 ? window : cli).append(entry(n, "ref")));
            }
            writes.forEach(CompletableFuture::join);
            List<String> read = ids(window.recent(1000).join());
            assertEquals(120, read.size(), "no entry lost or read twice");
            assertEquals(new java.util.TreeSet<>(idsOf(1, 120)), new java.util.TreeSet<>(read));
            assertTrue(window.rotatedFiles().size() > 5, "rotated several times: " + window.rotatedFiles().size());
            assertTrue(window.damaged().isEmpty(), window.damaged().toString());
        }
    }

    @Test
    void aTornLastLineIsMovedAsideBeforeTheNextAppendAndNothingIsLost() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        try (JsonlAuditLog log = new JsonlAuditLog(file)) {
            for (int n = 1; n <= 3; n++) {
                log.append(entry(n, "ref")).join();
            }
        }
        // the power went while the fourth entry was being written: half a line, no newline
        String full = Files.readAllLines(file).get(0);
        String half = full.substring(0, full.length() / 2).replace(entry(1, "ref").actionId(), "20261122-torn-0000");
        Files.writeString(file, half, StandardOpenOption.APPEND);
        try (JsonlAuditLog log = new JsonlAuditLog(file)) {
            log.append(entry(5, "ref")).join(); // the next start: its "started" entry
            List<AuditEntry> read = log.recent(100).join();
            assertEquals(List.of(entry(1, "ref").actionId(), entry(2, "ref").actionId(), entry(3, "ref").actionId(),
                    entry(5, "ref").actionId()), ids(read), "the earlier entries and the new one, none swallowed");
            assertEquals(half + "\n", Files.readString(log.tornFile()), "the fragment kept aside, byte for byte");
            assertEquals("rw-------", mode(log.tornFile()));
            assertTrue(Files.readString(file).endsWith("\n") && !Files.readString(file).contains("torn-0000"),
                    "the log itself holds whole lines only");
            assertTrue(log.damaged().stream().anyMatch(d -> d.contains("torn") && d.contains("audit.jsonl.torn")),
                    "and it says so: " + log.damaged());
        }
    }

    @Test
    void aTornLineGluedToTheNextEntryNeverSwallowsItWhenRead() throws Exception {
        // a log written before the repair existed: a fragment, then the next entry on the same line
        Path file = tmp.resolve("audit.jsonl");
        try (JsonlAuditLog log = new JsonlAuditLog(file)) {
            log.append(entry(1, "ref")).join();
        }
        String line2 = Files.readAllLines(file).get(0).replace(entry(1, "ref").actionId(), entry(2, "ref").actionId());
        String line3 = Files.readAllLines(file).get(0).replace(entry(1, "ref").actionId(), entry(3, "ref").actionId());
        Files.writeString(file, "{\"actionId\":\"20261122-torn\",\"actor\":\"me@h\",\"envi" + line2 + "\n" + "garbage\n" + line3 + "\n",
                StandardOpenOption.APPEND);
        try (JsonlAuditLog log = new JsonlAuditLog(file)) {
            assertEquals(idsOf(1, 3), ids(log.recent(100).join()), "the entry after the fragment is read");
            List<String> damaged = log.damaged();
            assertEquals(2, damaged.size(), damaged.toString());
            assertTrue(damaged.get(0).startsWith("audit.jsonl line 2: a torn fragment"), damaged.get(0));
            assertTrue(damaged.get(1).startsWith("audit.jsonl line 3: not an entry"), damaged.get(1));
        }
    }

    /** More damaged lines than are listed: the rest are said as "and N more", never dropped silently. */
    @Test
    void damageBeyondWhatIsListedIsCountedNotDropped() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        try (JsonlAuditLog log = new JsonlAuditLog(file)) {
            log.append(entry(1, "ref")).join();
        }
        int bad = JsonlAuditLog.MAX_DAMAGED + 30;
        StringBuilder garbage = new StringBuilder();
        for (int i = 0; i < bad; i++) {
            garbage.append("garbage ").append(i).append('\n');
        }
        Files.writeString(file, garbage, StandardOpenOption.APPEND);
        try (JsonlAuditLog log = new JsonlAuditLog(file)) {
            assertEquals(idsOf(1, 1), ids(log.recent(100).join()));
            List<String> damaged = log.damaged();
            assertEquals(JsonlAuditLog.MAX_DAMAGED + 1, damaged.size());
            assertTrue(damaged.get(0).startsWith("audit.jsonl line 2: not an entry"), damaged.get(0));
            assertEquals("and 30 more damaged lines (not listed; the first " + JsonlAuditLog.MAX_DAMAGED + " are)",
                    damaged.get(damaged.size() - 1));
            // read again: counted again, not added up
            log.recent(100).join();
            assertEquals(damaged, log.damaged());
        }
    }

    @Test
    void markersComeFromTheIndexKeptByTheWatchNotAFullReadPerCall() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        try (JsonlAuditLog cli = new JsonlAuditLog(file)) {
            for (int n = 1; n <= 200; n++) {
                cli.append(entry(n, n % 2 == 0 ? "ref" : "prod")).join();
            }
        }
        try (JsonlAuditLog window = new JsonlAuditLog(file); JsonlAuditLog cli = new JsonlAuditLog(file)) {
            MetricsService svc = new MetricsService(TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref"), null,
                    null, window, Duration.ofSeconds(5));
            Instant from = T0;
            Instant to = T0.plusSeconds(3600);
            for (int i = 0; i < 50; i++) { // a pan: markers asked again and again
                assertEquals(100, svc.actions(from, to).join().size());
            }
            assertEquals(1, window.fullReads(), "read once, then from memory");
            long bytes = window.bytesRead();
            long fileSize = Files.size(file);
            // the CLI appends; the watch takes in just that line
            cli.append(entry(202, "ref")).join();
            Eventually.await(() -> "the new entry in the markers", Duration.ofSeconds(10),
                    () -> svc.actions(from, to).join().size() == 101);
            assertEquals(1, window.fullReads(), "still no whole read");
            long grew = window.bytesRead() - bytes;
            assertTrue(grew > 0 && grew < fileSize / 50, "only the appended bytes were read: " + grew + " of " + fileSize);
            // and this process's own append is in the index as soon as it is written
            window.append(entry(204, "ref")).join();
            assertEquals(102, svc.actions(from, to).join().size());
            assertEquals(1, window.fullReads());
        }
    }

    /**
     * The log's folder removed (by hand, a clean-up) while a window watches it: its watch reports nothing from then on, and
     * the log says so ({@code watching()} false), so the index looks at the file again and the Audit tab reads it at
     * every show. The watch went on claiming to watch: the CLI's entries in the recreated folder never reached the index.
     */
    @Test
    void aRemovedFolderIsNoLongerTakenAsWatched() throws Exception {
        Path dir = tmp.resolve("state/dutydesk");
        Path file = dir.resolve("audit.jsonl");
        try (JsonlAuditLog window = new JsonlAuditLog(file); JsonlAuditLog cli = new JsonlAuditLog(file)) {
            cli.append(entry(1, "ref")).join();
            try (AutoCloseable w = window.watch(() -> { })) {
                assertEquals(idsOf(1, 1), ids(window.indexed().join()));
                assertTrue(window.watching());
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(dir);
                Eventually.await(() -> "the watch said to have ended", Duration.ofSeconds(10), () -> !window.watching());
                cli.append(entry(2, "ref")).join(); // the folder made again
                assertEquals(idsOf(2, 2), ids(window.indexed().join()));
            }
        }
    }

    /**
     * {@code indexed()} and {@code watch()} are called on the FX thread (the chart's markers, the Slots pane's attach): they
     * return at once, never waiting there for the index's lock, which the read thread and the watch hold, nor making the
     * log's folder or registering inotify — the read thread does, in order, before the reads asked for after them. Both
     * took the lock on the caller's thread, and started the watch under it (the folder made, inotify registered).
     */
    @Test
    void indexedAndWatchNeverWaitForTheIndexLockNorTouchTheFolderOnTheCallersThread() throws Exception {
        Path folder = tmp.resolve("state/dutydesk");
        Path file = folder.resolve("audit.jsonl");
        try (JsonlAuditLog window = new JsonlAuditLog(file); JsonlAuditLog cli = new JsonlAuditLog(file)) {
            var first = new java.util.concurrent.atomic.AtomicReference<CompletableFuture<List<AuditEntry>>>();
            var folderMade = new java.util.concurrent.atomic.AtomicBoolean();
            var told = new java.util.concurrent.atomic.AtomicInteger();
            boolean waited = io.dutydesk.testing.MonitorHeld.waitedFor(io.dutydesk.testing.MonitorHeld.field(window, "indexLock"), () -> {
                first.set(window.indexed()); // its read thread takes it from here, and waits there for the lock held meanwhile
                window.watch(told::incrementAndGet);
                window.indexed();
                folderMade.set(Files.exists(folder));
            });
            org.junit.jupiter.api.Assertions.assertFalse(waited, "the caller's thread waited for the audit log's index lock");
            org.junit.jupiter.api.Assertions.assertFalse(folderMade.get(), "the caller's thread made the log's folder");
            assertEquals(List.of(), first.get().join(), "the index, read on the read thread");
            assertTrue(Files.isDirectory(folder));
            assertTrue(window.watching(), "the watch started on the read thread before the index was read");

            // it watches: the CLI's append is reported and taken into the index
            cli.append(entry(1, "ref")).join();
            Eventually.await(() -> "the CLI's append reported", Duration.ofSeconds(10), () -> told.get() > 0);
            assertEquals(idsOf(1, 1), ids(window.indexed().join()));

            // with a current index neither: it is answered from memory
            var current = new java.util.concurrent.atomic.AtomicReference<CompletableFuture<List<AuditEntry>>>();
            waited = io.dutydesk.testing.MonitorHeld.waitedFor(io.dutydesk.testing.MonitorHeld.field(window, "indexLock"),
                    () -> current.set(window.indexed()));
            org.junit.jupiter.api.Assertions.assertFalse(waited, "the caller's thread waited for the index lock with a current index");
            assertEquals(idsOf(1, 1), ids(current.get().join()));
        }
    }

    @Test
    void theIndexFollowsARotationByAnotherProcess() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        try (JsonlAuditLog window = new JsonlAuditLog(file, 3_000); JsonlAuditLog cli = new JsonlAuditLog(file, 3_000)) {
            cli.append(entry(1, "ref")).join();
            assertEquals(idsOf(1, 1), ids(window.indexed().join()));
            for (int n = 2; n <= 40; n++) {
                cli.append(entry(n, "ref")).join();
            }
            assertTrue(cli.rotatedFiles().size() >= 3, cli.rotatedFiles().toString());
            Eventually.await(() -> "all 40 in the index: " + ids(window.indexed().join()).size(), Duration.ofSeconds(10),
                    () -> window.indexed().join().size() == 40);
            assertEquals(idsOf(1, 40), ids(window.indexed().join()), "in order, across the rotations, none twice");
            assertEquals(1, window.fullReads(), "followed, not read again");
        }
    }
}
