package io.dutydesk.core.poll;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollerTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T03:00:00Z"));

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aTickWhileARefreshRunsIsDropped() {
        AtomicReference<CompletableFuture<String>> current = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        Poller<String> p = poller(() -> {
            calls.incrementAndGet();
            CompletableFuture<String> f = new CompletableFuture<>();
            current.set(f);
            return f;
        });
        p.tick();
        p.tick();
        p.tick();
        assertEquals(1, calls.get(), "only one refresh runs at a time");
        assertEquals(2, p.dropped());
        current.get().complete("v1");
        p.tick();
        assertEquals(2, calls.get());
        assertEquals(2, p.dropped());
    }

    @Test
    void publishesImmutableSnapshotsAndKeepsTheLastValueWhenFailing() {
        List<Snapshot<String>> seen = new ArrayList<>();
        AtomicReference<CompletableFuture<String>> next = new AtomicReference<>(CompletableFuture.completedFuture("blue"));
        Poller<String> p = poller(next::get);
        p.subscribe(seen::add);
        assertTrue(seen.get(0).pending());

        p.tick();
        Snapshot<String> ok = p.latest();
        assertTrue(ok.ok());
        assertEquals("blue", ok.value());
        Instant okAt = clock.instant();

        clock.advance(Duration.ofSeconds(5));
        next.set(CompletableFuture.failedFuture(new java.io.IOException("Connection refused")));
        p.tick();
        Snapshot<String> down = p.latest();
        assertFalse(down.ok());
        assertEquals("Connection refused", down.error());
        assertEquals("blue", down.value(), "last good value kept: shown as stale, never empty");
        assertEquals(okAt, down.lastSuccessAt());
        assertEquals(clock.instant(), down.failingSince());
        assertTrue(ok.ok(), "the earlier snapshot did not change");
        assertEquals(3, seen.size());
    }

    @Test
    void backsOffOnErrorsUpToTheCapAndResetsOnSuccess() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Boolean> fail = new AtomicReference<>(true);
        Poller<String> p = new Poller<>("t", () -> {
            calls.incrementAndGet();
            return fail.get() ? CompletableFuture.failedFuture(new RuntimeException("down"))
                    : CompletableFuture.completedFuture("up");
        }, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(3), scheduler, clock);
        assertEquals(Duration.ofSeconds(5), p.backoff(1));
        assertEquals(Duration.ofSeconds(10), p.backoff(2));
        assertEquals(Duration.ofSeconds(20), p.backoff(3));
        assertEquals(Duration.ofSeconds(20), p.backoff(9), "capped");

        p.tick(); // failure 1: next attempt after one interval
        clock.advance(Duration.ofSeconds(5));
        p.tick(); // failure 2: waits 10 s
        assertEquals(2, calls.get());
        clock.advance(Duration.ofSeconds(5));
        p.tick();
        assertEquals(2, calls.get(), "still backing off");
        clock.advance(Duration.ofSeconds(5));
        p.tick(); // failure 3
        assertEquals(3, calls.get());
        assertEquals(3, p.latest().consecutiveFailures());

        fail.set(false);
        p.refreshNow(); // a user's refresh ignores the backoff
        io.dutydesk.testing.Eventually.await("refresh ran", Duration.ofSeconds(2), () -> p.latest().ok());
        assertEquals(0, p.latest().consecutiveFailures());
        assertNull(p.latest().failingSince());
    }

    /** A backend that answers "misconfigured" answered: polled at the normal interval, so a fixed configuration shows at once. */
    @Test
    void aMisconfiguredAnswerIsPolledAtTheNormalIntervalNotBackedOff() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Boolean> fixed = new AtomicReference<>(false);
        Poller<String> p = new Poller<>("t", () -> {
            calls.incrementAndGet();
            return fixed.get() ? CompletableFuture.completedFuture("ok") : CompletableFuture.failedFuture(
                    new io.dutydesk.core.MisconfiguredException("no table outbox (outbox.table)"));
        }, Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(3), scheduler, clock);
        for (int i = 1; i <= 6; i++) {
            p.tick();
            assertEquals(i, calls.get(), "tick " + i + ": asked again at the interval");
            assertTrue(p.latest().misconfigured());
            assertEquals(i, p.latest().consecutiveFailures(), "still counted as failing");
            clock.advance(Duration.ofSeconds(5));
        }
        fixed.set(true);
        p.tick();
        assertTrue(p.latest().ok(), "the fixed configuration shows at the next tick");
    }

    @Test
    void aHangingSourceTimesOutAndFreesTheSlot() {
        Poller<String> p = new Poller<>("t", CompletableFuture::new, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMillis(100), scheduler, Clock.systemUTC());
        p.tick();
        io.dutydesk.testing.Eventually.await("timed out", Duration.ofSeconds(2), () -> p.latest().error() != null);
        assertEquals("no answer within 100 ms", p.latest().error());
        assertNotNull(p.latest().failingSince());
    }

    /** A source's own timeout that names who did not answer is shown in its words, not as the poll's bare bound. */
    @Test
    void aTimeoutThatNamesWhoDidNotAnswerIsShownInItsWords() {
        Poller<String> p = new Poller<>("t", () -> CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException(
                "Docker on the server did not answer within 12 s")), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30),
                scheduler, Clock.systemUTC());
        p.tick();
        io.dutydesk.testing.Eventually.await("failed", Duration.ofSeconds(2), () -> p.latest().error() != null);
        assertEquals("Docker on the server did not answer within 12 s", p.latest().error());
    }

    @Test
    void startedPollerTicksOnItsOwn() {
        AtomicInteger calls = new AtomicInteger();
        Poller<Integer> p = new Poller<>("t", () -> CompletableFuture.completedFuture(calls.incrementAndGet()),
                Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1), scheduler, Clock.systemUTC());
        p.start();
        io.dutydesk.testing.Eventually.await("three runs", Duration.ofSeconds(2), () -> calls.get() >= 3);
        p.close();
        int after = calls.get();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertTrue(calls.get() <= after + 1, "closed poller stops");
    }

    private Poller<String> poller(java.util.function.Supplier<CompletableFuture<String>> s) {
        return new Poller<>("t", s, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(3), scheduler, clock);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
