package io.dutydesk.core.rollout;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deploy script's commands go through the one filler: a placeholder a verb is not given runs nothing. */
class RolloutTemplateTest {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final MemoryAuditLog audit = MemoryAuditLog.create();

    final RemoteShell shell = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            sent.add(command);
            return CompletableFuture.failedFuture(new IOException("not in this test"));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("not in this test"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new IOException("not in this test"));
        }
    };

    /** An environment built in code (the file's loader would refuse this command already). */
    RolloutService withRollback(String rollback) {
        Environment r = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
        Map<String, String> c = new HashMap<>(r.deploy().commands());
        c.put("rollback", rollback);
        Environment.Deploy d = r.deploy();
        Environment env = new Environment(r.name(), r.description(), r.ssh(), r.docker(), r.postgres(), r.redis(), r.prometheus(),
                r.alertmanager(), r.backups(), new Environment.Deploy(d.workdir(), c, d.versionPattern(), d.liveSlotCommand(),
                d.liveSlotPattern(), d.stateDir(), d.actionTimeout()), r.slots(), r.outbox(), r.thresholds(), r.poll(), r.metrics(), r.alerts());
        return new RolloutService(env, null, null, null, shell, audit, "me@here", Clock.systemUTC());
    }

    @Test
    void aRollbackWithAPlaceholderItIsNotGivenIsRefusedAuditedAndRunsNothing() {
        Plan plan = new Plan("ref", Verb.ROLLBACK, Optional.empty(), "blue", "green", Optional.empty(), "traffic blue -> green",
                List.of(), "", List.of(), Optional.empty(), false);
        CompletionException e = assertThrows(CompletionException.class,
                () -> withRollback("./deploy.sh rollback {file}").run(plan, (err, line) -> { }).orTimeout(10, TimeUnit.SECONDS).join());
        RolloutException r = assertInstanceOf(RolloutException.class, e.getCause());
        assertEquals(RolloutException.Kind.INVALID_INPUT, r.kind());
        assertEquals("deploy.commands.rollback: the command './deploy.sh rollback {file}': {file} is not filled in for this command: "
                + "it would reach the shell as the literal text {file}; this command takes no placeholder; nothing was run", r.getMessage());
        assertTrue(sent.isEmpty(), "nothing sent to the server: " + sent);
        assertEquals("refused", audit.entries.get(audit.entries.size() - 1).result());
        assertEquals("rollback", audit.entries.get(audit.entries.size() - 1).action());

        // {version} is the deploy verb's alone: a rollback never got it (it was replaced by nothing before)
        assertThrows(CompletionException.class, () -> withRollback("./deploy.sh rollback {version}").run(plan, (err, line) -> { })
                .orTimeout(10, TimeUnit.SECONDS).join());
        assertTrue(sent.isEmpty(), sent.toString());
    }
}
