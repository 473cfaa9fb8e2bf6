package io.dutydesk.adapters.postgres;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The status values a CHECK constraint allows, as PostgreSQL prints its definition. */
class ConstraintLiteralsTest {
    @Test
    void theLiteralsOfAnInListAndOfEqualitiesWithDoubledQuotes() {
        assertEquals(List.of("pending", "processing", "published", "failed"), PostgresAdapter.literals(
                "CHECK ((status = ANY (ARRAY['pending'::text, 'processing'::text, 'published'::text, 'failed'::text])))"));
        assertEquals(List.of("NEW", "it's sent"), PostgresAdapter.literals("CHECK (((state)::text = 'NEW'::text) OR (state = 'it''s sent'))"));
        assertEquals(List.of(), PostgresAdapter.literals("CHECK ((length(status) < 20))"));
    }
}
