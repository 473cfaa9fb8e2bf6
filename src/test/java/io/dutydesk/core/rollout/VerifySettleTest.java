package io.dutydesk.core.rollout;

import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After an action the server's state is read again until it settles (up to 5 s): on the monotonic clock. The console's
 * clock is the wall clock, which can step (a virtual machine's did, by 1.3 s): one stepping an hour forward while the
 * switch settled cut the reading short and reported a switch that went through as failed.
 */
class VerifySettleTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T03:00:00Z"));
    final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId z) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    volatile boolean switched;
    /** The live slot's reads since the switch ended. */
    final AtomicInteger readsAfter = new AtomicInteger();

    /** The live slot as read now: blue until the switch, then blue once more (old nginx workers) before green. */
    String live() {
        if (!switched) {
            return "blue";
        }
        if (readsAfter.incrementAndGet() == 1) {
            now.set(now.get().plus(Duration.ofHours(1))); // the wall clock steps while the state settles
            return "blue";
        }
        return "green";
    }

    final RemoteShell shell = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            if (command.contains("flock -n 9") && command.contains("setsid")) {
                String id = command.substring(command.indexOf(ActionScripts.STARTED) + ActionScripts.STARTED.length()).split("\"")[0];
                l.line(false, ActionScripts.STARTED + id);
                l.line(false, "Switched to green");
                switched = true;
                l.line(false, ActionScripts.EXIT + "0");
                return CompletableFuture.completedFuture(new ExecResult(0, "", "", Duration.ofMillis(5)));
            }
            if (command.contains("/maintenance\"")) {
                return CompletableFuture.completedFuture(new ExecResult(0, ActionScripts.NOT_LOCKED + "\n", "", Duration.ofMillis(5)));
            }
            return CompletableFuture.completedFuture(new ExecResult(0, "Active Slot:   " + live() + "\nInactive Slot: x\n", "",
                    Duration.ofMillis(5)));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }
    };

    final ContainersPort containers = Snapshots.containers("blue", "v1", "v2");

    @Test
    void aSwitchIsVerifiedOnceItSettlesWhateverTheWallClockDoesMeanwhile() throws Exception {
        var env = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
        SlotsReader reader = new SlotsReader(env, containers, shell, clock);
        RolloutService rollout = new RolloutService(env, reader, () -> CompletableFuture.completedFuture(java.util.Map.of("pending", 0L)),
                containers, shell, MemoryAuditLog.create(), "t@d", clock);
        Plan plan = rollout.plan(Verb.SWITCH, Optional.empty(), false).get(10, TimeUnit.SECONDS);
        assertEquals("green", plan.target());
        ActionResult r = rollout.run(plan, (e, l) -> { }).get(10, TimeUnit.SECONDS);
        assertTrue(r.verified(), r.message());
        assertEquals("green", r.liveAfter());
        assertTrue(readsAfter.get() >= 2, "read again after the state had not settled: " + readsAfter.get());
    }
}
