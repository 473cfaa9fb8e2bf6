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
}
