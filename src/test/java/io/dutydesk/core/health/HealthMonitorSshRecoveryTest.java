package io.dutydesk.core.health;

import io.dutydesk.core.Backend;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.testing.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When SSH answers again, the backends behind it are polled at once, not after their own backoff. */
class HealthMonitorSshRecoveryTest {

    private static BackendProbe probe(Backend b, Supplier<CompletableFuture<Void>> ping) {
        return new BackendProbe() {
            @Override
            public Backend backend() {
                return b;
            }

            @Override
            public CompletableFuture<Void> ping() {
                return ping.get();
            }
        };
    }

    private static BackendStatus.State state(HealthMonitor m, Backend b) {
        return m.latest().all().stream().filter(s -> s.backend() == b).findFirst().orElseThrow().state();
    }

    @Test
    void backendsAreRepolledAsSoonAsSshIsBack() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger sshCalls = new AtomicInteger();
        AtomicReference<CompletableFuture<Void>> sshAnswer = new AtomicReference<>(new CompletableFuture<>());
        AtomicBoolean redisUp = new AtomicBoolean(false);
        BackendProbe ssh = probe(Backend.SSH, () -> sshCalls.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("Connection refused"))
                : sshAnswer.get());
        AtomicInteger redisCalls = new AtomicInteger();
        BackendProbe redis = probe(Backend.REDIS, () -> {
            redisCalls.incrementAndGet();
            return redisUp.get() ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new IllegalStateException("SSH: Connection refused"));
        });
        // an hour between polls: only the recovery can poll Redis again within the test
        try (HealthMonitor m = new HealthMonitor("t", List.of(ssh, redis), Duration.ofHours(1), Duration.ofHours(2),
                Duration.ofHours(1), scheduler, Clock.systemUTC())) {
            m.start();
            Eventually.await("both down", Duration.ofSeconds(10),
                    () -> state(m, Backend.SSH) == BackendStatus.State.DOWN && state(m, Backend.REDIS) == BackendStatus.State.DOWN);
            m.refreshNow(); // a second round: SSH's answer is held, Redis fails again and backs off
            Eventually.await("both polled again", Duration.ofSeconds(10), () -> sshCalls.get() == 2 && redisCalls.get() == 2);
            Eventually.await("redis failed again", Duration.ofSeconds(10),
                    () -> m.latest().all().stream().anyMatch(st -> st.backend() == Backend.REDIS && st.state() == BackendStatus.State.DOWN));
            redisUp.set(true);
            sshAnswer.get().complete(null); // SSH is back
            Eventually.await("redis polled at once and ok", Duration.ofSeconds(10),
                    () -> state(m, Backend.REDIS) == BackendStatus.State.OK);
            assertEquals(BackendStatus.State.OK, state(m, Backend.SSH));
        } finally {
            scheduler.shutdownNow();
        }
    }

    /**
     * A backend back after a long outage is said to be back within about two intervals, however long it was down: the
     * header's probes wait at most twice the interval (the panes' maxBackoff, 30 s by default, kept the header saying
     * "down" for up to 30 s after it answered again). Here 8 failures in a row: with maxBackoff the wait would be
     * 50 ms x 2^7 = 6.4 s.
     */
    @Test
    void aBackendBackAfterManyFailuresIsSeenWithinTwoIntervals() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean up = new AtomicBoolean(false);
        BackendProbe redis = probe(Backend.REDIS, () -> {
            calls.incrementAndGet();
            return up.get() ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(new IllegalStateException("Connection refused"));
        });
        try (HealthMonitor m = new HealthMonitor("t", List.of(redis), Duration.ofMillis(50), Duration.ofHours(1),
                Duration.ofSeconds(5), scheduler, Clock.systemUTC())) {
            m.start();
            Eventually.await("8 failures in a row", Duration.ofSeconds(20), () -> calls.get() >= 8);
            up.set(true);
            long t0 = System.nanoTime();
            Eventually.await("back", Duration.ofSeconds(20), () -> state(m, Backend.REDIS) == BackendStatus.State.OK);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 3000, "seen back after " + ms + " ms (at most 2 x 50 ms plus the scheduling; 6.4 s with maxBackoff)");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void probesWaitAtMostTwiceTheIntervalOrMaxBackoffIfShorter() {
        assertEquals(Duration.ofSeconds(10), HealthMonitor.probeBackoff(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(7), HealthMonitor.probeBackoff(Duration.ofSeconds(5), Duration.ofSeconds(7)));
    }
}
