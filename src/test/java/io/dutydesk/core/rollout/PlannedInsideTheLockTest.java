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
        return env(liveSlotCommand, "");
    }

    /** {@code deploy}: more of the deploy section, as YAML lines indented under it. */
    Environment env(String liveSlotCommand, String deploy) {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %s
                      stateDir: %s
                      liveSlotCommand: %s
                """.formatted(tmp, tmp.resolve("state"), "'" + liveSlotCommand.replace("'", "''") + "'") + deploy).require("ref");
    }

    Environment env() {
        return env("echo 'Active Slot:   blue'");
    }

    static DetachedActions.Request request(String command) {
        return new DetachedActions.Request("rollback", List.of(), command, Optional.empty(), null);
    }

    /** This machine as the server, with {@code bin} first on its PATH (stand-ins for its commands). */
    RemoteShell withPath(Path bin) {
        return prefixed(server, "PATH=" + io.dutydesk.core.ShellQuote.quote(bin.toString()) + ":$PATH; export PATH; ");
    }

    /** {@code inner} with {@code prefix} run before each of its commands (its files as they are). */
    static RemoteShell prefixed(RemoteShell inner, String prefix) {
        return new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
                return inner.exec(prefix + command, timeout, listener);
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener, Answerer answerer) {
                return inner.exec(prefix + command, timeout, listener, answerer);
            }

            @Override
            public CompletableFuture<byte[]> readFile(String p, long maxBytes) {
                return inner.readFile(p, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return inner.list(folder);
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
        // an attempt like any other: audited, failed, nothing run, the live slot not known
        assertEquals(1, audit.entries.size(), "one entry: " + audit.entries);
        AuditEntry e1 = audit.entries.get(0);
        assertEquals(List.of("failed", "rollback"), List.of(e1.result(), e1.action()));
        assertEquals("cannot plan: " + failed.getMessage() + "; nothing was run; " + DetachedActions.LIVE_UNKNOWN, e1.message());
        assertEquals(null, e1.liveBefore());
        assertEquals(null, e1.actionId(), "no id: nothing of it is on the server to ask about");
    }

    /**
     * The state read after the job, in its exec, is bounded as the read inside the lock is: a Docker paused once the job is
     * over (here the read's sleep) ends that read at the bound (124), the outcome and the job's exit as they are — it held
     * the exec, and the console, for the follow's whole bound.
     */
    @Test
    void theReadAfterTheJobIsBoundedToo() throws Exception {
        RemoteShell bounded1s = new RemoteShell() {
            final String prefix = "DUTYDESK_CHECK_SECONDS=1; export DUTYDESK_CHECK_SECONDS; ";

            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
                return server.exec(prefix + command, timeout, listener);
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener, Answerer answerer) {
                return server.exec(prefix + command, timeout, listener, answerer);
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
        DetachedActions runner = new DetachedActions(env(), bounded1s, audit, "alice@ws1", clock);
        DetachedActions.Outcome o = runner.runAnswered(request("touch ran").withAfter("echo '@@DD-STATE'; sleep 120; echo woke"),
                "echo state", s -> DetachedActions.Answer.go("blue"), RemoteShell.OutputListener.NONE, status::add)
                .get(25, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(DetachedActions.End.EXITED, o.end());
        assertEquals(0, o.exitCode());
        assertTrue(Files.exists(tmp.resolve("ran")));
        assertEquals(124, o.after().orElseThrow().exitCode(), "cut at its bound: " + o.after());
        assertFalse(o.after().get().stdout().contains("woke"), o.after().get().stdout());
    }

    /** A shell whose answered exec fails as the SSH adapter's does when the connection drops before the state is printed. */
    RemoteShell droppingBeforeTheState(List<String> sent) {
        return new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
                sent.add(command);
                return CompletableFuture.failedFuture(new java.io.IOException("unused"));
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener, Answerer answerer) {
                sent.add(command);
                return CompletableFuture.failedFuture(new java.io.IOException("connection lost while running 'umask 077; D=...'"));
            }

            @Override
            public CompletableFuture<byte[]> readFile(String p, long maxBytes) {
                return CompletableFuture.failedFuture(new java.io.IOException("unused"));
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return CompletableFuture.failedFuture(new java.io.IOException("unused"));
            }
        };
    }

    /**
     * The connection dropped before the server printed the state (or the exec could not be opened): the attempt is audited —
     * one failed entry saying nothing was run (the job starts only on the console's go, which was never sent) and that the
     * live slot is not known — where it left no entry at all (the two-exec path wrote started and failed). Its message is the
     * failure's, unchanged.
     */
    @Test
    void aConnectionLostBeforeTheStateIsAuditedAsFailedWithNothingRun() {
        List<String> sent = new CopyOnWriteArrayList<>();
        DetachedActions runner = new DetachedActions(env(), droppingBeforeTheState(sent), audit, "alice@ws1", clock);
        CompletionException e = assertThrows(CompletionException.class, () -> runner.runAnswered(request("touch ran"),
                "echo state", s -> DetachedActions.Answer.go("blue"), RemoteShell.OutputListener.NONE, status::add).join());
        assertEquals("the action did not start (nothing was run): connection lost while running 'umask 077; D=...'",
                e.getCause().getMessage());
        assertEquals(1, audit.entries.size(), "one entry: " + audit.entries);
        AuditEntry done = audit.entries.get(0);
        assertEquals(List.of("failed", "rollback", "alice@ws1", "ref"), List.of(done.result(), done.action(), done.actor(), done.environment()));
        assertEquals(e.getCause().getMessage() + "; " + DetachedActions.LIVE_UNKNOWN, done.message());
        assertEquals(null, done.liveBefore());
        assertEquals(clock.instant(), done.start());
        assertEquals(clock.instant(), done.end());
        assertEquals(1, sent.size(), "no second question to the server: " + sent);
        assertEquals(List.of(), status);
    }

    /**
     * The server ends the exec before the state (its state folder cannot be made: exit 90): audited as failed with the
     * server's exit status, nothing run, the lock never taken.
     */
    @Test
    void aServerThatCannotMakeItsStateFolderIsAuditedAsFailedWithNothingRun() throws Exception {
        Files.writeString(tmp.resolve("state"), "a file where the state folder belongs\n");
        DetachedActions runner = new DetachedActions(env(), server, audit, "alice@ws1", clock);
        CompletionException e = assertThrows(CompletionException.class, () -> runner.runAnswered(request("touch ran"),
                "echo state", s -> DetachedActions.Answer.go("blue"), RemoteShell.OutputListener.NONE, status::add).join());
        assertTrue(e.getCause().getMessage().startsWith("the action did not start (nothing was run, exit 90)"), e.getCause().getMessage());
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertEquals(List.of("failed"), audit.entries.stream().map(AuditEntry::result).toList());
        assertEquals(e.getCause().getMessage() + "; " + DetachedActions.LIVE_UNKNOWN, audit.entries.get(0).message());
    }

    /** The failed entry cannot be written (a full disk): the failure says so, in the same words as every other entry's. */
    @Test
    void anUnwritableLogIsSaidBesideTheFailure() {
        io.dutydesk.testing.FailingAuditLog full = io.dutydesk.testing.FailingAuditLog.full();
        DetachedActions runner = new DetachedActions(env(), droppingBeforeTheState(new CopyOnWriteArrayList<>()), full, "alice@ws1", clock);
        CompletionException e = assertThrows(CompletionException.class, () -> runner.runAnswered(request("touch ran"),
                "echo state", s -> DetachedActions.Answer.go("blue"), RemoteShell.OutputListener.NONE, status::add).join());
        assertEquals("the action did not start (nothing was run): connection lost while running 'umask 077; D=...'; the audit log "
                + io.dutydesk.testing.FailingAuditLog.FILE + " could not be written (No space left on device)", e.getCause().getMessage());
        assertEquals(1, full.refused.size());
    }

    /**
     * Another action holds the server lock: refused at the lock, before the state is read — the entry says the live slot is
     * unknown (its liveBefore null, "?" in the Audit tab and dutydesk audit) in words, after the refusal's own.
     */
    @Test
    void aBusyRefusalSaysTheLiveSlotIsUnknown() throws Exception {
        Files.createDirectories(tmp.resolve("state").resolve("actions"));
        Process holder = new ProcessBuilder("sh", "-c", "exec 9>>" + io.dutydesk.core.ShellQuote.quote(tmp.resolve("state/action.lock").toString())
                + "; flock 9; echo locked; exec sleep 60").start();
        try {
            holder.getOutputStream().close();
            var r = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            DetachedActions runner = new DetachedActions(env(), server, audit, "alice@ws1", clock);
            CompletionException e = assertThrows(CompletionException.class, () -> runner.runAnswered(request("touch ran"),
                    "touch " + tmp.resolve("state-read"), s -> DetachedActions.Answer.go("blue"), RemoteShell.OutputListener.NONE, status::add).join());
            RolloutException busy = assertInstanceOf(RolloutException.class, e.getCause());
            assertEquals(RolloutException.Kind.BUSY, busy.kind());
            assertTrue(busy.getMessage().endsWith("; nothing was run"), "the refusal's words unchanged: " + busy.getMessage());
            assertEquals(1, audit.entries.size());
            AuditEntry refused = audit.entries.get(0);
            assertEquals("refused", refused.result());
            assertEquals(busy.getMessage() + "; " + DetachedActions.LIVE_UNKNOWN, refused.message());
            assertEquals(null, refused.liveBefore());
            assertFalse(Files.exists(tmp.resolve("state-read")) || Files.exists(tmp.resolve("ran")));
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    /**
     * This machine as the server, {@code bin} first on its PATH and the state reads' bound 1 s (DUTYDESK_CHECK_SECONDS),
     * as a server's environment may set it.
     */
    RemoteShell boundedWithPath(Path bin) {
        return prefixed(withPath(bin), "DUTYDESK_CHECK_SECONDS=1; export DUTYDESK_CHECK_SECONDS; ");
    }

    /**
     * A stand-in docker: every container named is running and healthy, on v1.0.0 — until the file {@code paused} is there
     * (a paused Docker): then it answers nothing for {@code hangSeconds}.
     */
    Path docker(int hangSeconds) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\n"
                + "[ -e " + io.dutydesk.core.ShellQuote.quote(tmp.resolve("paused").toString()) + " ] && exec sleep " + hangSeconds + "\n"
                + "shift 4; for n; do printf '@@DD-C\\tid-%s\\t/%s\\tselfology/app:v1.0.0\\trunning\\thealthy\\t2026-12-05T06:00:00Z\\t0\\t\\t\\n' \"$n\" \"$n\"; done\n");
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    /**
     * Docker paused while the state is read inside the lock, the live slot read beside it: the attempt's entry says the
     * live slot it read (blue), not "unknown (not read)" — and, when the live slot command failed too (nginx down), both are
     * said and the live slot is unknown.
     */
    @Test
    void aPlanCutByAPausedDockerIsAuditedWithTheLiveSlotItRead() throws Exception {
        Files.writeString(tmp.resolve("paused"), "");
        Path bin = docker(120);
        Environment env = env();
        RolloutService service = new RolloutService(env, SlotsReader.onServer(env, boundedWithPath(bin), clock), null, null,
                boundedWithPath(bin), audit, "alice@ws1", clock);
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> service.planAndRun(Verb.ROLLBACK, Optional.empty(),
                false, p -> { }, RemoteShell.OutputListener.NONE, s -> { }).get(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("Docker on the server did not answer within 30 s", assertInstanceOf(RolloutService.PlanFailed.class, e.getCause()).getMessage());
        AuditEntry failed = audit.entries.get(0);
        assertEquals(List.of("failed", "cannot plan: Docker on the server did not answer within 30 s; nothing was run"),
                List.of(failed.result(), failed.message()));
        assertEquals("blue", failed.liveBefore(), "the live slot it read before Docker did not answer");
        assertFalse(Files.exists(tmp.resolve("ran")));

        audit.entries.clear();
        Environment down = env("echo 'curl: (7) Failed to connect to 127.0.0.1 port 24080' >&2; exit 7");
        RolloutService nginxDown = new RolloutService(down, SlotsReader.onServer(down, boundedWithPath(bin), clock), null, null,
                boundedWithPath(bin), audit, "alice@ws1", clock);
        var both = assertThrows(java.util.concurrent.ExecutionException.class, () -> nginxDown.planAndRun(Verb.ROLLBACK, Optional.empty(),
                false, p -> { }, RemoteShell.OutputListener.NONE, s -> { }).get(60, java.util.concurrent.TimeUnit.SECONDS));
        String said = "Docker on the server did not answer within 30 s; '" + down.deploy().liveSlotCommand()
                + "' (exit 7) did not say which slot is live: curl: (7) Failed to connect to 127.0.0.1 port 24080";
        assertEquals(said, both.getCause().getMessage());
        assertEquals("cannot plan: " + said + "; nothing was run; " + DetachedActions.LIVE_UNKNOWN, audit.entries.get(0).message());
        assertEquals(null, audit.entries.get(0).liveBefore());
    }

    /**
     * Docker paused once the job is over: the read after it, in its exec, is cut at its bound, and that is the verification's
     * answer — the console does not ask the same Docker again (a second read held it as long once more: 30 s, then 30 s),
     * and the live slot that read got is the one said and audited.
     */
    @Test
    void aReadAfterTheJobCutByItsBoundIsNotAskedAgain() throws Exception {
        Path bin = docker(8);
        Environment env = env("echo 'Active Slot:   blue'", """
                      commands:
                        rollback: "touch ran paused"
                """);
        RemoteShell shell = boundedWithPath(bin);
        RolloutService service = new RolloutService(env, SlotsReader.onServer(env, shell, clock), null, null, shell, audit,
                "alice@ws1", clock);
        ActionResult r = service.planAndRun(Verb.ROLLBACK, Optional.empty(), false, p -> { }, RemoteShell.OutputListener.NONE,
                s -> { }).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(Files.exists(tmp.resolve("ran")), "the rollback ran");
        assertEquals(0, r.exitCode());
        assertFalse(r.verified());
        assertEquals("could not verify on the server: Docker on the server did not answer within 30 s", r.message());
        assertEquals("blue", r.liveAfter(), "the live slot the read after the job got");
        assertEquals(1, server.commands.size(), "the read after the job is the answer, not asked again: " + server.commands);
        AuditEntry done = audit.entries.get(audit.entries.size() - 1);
        assertEquals(List.of("failed", "blue"), java.util.Arrays.asList(done.result(), done.liveAfter()));
    }
}
