package io.dutydesk.app;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.ShellConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trust finding: open audit entries (an action whose console was killed) were completed only for the environment selected
 * in the window. At its start the window completes them for every environment that has some, in the background; one whose
 * host cannot be reached keeps them open and says so.
 */
class OpenEntriesAtStartTest {
    static final String REF = "20261122-030000-rollback-0a1b2c3d";
    static final String PROD = "20261122-031000-rollback-0b1b2c3d";
    static final String DR = "20261122-032000-rollback-0c1b2c3d";

    @TempDir
    Path dir;
    final MemoryAuditLog audit = MemoryAuditLog.create();
    final List<String> openedOn = new CopyOnWriteArrayList<>();
    final CountDownLatch serverAnswers = new CountDownLatch(1);
    OpenEntriesAtStart start;

    @AfterEach
    void close() {
        if (start != null) {
            start.close();
        }
    }

    private Map<String, Environment> environments() throws Exception {
        Path config = dir.resolve("envs.yaml");
        StringBuilder y = new StringBuilder("environments:\n");
        for (String name : List.of("ref", "prod", "dr")) {
            Files.createDirectories(dir.resolve(name + "/actions"));
            y.append("  ").append(name).append(":\n    ssh: { host: 127.0.0.1, port: 24022, user: deploy }\n")
                    .append("    deploy: { stateDir: ").append(dir.resolve(name)).append(" }\n");
        }
        Files.writeString(config, y.toString());
        return EnvironmentsFile.load(config).environments();
    }

    private void opened(String id, String env) throws IOException {
        audit.append(new AuditEntry(id, "alice@ws", env, "rollback", List.of(), Instant.parse("2026-11-22T03:00:00Z"), null, null, null,
                AuditRows.STARTED, "blue", null, DetachedActions.REQUESTED + " (a detached job, under the lock)")).join();
        Files.writeString(dir.resolve(env + "/actions/" + id + ".meta"), "{}\n");
        Files.writeString(dir.resolve(env + "/actions/" + id + ".exit"), "0\n"); // the job ended on the server
    }

    /** prod's server answers once the test lets it; dr's host cannot be reached; ref would answer. */
    private EnvironmentConnector connector() {
        return (env, hostKeys, secrets) -> {
            openedOn.add(env.name() + " on " + Thread.currentThread().getName());
            assertSame(HostKeyPrompt.REFUSE, hostKeys, "no host key accepted for an environment nobody chose");
            assertSame(SecretPrompt.NONE, secrets, "no password asked for it");
            LocalFolderShell local = new LocalFolderShell();
            RemoteShell shell = switch (env.name()) {
                case "dr" -> execs(local, (c, t, l) -> CompletableFuture.failedFuture(new IOException("SSH 127.0.0.1:24022: connection refused")));
                case "prod" -> execs(local, (c, t, l) -> CompletableFuture.runAsync(() -> {
                    try {
                        serverAnswers.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).thenCompose(v -> local.exec(c, t, l)));
                default -> local;
            };
            return ShellConnector.of(shell).open(env, hostKeys, secrets);
        };
    }

    @Test
    void everyEnvironmentWithOpenEntriesIsCompletedInTheBackgroundAndAnUnreachableOneSaysSo() throws Exception {
        Map<String, Environment> envs = environments();
        opened(REF, "ref");
        opened(PROD, "prod");
        opened(DR, "dr");
        start = new OpenEntriesAtStart(envs, connector(), audit, "bob@ws", Clock.systemUTC());
        List<OpenEntriesAtStart.Outcome> said = new CopyOnWriteArrayList<>();

        CompletableFuture<List<OpenEntriesAtStart.Outcome>> all = start.start("ref", said::add);
        assertFalse(all.isDone(), "returns at once: the caller (the FX thread) never waits on a server");
        serverAnswers.countDown();
        List<OpenEntriesAtStart.Outcome> outcomes = all.get(30, TimeUnit.SECONDS);

        assertEquals(2, outcomes.size(), "ref, shown first, is its Slots pane's to complete: " + outcomes);
        assertEquals(outcomes.size(), said.size());
        assertTrue(openedOn.stream().noneMatch(o -> o.startsWith("ref")), openedOn.toString());
        assertTrue(openedOn.stream().allMatch(o -> o.contains("dutydesk-open-entries")), "off the caller's thread: " + openedOn);

        OpenEntriesAtStart.Outcome prod = outcomes.stream().filter(o -> o.environment().equals("prod")).findFirst().orElseThrow();
        assertEquals(1, prod.completed(), prod.toString());
        AuditEntry prodEnd = last(PROD);
        assertEquals(AuditRows.ENDED, prodEnd.result(), prodEnd.toString());

        OpenEntriesAtStart.Outcome dr = outcomes.stream().filter(o -> o.environment().equals("dr")).findFirst().orElseThrow();
        assertTrue(dr.problem().isPresent(), dr.toString());
        assertEquals("dr: audit entries left open by a console that stopped stay open: its host could not be reached: SSH 127.0.0.1:24022: "
                + "connection refused (completed from the server's record once it can be read: open dr, or run dutydesk audit --env dr)",
                dr.describe());
        assertEquals(AuditRows.STARTED, last(DR).result(), "kept open");
        assertEquals(AuditRows.STARTED, last(REF).result(), "not this sweep's");
    }

    @Test
    void withNothingOpenNoEnvironmentIsConnected() throws Exception {
        start = new OpenEntriesAtStart(environments(), connector(), audit, "bob@ws", Clock.systemUTC());
        assertEquals(List.of(), start.start("ref", o -> { }).get(30, TimeUnit.SECONDS));
        assertEquals(List.of(), openedOn);
    }

    interface Exec {
        CompletableFuture<RemoteShell.ExecResult> exec(String command, Duration timeout, RemoteShell.OutputListener l);
    }

    /** {@code files}' listings and reads, with execs answered by {@code exec}. */
    static RemoteShell execs(RemoteShell files, Exec exec) {
        return new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                return exec.exec(command, timeout, l);
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return files.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return files.list(folder);
            }
        };
    }

    private AuditEntry last(String id) {
        AuditEntry last = null;
        for (AuditEntry e : audit.entries) {
            if (id.equals(e.actionId())) {
                last = e;
            }
        }
        return last;
    }
}
