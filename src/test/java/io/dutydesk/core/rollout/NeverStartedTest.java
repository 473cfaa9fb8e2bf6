package io.dutydesk.core.rollout;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.ScriptedJobShell;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI killed (kill -9) right after it wrote the started entry, before the job started on the server: the entry says
 * only what was known (requested), and the next console records that it never started — when the server's job folder
 * makes that certain, and only then.
 */
class NeverStartedTest {
    static final String ID = "20261122-030000-rollback-0a1b2c3d";
    final Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T03:05:00Z"), java.time.ZoneOffset.UTC);
    final MemoryAuditLog audit = MemoryAuditLog.create();

    @TempDir
    Path home;

    private Path actions() {
        return home.resolve(".dutydesk/actions");
    }

    /** The started entry as {@link DetachedActions#run} writes it, for {@code id}, with {@code message}. */
    private void opened(String id, String action, String message) {
        audit.append(new AuditEntry(id, "alice@ws", env.name(), action, List.of(), Instant.parse("2026-11-22T03:00:00Z"), null, null, null,
                AuditRows.STARTED, "blue", null, message)).join();
    }

    private AuditEntry last() {
        return audit.entries.get(audit.entries.size() - 1);
    }

    private int reconcile() throws Exception {
        return reconciled().total();
    }

    private Reconciled reconciled() throws Exception {
        return new DetachedActions(env, DetachedActionsTest.localHome(home), audit, "bob@ws", clock).reconcile().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theStartedEntrySaysOnlyThatTheJobWasRequested() throws Exception {
        var req = new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue");
        new DetachedActions(env, new ScriptedJobShell(), audit, "alice@ws", clock).run(req, RemoteShell.OutputListener.NONE, s -> { })
                .get(10, TimeUnit.SECONDS);
        String started = audit.entries.get(0).message();
        assertTrue(started.startsWith("requested; not confirmed started on the server"), started);
        assertFalse(started.contains("started on the server (setsid)"), started);
    }

    @Test
    void aRequestThatLeftNoTraceIsRecordedAsNeverStartedAndCannotStartLate() throws Exception {
        Files.createDirectories(actions());
        Files.writeString(actions().resolve("20261122-020000-deploy-00000001.meta"), "{}"); // the folder has other jobs
        opened(ID, "rollback", DetachedActions.REQUESTED + " (a detached job, under the lock); bound: 10 min");
        assertEquals(new Reconciled(0, 1, 0), reconciled(), "counted as never started, not as read from an exit file");
        assertEquals(AuditRows.REFUSED, last().result(), last().toString());
        assertTrue(last().message().startsWith(AuditRows.SERVER_SAYS + "it never started") && last().message().endsWith("nothing was run"),
                last().message());
        assertEquals(ActionScripts.EXIT_NEVER + "\n", Files.readString(actions().resolve(ID + ".exit")), "marked on the server");
        assertEquals(0, reconcile(), "completed once");

        // its request arrives late (it was on its way when the console died): the start finds the mark and runs nothing
        String job = ActionScripts.job(home.toString(), "touch " + home.resolve("ran"), Optional.empty(), Duration.ofSeconds(30));
        RemoteShell.ExecResult late = DetachedActionsTest.localHome(home).exec(ActionScripts.start("~/.dutydesk", ID, job,
                "{\"id\":\"" + ID + "\"}"), Duration.ofSeconds(30), RemoteShell.OutputListener.NONE).get(30, TimeUnit.SECONDS);
        assertEquals(76, late.exitCode(), late.stdout());
        assertTrue(late.stdout().contains("is marked on the server as never started") && late.stdout().contains("nothing was run"),
                late.stdout());
        assertFalse(Files.exists(actions().resolve(ID + ".meta")) || Files.exists(actions().resolve(ID + ".pid"))
                || Files.exists(home.resolve("ran")), "nothing written, nothing run");
    }

    @Test
    void withoutAJobFolderItStaysUnknown() throws Exception {
        opened(ID, "rollback", DetachedActions.REQUESTED + " (a detached job, under the lock); bound: 10 min");
        assertEquals(new Reconciled(0, 0, 1), reconciled());
        assertEquals(AuditRows.UNKNOWN, last().result());
        assertTrue(last().message().contains("could not be settled"), last().message());
        assertFalse(Files.exists(home.resolve(".dutydesk")), "nothing created on the server");
    }

    @Test
    void whileTheActionLockIsHeldItStaysUnknown() throws Exception {
        Files.createDirectories(actions());
        opened(ID, "rollback", DetachedActions.REQUESTED + " (a detached job, under the lock); bound: 10 min");
        Process holder = new ProcessBuilder("flock", "-x", home.resolve(".dutydesk/action.lock").toString(), "-c", "echo held; exec sleep 60")
                .redirectErrorStream(true).start();
        try {
            assertEquals("held", new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine());
            assertEquals(1, reconcile());
        } finally {
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly();
        }
        assertEquals(AuditRows.UNKNOWN, last().result());
        assertTrue(last().message().contains("could not be settled"), last().message());
        assertFalse(Files.exists(actions().resolve(ID + ".exit")), "not marked");
    }

    /** A container restart goes through Docker, never the job folder: no trace there says nothing about it. */
    @Test
    void anEntryThatWasNeverAServerJobStaysUnknown() throws Exception {
        Files.createDirectories(actions());
        String id = "20261122-030000-restart-0a1b2c3d";
        opened(id, "restart", "started");
        assertEquals(1, reconcile());
        assertEquals(AuditRows.UNKNOWN, last().result());
        assertTrue(last().message().contains("it did not start, or it was not a server-side job"), last().message());
        assertFalse(Files.exists(actions().resolve(id + ".exit")), "not marked");
    }

    /** SIGTERM before the server confirmed the start: the interrupted entry does not say that it ran. */
    @Test
    void anInterruptedRequestDoesNotSayItRan() throws Exception {
        RemoteShell neverAnswers = new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return new CompletableFuture<>();
            }
        };
        var req = new DetachedActions.Request("rollback", List.of(), "./rollback.sh", Optional.empty(), "blue");
        new DetachedActions(env, neverAnswers, audit, "alice@ws", clock).run(req, RemoteShell.OutputListener.NONE, s -> { });
        String id = audit.entries.get(0).actionId();
        assertTrue(DetachedActions.isOpen(id));
        DetachedActions.interruptAll(clock, Duration.ofSeconds(5));
        AuditEntry end = audit.entries.stream().filter(e -> id.equals(e.actionId()) && AuditRows.INTERRUPTED.equals(e.result()))
                .findFirst().orElseThrow(() -> new AssertionError(audit.entries.toString()));
        assertTrue(end.message().startsWith("the console stopped (closed or killed) before the server confirmed the start"), end.message());
        assertFalse(end.message().contains("while the action ran"), end.message());
    }
}
