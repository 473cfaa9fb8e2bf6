package io.dutydesk.cli;

import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The environment a run connects to, read before the rest of the run is built (its handshake started at once). */
class CliPreloadTest {
    @TempDir
    Path dir;
    Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("envs.yaml");
        Files.writeString(config, """
                environments:
                  ref:
                    description: reference host
                    ssh: { host: 127.0.0.1, port: 24022, user: deploy }
                  prod:
                    ssh: { host: n8n-server }
                """);
    }

    private static final io.dutydesk.core.audit.AuditLog NO_AUDIT = new io.dutydesk.core.audit.AuditLog() {
        @Override
        public java.util.concurrent.CompletableFuture<Void> append(io.dutydesk.core.audit.AuditEntry e) {
            return java.util.concurrent.CompletableFuture.failedFuture(new AssertionError("nothing is audited here"));
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<io.dutydesk.core.audit.AuditEntry>> recent(int max) {
            return java.util.concurrent.CompletableFuture.completedFuture(List.of());
        }
    };

    private Optional<Cli.Preloaded> preload(String... args) {
        return Cli.preload(List.of(args), k -> null);
    }

    @Test
    void aVerbThatConnectsGetsItsEnvironmentFromTheFileItNames() {
        Cli.Preloaded p = preload("rollback", "--env", "prod", "--config", config.toString(), "--yes").orElseThrow();
        assertEquals("prod", p.environment().name());
        assertEquals("n8n-server", p.environment().ssh().host());
        assertEquals(config, p.file());
        assertEquals("ref", preload("ping", "--env=ref", "--config=" + config).orElseThrow().environment().name());
        assertEquals("ref", preload("query", "--env", "ref", "--config", config.toString(), "up", "--range", "1h").orElseThrow()
                .environment().name());
    }

    @Test
    void theDefaultFileIsTheOneTheRunWouldRead() {
        Cli.Preloaded p = Cli.preload(List.of("status", "--env", "ref"), k -> k.equals("DUTYDESK_CONFIG") ? config.toString() : null)
                .orElseThrow();
        assertEquals(config, p.file());
    }

    @Test
    void nothingForALocalVerbOrALineOrFileTheRunWillRefuse() {
        String c = config.toString();
        assertTrue(preload("audit", "--env", "ref", "--config", c).isEmpty(), "audit reads the local log: no handshake ahead");
        assertTrue(preload("envs", "--config", c).isEmpty());
        assertTrue(preload("help").isEmpty());
        assertTrue(preload("rollback", "--config", c).isEmpty(), "no environment named");
        assertTrue(preload("rollback", "--env", "nope", "--config", c).isEmpty(), "an environment the file does not have");
        assertTrue(preload("rollback", "--env", "ref", "--config", dir.resolve("missing.yaml").toString()).isEmpty());
        assertTrue(preload("rollback", "--env", "ref", "--config", c, "--bogus").isEmpty(), "a usage error");
        assertTrue(preload("status", "--env", "ref", "--config", c, "--range", "1h").isEmpty(), "--range belongs to query");
        assertTrue(preload("frobnicate", "--env", "ref", "--config", c).isEmpty(), "not a verb");
    }

    @Test
    void theRunUsesTheFileItReadAheadAndReadsItOnce() throws Exception {
        Optional<Cli.Preloaded> p = preload("ping", "--env", "ref", "--config", config.toString());
        assertTrue(p.isPresent());
        Files.delete(config); // read once per run: what was read ahead is what the run uses
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new FakeBackends(), SecretPrompt.NONE, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NO_AUDIT, "tester@desk", Confirmer.TERMINAL)
                .preloaded(p);
        assertEquals(Cli.OK, cli.run(List.of("envs", "--config", config.toString())), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("n8n-server"), out.toString(StandardCharsets.UTF_8));
        // another file is read as before
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, "environments:\n  solo:\n    ssh: { host: solo-host }\n");
        out.reset();
        assertEquals(Cli.OK, cli.run(List.of("envs", "--config", other.toString())));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("solo-host"), out.toString(StandardCharsets.UTF_8));
    }
}
