package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's failure paths against the reference host: dockerd paused (SIGSTOP) while a rollback reads the state, another
 * console's job holding the server lock, and a started entry whose request never reached the server (the CLI killed
 * right after writing it).
 */
class CliRefusalsIT {
    private static final Duration T = Duration.ofSeconds(120);
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path tmp;

    private Environment env() {
        return io.dutydesk.core.config.EnvironmentsFile.load(RefHost.patientConfig(tmp)).require("ref");
    }

    private static Path actionsDir() {
        return RefHost.serverHome().resolve(".dutydesk/actions");
    }

    private static long actionCount() throws Exception {
        try (Stream<Path> s = Files.list(actionsDir())) {
            return s.filter(p -> p.toString().endsWith(".meta")).count();
        }
    }

    private RefHost.Result cli(Path audit, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", RefHost.patientConfig(tmp).toString()));
        return RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString()), all.toArray(String[]::new));
    }

    private static void lockFree(DetachedActions runner) {
        Eventually.await("no action holds the server lock", Duration.ofSeconds(120), () -> runner.current().join().isEmpty());
    }

    @Test
    void withDockerPausedTheRollbackNamesDockerAndNothingRuns() throws Exception {
        long actions = actionCount();
        String live = RefHost.nginx("/live-upstream");
        RefHost.javaJar(List.of()); // the build's class-data archive is made (by a ping, Docker too) before Docker hangs
        RefHost.Result r;
        RefHost.pause("docker");
        try {
            r = cli(tmp.resolve("audit.jsonl"), "rollback", "--yes");
        } finally {
            RefHost.resume("docker");
        }
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("dutydesk: cannot plan rollback on ref: Docker on the server did not answer within 30 s; "
                + "nothing was run"), r.stderr());
        assertFalse(r.stderr().contains("( cd") || r.stderr().contains("did not finish within"), "not the script's words: " + r.stderr());
        assertEquals(actions, actionCount(), "no job started on the server");
        assertEquals(live, RefHost.nginx("/live-upstream"));
        // the attempt audited: one failed entry, nothing run, and the live slot nginx said before Docker did not answer
        List<AuditEntry> entries = new JsonlAuditLog(tmp.resolve("audit.jsonl")).recent(100).join();
        assertEquals(1, entries.size(), entries.toString());
        assertEquals(AuditRows.FAILED, entries.get(0).result());
        assertEquals("cannot plan: Docker on the server did not answer within 30 s; nothing was run", entries.get(0).message());
        assertEquals(live, entries.get(0).liveBefore());
    }

    /** The deploy user's processes of a state read (its shells, the docker CLI it started) still on the server. */
    private static List<String> readsOnTheServer() {
        return ProcessHandle.allProcesses().filter(h -> h.info().user().map("dutydesk-deploy"::equals).orElse(false))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .filter(c -> c.contains("@@DD-STATE") || c.contains("docker container inspect")).toList();
    }

    /**
     * A plain read of the slots (a rollback's plan without --yes; the verification's and attach's reads alike) with Docker
     * paused: the CLI names Docker, and nothing of the read is left on the server while Docker is still paused — the read is
     * bounded there as the read inside the lock is. Before, the console gave up at its 30 s and the docker CLI stuck on the
     * paused daemon, with the shells waiting on it, stayed on the server until Docker was resumed, one set per read.
     */
    @Test
    void aPlainReadWithDockerPausedLeavesNothingOfItOnTheServer() throws Exception {
        RefHost.javaJar(List.of()); // the build's class-data archive is made before Docker hangs
        RefHost.Result r;
        List<String> left;
        RefHost.pause("docker");
        try {
            r = cli(tmp.resolve("audit.jsonl"), "rollback");
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            left = readsOnTheServer();
            while (!left.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(100);
                left = readsOnTheServer();
            }
        } finally {
            RefHost.resume("docker");
        }
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("Docker on the server did not answer within 30 s"), r.stderr());
        assertEquals(List.of(), left, "nothing of the read left on the server, Docker still paused");
    }

    @Test
    void anotherConsolesJobHoldingTheLockIsNamedInWordsAndStructuredInJson() throws Exception {
        // the holder is a window of the same user@host (this JVM declared as one): the refused CLI says which, by pid and start
        io.dutydesk.core.rollout.ConsoleProcess.declare(io.dutydesk.core.rollout.ConsoleProcess.WINDOW);
        ProcessHandle self = ProcessHandle.current();
        try (Connector.Opened h = new Connector().open(env(), HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            DetachedActions holder = new DetachedActions(env(), h.shell(), new JsonlAuditLog(tmp.resolve("holder.jsonl")),
                    "it-holder@it-host", CLOCK);
            lockFree(holder);
            String release = "it-release-" + Long.toHexString(System.nanoTime());
            // holds the lock until the test lets it go (a minute at most)
            String hold = "i=0; while [ ! -e \"$HOME/" + release + "\" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; rm -f \"$HOME/"
                    + release + "\"";
            var req = new DetachedActions.Request("it-hold", List.of("the lock"), hold, Optional.empty(), null);
            CompletableFuture<DetachedActions.Outcome> held = holder.run(req, RemoteShell.OutputListener.NONE, s -> { });
            try {
                Eventually.await("the holder runs", Duration.ofSeconds(30),
                        () -> holder.current().join().map(x -> x.meta().contains("it-holder@it-host")).orElse(false));
                String id = holder.current().join().orElseThrow().id();
                String live = RefHost.nginx("/live-upstream");
                long actions = actionCount();

                RefHost.Result text = cli(tmp.resolve("cli.jsonl"), "switch", "--yes", "--force");
                assertEquals(1, text.exitCode(), text.stdout() + text.stderr());
                assertTrue(text.stderr().contains("dutydesk: another action is running on this host: it-hold of the lock by it-holder "
                        + "from host it-host (the window, pid " + self.pid() + ", started "), text.stderr());
                assertTrue(text.stderr().contains(" UTC (job " + id + "); nothing was run"), text.stderr());
                assertFalse(text.stderr().contains("{") || text.stderr().contains("\"actor\""), "no raw meta: " + text.stderr());

                RefHost.Result json = cli(tmp.resolve("cli.jsonl"), "switch", "--yes", "--force", "--json");
                assertEquals(1, json.exitCode(), json.stdout() + json.stderr());
                JsonNode j = new ObjectMapper().readTree(json.stdout());
                assertTrue(j.get("refused").asBoolean());
                assertEquals(id, j.get("holder").get("id").asText());
                assertEquals("it-hold", j.get("holder").get("action").asText());
                assertEquals("it-holder@it-host", j.get("holder").get("actor").asText());
                assertEquals("ref", j.get("holder").get("env").asText());
                assertEquals("window", j.get("holder").get("console").get("face").asText());
                assertEquals(self.pid(), j.get("holder").get("console").get("pid").asLong());
                assertEquals(self.info().startInstant().orElseThrow().getEpochSecond(),
                        Instant.parse(j.get("holder").get("console").get("started").asText()).getEpochSecond());
                assertTrue(Instant.parse(j.get("holder").get("start").asText()).isBefore(Instant.now()), j.toString());

                assertEquals(live, RefHost.nginx("/live-upstream"), "traffic did not move");
                assertEquals(actions, actionCount(), "no job started by the refused ones");
                // both refusals audited, refused at the lock before the state was read: the live slot unknown, said
                List<AuditEntry> refused = new JsonlAuditLog(tmp.resolve("cli.jsonl")).recent(100).join();
                assertEquals(List.of(AuditRows.REFUSED, AuditRows.REFUSED), refused.stream().map(AuditEntry::result).toList());
                assertTrue(refused.stream().allMatch(e -> e.liveBefore() == null && e.message().endsWith("; nothing was run; "
                        + DetachedActions.LIVE_UNKNOWN)), refused.toString());
            } finally {
                h.shell().exec("touch \"$HOME/" + release + "\"", Duration.ofSeconds(20), RemoteShell.OutputListener.NONE).join();
            }
            DetachedActions.Outcome o = held.join();
            assertEquals(DetachedActions.End.EXITED, o.end());
            holder.complete(holder.completion(req, o, AuditRows.ENDED, o.exitCode(), null, "released")).join();
        }
    }

    @Test
    void aRequestThatNeverReachedTheServerIsCompletedAsNeverStartedAndCannotStartLate() throws Exception {
        Path audit = tmp.resolve("killed.jsonl");
        String id = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC).format(Instant.now())
                + "-rollback-" + String.format("%08x", new java.util.Random().nextInt());
        // what the CLI had written when it was killed, before its start reached the server
        new JsonlAuditLog(audit).append(new AuditEntry(id, "it-killed@test", "ref", "rollback", List.of(), Instant.now(), null, null, null,
                AuditRows.STARTED, "blue", null, DetachedActions.REQUESTED + " (a detached job, under the lock); bound: 15 min")).join();
        try (Connector.Opened h = new Connector().open(env(), HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            lockFree(new DetachedActions(env(), h.shell(), new JsonlAuditLog(tmp.resolve("other.jsonl")), "it@test", CLOCK));
            RefHost.Result r = cli(audit, "audit", "--json");
            assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
            assertTrue(r.stderr().contains("completed 1 audit entry"), r.stderr());
            JsonNode row = new ObjectMapper().readTree(r.stdout()).get("actions").get(0);
            assertEquals(id, row.get("actionId").asText());
            assertEquals("refused", row.get("result").asText(), row.toString());
            assertTrue(row.get("message").asText().startsWith("server: it never started") && row.get("message").asText().endsWith(
                    "nothing was run"), row.toString());
            assertEquals(ActionScripts.EXIT_NEVER + "\n", Files.readString(actionsDir().resolve(id + ".exit")), "marked on the server");

            // the start, had it been on its way, finds the mark inside the lock and runs nothing
            String job = ActionScripts.job(env().deploy().workdir(), "touch \"$HOME/it-late-" + id + "\"", Optional.empty(),
                    Duration.ofSeconds(30));
            RemoteShell.ExecResult late = h.shell().exec(ActionScripts.start(env().deploy().stateDir(), id, job, "{\"id\":\"" + id + "\"}"),
                    Duration.ofSeconds(30), RemoteShell.OutputListener.NONE).join();
            assertEquals(76, late.exitCode(), late.stdout() + late.stderr());
            assertTrue(late.stdout().contains("is marked on the server as never started"), late.stdout());
            assertFalse(Files.exists(actionsDir().resolve(id + ".meta")), "no meta written");
            assertFalse(Files.exists(RefHost.serverHome().resolve("it-late-" + id)), "nothing ran");
        }
    }
}
