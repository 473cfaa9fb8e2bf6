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
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /** The audit log's disk is full: the started entry cannot be written, so nothing is sent — and the failure says so and where. */
    @Test
    void aStartedEntryThatCannotBeWrittenSendsNothingAndSaysWhichFile() {
        io.dutydesk.testing.FailingAuditLog audit = io.dutydesk.testing.FailingAuditLog.full();
        io.dutydesk.testing.ScriptedJobShell server = new io.dutydesk.testing.ScriptedJobShell();
        DetachedActions runner = new DetachedActions(env, server, audit, "t@d", clock);
        var req = new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue");
        String expected = "nothing was run: the audit log " + io.dutydesk.testing.FailingAuditLog.FILE
                + " could not be written (No space left on device)";
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> runner.run(req, RemoteShell.OutputListener.NONE, s -> { }).get(10, TimeUnit.SECONDS));
        assertEquals(expected, e.getCause().getMessage());
        assertTrue(e.getCause() instanceof io.dutydesk.core.audit.AuditWriteException a && !a.ran());
        ExecutionException b = assertThrows(ExecutionException.class, () -> runner.begin("restart", List.of("api-blue"), null)
                .get(10, TimeUnit.SECONDS));
        assertEquals(expected, b.getCause().getMessage(), "a short action's start likewise");
        assertTrue(server.commands.isEmpty(), "nothing sent: " + server.commands);
    }

    /**
     * A job followed to an end without an exit code (its shell killed on the server) is completed unknown from the server's
     * word: no later console completes it again as "left open by a console that stopped" (it was followed to its end).
     */
    @Test
    void anEndWithoutAnExitCodeSeenByItsConsoleIsNotLeftOpen() {
        DetachedActions runner = new DetachedActions(env, new io.dutydesk.testing.ScriptedJobShell(), io.dutydesk.testing.MemoryAuditLog.create(),
                "t@d", clock);
        var req = new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue");
        var killed = new DetachedActions.Outcome("20260101-120000-rollback-0a1b2c3d", DetachedActions.End.UNKNOWN, -1, null, "", null,
                clock.instant(), 3);
        var entry = runner.completion(req, killed, io.dutydesk.core.audit.AuditRows.UNKNOWN, null, "green",
                "the action ended on the server without an exit code (killed?); live slot is green");
        assertFalse(io.dutydesk.core.audit.AuditRows.awaitsEnd(entry), entry.message());
        assertTrue(entry.message().endsWith("the action ended on the server without an exit code (killed?); live slot is green"));
        // the server could not be asked (a dropped connection): still open, completed later from the server's record
        var lost = new DetachedActions.Outcome("20260101-120000-rollback-0a1b2c3d", DetachedActions.End.EXITED, 0, null, "", null,
                clock.instant(), 3);
        assertTrue(io.dutydesk.core.audit.AuditRows.awaitsEnd(runner.completion(req, lost, io.dutydesk.core.audit.AuditRows.UNKNOWN, null,
                null, "connection lost")));
    }

    /** The job ran; its completion cannot be written: the outcome stands, the missing entry is said beside it, naming the file. */
    @Test
    void aCompletionThatCannotBeWrittenIsSaidBesideTheOutcomeNotAsAFailure() throws Exception {
        io.dutydesk.testing.FailingAuditLog audit = io.dutydesk.testing.FailingAuditLog.fullAfterStart();
        DetachedActions runner = new DetachedActions(env, new io.dutydesk.testing.ScriptedJobShell(), audit, "t@d", clock);
        var req = new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue");
        DetachedActions.Outcome o = runner.run(req, RemoteShell.OutputListener.NONE, s -> { }).get(10, TimeUnit.SECONDS);
        assertEquals(DetachedActions.End.EXITED, o.end());
        Optional<String> w = runner.completeAfterRun(runner.completion(req, o, "succeeded", 0, "green", "switched")).get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("succeeded on the server; the audit log " + io.dutydesk.testing.FailingAuditLog.FILE
                + " could not be written (No space left on device)"), w);
        assertEquals(Optional.of("failed on the server (exit 3); the audit log " + io.dutydesk.testing.FailingAuditLog.FILE
                + " could not be written (No space left on device)"), runner.completeAfterRun(runner.completion(req, o, "failed", 3,
                "blue", "exit 3")).get(10, TimeUnit.SECONDS));
        assertEquals(List.of("started"), audit.entries.stream().map(x -> x.result()).toList());
        assertTrue(DetachedActions.openActions().stream().noneMatch(x -> x.equals(o.id())), "not left open in this process");
    }

    /**
     * The CLI's verification in the action's own exec: the request's after script runs in the same exec once the exit is
     * known; what it prints comes back as the outcome's {@code after}, never as the job's output (not shown, not in the
     * output's hash, not its last line).
     */
    @Test
    void whatTheAfterScriptPrintsIsTheOutcomesNotTheJobsOutput() throws Exception {
        java.util.function.Function<Boolean, RemoteShell> server = after -> new RemoteShell() {
            final io.dutydesk.testing.ScriptedJobShell job = new io.dutydesk.testing.ScriptedJobShell();

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return job.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return job.list(folder);
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                return exec(command, null, timeout, l);
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, byte[] stdin, Duration timeout, OutputListener l) {
                ExecResult r = job.exec(command, stdin, timeout, l).join();
                if (after) {
                    assertTrue(command.endsWith(" && " + ActionScripts.after("echo state")), "after the follow, in the same exec: " + command);
                    l.line(false, "Active Slot: green");
                    l.line(true, "a warning of docker's");
                }
                return CompletableFuture.completedFuture(r);
            }
        };
        List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        var req = new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue");
        DetachedActions.Outcome with = new DetachedActions(env, server.apply(true), MemoryAuditLog.create(), "t@d", clock)
                .run(req.withAfter("echo state"), (err, line) -> shown.add(line), s -> { }).get(10, TimeUnit.SECONDS);
        DetachedActions.Outcome without = new DetachedActions(env, server.apply(false), MemoryAuditLog.create(), "t@d", clock)
                .run(req, RemoteShell.OutputListener.NONE, s -> { }).get(10, TimeUnit.SECONDS);
        assertEquals(DetachedActions.End.EXITED, with.end());
        assertEquals("Active Slot: green\n", with.after().orElseThrow().stdout());
        assertEquals("a warning of docker's\n", with.after().orElseThrow().stderr());
        assertEquals(List.of("Backup written."), shown, "the job's lines only");
        assertEquals("Backup written.", with.lastLine());
        assertEquals(without.outputSha256(), with.outputSha256());
        assertTrue(without.after().isEmpty());
    }

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
        // this action is no longer followed (the set is the JVM's: another test class's follow may be open meanwhile)
        assertFalse(DetachedActions.isOpen(audit.entries.get(0).actionId()), DetachedActions.openActions().toString());
    }
    /**
     * The server's log file of a restore, and a connection that drops after every {@code dropAfter} lines
     * it carried; the follow's stderr has lines of its own (a login banner, tail's warnings), interleaved.
     */
    final class FlakyFollow implements RemoteShell {
        final List<String> log = new java.util.ArrayList<>();
        final List<Integer> fromLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        final int dropAfter;

        FlakyFollow(int dropAfter) {
            this.dropAfter = dropAfter;
            for (int i = 1; i <= 20; i++) {
                log.add(i == 13 ? "@@SAFETY /srv/backups/safety_20261122_030000.sql.gz 4096" : "restore line " + i);
            }
        }

        /** Sends the log from line {@code from} (1-based) with stderr lines between, dropping after {@code dropAfter} of them. */
        private CompletableFuture<ExecResult> serve(int from, OutputListener l) {
            l.line(true, "Warning: the server's login banner, on stderr");
            int sent = 0;
            for (int n = from; n <= log.size(); n++) {
                if (sent == dropAfter) {
                    return CompletableFuture.failedFuture(new IOException("connection reset"));
                }
                l.line(false, log.get(n - 1));
                sent++;
                if (n % 2 == 0) {
                    l.line(true, "tail: inotify cannot be used, reverting to polling");
                }
            }
            l.line(false, ActionScripts.EXIT + "0");
            return CompletableFuture.completedFuture(new ExecResult(0, "", "", Duration.ZERO));
        }

        private int fromLine(String command) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("tail -s 0\\.01 -n \\+([0-9]+) ").matcher(command);
            assertTrue(m.find(), command);
            int from = Integer.parseInt(m.group(1));
            fromLines.add(from);
            return from;
        }

        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            if (command.contains("flock -n 9")) {
                String id = command.substring(command.indexOf("@@DUTYDESK-STARTED ") + 19).split("\"")[0];
                l.line(false, ActionScripts.STARTED + id);
                return serve(fromLine(command), l);
            }
            if (command.contains("$f.meta")) { // wasStarted
                String id = command.substring(command.indexOf("/actions/") + 9).split("\"")[0];
                return CompletableFuture.completedFuture(new ExecResult(0, ActionScripts.STARTED + id + "\n", "", Duration.ZERO));
            }
            return serve(fromLine(command), l);
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }
    }

    @Test
    void aReattachResumesAtTheLogsNextLineWhateverTheStderrCarried() throws Exception {
        FlakyFollow server = new FlakyFollow(6);
        MemoryAuditLog audit = MemoryAuditLog.create();
        DetachedActions runner = new DetachedActions(env, server, audit, "t@d", Clock.systemUTC());
        List<String> stdout = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
        var req = new DetachedActions.Request("restore", List.of("full.sql.gz"), "./restore.sh", Optional.empty(), null);
        DetachedActions.Outcome o = runner.run(req, (stderr, line) -> {
            if (!stderr) {
                stdout.add(line);
            }
        }, statuses::add).get(30, TimeUnit.SECONDS);
        assertEquals(DetachedActions.End.EXITED, o.end());
        assertEquals(0, o.exitCode());
        assertEquals(List.of(1, 7, 13, 19), server.fromLines, "each re-attach asks for the log's next line: " + statuses);
        assertEquals(server.log, stdout, "every line of the log once, in order: none skipped, none repeated");
        assertTrue(stdout.contains("@@SAFETY /srv/backups/safety_20261122_030000.sql.gz 4096"), "the safety marker is seen");
        assertEquals(20, o.lines());
        runner.complete(runner.completion(req, o, "succeeded", 0, null, "ok")).join();
    }

    /** An unbounded job (a restore): the follow calls run out of time while it still runs; the server always answers. */
    @Test
    void anUnboundedJobIsFollowedForAsLongAsItRunsAndNeverGivenUpWhileTheServerAnswers() throws Exception {
        List<Duration> callTimeouts = new java.util.concurrent.CopyOnWriteArrayList<>();
        RemoteShell slow = new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                callTimeouts.add(timeout);
                if (command.contains("flock -n 9")) {
                    String id = command.substring(command.indexOf("@@DUTYDESK-STARTED ") + 19).split("\"")[0];
                    l.line(false, ActionScripts.STARTED + id);
                    l.line(false, "restoring…");
                    now.set(now.get().plus(timeout));
                    return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("did not finish within " + timeout));
                }
                if (command.contains("$f.meta")) { // wasStarted
                    String id = command.substring(command.indexOf("/actions/") + 9).split("\"")[0];
                    return CompletableFuture.completedFuture(new ExecResult(0, ActionScripts.STARTED + id + "\n", "", Duration.ZERO));
                }
                if (follows.incrementAndGet() < 4) { // hours go by, the job still runs
                    now.set(now.get().plus(timeout));
                    return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("did not finish within " + timeout));
                }
                l.line(false, "✔ restore completed");
                l.line(false, ActionScripts.EXIT + "0");
                return CompletableFuture.completedFuture(new ExecResult(0, "", "", Duration.ZERO));
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
        MemoryAuditLog audit = MemoryAuditLog.create();
        DetachedActions runner = new DetachedActions(env, slow, audit, "t@d", clock);
        var req = new DetachedActions.Request("restore", List.of("/b/x.sql.gz"), "./restore.sh", Optional.empty(), null,
                new JobBound(Optional.empty(), "backups.restoreTimeoutSeconds"));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        DetachedActions.Outcome o = runner.run(req, (e, l) -> lines.add(l), s -> { }).get(20, TimeUnit.SECONDS);
        assertEquals(DetachedActions.End.EXITED, o.end());
        assertEquals(0, o.exitCode());
        assertEquals(List.of("restoring…", "✔ restore completed"), lines);
        assertTrue(Duration.between(Instant.parse("2026-11-22T03:00:00Z"), now.get()).toHours() >= 4,
                "hours past the deploy's action timeout of " + env.deploy().actionTimeout());
        assertEquals(DetachedActions.UNBOUNDED_FOLLOW_CALL, callTimeouts.get(0), "not the deploy's bound");
        assertTrue(audit.entries.get(0).message().contains("bound: none"), audit.entries.get(0).message());
    }

    @Test
    void anUnboundedJobIsGivenUpOnlyOnceTheServerWasUnreachableForLong() throws Exception {
        MemoryAuditLog audit = MemoryAuditLog.create();
        RemoteShell dropped = new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                if (command.contains("flock -n 9") || command.contains("$f.meta")) {
                    return droppedForGood.exec(command, timeout, l); // started, then the connection drops
                }
                follows.incrementAndGet();
                now.set(now.get().plus(Duration.ofMinutes(6))); // each attempt finds the server still unreachable
                return CompletableFuture.failedFuture(new IOException("connection refused"));
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return droppedForGood.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return droppedForGood.list(folder);
            }
        };
        DetachedActions runner = new DetachedActions(env, dropped, audit, "t@d", clock);
        var req = new DetachedActions.Request("restore", List.of(), "./restore.sh", Optional.empty(), null,
                new JobBound(Optional.empty(), "backups.restoreTimeoutSeconds"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> runner.run(req, RemoteShell.OutputListener.NONE, s -> { })
                .get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("the server unreachable for 15 min"), e.getCause().getMessage());
        assertEquals(4, follows.get(), "tried while failing for up to 15 minutes (0, 6, 12, 18), then stopped");
        assertEquals("unknown", audit.entries.get(1).result());
    }

    /** A server that is this machine, its home {@code home}: commands run by a real sh, each on a thread of its own. */
    static RemoteShell localHome(java.nio.file.Path home) {
        return new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command);
                        pb.environment().put("HOME", home.toString());
                        Process p = pb.start();
                        p.getOutputStream().close();
                        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        p.waitFor();
                        out.lines().forEach(x -> l.line(false, x));
                        return new ExecResult(p.exitValue(), out, "", Duration.ZERO);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
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
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    @Test
    void aRestoreThatEndedWhileNoConsoleFollowedIsCompletedOnceFromItsMarkersAsALiveFollowWouldHave() throws Exception {
        String id = "20261122-030000-restore-0a1b2c3d";
        java.nio.file.Path a = java.nio.file.Files.createDirectories(home.resolve(".dutydesk/actions"));
        java.nio.file.Files.writeString(a.resolve(id + ".meta"), "{}");
        // stopped on the server before anything changed: the live follow says "refused", never "failed (exit 3)"
        java.nio.file.Files.writeString(a.resolve(id + ".log"), "checking the backup\n"
                + io.dutydesk.core.backups.BackupScripts.REFUSE + "the backup changed since the console checked it\n");
        java.nio.file.Files.writeString(a.resolve(id + ".exit"), io.dutydesk.core.backups.BackupScripts.STOPPED + "\n");
        io.dutydesk.testing.MemoryAuditLog audit = io.dutydesk.testing.MemoryAuditLog.create();
        audit.append(new io.dutydesk.core.audit.AuditEntry(id, "alice", env.name(), "restore", List.of("/b/x.sql.gz"), now.get(), null,
                null, null, io.dutydesk.core.audit.AuditRows.STARTED, null, null, "started")).join();

        // two consoles reconciling at once (the window and a CLI on one log)
        DetachedActions one = new DetachedActions(env, localHome(home), audit, "bob", clock);
        DetachedActions two = new DetachedActions(env, localHome(home), audit, "bob", clock);
        CompletableFuture<Reconciled> x = one.reconcile();
        CompletableFuture<Reconciled> y = two.reconcile();
        assertEquals(1, x.get(30, java.util.concurrent.TimeUnit.SECONDS).total() + y.get(30, java.util.concurrent.TimeUnit.SECONDS).total(),
                "completed once: " + audit.entries);
        List<io.dutydesk.core.audit.AuditEntry> ends = audit.entries.stream().filter(e -> !e.result().equals("started")).toList();
        assertEquals(1, ends.size(), ends.toString());
        assertEquals("refused", ends.get(0).result(), ends.get(0).message());
        assertTrue(ends.get(0).message().contains("refused on the server: the backup changed since the console checked it"),
                ends.get(0).message());
    }

    @Test
    void reAttachingSaysWhatIsResumed() {
        var r = new DetachedActions.Running("20261122-120300-restore-0a1b2c3d", "{\"id\":\"20261122-120300-restore-0a1b2c3d\","
                + "\"action\":\"restore\",\"env\":\"ref\",\"args\":\"/srv/backups/selfology_full.sql.gz\",\"actor\":\"alice@ws\","
                + "\"start\":\"2026-11-22T12:03:00Z\"}");
        assertEquals("restore of /srv/backups/selfology_full.sql.gz by alice from host ws since 2026-11-22 12:03:00 UTC "
                + "(job 20261122-120300-restore-0a1b2c3d)", r.describe(java.time.ZoneId.of("UTC")));
    }

    /**
     * Trust finding: BUSY did not tell the window and the CLI apart when both run as the same user@host. The holder names
     * the face, its pid and its start, in words; a job started by an older console (no such fields) reads as before.
     */
    @Test
    void theLockHolderNamesWhichConsoleItIsItsPidAndItsStart() {
        String meta = "{\"id\":\"20261122-120300-restore-0a1b2c3d\",\"action\":\"restore\",\"env\":\"ref\",\"args\":\"x.sql.gz\","
                + "\"actor\":\"alice@ws\",\"start\":\"2026-11-22T12:03:00Z\"";
        var window = new DetachedActions.Running("20261122-120300-restore-0a1b2c3d", meta
                + new ConsoleProcess(ConsoleProcess.WINDOW, 4242, Instant.parse("2026-11-22T08:00:01Z")).json() + "}");
        var cli = new DetachedActions.Running("20261122-120300-restore-0a1b2c3d", meta
                + new ConsoleProcess(ConsoleProcess.CLI, 5151, Instant.parse("2026-11-22T12:02:58Z")).json() + "}");
        java.time.ZoneId utc = java.time.ZoneId.of("UTC");
        assertEquals("restore of x.sql.gz by alice from host ws (the window, pid 4242, started 2026-11-22 08:00:01 UTC) since "
                + "2026-11-22 12:03:00 UTC (job 20261122-120300-restore-0a1b2c3d)", window.describe(utc));
        assertEquals("restore of x.sql.gz by alice from host ws (the CLI, pid 5151, started 2026-11-22 12:02:58 UTC) since "
                + "2026-11-22 12:03:00 UTC (job 20261122-120300-restore-0a1b2c3d)", cli.describe(utc));
        assertEquals("restore of x.sql.gz by alice from host ws since 2026-11-22 12:03:00 UTC (job 20261122-120300-restore-0a1b2c3d)",
                new DetachedActions.Running("20261122-120300-restore-0a1b2c3d", meta + "}").describe(utc), "an older job's meta");
    }

    /** The meta a job is started with names this process: the face the entry point declared, its pid and its start. */
    @Test
    void aJobsMetaNamesTheProcessThatStartedIt() throws Exception {
        for (String face : List.of(ConsoleProcess.CLI, ConsoleProcess.WINDOW)) {
            ConsoleProcess.declare(face);
            io.dutydesk.testing.ScriptedJobShell shell = new io.dutydesk.testing.ScriptedJobShell();
            new DetachedActions(env, shell, io.dutydesk.testing.MemoryAuditLog.create(), "alice@ws", Clock.systemUTC())
                    .run(new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue"),
                            RemoteShell.OutputListener.NONE, x -> { }).get(10, TimeUnit.SECONDS);
            String start = shell.commands.stream().filter(c -> c.contains("setsid")).findFirst().orElseThrow();
            ProcessHandle self = ProcessHandle.current();
            assertTrue(start.contains("\"console\":\"" + face + "\",\"pid\":\"" + self.pid() + "\",\"pstart\":\""
                    + self.info().startInstant().orElseThrow() + "\"}"), start);
        }
    }
}
