package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JsonlAuditLog#awaitingEnd}, read at every start of the CLI and the window, answers exactly what a full read
 * ({@code AuditRows.awaitingEnd(recent(max))}) answers, while parsing only the lines of actions that may await their end.
 */
class AwaitingEndReadTest {
    @TempDir
    Path tmp;

    static final Instant T0 = Instant.parse("2026-11-22T20:00:00Z");

    static AuditEntry e(String id, String env, String result, String message, int n) {
        return new AuditEntry(id, "me@h", env, "rollback", List.of("a " + n), T0.plusSeconds(n),
                AuditRows.STARTED.equals(result) ? null : T0.plusSeconds(n + 1), null, null, result, "blue", null, message);
    }

    static String id(int n) {
        return String.format("20261122-2000%02d-rollback-%08x", n % 60, n);
    }

    @Test
    void theSameActionsAsAFullReadOfEveryKindOfLine() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        JsonlAuditLog log = new JsonlAuditLog(file);
        // ended: started then succeeded (not open)
        log.append(e(id(1), "ref", AuditRows.STARTED, "started", 1)).join();
        log.append(e(id(1), "ref", AuditRows.SUCCEEDED, "ok", 2)).join();
        // open: started only; interrupted; unknown without the server's word
        log.append(e(id(2), "ref", AuditRows.STARTED, "started", 3)).join();
        log.append(e(id(3), "ref", AuditRows.STARTED, "started", 4)).join();
        log.append(e(id(3), "ref", AuditRows.INTERRUPTED, "the window closed", 5)).join();
        log.append(e(id(4), "prod", AuditRows.STARTED, "started", 6)).join();
        log.append(e(id(4), "prod", AuditRows.UNKNOWN, "the server did not answer", 7)).join();
        // unknown from the server's word: not open
        log.append(e(id(5), "ref", AuditRows.STARTED, "started", 8)).join();
        log.append(e(id(5), "ref", AuditRows.UNKNOWN, AuditRows.SERVER_SAYS + "gone", 9)).join();
        // a message that quotes a started result is still an ended action (its quotes are escaped in the line)
        log.append(e(id(6), "ref", AuditRows.STARTED, "started", 10)).join();
        log.append(e(id(6), "ref", AuditRows.FAILED, "exited 1: {\"result\":\"started\"} \\\"result\\\":\\\"started\\\"", 11)).join();
        // no action id: never open
        log.append(new AuditEntry(null, "me@h", "ref", "backup-verify", List.of("f"), T0, T0, 0, null, AuditRows.SUCCEEDED,
                null, null, "intact")).join();
        // lines of other shapes: hand-edited (fields in another order), a torn fragment with an entry glued after it
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            w.write("{\"result\":\"started\",\"environment\":\"ref\",\"actionId\":\"" + id(7) + "\",\"action\":\"deploy\",\"start\":\""
                    + T0.plusSeconds(12) + "\"}\n");
            w.write("{\"actionId\":\"" + id(1) + "\",\"act" + AuditJson.write(e(id(8), "ref", AuditRows.STARTED, "started", 13)) + "\n");
            w.write("not json at all\n");
            w.write(AuditJson.write(e(id(9), "ref", AuditRows.STARTED, "started", 14)).replace(id(9), "20261122-200014-roll\\u0062ack-1") + "\n");
        }
        // ended in a later line after an interruption
        log.append(e(id(10), "ref", AuditRows.STARTED, "started", 15)).join();
        log.append(e(id(10), "ref", AuditRows.INTERRUPTED, "closed", 16)).join();
        log.append(e(id(10), "ref", AuditRows.ENDED, AuditRows.SERVER_SAYS + "exited 0", 17)).join();

        JsonlAuditLog fresh = new JsonlAuditLog(file);
        List<AuditEntry> full = AuditRows.awaitingEnd(fresh.recent(Integer.MAX_VALUE).join());
        List<AuditEntry> cheap = fresh.awaitingEnd().join();
        assertEquals(full, cheap);
        List<String> ids = cheap.stream().map(AuditEntry::actionId).distinct().toList();
        assertEquals(List.of(id(2), id(3), id(4), id(7), id(8), "20261122-200014-rollback-1"), ids);
    }

    @Test
    void linesOfEndedActionsAreNotParsed() {
        String ended = AuditJson.write(e(id(1), "ref", AuditRows.SUCCEEDED, "ok", 1));
        String started = AuditJson.write(e(id(2), "ref", AuditRows.STARTED, "started", 2));
        AuditEntry a = AuditLines.standIn(ended);
        AuditEntry b = AuditLines.standIn(started);
        assertTrue(AuditLines.isStandIn(a) && AuditLines.isStandIn(b));
        assertEquals(id(1), a.actionId());
        assertTrue(AuditLines.closes(a));
        assertFalse(AuditLines.closes(b));
        List<AuditEntry> c = AuditLines.candidates(List.of(a, b));
        assertEquals(List.of(e(id(2), "ref", AuditRows.STARTED, "started", 2)), c); // parsed; the ended one left out unparsed
        assertEquals(null, AuditLines.standIn("{\"actionId\":\"x\\\"y\",\"result\":\"started\"}"));
        assertEquals(null, AuditLines.standIn("{\"actionId\":\"x\",\"a{\"actionId\":\"y\"}"));
    }

    /** {@code lines} written as the log's files: {@code perFile} lines to each rotated file (.000001, …), the rest current. */
    private Path written(List<String> lines, int perFile) throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        int n = 0;
        for (int from = 0; lines.size() - from > perFile; from += perFile) {
            Files.writeString(tmp.resolve(String.format("audit.jsonl.%06d", ++n)),
                    String.join("\n", lines.subList(from, from + perFile)) + "\n", StandardCharsets.UTF_8);
        }
        List<String> rest = lines.subList(n * perFile, lines.size());
        Files.writeString(file, rest.isEmpty() ? "" : String.join("\n", rest) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /**
     * An action left open stays open however many entries were written after it (thousands, across rotated files): it is
     * found at every start and completed once. It was hidden for good once 2,000 newer entries followed it.
     */
    @Test
    void anOpenEntryFollowedByThousandsOfEntriesIsFoundAndCompletedOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(AuditJson.write(e(id(1), "ref", AuditRows.STARTED, "started", 1)));
        for (int n = 2; n <= 3001; n++) {
            lines.add(AuditJson.write(e(id(n), "prod", AuditRows.SUCCEEDED, "ok", n)));
        }
        Path file = written(lines, 700);
        assertEquals(java.util.Set.of("ref"), io.dutydesk.core.rollout.DetachedActions.openEnvironments(new JsonlAuditLog(file)).join());
        JsonlAuditLog log = new JsonlAuditLog(file);
        AuditEntry end = e(id(1), "ref", AuditRows.ENDED, AuditRows.SERVER_SAYS + "exited 0", 4000);
        assertTrue(log.appendIfAwaited(end).join());
        assertFalse(log.appendIfAwaited(end).join(), "completed once");
        assertEquals(java.util.Set.of(), io.dutydesk.core.rollout.DetachedActions.openEnvironments(new JsonlAuditLog(file)).join());
    }

    /** A started line with a field a newer version wrote is an entry like any other: the action stays open until completed. */
    @Test
    void anOpenEntryWithAFieldThisVersionDoesNotKnowIsKept() throws Exception {
        String started = AuditJson.write(e(id(1), "ref", AuditRows.STARTED, "started", 1));
        Path file = written(List.of(started.replace(",\"result\":", ",\"host\":{\"name\":\"h\",\"tags\":[1,{\"a\":null}]},\"result\":"),
                AuditJson.write(e(id(2), "ref", AuditRows.SUCCEEDED, "ok", 2)).replace("}", ",\"console\":\"cli\"}")), 10);
        JsonlAuditLog log = new JsonlAuditLog(file);
        assertEquals(java.util.Set.of("ref"), io.dutydesk.core.rollout.DetachedActions.openEnvironments(log).join());
        assertEquals(List.of(id(1), id(2)), log.recent(10).join().stream().map(AuditEntry::actionId).toList());
        assertEquals(List.of(), log.damaged());
    }

    /**
     * Which entries count for an action's state is one rule for the open entries' read and the completion's check: those
     * naming an environment. A completion without one (a hand-edited or old line) does not close the action, so the
     * server's end is appended; a started line without one opens nothing, so no end is appended for it.
     */
    @Test
    void theOpenReadAndTheCompletionAgreeOnEntriesWithoutAnEnvironment() throws Exception {
        Path file = written(List.of(AuditJson.write(e(id(1), "ref", AuditRows.STARTED, "started", 1)),
                AuditJson.write(e(id(1), null, AuditRows.SUCCEEDED, "edited by hand", 2)),
                AuditJson.write(e(id(2), null, AuditRows.STARTED, "started", 3))), 10);
        JsonlAuditLog log = new JsonlAuditLog(file);
        assertEquals(java.util.Set.of("ref"), io.dutydesk.core.rollout.DetachedActions.openEnvironments(log).join());
        assertTrue(log.appendIfAwaited(e(id(1), "ref", AuditRows.ENDED, AuditRows.SERVER_SAYS + "exited 0", 4)).join());
        assertFalse(log.appendIfAwaited(e(id(2), "ref", AuditRows.ENDED, AuditRows.SERVER_SAYS + "exited 0", 5)).join(),
                "not open, so not completed");
        assertEquals(java.util.Set.of(), io.dutydesk.core.rollout.DetachedActions.openEnvironments(new JsonlAuditLog(file)).join());
    }
    /**
     * The rotated files are read once: what they leave open is kept beside them (0600), and a later start reads only the
     * current file — and, after a rotation, the newly rotated one once. A summary that no longer matches the files (one
     * edited by hand) or is not whole is not trusted: the rotated files are read again.
     */
    @Test
    void theRotatedFilesAreReadOnceThenTheirSummary() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(AuditJson.write(e(id(1), "ref", AuditRows.STARTED, "started", 1)));
        for (int n = 2; n <= 3001; n++) {
            lines.add(AuditJson.write(e(id(n), "prod", AuditRows.SUCCEEDED, "ok", n)));
        }
        Path file = written(lines, 700);
        JsonlAuditLog first = new JsonlAuditLog(file);
        assertEquals(List.of(id(1)), ids(first.awaitingEnd().join()));
        long rotated = 0;
        for (int i = 1; i <= 4; i++) {
            rotated += Files.size(tmp.resolve(String.format("audit.jsonl.%06d", i)));
        }
        assertEquals(Files.size(file) + rotated, first.bytesRead(), "every file, once");
        Path summary = first.openSummaryFile();
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(summary)));

        JsonlAuditLog next = new JsonlAuditLog(file);
        assertEquals(List.of(id(1)), ids(next.awaitingEnd().join()));
        assertEquals(Files.size(file), next.bytesRead(), "the current file only");

        // a rotation (as the writer does it): the newly rotated file is read once more, then the summary covers it too
        Files.move(file, tmp.resolve("audit.jsonl.000005"));
        Files.writeString(file, AuditJson.write(e(id(5000), "prod", AuditRows.STARTED, "started", 5000)) + "\n");
        JsonlAuditLog after = new JsonlAuditLog(file);
        assertEquals(List.of(id(1), id(5000)), ids(after.awaitingEnd().join()));
        assertEquals(Files.size(file) + Files.size(tmp.resolve("audit.jsonl.000005")), after.bytesRead());
        JsonlAuditLog later = new JsonlAuditLog(file);
        assertEquals(List.of(id(1), id(5000)), ids(later.awaitingEnd().join()));
        assertEquals(Files.size(file), later.bytesRead());

        // the first rotated file edited by hand (the action closed there): the summary no longer holds, all read again
        Files.writeString(tmp.resolve("audit.jsonl.000001"), AuditJson.write(e(id(1), "ref", AuditRows.ENDED, "by hand", 2)) + "\n",
                StandardOpenOption.APPEND);
        assertEquals(List.of(id(5000)), ids(new JsonlAuditLog(file).awaitingEnd().join()));
        // a summary cut short (a crash as it was written, by another program): not trusted
        String whole = Files.readString(summary);
        Files.writeString(summary, whole.substring(0, whole.indexOf("\nend ")));
        JsonlAuditLog cut = new JsonlAuditLog(file);
        assertEquals(List.of(id(5000)), ids(cut.awaitingEnd().join()));
        assertTrue(cut.bytesRead() > Files.size(tmp.resolve("audit.jsonl.000001")), "read again");
        assertEquals(whole, Files.readString(summary), "and written whole again");
    }

    /**
     * A rotated file the folder lists but that cannot be found — a link to nothing — fails the read and names it: the read
     * took it for a file renamed meanwhile and looked again, for ever (a core spun, the log's read thread was lost for the
     * process: the CLI's completion of open entries timed out after 30 s, the window's Audit tab never read again).
     */
    @Test
    void aRotatedFileListedButNotThereFailsTheReadInsteadOfLookingForEver() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        Files.writeString(file, AuditJson.write(e(id(1), "ref", AuditRows.STARTED, "started", 1)) + "\n");
        Path dangling = tmp.resolve("audit.jsonl.000001");
        Files.createSymbolicLink(dangling, tmp.resolve("archive").resolve("audit.jsonl.000001"));
        JsonlAuditLog log = new JsonlAuditLog(file);
        int[] listings = {0};
        AwaitingEnd read = new AwaitingEnd(file, new AwaitingEnd.Log() {
            @Override
            public List<Path> rotated() throws java.io.IOException {
                if (++listings[0] > 10) {
                    throw new AssertionError("the rotated files listed " + listings[0] + " times: the read looks for ever");
                }
                return log.rotatedFiles();
            }

            @Override
            public List<AuditEntry> entries(Path p, boolean standIns) throws java.io.IOException {
                return AuditRows.awaitingEnd(new JsonlAuditLog(p).recent(Integer.MAX_VALUE).join());
            }
        });
        java.nio.file.NoSuchFileException failed = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
                read::read);
        assertEquals(dangling.toString(), failed.getFile());
        assertTrue(failed.getMessage().contains("not found"), failed.getMessage());
        // the log's own read fails the same way, and a removed link lets it read again
        java.util.concurrent.CompletionException viaLog = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class, () -> log.awaitingEnd().join());
        assertTrue(viaLog.getCause() instanceof java.nio.file.NoSuchFileException, String.valueOf(viaLog.getCause()));
        Files.delete(dangling);
        assertEquals(List.of(id(1)), ids(log.awaitingEnd().join()));
    }

    private static List<String> ids(List<AuditEntry> entries) {
        return entries.stream().map(AuditEntry::actionId).distinct().toList();
    }
}
