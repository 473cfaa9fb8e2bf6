package io.dutydesk.core.poll;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** "Refresh now" is not lost to a refresh that was already running (and about to fail). */
class PollerRefreshTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aRefreshAskedWhileOneRunsRunsRightAfterItDespiteTheBackoff() {
        PollerTest.MutableClock clock = new PollerTest.MutableClock(Instant.parse("2026-11-22T03:00:00Z"));
        List<CompletableFuture<String>> calls = new CopyOnWriteArrayList<>();
        Poller<String> p = new Poller<>("ssh", () -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            calls.add(f);
            return f;
        }, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(3), scheduler, clock);
        p.tick();
        assertEquals(1, calls.size());
        // the backend is back: refresh now — but the refresh from before is still running
        p.refreshNow();
        await("the tick was dropped", Duration.ofSeconds(5), () -> p.dropped() == 1);
        calls.get(0).completeExceptionally(new IOException("connection refused")); // the old refresh fails: backoff
        await("a second refresh at once, not after the backoff", Duration.ofSeconds(5), () -> calls.size() == 2);
        calls.get(1).complete("ok");
        await("ok", Duration.ofSeconds(5), () -> p.latest().ok());
    }
}
