package io.dutydesk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FailingAuditLog;
import io.dutydesk.testing.ScriptedJobShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log's disk is full. When the started entry cannot be written nothing runs, and the user is told so and
 * which file; when only the completion cannot be written, the action's real outcome and exit code stand, with a
 * warning naming the file.
 */
class AuditLogFullTest {
    @TempDir
    Path dir;
    final ScriptedJobShell server = new ScriptedJobShell();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(AuditLog audit, String... args) throws Exception {
        Path config = dir.resolve("envs.yaml");
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: 127.0.0.1, port: 24022, user: deploy }\n");
        Cli cli = new Cli(io.dutydesk.testing.ShellConnector.of(server), SecretPrompt.NONE, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), audit, "oncall@laptop", null);
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", config.toString()));
        return cli.run(all);
    }

    @Test
    void aBackupWhoseStartCannotBeAuditedIsNotRunAndTheUserIsToldWhichFile() throws Exception {
        FailingAuditLog audit = FailingAuditLog.full();
        assertEquals(Cli.DOWN, run(audit, "backup-now"));
        assertFalse(server.started(), "nothing sent to run: " + server.commands);
        assertEquals("dutydesk: backup-now: nothing was run: the audit log " + FailingAuditLog.FILE
                + " could not be written (No space left on device)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBackupThatRanIsReportedAsItEndedWhenItsCompletionCannotBeAudited() throws Exception {
        FailingAuditLog audit = FailingAuditLog.fullAfterStart();
        assertEquals(Cli.OK, run(audit, "backup-now", "--json"), "the backup succeeded: exit 0, " + err);
        assertTrue(server.started());
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("OK: "), "its real outcome: " + e);
        assertTrue(e.contains("dutydesk: warning: backup-now succeeded on the server; the audit log " + FailingAuditLog.FILE
                + " could not be written (No space left on device); its started entry is in the log, and 'dutydesk audit --env ref'"
                + " completes it from the server's exit file once the log can be written"), e);
        assertFalse(e.contains("failed"), e);
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertTrue(j.get("ok").asBoolean());
        assertEquals(0, j.get("exitCode").asInt());
        assertEquals("succeeded on the server; the audit log " + FailingAuditLog.FILE + " could not be written (No space left on device)",
                j.get("auditWarning").asText());
        assertEquals(List.of("started"), audit.entries.stream().map(x -> x.result()).toList(), "the started entry is in the log");
        assertEquals(List.of("succeeded"), audit.refused.stream().map(x -> x.result()).toList());
    }

    @Test
    void aFailedBackupStaysFailedWithTheSameWarning() throws Exception {
        server.jobExit = "2";
        server.jobLines = List.of("ERROR: pg_dump: connection refused");
        assertEquals(Cli.DOWN, run(FailingAuditLog.fullAfterStart(), "backup-now"));
        String e = err.toString(StandardCharsets.UTF_8) + out.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("FAILED: "), e);
        assertTrue(e.contains("dutydesk: warning: backup-now failed on the server (exit 2); the audit log " + FailingAuditLog.FILE
                + " could not be written (No space left on device)"), e);
    }
}
