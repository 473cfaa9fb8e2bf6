package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.dutydesk.adapters.audit.AwaitingEndReadTest.e;
import static io.dutydesk.adapters.audit.AwaitingEndReadTest.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JsonlAuditLog#awaitingEnd} against a full read ({@code AuditRows.awaitingEnd(recent(MAX_VALUE))}) on lines
 * that look like {@link AuditJson#write}'s but are not read as they look: escapes, duplicate keys, lines the parser
 * refuses. Every case: the same answer, with the lines in one file and split at every line into a rotated file (read
 * whole, then from its summary).
 */
class AwaitingEndAdversarialTest {
    @TempDir
    Path tmp;

    private final List<String> failures = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void noDifference() {
        assertEquals(List.of(), failures);
    }

    private static List<String> ids(List<AuditEntry> l) {
        return l.stream().map(x -> x.actionId() + "/" + x.result()).toList();
    }

    private static String line(AuditEntry e) {
        return AuditJson.write(e);
    }

    private static void write(Path p, List<String> lines) throws Exception {
        Files.writeString(p, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    /**
     * {@code lines} as one log, then split at every line into a rotated file and the current one. The first read answers
     * exactly what a full read does; the second, from the rotated file's summary ({@link AwaitingEnd}), the same actions
     * awaiting their end (an action closed in the rotated file and opened again after it lacks its entries from before).
     */
    private void sameAnswer(String name, String... lines) throws Exception {
        List<String> all = List.of(lines);
        for (int split = -1; split <= lines.length; split++) { // -1: no rotated file
            Path dir = Files.createDirectories(tmp.resolve(name).resolve("split" + split));
            Path file = dir.resolve("audit.jsonl");
            if (split >= 0) {
                write(dir.resolve("audit.jsonl.000001"), all.subList(0, split));
            }
            write(file, all.subList(Math.max(0, split), lines.length));
            try (JsonlAuditLog log = new JsonlAuditLog(file)) {
                List<AuditEntry> full = AuditRows.awaitingEnd(log.recent(Integer.MAX_VALUE).join());
                List<AuditEntry> cheap = log.awaitingEnd().join();
                if (!full.equals(cheap)) {
                    failures.add(name + ", split " + split + ": full " + ids(full) + ", cheap " + ids(cheap));
                }
                List<AuditEntry> kept = log.awaitingEnd().join();
                if (!java.util.Set.copyOf(AuditRows.newestAwaitingEnd(full)).equals(java.util.Set.copyOf(AuditRows.newestAwaitingEnd(kept)))) {
                    failures.add(name + ", split " + split + " from the summary: full " + ids(full) + ", kept " + ids(kept));
                }
            }
        }
    }

    private static final String A = id(1);
    private static final String B = id(2);
    private static final String STARTED = line(e(A, "ref", AuditRows.STARTED, "started", 1));
    private static final String SUCCEEDED = line(e(A, "ref", AuditRows.SUCCEEDED, "ok", 2));

    @Test
    void anEscapedResultOrFieldName() throws Exception {
        sameAnswer("value", STARTED, SUCCEEDED.replace("\"result\":\"succeeded\"", "\"result\":\"st\\u0061rted\""));
        sameAnswer("name", STARTED, SUCCEEDED.replace("\"liveBefore\":\"blue\"", "\"\\u0072esult\":\"started\""));
        sameAnswer("slash", STARTED, SUCCEEDED.replace("\"result\":\"succeeded\"", "\"result\":\"st\\/arted\""));
        sameAnswer("alone", STARTED, SUCCEEDED.replace("\"result\":\"succeeded\"", "\"\\u0072esult\":\"succeeded\""));
    }

    @Test
    void duplicateKeysTheParserTakesTheLastOf() throws Exception {
        sameAnswer("result", STARTED, SUCCEEDED.replace("\"liveBefore\":\"blue\"", "\"result\":\"started\""));
        sameAnswer("spaced", STARTED, SUCCEEDED.replace("\"liveBefore\":\"blue\"", "\"result\" : \"started\""));
        sameAnswer("environment", STARTED, SUCCEEDED.replace("\"liveBefore\":\"blue\"", "\"environment\":null"));
        // B started; a line of A's shape whose second actionId (the one read) closes B
        String bStarted = line(e(B, "ref", AuditRows.STARTED, "started", 3));
        sameAnswer("actionId", bStarted, SUCCEEDED.replace("\"liveBefore\":\"blue\"", "\"actionId\":\"" + B + "\""));
        sameAnswer("actionIdEscaped", bStarted, SUCCEEDED.replace("\"liveBefore\":\"blue\"", "\"\\u0061ctionId\":\"" + B + "\""));
        // and the reverse: B closed, then a line of A's shape that starts B again
        String bClosed = line(e(B, "ref", AuditRows.SUCCEEDED, "ok", 4));
        sameAnswer("reopened", bStarted, STARTED.replace("\"liveBefore\":\"blue\"", "\"actionId\":\"" + B + "\""), bClosed,
                line(e(A, "ref", AuditRows.SUCCEEDED, "ok", 5)));
    }

    @Test
    void aLineOfTheShapeThatTheParserRefuses() throws Exception {
        sameAnswer("time", STARTED, SUCCEEDED.replace("2026-11-22T20:00:03Z", "2026-11-22T20:00:03"));
        sameAnswer("tab", STARTED, SUCCEEDED.replace("\"ok\"", "\"o\tk\""));
        sameAnswer("escape", STARTED, SUCCEEDED.replace("\"ok\"", "\"o\\qk\""));
        sameAnswer("exitCode", STARTED, SUCCEEDED.replace("\"exitCode\":null", "\"exitCode\":99999999999"));
        sameAnswer("after", STARTED, SUCCEEDED + " {}");
        // a fragment of A's shape before an entry of another shape: the entry is read (B started)
        sameAnswer("glued", STARTED, "{\"actionId\":\"" + A + "\",\"actor\":{\"environment\":\"ref\",\"actionId\":\"" + B
                + "\",\"result\":\"started\"}");
        sameAnswer("gluedNoId", STARTED, "{\"actionId\":\"" + A + "\",\"actor\":{\"environment\":\"ref\",\"result\":\"started\"}");
    }

    @Test
    void refusedLinesAmongOthers() throws Exception {
        String refused = line(e(id(9), "ref", AuditRows.SUCCEEDED, "ok", 9)).replace("\"ok\"", "\"o\tk\"");
        List<String> lines = new ArrayList<>(List.of(STARTED, refused, refused));
        for (int n = 10; n < 14; n++) {
            lines.add(line(e(id(n), "ref", AuditRows.SUCCEEDED, "ok", n)));
        }
        sameAnswer("refused", lines.toArray(String[]::new));
        sameAnswer("refusedTime", STARTED, SUCCEEDED.replace("2026-11-22T20:00:03Z", "2026-11-22T20:00:03"),
                line(e(B, "ref", AuditRows.STARTED, "started", 3)), line(e(B, "ref", AuditRows.SUCCEEDED, "ok", 4)));
    }

    @Test
    void linesReadAsTheyLook() throws Exception {
        String bStarted = line(e(B, "prod", AuditRows.STARTED, "started", 3));
        String odd = id(3) + "/é ✅ x";
        sameAnswer("crlf", STARTED + "\r", SUCCEEDED + "\r", bStarted + "\r");
        sameAnswer("spaces", "  " + STARTED, SUCCEEDED + "  ", "\t" + bStarted + " ");
        sameAnswer("quoted", STARTED, line(e(A, "ref", AuditRows.FAILED,
                "{\"result\":\"started\"} \\\"result\\\":\\\"started\\\" \"result\":\"interrupted\" \u001b[0m", 2)), bStarted);
        sameAnswer("odd", line(e(odd, "ref", AuditRows.STARTED, "started", 1)), line(e(odd, "ref", AuditRows.INTERRUPTED, "x", 2)),
                line(e(A, "ref", AuditRows.STARTED, "started", 1)));
        // the same id in two environments: the newest line of either decides
        sameAnswer("twoEnvs", STARTED, line(e(A, "prod", AuditRows.SUCCEEDED, "ok", 2)), bStarted,
                line(e(B, "ref", AuditRows.UNKNOWN, "no answer", 4)));
        sameAnswer("serverSays", STARTED, line(e(A, "ref", AuditRows.UNKNOWN, AuditRows.SERVER_SAYS + "gone", 2)),
                line(e(A, "ref", AuditRows.UNKNOWN, "server:gone", 3)));
        sameAnswer("nullEnv", STARTED, line(e(A, null, AuditRows.SUCCEEDED, "ok", 2)));
        sameAnswer("nullEnvStarted", line(e(A, null, AuditRows.STARTED, "started", 1)), bStarted);
        // a newer console's field: read, not refused (the action it closes is closed, the one it starts open)
        sameAnswer("field", STARTED, SUCCEEDED.replace("}", ",\"host\":\"h\"}"), bStarted.replace("}", ",\"host\":{\"a\":[1]}}"));
    }

    private static final List<AuditEntry> WRITTEN = List.of(
            e(A, "ref", AuditRows.SUCCEEDED, "quoted \"result\":\"started\" \\ tab\t new\nline é ✅ \u0001 \u001b[0m", 1),
            new AuditEntry(null, null, null, null, java.util.Arrays.asList("x", null, ""), null, null, -2147483648, null, null,
                    null, null, ""),
            new AuditEntry(B, "a@b", "prod", "deploy", List.of(), java.time.Instant.parse("2024-02-29T23:59:59.123456789Z"),
                    java.time.Instant.parse("0001-12-31T00:00:00.5Z"), 2147483647, "ab".repeat(32), AuditRows.UNKNOWN, "green",
                    "blue", AuditRows.SERVER_SAYS + "gone"),
            e(B, "prod", AuditRows.INTERRUPTED, null, 5));

    /** Every line a console writes is a stand-in (not parsed when its action is closed): the read stays cheap. */
    @Test
    void everyWrittenLineIsAStandIn() {
        for (AuditEntry w : WRITTEN) {
            assertNotNull(AuditLines.standIn(line(w)), line(w));
        }
        assertTrue(AuditLines.closes(AuditLines.standIn(line(WRITTEN.get(0)))));
    }

    /**
     * A line the shape check takes is one the parser reads, to the same id, and closing its action only if it does:
     * lines written by a console, damaged one character at a time (inserted, removed, replaced), a fixed seed.
     */
    @Test
    void aStandInIsAlwaysAnEntryOfItsIdAndItsVerdict() throws Exception {
        java.util.Random r = new java.util.Random(20261204);
        String alphabet = "\"\\u0{}[],:-.1469aefnrtuzTZ \t\u0001é";
        int standIns = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder(line(WRITTEN.get(r.nextInt(WRITTEN.size()))));
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                int at = r.nextInt(b.length());
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 1 -> b.deleteCharAt(at);
                    default -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            String mutated = b.toString();
            AuditEntry s = AuditLines.standIn(mutated);
            assertEquals(s, AuditLines.standIn(mutated, false), "the plain line's quick reading is the careful one's: " + mutated);
            if (s == null) {
                continue;
            }
            standIns++;
            AuditEntry parsed;
            try {
                parsed = AuditJson.read(mutated);
            } catch (Exception refused) {
                throw new AssertionError("a stand-in the parser refuses: " + mutated, refused);
            }
            assertEquals(parsed.actionId(), s.actionId(), mutated);
            if (AuditLines.closes(s)) {
                assertTrue(parsed.environment() != null && !AuditRows.awaitsEnd(parsed), mutated);
            }
        }
        assertTrue(standIns > 10_000, "enough of them still stand-ins: " + standIns);
    }
}
