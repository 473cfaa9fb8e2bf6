package io.dutydesk.cli;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.testing.LocalFolderShell;
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
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trust finding: the audit entries a killed console left open were completed by the CLI only on the {@code audit} verb.
 * Every verb that connects to an environment completes that environment's first — and asks the server only when the
 * local log has some open.
 */
class OpenEntriesCliTest {
    static final String OPEN_ID = "20261122-030000-rollback-0a1b2c3d";

    @TempDir
    Path dir;
    Path config;
    final MemoryAuditLog audit = MemoryAuditLog.create();
    final LocalFolderShell server = new LocalFolderShell();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void config() throws Exception {
        Files.createDirectories(dir.resolve("state/actions"));
        Files.createDirectories(dir.resolve("backups"));
        config = dir.resolve("envs.yaml");
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: 127.0.0.1, port: 24022, user: deploy }\n"
                + "    deploy: { stateDir: " + dir.resolve("state") + " }\n    backups: { folders: [ " + dir.resolve("backups") + " ] }\n"
                + "  prod:\n    ssh: { host: 127.0.0.1, port: 24023, user: deploy }\n    deploy: { stateDir: " + dir.resolve("state") + " }\n");
    }

    private void opened(String id, String env) {
        audit.append(new AuditEntry(id, "alice@ws", env, "rollback", List.of(), Instant.parse("2026-11-22T03:00:00Z"), null, null, null,
                AuditRows.STARTED, "blue", null, DetachedActions.REQUESTED + " (a detached job, under the lock)")).join();
    }

    private int run(String... args) {
        Cli cli = new Cli(ShellConnector.of(server), SecretPrompt.NONE, k -> null, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), audit, "oncall@laptop", null);
        return cli.run(List.of(args));
    }

    @Test
    void anyVerbThatConnectsCompletesThatEnvironmentsOpenEntriesFromTheServer() throws Exception {
        opened(OPEN_ID, "ref"); // a console killed mid-rollback: the job ended on the server
        Files.writeString(dir.resolve("state/actions/" + OPEN_ID + ".meta"), "{}\n");
        Files.writeString(dir.resolve("state/actions/" + OPEN_ID + ".exit"), "0\n");
        opened("20261122-031000-rollback-0b1b2c3d", "prod"); // another environment's: not this verb's to ask

        run("backups", "--env", "ref", "--config", config.toString());

        AuditEntry last = audit.entries.get(audit.entries.size() - 1);
        assertEquals(OPEN_ID, last.actionId(), audit.entries.toString());
        assertEquals(AuditRows.ENDED, last.result(), last.toString());
        assertTrue(last.message().startsWith(AuditRows.SERVER_SAYS + "exited 0"), last.message());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("dutydesk: completed 1 audit entry left open by a console that stopped"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(3, audit.entries.size(), "prod's stays open: " + audit.entries);
    }

    @Test
    void withNothingOpenNoServerRoundTripIsSpentOnIt() {
        opened("20261122-031000-rollback-0b1b2c3d", "prod"); // open, but not the environment the verb connects to
        run("backups", "--env", "ref", "--config", config.toString());
        assertTrue(server.commands.stream().noneMatch(c -> c.contains(ActionScripts.STATE)), server.commands.toString());
        assertEquals(1, audit.entries.size());
    }
}
