package io.dutydesk.core.outbox;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxServiceTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final Environment ENV = EnvironmentsFile.parse(Path.of("t.yaml"), "environments: { e: { ssh: { host: h } } }").require("e");

    static BacklogSample at(Instant t, BacklogSample.Source s) {
        return new BacklogSample(t, 1L, null, null, null, s);
    }

    @Test
    void gapsAreTheStretchesWithoutAnySample() {
        Instant from = NOW.minus(Duration.ofHours(24));
        assertEquals(List.of(new OutboxService.Gap(from, NOW)), OutboxService.gaps(List.of(), from, NOW, Duration.ofSeconds(10)));
        List<BacklogSample> s = List.of(at(NOW.minusSeconds(3600), BacklogSample.Source.CONSOLE),
                at(NOW.minusSeconds(3590), BacklogSample.Source.CONSOLE), at(NOW.minusSeconds(60), BacklogSample.Source.CONSOLE));
        assertEquals(List.of(new OutboxService.Gap(from, NOW.minusSeconds(3600)),
                new OutboxService.Gap(NOW.minusSeconds(3590), NOW.minusSeconds(60))), OutboxService.gaps(s, from, NOW, Duration.ofSeconds(10)));
        // Prometheus's points every 2 minutes cover a stretch: nothing to ask again
        List<BacklogSample> p = new java.util.ArrayList<>();
        for (Instant t = from; t.isBefore(NOW); t = t.plusSeconds(120)) {
            p.add(at(t, BacklogSample.Source.PROMETHEUS));
        }
        assertEquals(List.of(), OutboxService.gaps(p, from, NOW, Duration.ofSeconds(10)));
    }

    @Test
    void eachSourceFailsAloneAndTheLevelFollowsTheThresholds() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        OutboxBacklog b = new OutboxBacklog(NOW, 1000, 0, 0, 5L, 3L, List.of(), true, "x");
        OutboxService s = new OutboxService(ENV, () -> CompletableFuture.completedFuture(b),
                () -> CompletableFuture.failedFuture(new java.io.IOException("Redis down")), clock);
        OutboxReport r = s.readOnce(Duration.ofSeconds(2)).join();
        assertEquals(BacklogLevel.CRITICAL, r.level());
        assertEquals("Redis down", r.streamError().orElseThrow());
        assertTrue(r.backlog().isPresent() && r.backlogError().isEmpty());
        OutboxService hangs = new OutboxService(ENV, CompletableFuture::new, CompletableFuture::new, clock);
        OutboxReport h = hangs.readOnce(Duration.ofMillis(50)).join();
        assertEquals("no answer within 50 ms", h.backlogError().orElseThrow());
        assertEquals("down", h.backlogState());
        OutboxService wrong = new OutboxService(ENV,
                () -> CompletableFuture.failedFuture(new java.io.IOException("PostgreSQL: no such table",
                        new io.dutydesk.core.MisconfiguredException("relation \"x\" does not exist (outbox.table in the environments file)"))),
                () -> CompletableFuture.failedFuture(new java.io.IOException("Redis down")), clock);
        OutboxReport w = wrong.readOnce(Duration.ofSeconds(2)).join();
        assertEquals("misconfigured", w.backlogState(), "it answered: not down");
        assertEquals("down", w.streamState());
        assertEquals("ok", r.backlogState());
        assertEquals(BacklogLevel.OK, BacklogLevel.of(99, ENV.thresholds()));
        assertEquals(BacklogLevel.WARN, BacklogLevel.of(100, ENV.thresholds()));
        assertEquals(BacklogLevel.CRITICAL, BacklogLevel.of(1000, ENV.thresholds()));
    }
}
