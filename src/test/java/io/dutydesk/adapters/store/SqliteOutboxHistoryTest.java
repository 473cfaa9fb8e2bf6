package io.dutydesk.adapters.store;

import io.dutydesk.core.outbox.BacklogSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqliteOutboxHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void keepsSamplesPerEnvironmentAcrossOpensWithNullsAndSources() throws Exception {
        Path file = tmp.resolve("dutydesk/dutydesk.db");
        Instant t = Instant.parse("2026-11-22T10:00:00.123Z");
        BacklogSample a = new BacklogSample(t, 5L, 40L, 58L, 28L, BacklogSample.Source.CONSOLE);
        BacklogSample b = new BacklogSample(t.plusSeconds(10), null, null, 60L, null, BacklogSample.Source.CONSOLE);
        BacklogSample p = new BacklogSample(t.minusSeconds(3600), 1200L, null, null, null, BacklogSample.Source.PROMETHEUS);
        try (SqliteStore store = SqliteStore.open(file)) {
            SqliteOutboxHistory h = new SqliteOutboxHistory(store);
            h.append("ref", List.of(a, b, p)).get(5, TimeUnit.SECONDS);
            h.append("prod", List.of(a)).get(5, TimeUnit.SECONDS);
            h.append("ref", List.of(a)).get(5, TimeUnit.SECONDS); // the same sample again: one row
        }
        try (SqliteStore store = SqliteStore.open(file)) {
            SqliteOutboxHistory h = new SqliteOutboxHistory(store);
            assertEquals(List.of(p, a, b), h.since("ref", t.minusSeconds(7200)).get(5, TimeUnit.SECONDS));
            assertEquals(List.of(a, b), h.since("ref", t).get(5, TimeUnit.SECONDS));
            assertEquals(2, store.version("outbox").get(5, TimeUnit.SECONDS));
            assertEquals(1, h.prune(t.minusSeconds(60)).get(5, TimeUnit.SECONDS));
            assertEquals(List.of(a, b), h.since("ref", Instant.EPOCH).get(5, TimeUnit.SECONDS));
        }
    }
}
