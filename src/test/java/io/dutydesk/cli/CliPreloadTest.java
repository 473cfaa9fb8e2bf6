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
                  life:
                    ssh: { host: life-host }
                    deploy: { model: single }
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
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

    /** The environment whose handshake the app starts ahead for this command line, if any. */
    private Optional<io.dutydesk.core.config.Environment> connectsTo(String... args) {
        return preload(args).flatMap(Cli.Preloaded::environment);
    }

    @Test
    void aVerbThatConnectsGetsItsEnvironmentFromTheFileItNames() {
        Cli.Preloaded p = preload("rollback", "--env", "prod", "--config", config.toString(), "--yes").orElseThrow();
        assertEquals("prod", p.environment().orElseThrow().name());
        assertEquals("n8n-server", p.environment().orElseThrow().ssh().host());
        assertEquals(config, p.file());
        assertEquals("ref", connectsTo("ping", "--env=ref", "--config=" + config).orElseThrow().name());
        assertEquals("ref", connectsTo("query", "--env", "ref", "--config", config.toString(), "up", "--range", "1h").orElseThrow()
                .name());
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
        assertTrue(connectsTo("audit", "--env", "ref", "--config", c).isEmpty(), "audit reads the local log: no handshake ahead");
        assertTrue(connectsTo("envs", "--config", c).isEmpty());
        assertTrue(connectsTo("help").isEmpty());
        assertTrue(connectsTo("rollback", "--config", c).isEmpty(), "no environment named");
        assertTrue(connectsTo("rollback", "--env", "nope", "--config", c).isEmpty(), "an environment the file does not have");
        assertTrue(connectsTo("rollback", "--env", "ref", "--config", dir.resolve("missing.yaml").toString()).isEmpty());
        assertTrue(connectsTo("rollback", "--env", "ref", "--config", c, "--bogus").isEmpty(), "a usage error");
        assertTrue(connectsTo("status", "--env", "ref", "--config", c, "--range", "1h").isEmpty(), "--range belongs to query");
        assertTrue(connectsTo("frobnicate", "--env", "ref", "--config", c).isEmpty(), "not a verb");
    }

    /**
     * A verb its own checks refuse before it connects (audited as refused, "nothing was run") logs in nowhere: the handshake
     * started ahead used to authenticate on the server for a deploy of a bad version or a switch on a single stack.
     */
    @Test
    void noHandshakeAheadForAVerbRefusedBeforeItConnects() {
        String c = config.toString();
        assertTrue(connectsTo("deploy", "bad;version", "--env", "ref", "--config", c).isEmpty(), "a refused version");
        assertTrue(connectsTo("deploy", "--env", "ref", "--config", c).isEmpty(), "deploy without a version");
        assertTrue(connectsTo("deploy", "v1.0.0", "v2.0.0", "--env", "ref", "--config", c).isEmpty(), "two versions");
        assertTrue(connectsTo("switch", "v1.0.0", "--env", "ref", "--config", c).isEmpty(), "switch takes no argument");
        assertTrue(connectsTo("deploy", "v1.0.0", "--type", "database", "--env", "ref", "--config", c).isEmpty(), "--type is rollback's");
        assertTrue(connectsTo("switch", "--env", "life", "--config", c).isEmpty(), "no idle slot on a single stack");
        assertTrue(connectsTo("rollback", "v1.0.0", "--env", "life", "--config", c).isEmpty(), "a single stack's rollback takes --to");
        assertTrue(connectsTo("rollback", "--env", "life", "--config", c).isEmpty(), "a single stack's rollback needs --to");
        assertTrue(connectsTo("lock", "--env", "ref", "--config", c).isEmpty(), "lock needs --message");
        assertTrue(connectsTo("silence", "--env", "ref", "--config", c).isEmpty(), "silence needs --match");
        assertTrue(connectsTo("logs", "--env", "ref", "--config", c).isEmpty(), "logs needs a SERVICE");
        assertTrue(connectsTo("doctor", "extra", "--env", "ref", "--config", c).isEmpty());
        assertTrue(connectsTo("check", "--yes", "--env", "ref", "--config", c).isEmpty());
        assertTrue(connectsTo("query", "--env", "ref", "--config", c).isEmpty(), "no expression");
        assertTrue(connectsTo("query", "--saved", "nope", "--env", "ref", "--config", c).isEmpty(), "no such saved query");
        // what the same checks let through still starts at once
        assertEquals("ref", connectsTo("deploy", "v1.2.3", "--env", "ref", "--config", c).orElseThrow().name());
        assertEquals("ref", connectsTo("switch", "--env", "ref", "--config", c, "--yes").orElseThrow().name());
        assertEquals("life", connectsTo("rollback", "--to", "v1.0.0", "--env", "life", "--config", c).orElseThrow().name());
        assertEquals("life", connectsTo("deploy", "v1.0.0", "--env", "life", "--config", c).orElseThrow().name());
        assertEquals("ref", connectsTo("lock", "--message", "db work", "--env", "ref", "--config", c).orElseThrow().name());
        assertEquals("ref", connectsTo("logs", "app", "--env", "ref", "--config", c).orElseThrow().name());
        assertEquals("ref", connectsTo("check", "--env", "ref", "--config", c).orElseThrow().name());
    }

    private Cli cli(ByteArrayOutputStream out, ByteArrayOutputStream err, Optional<Cli.Preloaded> p) {
        return new Cli(new FakeBackends(), SecretPrompt.NONE, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NO_AUDIT, "tester@desk", Confirmer.TERMINAL).preloaded(p);
    }

    /**
     * A file that can be read once (a pipe: {@code --config <(sops -d envs.yaml)}, {@code /dev/stdin}) gives the run what
     * the read ahead found, also when that refuses the run: the read ahead kept nothing then, and the run read the pipe
     * again, empty — "the file is empty" instead of the unknown environment or the file's own error, and
     * {@code check --env all} (no environment named "all" to read ahead) failed outright. A file gone after the read
     * ahead stands for the pipe read once.
     */
    @Test
    void whatTheReadAheadFoundIsWhatTheRunSaysEvenWhenItRefusesTheRun() throws Exception {
        String c = config.toString();
        Optional<Cli.Preloaded> unknown = preload("status", "--env", "nope", "--config", c);
        Optional<Cli.Preloaded> all = preload("check", "--env", "all", "--config", c);
        assertTrue(all.orElseThrow().environment().isEmpty(), "every environment is opened by the run itself");
        assertEquals(3, all.orElseThrow().environments().environments().size());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "environments:\n  x: [\n");
        Optional<Cli.Preloaded> broken = preload("status", "--env", "ref", "--config", bad.toString());
        Files.delete(config);
        Files.delete(bad);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Cli.USAGE, cli(out, err, unknown).run(List.of("status", "--env", "nope", "--config", c)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown environment 'nope'"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(Cli.USAGE, cli(out, err, broken).run(List.of("status", "--env", "ref", "--config", bad.toString())));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("bad.yaml:3: not valid YAML"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theRunUsesTheFileItReadAheadAndReadsItOnce() throws Exception {
        Optional<Cli.Preloaded> p = preload("ping", "--env", "ref", "--config", config.toString());
        assertTrue(p.isPresent());
        Files.delete(config); // read once per run: what was read ahead is what the run uses
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = cli(out, err, p);
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
