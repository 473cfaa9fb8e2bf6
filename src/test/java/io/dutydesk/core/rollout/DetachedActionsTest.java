package io.dutydesk.core.rollout;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detached-action runner against a scripted shell and a clock the test moves. */
class DetachedActionsTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T03:00:00Z"));
    final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId z) { return this; }
        @Override public Instant instant() { return now.get(); }
    };
    final Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
    final AtomicInteger follows = new AtomicInteger();

    /** Started, then the connection drops for good: every follow fails, and time passes beyond the action timeout. */
    final RemoteShell droppedForGood = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            if (command.contains("flock -n 9")) {
                String id = command.substring(command.indexOf("@@DUTYDESK-STARTED ") + 19).split("\"")[0];
                l.line(false, ActionScripts.STARTED + id);
                return CompletableFuture.failedFuture(new IOException("connection reset"));
            }
            if (command.contains("$f.meta")) { // wasStarted
                String id = command.substring(command.indexOf("/actions/") + 9).split("\"")[0];
                return CompletableFuture.completedFuture(new ExecResult(0, ActionScripts.STARTED + id + "\n", "", Duration.ZERO));
            }
            follows.incrementAndGet();
            now.set(now.get().plus(env.deploy().actionTimeout()).plusSeconds(120));
            return CompletableFuture.failedFuture(new IOException("the environment's connection is closed"));
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

    @Test
    void aLostActionIsGivenUpAfterItsTimeoutAndItsAuditEntryCompleted() throws Exception {
        MemoryAuditLog audit = MemoryAuditLog.create();
        DetachedActions runner = new DetachedActions(env, droppedForGood, audit, "t@d", clock);
        var req = new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue");
        CompletableFuture<DetachedActions.Outcome> run = runner.run(req, RemoteShell.OutputListener.NONE, s -> { });
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(20, TimeUnit.SECONDS),
                "the runner must stop re-attaching once the job must have ended, not retry forever");
        assertTrue(e.getCause().getMessage().contains("lost action"), e.getCause().getMessage());
        assertTrue(follows.get() <= 3, "follows: " + follows.get());
        assertEquals(2, audit.entries.size(), "started, then completed");
        assertEquals("unknown", audit.entries.get(1).result());
        assertTrue(DetachedActions.openActions().isEmpty());
    }
}
