package io.dutydesk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.ShellConnector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code dutydesk rollback} says when it does not run: Docker on the server hung (the state read timed out), or
 * another action holds the server lock — in words in text mode, the holder structured in {@code --json}.
 */
class ActionRefusalsCliTest {
    static final String HOLDER = "20261122-120300-deploy-0a1b2c3d";

    @TempDir
    Path dir;
    Path config;
    Environment env;
    final MemoryAuditLog audit = MemoryAuditLog.create();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void config() throws Exception {
        config = dir.resolve("envs.yaml");
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: 127.0.0.1, port: 24022, user: deploy }\n");
        env = EnvironmentsFile.load(config).require("ref");
    }

    /** The state script's output: blue live, every container of both slots running and healthy (rollback ready). */
    private String state() {
        StringBuilder b = new StringBuilder("@@DD-STATE\nActive Slot:   blue\n\n@@DD-CONTAINERS\n"); // SlotsReader's markers
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                b.append("@@DD-C\t").append("id-").append(service).append(slot).append("\t/").append(env.slots().container(service, slot))
                        .append("\tselfology/").append(service).append(":v2.0.0\trunning\thealthy\t2026-11-22T02:00:00Z\t0\t\t\n");
            }
        }
        return b.toString();
    }

    /** A server where another console's deploy holds the action lock: the start is refused BUSY, its meta read on request. */
    private final RemoteShell busyServer = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            commands.add(command);
            String stdout = "";
            int exit = 0;
            if (command.contains("flock -n 9") && command.contains("setsid")) { // the start (its after script reads the state)
                stdout = ActionScripts.BUSY + HOLDER + "\n";
                exit = 75;
            } else if (command.contains("@@DD-CONTAINERS")) {
                stdout = state();
            } else if (command.equals(ActionScripts.meta(env.deploy().stateDir(), HOLDER))) {
                stdout = "{\"id\":\"" + HOLDER + "\",\"action\":\"deploy\",\"env\":\"ref\",\"args\":\"v2.1.0\",\"actor\":\"alice@ws\","
                        + "\"start\":\"2026-11-22T12:03:00Z\",\"console\":\"window\",\"pid\":\"4242\",\"pstart\":\"2026-11-22T08:00:01Z\"}\n";
            }
            return CompletableFuture.completedFuture(new ExecResult(exit, stdout, "", Duration.ofMillis(1)));
        }

        /** The --yes start that plans inside the lock: refused BUSY at the lock, before the state is read. */
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l, Answerer answerer) {
            commands.add(command);
            l.line(false, ActionScripts.BUSY + HOLDER);
            return CompletableFuture.completedFuture(new ExecResult(75, ActionScripts.BUSY + HOLDER + "\n", "", Duration.ofMillis(1)));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new java.io.IOException("unused"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new java.io.IOException("unused"));
        }
    };

    private int run(RemoteShell server, String... args) {
        return run(server, audit, args);
    }

    private int run(RemoteShell server, io.dutydesk.core.audit.AuditLog log, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--yes");
        return runPlain(server, log, all.toArray(String[]::new));
    }

    /** Without --yes (a verb that takes none: audit). */
    private int runPlain(RemoteShell server, String... args) {
        return runPlain(server, audit, args);
    }

    private int runPlain(RemoteShell server, io.dutydesk.core.audit.AuditLog log, String... args) {
        Cli cli = new Cli(ShellConnector.of(server), SecretPrompt.NONE, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), log, "oncall@laptop", null);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", config.toString()));
        return cli.run(all);
    }

    @Test
    void aBusyRefusalNamesTheHolderInWordsInTextMode() {
        assertEquals(Cli.DOWN, run(busyServer, "rollback"));
        String e = err.toString(StandardCharsets.UTF_8);
        // alice's own window holds it (the same user@host as a terminal of hers): which one, by its pid and start
        String words = "another action is running on this host: deploy of v2.1.0 by alice from host ws (the window, pid 4242, "
                + "started 2026-11-22 08:00:01 UTC) since 2026-11-22 12:03:00 UTC"
                + " (job " + HOLDER + "); nothing was run";
        assertTrue(e.contains("dutydesk: " + words + "\n"), e);
        assertFalse(e.contains("{") || e.contains("\"actor\""), "no raw meta: " + e);
        // the audit entry says it in the same words, and that the live slot was not read (refused at the lock, before it)
        assertEquals(words + "; " + io.dutydesk.core.rollout.DetachedActions.LIVE_UNKNOWN, audit.entries.get(audit.entries.size() - 1).message());
        assertEquals("refused", audit.entries.get(audit.entries.size() - 1).result());
        assertEquals(null, audit.entries.get(audit.entries.size() - 1).liveBefore());
        // dutydesk audit shows it with the live slot unknown: "?" and the words, never "null"
        out.reset();
        assertEquals(Cli.OK, runPlain(busyServer, "audit"));
        String row = out.toString(StandardCharsets.UTF_8);
        assertTrue(row.contains(" rollback ") && row.contains(" refused ") && row.contains(" ?->? ")
                && row.contains("nothing was run; " + io.dutydesk.core.rollout.DetachedActions.LIVE_UNKNOWN), row);
        assertFalse(row.contains("null"), row);
    }

    /**
     * The connection drops before the server printed the state (here the exec itself fails, as the SSH adapter's does):
     * the same words and exit code as before, and now one audit entry — failed, nothing run, the live slot unknown — where
     * the attempt left none.
     */
    @Test
    void aConnectionLostBeforeTheStateIsAuditedAsFailed() throws Exception {
        RemoteShell dropping = new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                commands.add(command);
                return CompletableFuture.completedFuture(new ExecResult(0, "", "", Duration.ZERO));
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l, Answerer answerer) {
                commands.add(command);
                return CompletableFuture.failedFuture(new java.io.IOException("connection lost while running 'umask 077; D=...'"));
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return busyServer.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return busyServer.list(folder);
            }
        };
        String said = "the action did not start (nothing was run): connection lost while running 'umask 077; D=...'";
        assertEquals(Cli.DOWN, run(dropping, "rollback"));
        assertEquals("dutydesk: rollback failed: " + said + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(1, audit.entries.size(), "one entry: " + audit.entries);
        var e = audit.entries.get(0);
        assertEquals(List.of("failed", "rollback", "oncall@laptop", "ref"), List.of(e.result(), e.action(), e.actor(), e.environment()));
        assertEquals(said + "; " + io.dutydesk.core.rollout.DetachedActions.LIVE_UNKNOWN, e.message());
        // --json: the object as before (not a refusal: a failure), its words the same
        err.reset();
        assertEquals(Cli.DOWN, run(dropping, "rollback", "--json"));
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertFalse(j.get("refused").asBoolean());
        assertEquals(said, j.get("error").asText());
        assertEquals(2, audit.entries.size());
    }

    @Test
    void aBusyRefusalKeepsTheHolderStructuredInJson() throws Exception {
        assertEquals(Cli.DOWN, run(busyServer, "rollback", "--json"));
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(j.get("refused").asBoolean());
        JsonNode h = j.get("holder");
        assertEquals(HOLDER, h.get("id").asText());
        assertEquals("deploy", h.get("action").asText());
        assertEquals("v2.1.0", h.get("args").asText());
        assertEquals("alice@ws", h.get("actor").asText());
        assertEquals("ref", h.get("env").asText());
        assertEquals("2026-11-22T12:03:00Z", h.get("start").asText());
        assertEquals("window", h.get("console").get("face").asText());
        assertEquals(4242, h.get("console").get("pid").asLong());
        assertEquals("2026-11-22T08:00:01Z", h.get("console").get("started").asText());
        assertFalse(j.get("error").asText().contains("{"), j.get("error").asText());
    }

    /** dockerd paused on the server: the plan's read times out once the live slot is read and Docker is asked. */
    @Test
    void aHungDockerIsNamedAndNothingRuns() {
        RemoteShell hungDocker = new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                commands.add(command);
                if (!command.contains("@@DD-CONTAINERS")) {
                    return CompletableFuture.completedFuture(new ExecResult(0, "", "", Duration.ZERO));
                }
                List.of("@@DD-STATE", "Active Slot:   blue", "", "@@DD-CONTAINERS").forEach(x -> l.line(false, x));
                // as the SSH adapter fails an exec at its timeout: its words quote the command's first characters
                return CompletableFuture.failedFuture(new TimeoutException("'" + command.substring(0, 57) + "...' did not finish within "
                        + timeout.toMillis() + " ms"));
            }

            /**
             * The --yes start that plans inside the lock: the live slot read, then Docker does not answer and the server's
             * bound (timeout 30) ends the read with 124; the console answers no, the server runs nothing.
             */
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l, Answerer answerer) {
                commands.add(command);
                java.util.regex.Matcher m = ActionScripts.ID.matcher(command);
                assertTrue(m.find(), "the start names its action");
                StringBuilder out = new StringBuilder();
                boolean no = false;
                for (String x : List.of(ActionScripts.STATE_BEGIN, "@@DD-STATE", "Active Slot:   blue", "", "@@DD-CONTAINERS", "",
                        ActionScripts.STATE_RC + "124", ActionScripts.stateEnd(m.group()))) {
                    out.append(x).append('\n');
                    l.line(false, x);
                    no |= answerer.answer(x).map(a -> !a.equals(ActionScripts.GO)).orElse(false);
                }
                assertTrue(no, "the console answered no");
                l.line(false, ActionScripts.NOT_GO);
                return CompletableFuture.completedFuture(new ExecResult(77, out + ActionScripts.NOT_GO + "\n", "", Duration.ofMillis(1)));
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return busyServer.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return busyServer.list(folder);
            }
        };
        assertEquals(Cli.DOWN, run(hungDocker, "rollback"));
        assertEquals("dutydesk: cannot plan rollback on ref: Docker on the server did not answer within 30 s; nothing was run\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(1, commands.size(), "one exec, answered no: " + commands);
        // the attempt audited: failed, nothing run, and the live slot the read got before Docker did not answer (not "unknown")
        assertEquals(1, audit.entries.size(), "one entry: " + audit.entries);
        assertEquals("failed", audit.entries.get(0).result());
        assertEquals("cannot plan: Docker on the server did not answer within 30 s; nothing was run", audit.entries.get(0).message());
        assertEquals("blue", audit.entries.get(0).liveBefore());
        // an audit log that cannot be written (a full disk): said after the same words
        err.reset();
        commands.clear();
        io.dutydesk.testing.FailingAuditLog full = io.dutydesk.testing.FailingAuditLog.full();
        assertEquals(Cli.DOWN, run(hungDocker, full, "rollback"));
        assertEquals("dutydesk: cannot plan rollback on ref: Docker on the server did not answer within 30 s; nothing was run; the audit log "
                + io.dutydesk.testing.FailingAuditLog.FILE + " could not be written (No space left on device)\n", err.toString(StandardCharsets.UTF_8));
    }
}
