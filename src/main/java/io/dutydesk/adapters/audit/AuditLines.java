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
 * learn it cost a cold CLI more than its SSH handshake. A line {@link AuditJson#write} wrote (one object, the action id
 * its first field) is read as a stand-in that holds its id and its text; only the lines of actions whose newest line may
 * await its end are parsed. A string value cannot hide a {@code "result":"started"} (its quotes are escaped), so the
 * substring tests below can only match the fields themselves; any line of another shape is parsed as before.
 */
final class AuditLines {
    private static final String PREFIX = "{\"actionId\":";
    private static final String STANDIN = "\u0000not parsed"; // the stand-in's result: never a real one

    private AuditLines() {}

    /** A stand-in for a line of {@link AuditJson#write}'s shape (its text in {@code message}), or null for any other line. */
    static AuditEntry standIn(String line) {
        if (!line.startsWith(PREFIX) || !line.endsWith("}") || line.indexOf(PREFIX, 1) >= 0) {
            return null; // another shape, or a torn fragment with an entry glued after it: parsed
        }
        int at = PREFIX.length();
        String id;
        if (line.startsWith("null,", at)) {
            id = null;
        } else if (line.startsWith("\"", at)) {
            int end = line.indexOf('"', at + 1);
            if (end < 0) {
                return null;
            }
            id = line.substring(at + 1, end);
            if (id.indexOf('\\') >= 0) {
                return null; // an escape in the id: parsed
            }
        } else {
            return null;
        }
        return new AuditEntry(id, null, null, null, null, null, null, null, null, STANDIN, null, null, line);
    }

    /**
     * Of {@code tail} (entries and stand-ins, oldest first), the parsed entries of every action whose newest line may await
     * its end (all its lines: {@link AuditRows#awaitingEnd} then decides exactly); the other actions' lines stay unparsed.
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
            if (!isStandIn(e) || mayAwaitEnd(e.message())) {
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
                // skipped, as a full read skips it (and reports it)
            }
        }
        return out;
    }

    static boolean isStandIn(AuditEntry e) {
        return STANDIN.equals(e.result());
    }

    /**
     * Whether a line may be the newest entry of an action that awaits its end: its result started, interrupted or unknown,
     * or no result or environment that the full reading would count (then the full reading decides).
     */
    static boolean mayAwaitEnd(String line) {
        return !line.contains("\"environment\":\"") || !line.contains("\"result\":\"")
                || line.contains(field("result", AuditRows.STARTED)) || line.contains(field("result", AuditRows.INTERRUPTED))
                || line.contains(field("result", AuditRows.UNKNOWN));
    }

    private static String field(String name, String value) {
        return "\"" + name + "\":\"" + value + "\"";
    }
}
