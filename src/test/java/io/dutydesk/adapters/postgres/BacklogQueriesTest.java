package io.dutydesk.adapters.postgres;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacklogQueriesTest {
    static Environment.Outbox outbox(String yaml) {
        return EnvironmentsFile.parse(Path.of("t.yaml"), "environments:\n  e:\n    ssh: { host: h }\n" + yaml).require("e").outbox();
    }

    @Test
    void defaultsCountOnlyTheOpenStatusesWithThePartialIndexPredicateWordForWord() {
        BacklogQueries q = new BacklogQueries(outbox(""));
        String predicate = "status IN ('pending', 'processing', 'failed')";
        assertEquals("SELECT status::text, count(*) FROM selfology.event_outbox WHERE " + predicate + " GROUP BY status", q.counts());
        assertTrue(q.oldest(10).endsWith("WHERE " + predicate + " AND status = 'pending' ORDER BY created_at LIMIT 10"), q.oldest(10));
        assertTrue(q.recommendedIndex().endsWith("(status, created_at) WHERE " + predicate + ";"), q.recommendedIndex());
        assertTrue(q.recommendedIndex().startsWith("CREATE INDEX CONCURRENTLY IF NOT EXISTS event_outbox_open_status_idx"));
        assertFalse(q.counts().contains("published"), "the published rows are never counted");
        assertTrue(q.estimate().contains("pg_class") && q.estimate().contains("pg_stats") && q.estimate().contains("'published'"));
        assertEquals("SELECT status, COUNT(*) FROM selfology.event_outbox GROUP BY status", q.runbookGroupBy());
    }

    @Test
    void anotherTeamsNamesAndQuotesInStatusValuesAreLiterals() {
        BacklogQueries q = new BacklogQueries(outbox("""
                    outbox:
                      table: public.outbox_events
                      columns: { status: state, created_at: inserted_at, event_type: kind }
                      statuses: { pending: NEW, processing: "it's sending", published: SENT, failed: DEAD }
                """));
        assertEquals("state IN ('NEW', 'it''s sending', 'DEAD')", q.openPredicate());
        assertTrue(q.oldest(10).contains("kind::text") && q.oldest(10).contains("ORDER BY inserted_at"), q.oldest(10));
        assertTrue(q.servingIndexes().contains("to_regclass('public.outbox_events')"));
        assertEquals("CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_events_open_state_idx ON public.outbox_events (state, inserted_at) "
                + "WHERE state IN ('NEW', 'it''s sending', 'DEAD');", q.recommendedIndex());
    }

    @Test
    void anOutboxWithoutAProcessingStateCountsPendingAndFailedOnly() {
        BacklogQueries q = new BacklogQueries(outbox("""
                    outbox:
                      table: public.outbox_events
                      columns: { status: state, created_at: inserted_at }
                      statuses: { pending: NEW, processing: ~, published: SENT, failed: DEAD }
                """));
        assertEquals("state IN ('NEW', 'DEAD')", q.openPredicate());
        assertTrue(q.recommendedIndex().endsWith("WHERE state IN ('NEW', 'DEAD');"), q.recommendedIndex());
    }
}
