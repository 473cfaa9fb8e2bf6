package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The log's lines read without parsing those that cannot matter, for {@link JsonlAuditLog#awaitingEnd}: every start of
 * the CLI and the window asks which actions await their end, and parsing the whole log (up to its rotation size) to
 * learn it cost a cold CLI more than its SSH handshake. A line exactly of {@link AuditJson#write}'s shape is read as a
 * stand-in that holds its id, whether it closes its action, and its text; only the lines of actions whose newest line
 * may await its end are parsed. Any other line (another order of the fields, spaces, a field this console does not
 * know, a value the parser refuses) is parsed as before.
 *
 * <p>The shape is checked in full (every field in its place once, every value of the kind {@link AuditJson#read}
 * accepts: strings with JSON's escapes and no raw control character, times as {@link java.time.Instant#toString}
 * writes them, an exit code within an int): a line that passes is surely one entry with that id, environment and
 * result, so a stand-in takes the place of the entry the parser would read, and a line that only looks closed (an
 * escaped or repeated field, a refused value) is never taken for closed.
 */
final class AuditLines {
    private static final String PREFIX = "{\"actionId\":";
    /** The stand-ins' results: instances of their own, never a parsed value (which is told apart by identity). */
    private static final String CLOSED = new String("\u0000closed");
    private static final String MAY_AWAIT = new String("\u0000may await its end");
    /** A longer line is parsed: far past any entry, and short of the parser's own limit on a string. */
    private static final int LONGEST = 1 << 20;
    private static final int[] DAYS = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private AuditLines() {}

    /** A stand-in for a line of {@link AuditJson#write}'s exact shape (its text in {@code message}), or null for any other line. */
    static AuditEntry standIn(String line) {
        return standIn(line, line.chars().noneMatch(c -> c < 0x20 || c == '\\'));
    }

    /**
     * {@link #standIn(String)}, told whether the line is {@code plain}: without a backslash or a control character (its
     * strings then end at their next quote). {@link JsonlAuditLog} learns it from the line's bytes as it splits them.
     */
    static AuditEntry standIn(String line, boolean plain) {
        if (line.length() > LONGEST || !line.startsWith(PREFIX)) {
            return null;
        }
        Scan s = new Scan(line, PREFIX.length(), plain);
        if (!s.string()) {
            return null;
        }
        String id = s.from < 0 ? null : line.substring(s.from, s.to);
        if (s.escaped) {
            return null; // an escape in the id: parsed
        }
        if (!s.field("actor") || !s.string() || !s.field("environment") || !s.string()) {
            return null;
        }
        boolean environment = s.from >= 0;
        if (!s.field("action") || !s.string() || !s.field("args") || !s.args() || !s.field("start") || !s.time()
                || !s.field("end") || !s.time() || !s.field("exitCode") || !s.exitCode() || !s.field("outputSha256")
                || !s.string() || !s.field("result") || !s.string()) {
            return null;
        }
        boolean closed = environment && s.from >= 0 && !s.escaped && !mayAwaitEnd(line.substring(s.from, s.to));
        if (!s.field("liveBefore") || !s.string() || !s.field("liveAfter") || !s.string() || !s.field("message") || !s.string()
                || !s.literal("}") || s.at != line.length()) {
            return null;
        }
        return new AuditEntry(id, null, null, null, null, null, null, null, null, closed ? CLOSED : MAY_AWAIT, null, null, line);
    }

    /**
     * Of {@code tail} (entries and stand-ins, oldest first), the parsed entries of every action whose newest line may await
     * its end (all its lines: {@link AuditRows#awaitingEnd} then decides exactly); the other actions' lines stay unparsed.
     * Null if a stand-in's line is refused by the parser after all (the shape check let it through): the caller reads in full.
     */
    static List<AuditEntry> candidates(List<AuditEntry> tail) {
        Map<String, AuditEntry> newest = new HashMap<>();
        for (AuditEntry e : tail) {
            if (e.actionId() != null) {
                newest.put(e.actionId(), e);
            }
        }
        Set<String> open = new HashSet<>();
        newest.forEach((id, e) -> {
            if (e.result() != CLOSED) { // identity: a stand-in's mark, not a parsed result
                open.add(id);
            }
        });
        List<AuditEntry> out = new ArrayList<>();
        for (AuditEntry e : tail) {
            if (e.actionId() == null || !open.contains(e.actionId())) {
                continue;
            }
            if (!isStandIn(e)) {
                out.add(e);
                continue;
            }
            try {
                out.add(AuditJson.read(e.message()));
            } catch (IOException | RuntimeException notAnEntry) {
                return null;
            }
        }
        return out;
    }

    static boolean isStandIn(AuditEntry e) {
        return e.result() == CLOSED || e.result() == MAY_AWAIT; // identity: a stand-in's mark, not a parsed result
    }

    /** Whether a stand-in closes its action as its line reads (environment and result known, the result not awaiting). */
    static boolean closes(AuditEntry standIn) {
        return standIn.result() == CLOSED;
    }

    /** Whether an entry with this result may await its end: started, interrupted or unknown (its message then decides). */
    private static boolean mayAwaitEnd(String result) {
        return result.equals(AuditRows.STARTED) || result.equals(AuditRows.INTERRUPTED) || result.equals(AuditRows.UNKNOWN);
    }

    /** A cursor over one line, checking values of the kinds {@link AuditJson#read} accepts (no more: a doubt is parsed). */
    private static final class Scan {
        final String s;
        final boolean plain; // no backslash, no control character
        int at;
        int from;          // the last string's contents: [from, to), or -1 for null
        int to;
        boolean escaped;   // the last string holds an escape

        Scan(String s, int at, boolean plain) {
            this.s = s;
            this.at = at;
            this.plain = plain;
        }

        boolean literal(String t) {
            if (!s.startsWith(t, at)) {
                return false;
            }
            at += t.length();
            return true;
        }

        boolean field(String name) {
            return literal(",\"") && literal(name) && literal("\":");
        }

        /** null, or a string without a raw control character, whose escapes are JSON's. */
        boolean string() {
            escaped = false;
            if (literal("null")) {
                from = to = -1;
                return true;
            }
            if (!literal("\"")) {
                return false;
            }
            from = at;
            if (plain) {
                to = s.indexOf('"', at);
                at = to + 1;
                return to >= 0;
            }
            for (int n = s.length(); at < n; ) {
                char c = s.charAt(at);
                if (c == '"') {
                    to = at++;
                    return true;
                }
                if (c < 0x20) {
                    return false;
                }
                if (c != '\\') {
                    at++;
                    continue;
                }
                escaped = true;
                char next = at + 1 < n ? s.charAt(at + 1) : 0;
                if (next == 'u') {
                    for (int i = at + 2; i < at + 6; i++) {
                        if (i >= n || Character.digit(s.charAt(i), 16) < 0) {
                            return false;
                        }
                    }
                    at += 6;
                } else if ("\"\\/bfnrt".indexOf(next) >= 0) {
                    at += 2;
                } else {
                    return false;
                }
            }
            return false;
        }

        /** null, or a list of strings and nulls. */
        boolean args() {
            if (literal("null")) {
                return true;
            }
            if (!literal("[")) {
                return false;
            }
            if (literal("]")) {
                return true;
            }
            do {
                if (!string()) {
                    return false;
                }
            } while (literal(","));
            return literal("]");
        }

        /** null, or a time as {@link java.time.Instant#toString} writes one (years 0000-9999): 2026-01-31T23:59:59.123Z. */
        boolean time() {
            if (!string()) {
                return false;
            }
            if (from < 0) {
                return true;
            }
            int len = to - from;
            if (escaped || len < 20 || len > 30 || s.charAt(to - 1) != 'Z' || !digits(0, 4) || s.charAt(from + 4) != '-'
                    || !digits(5, 2) || s.charAt(from + 7) != '-' || !digits(8, 2) || s.charAt(from + 10) != 'T'
                    || !digits(11, 2) || s.charAt(from + 13) != ':' || !digits(14, 2) || s.charAt(from + 16) != ':'
                    || !digits(17, 2)) {
                return false;
            }
            if (len > 20 && (s.charAt(from + 19) != '.' || len == 21 || !digits(20, len - 21))) {
                return false;
            }
            int year = number(0, 4);
            int month = number(5, 2);
            int day = number(8, 2);
            boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            return month >= 1 && month <= 12 && day >= 1 && day <= (month == 2 && !leap ? 28 : DAYS[month - 1])
                    && number(11, 2) <= 23 && number(14, 2) <= 59 && number(17, 2) <= 59;
        }

        /** null, or an integer within an int, without leading zeros. */
        boolean exitCode() {
            if (literal("null")) {
                return true;
            }
            int start = at;
            boolean negative = literal("-");
            int first = at;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                at++;
            }
            int n = at - first;
            if (n == 0 || n > 10 || (s.charAt(first) == '0' && (n > 1 || negative))) {
                return false;
            }
            long v = Long.parseLong(s, start, at, 10);
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
        }

        private boolean digits(int offset, int count) {
            for (int i = from + offset; i < from + offset + count; i++) {
                if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        private int number(int offset, int count) {
            return Integer.parseInt(s, from + offset, from + offset + count, 10);
        }
    }
}
