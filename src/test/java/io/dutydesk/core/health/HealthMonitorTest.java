package io.dutydesk.core.health;

import io.dutydesk.core.Backend;
import io.dutydesk.core.ports.BackendProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots reach listeners in the order they were made, however many pollers publish at once. */
class HealthMonitorTest {
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
    private final ExecutorService answers = Executors.newFixedThreadPool(Backend.values().length);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        answers.shutdownNow();
    }

    /** A clock that moves forward by one millisecond on every read: every fold is later than the one before. */
    static final class TickingClock extends Clock {
        private final AtomicLong ms = new AtomicLong(Instant.parse("2026-11-22T03:00:00Z").toEpochMilli());

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms.incrementAndGet());
        }
    }

    @Test
    void concurrentPublishesNeverReachAListenerOutOfOrder() {
        List<BackendProbe> probes = new ArrayList<>();
        for (Backend b : Backend.values()) {
            // every answer completes on a thread of its own pool: the pollers publish concurrently
            probes.add(new BackendProbe() {
                @Override
                public Backend backend() {
                    return b;
                }

                @Override
                public CompletableFuture<Void> ping() {
                    return CompletableFuture.runAsync(() -> { }, answers);
                }
            });
        }
        HealthMonitor m = new HealthMonitor("ref", probes, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(2),
                scheduler, new TickingClock());
        List<HealthSnapshot> seen = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        Map<Backend, Instant> newest = new EnumMap<>(Backend.class);
        long[] lastSeq = {-1};
        m.subscribe(s -> {
            synchronized (newest) {
                if (s.seq() <= lastSeq[0]) {
                    problems.add("seq " + s.seq() + " after " + lastSeq[0]);
                }
                lastSeq[0] = s.seq();
                for (BackendStatus st : s.all()) {
                    Instant before = newest.get(st.backend());
                    if (st.checkedAt() != null) {
                        if (before != null && st.checkedAt().isBefore(before)) {
                            problems.add(st.backend() + " went back from " + before + " to " + st.checkedAt());
                        }
                        newest.put(st.backend(), st.checkedAt());
                    }
                }
            }
            seen.add(s);
        });
        m.start();
        try {
            await("many snapshots", Duration.ofSeconds(20), () -> seen.size() > 3000 || !problems.isEmpty());
        } finally {
            m.close();
        }
        assertTrue(problems.isEmpty(), "a listener saw an older snapshot after a newer one: " + problems.subList(0, Math.min(5, problems.size())));
    }
}
