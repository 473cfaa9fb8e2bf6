package io.dutydesk.core.health;

import io.dutydesk.core.Backend;
import io.dutydesk.core.ports.BackendProbe;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dutydesk ping} prints a network round trip, not the first use's set-up: the first answer of a backend is
 * slow (its connection, tunnel, classes), the second is not; the reported latency is the second's.
 */
class PingWarmTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC);

    /** Answers its first ping only once its set-up (a thread that holds it for 300 ms of work) is done; later ones at once. */
    private static final class SlowFirst implements BackendProbe {
        final Backend backend;
        final AtomicInteger calls = new AtomicInteger();
        final List<Boolean> answers;

        SlowFirst(Backend backend, Boolean... answers) {
            this.backend = backend;
            this.answers = List.of(answers);
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public CompletableFuture<Void> ping() {
            int n = calls.getAndIncrement();
            boolean ok = answers.get(Math.min(n, answers.size() - 1));
            if (n > 0) {
                return ok ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(new IOException("gone"));
            }
            return CompletableFuture.runAsync(() -> {
                long until = System.nanoTime() + 300_000_000L; // the first use's work: busy, not asleep
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (!ok) {
                    throw new IllegalStateException("refused");
                }
            });
        }
    }

    @Test
    void theLatencyIsTheSecondRequestsAndADownBackendIsAskedOnce() {
        SlowFirst ssh = new SlowFirst(Backend.SSH, true);
        SlowFirst redis = new SlowFirst(Backend.REDIS, false);
        SlowFirst pg = new SlowFirst(Backend.POSTGRES, true, false);
        List<BackendStatus> s = Probes.pingWarm(List.of(ssh, redis, pg), Duration.ofSeconds(10), clock).join();

        assertEquals(Backend.SSH, s.get(0).backend());
        assertTrue(s.get(0).ok());
        assertTrue(s.get(0).latencyMs() < 300, "the second request's round trip, not the first's set-up: " + s.get(0).latencyMs());
        assertEquals(2, ssh.calls.get());

        assertEquals(BackendStatus.State.DOWN, s.get(1).state());
        assertEquals(1, redis.calls.get(), "down at the first: asked once, not made to wait twice");

        assertEquals(BackendStatus.State.DOWN, s.get(2).state(), "what the second request says stands");
        assertEquals("gone", s.get(2).error());
    }
}
