package io.dutydesk.cli;

import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert verbs refuse bad input before anything connects (exit 2, the reason named). */
class AlertsCliTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) throws Exception {
        Path config = dir.resolve("envs.yaml");
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: 127.0.0.1, port: 24022, user: u }\n");
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", config.toString()));
        Cli cli = new Cli((env, hostKeys, secrets) -> { throw new AssertionError("must not connect"); }, SecretPrompt.NONE,
                k -> null, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                MemoryAuditLog.create(), "me@host", Confirmer.TERMINAL);
        return cli.run(all);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badInputIsRefusedBeforeConnecting() throws Exception {
        assertEquals(2, run("silence", "--match", "alertname=X", "--duration", "2h"));
        assertTrue(err().contains("silence needs --comment TEXT"), err());
        assertEquals(2, run("silence", "--match", "alertname=X", "--duration", "2 hours", "--comment", "c"));
        assertTrue(err().contains("--duration: '2 hours' is not a duration"), err());
        assertEquals(2, run("silence", "--match", "alertname", "--duration", "2h", "--comment", "c"));
        assertTrue(err().contains("--match: 'alertname' is not a matcher"), err());
        assertEquals(2, run("silence", "--duration", "2h", "--comment", "c"));
        assertTrue(err().contains("at least one --match"), err());
        assertEquals(2, run("alerts", "--filter", "service=~\"(\""));
        assertTrue(err().contains("--filter:") && err().contains("not a valid regular expression"), err());
        assertEquals(2, run("alerts", "--since", "yesterday"));
        assertTrue(err().contains("--since"), err());
        assertEquals(2, run("unsilence"));
        assertTrue(err().contains("unsilence needs the silence id"), err());
        assertEquals(2, run("status", "--filter", "x=y"));
        assertTrue(err().contains("are for alerts, silence, unsilence"), err());
    }
}
