package io.dutydesk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dutydesk.core.outbox.BacklogLevel;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.OutboxReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `dutydesk outbox --json` of an outbox without an in-flight state: "processing" has no count (null), not 0. */
class OutboxJsonTest {
    @Test
    void anOutboxWithoutAProcessingStateHasNoProcessingCountNotZero() throws Exception {
        Instant t = Instant.parse("2026-12-03T09:00:00Z");
        OutboxBacklog b = new OutboxBacklog(t, 12, 0, 1, 1000L, 40L, List.of(), true, null);
        OutboxReport r = new OutboxReport("ref", t, Optional.of(b), Optional.empty(), Optional.empty(), Optional.empty(),
                BacklogLevel.judge(b, io.dutydesk.testing.TestEnvironments.fastPolling(java.time.Duration.ofSeconds(5)).get("ref")
                        .thresholds()), false, false);
        JsonNode without = Json.MAPPER.readTree(Json.write(OutboxCommand.json(r, false)));
        assertTrue(without.get("processing").isNull(), without.toString());
        assertEquals(12, without.get("pending").asLong());
        JsonNode with = Json.MAPPER.readTree(Json.write(OutboxCommand.json(r, true)));
        assertEquals(0, with.get("processing").asLong());
    }
}
