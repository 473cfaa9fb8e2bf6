package io.dutydesk.core.rollout;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's --yes path, planned inside the server lock in one exec ({@link DetachedActions#runAnswered},
 * {@link RolloutService#planAndRun}), through the real scripts in a local sh (the state folder a temporary one).
 */
class PlannedInsideTheLockTest {
    @TempDir
    Path tmp;

    final Clock clock = Clock.fixed(Instant.parse("2026-12-05T07:00:00Z"), ZoneOffset.UTC);
    final LocalFolderShell server = new LocalFolderShell();
    final MemoryAuditLog audit = MemoryAuditLog.create();
    final List<String> status = new CopyOnWriteArrayList<>();

    Environment env(String liveSlotCommand) {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %s
                      stateDir: %s
                      liveSlotCommand: %s
                """.formatted(tmp, tmp.resolve("state"), "'" + liveSlotCommand.replace("'", "''") + "'")).require("ref");
    }

    Environment env() {
        return env("echo 'Active Slot:   blue'");
    }

    static DetachedActions.Request request(String command) {
        return new DetachedActions.Request("rollback", List.of(), command, Optional.empty(), null);
    }

    /** This machine as the server, with {@code bin} first on its PATH (stand-ins for its commands). */
    RemoteShell withPath(Path bin) {
        String path = "PATH=" + io.dutydesk.core.ShellQuote.quote(bin.toString()) + ":$PATH; export PATH; ";
        return new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
                return server.exec(path + command, timeout, listener);
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener, Answerer answerer) {
                return server.exec(path + command, timeout, listener, answerer);
            }

            @Override
            public CompletableFuture<byte[]> readFile(String p, long maxBytes) {
                return server.readFile(p, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return server.list(folder);
            }
        };
    }

    /**
     * The console's go comes after the server stopped waiting for it (a console stopped or slow past the server's 30 s;
     * here the server's timeout(1) gives up at once): nothing runs, and the started entry the console wrote is completed
     * as not started with the reason — not "connection lost", not the state's protocol lines, and with no second question
     * to the server (its NOT_GO says it).
     */
    @Test
    void aGoTheServerNoLongerWaitedForRunsNothingAndIsCompletedSaying() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("timeout"), "#!/bin/sh\n"
                + "if [ \"$3\" = " + ActionScripts.ANSWER_SECONDS + " ] && [ \"$4\" = head ]; then exit 124; fi\n"
                + "PATH=${PATH#*:} exec timeout \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("timeout"), PosixFilePermissions.fromString("rwx------"));
        DetachedActions runner = new DetachedActions(env(), withPath(bin), audit, "alice@ws1", clock);
        CompletionException e = assertThrows(CompletionException.class, () -> runner.runAnswered(request("touch ran"),
                "echo state", s -> DetachedActions.Answer.go("blue"), RemoteShell.OutputListener.NONE, status::add).join());
        assertEquals("the action did not start: the server had stopped waiting for this console's go (it waits "
                + ActionScripts.ANSWER_SECONDS + " s with the lock held) when it came; nothing was run", e.getCause().getMessage());
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertEquals(List.of("started", "failed"), audit.entries.stream().map(AuditEntry::result).toList());
        AuditEntry done = audit.entries.get(1);
        assertEquals(e.getCause().getMessage(), done.message());
        assertEquals(1, server.commands.size(), "no question to the server after its answer: " + server.commands);
        assertFalse(done.message().contains("@@"), "no protocol line in the audit entry: " + done.message());
        assertEquals(List.of(), status, "no 'connection lost' said");
        assertFalse(DetachedActions.isOpen(done.actionId()));
    }

    /**
     * The state read inside the lock reaches the plan as an exec of it would: its standard error and exit status too — a
     * live-slot command that fails says why ("curl: (7) …"), as the plan's own read said it.
     */
    @Test
    void aFailingLiveSlotCommandSaysWhyAsThePlansOwnReadDid() {
        Environment env = env("echo 'curl: (7) Failed to connect to 127.0.0.1 port 24080' >&2; exit 7");
        RolloutService service = new RolloutService(env, SlotsReader.onServer(env, server, clock), null, null, server, audit,
                "alice@ws1", clock);
        CompletionException e = assertThrows(CompletionException.class, () -> service.planAndRun(Verb.ROLLBACK, Optional.empty(),
                false, p -> { }, RemoteShell.OutputListener.NONE, s -> { }).join());
        RolloutService.PlanFailed failed = assertInstanceOf(RolloutService.PlanFailed.class, e.getCause());
        assertTrue(failed.getMessage().endsWith("did not say which slot is live: curl: (7) Failed to connect to 127.0.0.1 port 24080"),
                failed.getMessage());
        assertEquals(List.of(), audit.entries, "a plan that could not be made: nothing run, nothing audited");
    }
}
