package io.dutydesk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.core.Backend;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path dir;
    Path config;
    final FakeBackends backends = new FakeBackends();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final java.util.List<io.dutydesk.core.audit.AuditEntry> audited = new java.util.concurrent.CopyOnWriteArrayList<>();
    final io.dutydesk.core.audit.AuditLog audit = new io.dutydesk.core.audit.AuditLog() {
        @Override
        public java.util.concurrent.CompletableFuture<Void> append(io.dutydesk.core.audit.AuditEntry e) {
            audited.add(e);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public java.util.concurrent.CompletableFuture<java.util.List<io.dutydesk.core.audit.AuditEntry>> recent(int max) {
            return java.util.concurrent.CompletableFuture.completedFuture(java.util.List.copyOf(audited));
        }
    };
    final Confirmer confirmer = new Confirmer() {
        @Override
        public boolean confirm(io.dutydesk.core.rollout.Plan plan, PrintStream o) {
            return false;
        }

        @Override
        public boolean interactive() {
            return false;
        }
    };

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

    private int run(String... args) {
        Cli cli = new Cli(backends, SecretPrompt.NONE, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), audit, "tester@desk", confirmer);
        return cli.run(List.of(args));
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pingAllOkIsExitZeroWithEveryBackendInJson() throws Exception {
        assertEquals(0, run("ping", "--env", "ref", "--json", "--config", config.toString()));
        JsonNode j = json();
        assertEquals("ref", j.get("env").asText());
        assertEquals(7, j.get("backends").size());
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode b : j.get("backends")) {
            names.add(b.get("name").asText());
            assertTrue(b.get("ok").asBoolean());
            assertTrue(b.get("latencyMs").asLong() >= 0);
            assertTrue(b.get("error").isNull());
        }
        assertEquals(List.of("ssh", "docker", "postgres", "redis", "prometheus", "alertmanager", "backups"), names);
        assertEquals(List.of("ref"), backends.opened);
        assertEquals(List.of("ref"), backends.closed, "the connection is closed after the check");
    }

    @Test
    void oneBackendDownIsExitOneAndNamesIt() throws Exception {
        backends.down(Backend.REDIS, "Redis 127.0.0.1:6379 on the server does not answer");
        assertEquals(1, run("ping", "--env=ref", "--json", "--config=" + config));
        for (JsonNode b : json().get("backends")) {
            boolean isRedis = b.get("name").asText().equals("redis");
            assertEquals(!isRedis, b.get("ok").asBoolean(), b.toString());
            if (isRedis) {
                assertEquals("Redis 127.0.0.1:6379 on the server does not answer", b.get("error").asText());
            }
        }
    }

    /** A backend that answers without what the file names is "misconfigured" in the CLI, not "DOWN". */
    @Test
    void aMisconfiguredBackendIsSaidSoNotDown() throws Exception {
        backends.misconfigured(Backend.POSTGRES, "relation \"selfology.event_outboxx\" does not exist (outbox.table in the environments file)");
        assertEquals(1, run("ping", "--env=ref", "--json", "--config=" + config));
        for (JsonNode b : json().get("backends")) {
            boolean isPg = b.get("name").asText().equals("postgres");
            assertEquals(isPg ? "misconfigured" : "ok", b.get("state").asText(), b.toString());
            assertEquals(!isPg, b.get("ok").asBoolean(), b.toString());
        }
        out.reset();
        assertEquals(1, run("ping", "--env", "ref", "--config", config.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("postgres      MISCONFIGURED"), text);
        assertTrue(text.contains("(outbox.table in the environments file)"), text);
        assertFalse(text.contains("DOWN"), text);
    }

    @Test
    void humanOutputHasOneLinePerBackend() {
        backends.down(Backend.DOCKER, "the Docker socket does not answer");
        assertEquals(1, run("ping", "--env", "ref", "--config", config.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("docker        DOWN"), text);
        assertTrue(text.contains("the Docker socket does not answer"), text);
        assertEquals(8, text.strip().split("\n").length, text);
    }

    @Test
    void aVersionWithShellMetacharactersIsRefusedBeforeConnecting() {
        assertEquals(2, run("deploy", "1.0;touch /tmp/pwned", "--env", "ref", "--yes", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("refused version '1.0;touch /tmp/pwned'"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(backends.opened.isEmpty(), "nothing connected, nothing ran");
        assertEquals(2, run("deploy", "$(reboot)", "--env", "ref", "--yes", "--config", config.toString()));
        assertEquals(2, run("deploy", "--env", "ref", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("deploy needs a VERSION"));
        assertEquals(2, run("rollback", "now", "--env", "ref", "--config", config.toString()));
        assertTrue(backends.opened.isEmpty());
    }

    @Test
    void envsListsTheFile() throws Exception {
        assertEquals(0, run("envs", "--json", "--config", config.toString()));
        JsonNode j = json();
        assertEquals(2, j.get("environments").size());
        assertEquals("deploy@127.0.0.1:24022", j.get("environments").get(0).get("ssh").asText());
        assertEquals("n8n-server", j.get("environments").get(1).get("ssh").asText());
    }

    @Test
    void usageAndConfigErrorsAreExitTwo() throws Exception {
        assertEquals(2, run("ping", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ping needs --env NAME"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("ping", "--env", "qa", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such environment; this file has: ref, prod"));
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: h, port: 99999 }\n");
        err.reset();
        assertEquals(2, run("ping", "--env", "ref", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("dutydesk: " + config + ":3: environments.ref.ssh.port: must be between 1 and 65535"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(backends.opened.isEmpty(), "nothing connects on a bad config");
    }

    @Test
    void auditReadsAcrossTheRotatedFilesAndSaysWhatItCouldNotRead() throws Exception {
        Path file = dir.resolve("state/audit.jsonl");
        java.time.Instant t0 = java.time.Instant.parse("2026-11-22T20:00:00Z");
        try (io.dutydesk.adapters.audit.JsonlAuditLog log = new io.dutydesk.adapters.audit.JsonlAuditLog(file, 1_500)) {
            for (int n = 1; n <= 12; n++) {
                String id = String.format("20261122-2000%02d-switch-%08x", n, n);
                log.append(new io.dutydesk.core.audit.AuditEntry(id, "me@h", "ref", "switch", List.of(), t0.plusSeconds(60L * n), null,
                        null, null, "started", "blue", null, "")).join();
                log.append(new io.dutydesk.core.audit.AuditEntry(id, "me@h", "ref", "switch", List.of(), t0.plusSeconds(60L * n),
                        t0.plusSeconds(60L * n + 5), 0, "x", "succeeded", "blue", "green", "")).join();
            }
            assertTrue(log.rotatedFiles().size() >= 4, "rotated: " + log.rotatedFiles());
        }
        Files.writeString(file, "{\"actionId\":\"torn\n", java.nio.file.StandardOpenOption.APPEND); // an edit by hand
        try (io.dutydesk.adapters.audit.JsonlAuditLog log = new io.dutydesk.adapters.audit.JsonlAuditLog(file, 1_500)) {
            Cli cli = new Cli(backends, SecretPrompt.NONE, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), log, "tester@desk", confirmer);
            assertEquals(0, cli.run(List.of("audit", "--env", "ref", "--json", "--config", config.toString())),
                    err.toString(StandardCharsets.UTF_8));
            JsonNode actions = json().get("actions");
            assertEquals(12, actions.size(), "every action, from every file of the log");
            assertEquals("20261122-200001-switch-00000001", actions.get(0).get("actionId").asText());
            assertEquals("20261122-200012-switch-0000000c", actions.get(11).get("actionId").asText());
            assertTrue(err.toString(StandardCharsets.UTF_8).matches("(?s).*audit log: audit\\.jsonl line \\d+: not an entry \\(skipped\\): \\{\"actionId\":\"torn.*"),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
