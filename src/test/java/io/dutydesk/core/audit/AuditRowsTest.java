package io.dutydesk.core.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AuditRowsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private static AuditEntry e(String id, String result, Integer exit, Instant end, String liveAfter) {
        return new AuditEntry(id, "me@host", "prod", "rollback", List.of(), T0, end, exit, null, result, "green", liveAfter, result);
    }

    @Test
    void aStartedEntryAndItsCompletionAreOneRow() {
        List<AuditEntry> rows = AuditRows.fold(List.of(
                e("a", AuditRows.STARTED, null, null, null),
                e(null, AuditRows.REFUSED, null, T0, null),
                e("a", AuditRows.SUCCEEDED, 0, T0.plusSeconds(9), "blue")), id -> false);
        assertEquals(2, rows.size());
        AuditEntry a = rows.get(0);
        assertEquals("a", a.actionId());
        assertEquals(AuditRows.SUCCEEDED, a.result());
        assertEquals(T0, a.start());
        assertEquals(T0.plusSeconds(9), a.end());
        assertEquals("green", a.liveBefore());
        assertEquals("blue", a.liveAfter());
        assertEquals(AuditRows.REFUSED, rows.get(1).result());
    }

    @Test
    void aStartedEntryNobodyFollowsReadsUnknownUntilReconciled() {
        List<AuditEntry> entries = List.of(e("k", AuditRows.STARTED, null, null, null));
        assertEquals(AuditRows.UNKNOWN, AuditRows.fold(entries, id -> false).get(0).result());
        assertEquals(AuditRows.STARTED, AuditRows.fold(entries, "k"::equals).get(0).result(), "this console still runs it");
        assertNull(AuditRows.fold(entries, id -> false).get(0).end());
    }

    @Test
    void theLastCompletionWins() {
        List<AuditEntry> rows = AuditRows.fold(List.of(
                e("i", AuditRows.STARTED, null, null, null),
                e("i", AuditRows.INTERRUPTED, null, T0.plusSeconds(3), null),
                e("i", AuditRows.ENDED, 0, T0.plusSeconds(60), null)), id -> false);
        assertEquals(1, rows.size());
        assertEquals(AuditRows.ENDED, rows.get(0).result());
        assertEquals(0, rows.get(0).exitCode());
    }
}
