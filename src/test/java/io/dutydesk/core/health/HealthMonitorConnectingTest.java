package io.dutydesk.core.health;

import io.dutydesk.core.Backend;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the header says before anything answered: a probe that ran out of time while the first connection was still
 * being set up is "connecting…" (not answered yet), never "down"; and a pane's answer runs a down probe early.
 */
class HealthMonitorConnectingTest {
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /**
     * A clock that moves with System.nanoTime: the test compares an instant of its own with one the monitor takes a moment
     * later, which a step of the wall clock (a virtual machine's can step back a second) would put in the wrong order.
     */
    static final Clock MONOTONIC = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.EPOCH.plusNanos(System.nanoTime());
        }
    };

    static BackendProbe probe(Backend b, Supplier<CompletableFuture<Void>> ping) {
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

    /**
     * The first SSH connect takes longer than the probes' timeout (a loaded machine): every probe times out while it is
     * under way. They are "connecting…" — no "down since" — until the connection was tried to completion; a timeout
     * after that is a real outage, dated from that failure, not from the start.
     */
    @Test
    void aTimeoutWhileTheFirstConnectionIsSetUpIsConnectingNotDown() {
        AtomicBoolean connecting = new AtomicBoolean(true);
        // both never answer: their time goes on a connection that is not there yet
        List<BackendProbe> probes = List.of(probe(Backend.SSH, CompletableFuture::new), probe(Backend.POSTGRES, CompletableFuture::new));
        List<HealthSnapshot> seen = new CopyOnWriteArrayList<>();
        try (HealthMonitor m = new HealthMonitor("ref", probes, Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(100), scheduler, MONOTONIC, connecting::get)) {
            m.subscribe(seen::add);
            m.start();
            Eventually.await("several probes timed out", Duration.ofSeconds(10), () -> seen.stream()
                    .filter(s -> s.get(Backend.POSTGRES).checkedAt() != null).count() >= 3);
            for (HealthSnapshot s : seen) {
                for (Backend b : List.of(Backend.SSH, Backend.POSTGRES)) {
                    BackendStatus st = s.get(b);
                    assertNotEquals(BackendStatus.State.DOWN, st.state(), "down before the connection was tried: " + st);
                    assertNull(st.downSince(), st.toString());
                }
            }
            BackendStatus pg = m.latest().get(Backend.POSTGRES);
            assertEquals(BackendStatus.State.UNKNOWN, pg.state());
            assertTrue(pg.error().startsWith("connecting… (no answer within ") && pg.error().endsWith(" ms while the connection to the server was still being set up)"), pg.error());

            // the connect ends (it failed, or it is up and the backend itself does not answer): now a timeout is down
            connecting.set(false);
            java.time.Instant ended = MONOTONIC.instant();
            Eventually.await("down once the connection was tried", Duration.ofSeconds(10),
                    () -> m.latest().get(Backend.POSTGRES).state() == BackendStatus.State.DOWN
                            && m.latest().get(Backend.SSH).state() == BackendStatus.State.DOWN);
            BackendStatus down = m.latest().get(Backend.POSTGRES);
            assertTrue(!down.downSince().isBefore(ended.minusMillis(150)), "down since its first real failure (" + down.downSince()
                    + "), not since the probes that waited for the connection (ended " + ended + ")");
        }
    }

    /** An error is an answer: a refused connection is down at once, connecting or not. */
    @Test
    void anErrorWhileConnectingIsDownAtOnce() {
        List<BackendProbe> probes = List.of(probe(Backend.SSH,
                () -> CompletableFuture.failedFuture(new IOException("ssh deploy@n8n-server:22: Connection refused"))));
        try (HealthMonitor m = new HealthMonitor("ref", probes, Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(100), scheduler, Clock.systemUTC(), () -> true)) {
            m.start();
            Eventually.await("down", Duration.ofSeconds(10), () -> m.latest().get(Backend.SSH).state() == BackendStatus.State.DOWN);
            assertEquals("ssh deploy@n8n-server:22: Connection refused", m.latest().get(Backend.SSH).error());
        }
    }

    /**
     * A pane read PostgreSQL while the header shows it down: its probe — backed off for an hour here — runs at once; and
     * however often panes answer, at most one early probe per interval (no polling storm).
     */
    @Test
    void aPanesAnswerRunsADownProbeAtOnceButAtMostOncePerInterval() {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<String> pgDown = new AtomicReference<>("Connection refused");
        List<BackendProbe> probes = List.of(probe(Backend.POSTGRES, () -> {
            calls.incrementAndGet();
            String d = pgDown.get();
            return d == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(new IOException(d));
        }));
        try (HealthMonitor m = new HealthMonitor("ref", probes, Duration.ofHours(1), Duration.ofHours(2), Duration.ofSeconds(2),
                scheduler, Clock.systemUTC())) {
            m.start();
            Eventually.await("down", Duration.ofSeconds(10), () -> m.latest().get(Backend.POSTGRES).state() == BackendStatus.State.DOWN);
            assertEquals(1, calls.get());
            m.answered(Backend.REDIS); // no such probe here: nothing
            for (int i = 0; i < 50; i++) {
                m.answered(Backend.POSTGRES); // still down: one early probe, not fifty
            }
            Eventually.await("probed again", Duration.ofSeconds(10), () -> calls.get() == 2
                    && m.latest().get(Backend.POSTGRES).checkedAt() != null && m.latest().seq() >= 2);
            m.answered(Backend.POSTGRES);
            assertEquals(2, calls.get(), "within the interval: no second early probe");
        }
        // once back, the early probe shows it at once
        pgDown.set(null);
        calls.set(0);
        pgDown.set("Connection refused");
        try (HealthMonitor m = new HealthMonitor("ref", probes, Duration.ofHours(1), Duration.ofHours(2), Duration.ofSeconds(2),
                scheduler, Clock.systemUTC())) {
            m.start();
            Eventually.await("down", Duration.ofSeconds(10), () -> m.latest().get(Backend.POSTGRES).state() == BackendStatus.State.DOWN);
            pgDown.set(null);
            m.answered(Backend.POSTGRES);
            Eventually.await("ok at once, not in an hour", Duration.ofSeconds(10),
                    () -> m.latest().get(Backend.POSTGRES).state() == BackendStatus.State.OK);
            m.answered(Backend.POSTGRES); // shown answering: nothing to do
            assertEquals(2, calls.get());
        }
    }
}
