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
    private static AuditEntry in(String env, AuditEntry e) {
        return new AuditEntry(e.actionId(), e.actor(), env, e.action(), e.args(), e.start(), e.end(), e.exitCode(), e.outputSha256(),
                e.result(), e.liveBefore(), e.liveAfter(), e.message());
    }

    /**
     * One rule for which entries count in an action's state, used by the open entries' read and by the completion's check
     * (the default, one process's): only entries naming an environment. A completion without one (edited by hand, an old
     * line) left the action open to the read while the check refused its end: open forever.
     */
    @Test
    void theOpenReadAndTheCompletionCheckAgreeOnEntriesWithoutAnEnvironment() {
        io.dutydesk.testing.MemoryAuditLog log = io.dutydesk.testing.MemoryAuditLog.create();
        log.entries.addAll(List.of(e("a", AuditRows.STARTED, null, null, null), in(null, e("a", AuditRows.SUCCEEDED, 0, T0, null)),
                in(null, e("b", AuditRows.STARTED, null, null, null))));
        assertEquals(List.of("a"), AuditRows.newestAwaitingEnd(log.entries).stream().map(AuditEntry::actionId).toList());
        assertEquals(true, log.appendIfAwaited(e("a", AuditRows.ENDED, 0, T0, null)).join());
        assertEquals(false, log.appendIfAwaited(e("b", AuditRows.ENDED, 0, T0, null)).join(), "b opens nothing");
        assertEquals(List.of(), AuditRows.newestAwaitingEnd(log.entries));
        assertEquals(false, log.appendIfAwaited(e("a", AuditRows.ENDED, 0, T0, null)).join(), "completed once");
    }
}
