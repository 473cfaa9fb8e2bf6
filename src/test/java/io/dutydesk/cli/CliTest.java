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
    void doctorUsageErrorsAreExitTwoAndConnectNothing() {
        assertEquals(2, run("doctor", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("doctor needs --env NAME"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("doctor", "extra", "--env", "ref", "--config", config.toString()));
        assertEquals(2, run("doctor", "--env", "ref", "--yes", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("doctor takes only --env NAME [--json]"));
        assertTrue(backends.opened.isEmpty(), "nothing connects on a usage error");
    }

    @Test
    void usageAndConfigErrorsAreExitTwo() throws Exception {
        assertEquals(2, run("ping", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("ping needs --env NAME"));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("ping", "--env", "qa", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown environment 'qa'; known: ref, prod"),
                err.toString(StandardCharsets.UTF_8));
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

    /** A verb that asks the server starts its handshake as it opens the environment; audit, a read of the local log, does not. */
    @Test
    void auditStartsNoHandshakeAheadAndAVerbOfTheServerDoes() throws Exception {
        assertEquals(0, run("audit", "--env", "ref", "--json", "--config", config.toString()), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, backends.connectedAhead.get(), "audit with no open entry: no SSH handshake");
        run("status", "--env", "ref", "--json", "--config", config.toString());
        assertEquals(1, backends.connectedAhead.get(), "status: its handshake started ahead");
    }

    @Test
    void anUnknownEnvironmentNamesTheKnownOnesAndTheRealFile() throws Exception {
        // relative, as a user types it: the message gives the file it read, absolute, and no "?" line
        Path relative = Path.of("").toAbsolutePath().relativize(config);
        assertEquals(2, run("status", "--env", "x", "--config", relative.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("dutydesk: unknown environment 'x'; known: ref, prod (in " + config.toAbsolutePath() + ")"), e);
        assertTrue(!e.contains(":?:"), e);
        assertTrue(backends.opened.isEmpty(), "nothing connects for an unknown environment");
    }

    @Test
    void onASingleStackSlotVerbsAndBadInputAreRefusedAndAuditedBeforeConnecting() throws Exception {
        Files.writeString(config, """
                environments:
                  life:
                    ssh: { host: lifeos-prod }
                    deploy: { model: single }
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                """);
        assertEquals(2, run("switch", "--env", "life", "--yes", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("switch has no meaning on life: a single stack (deploy.model: single) "
                + "has no idle slot; nothing was run"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("cleanup", "--env", "life", "--yes", "--config", config.toString()));
        assertEquals(2, run("rollback", "--env", "life", "--yes", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs what to go back to: --to FILE"), err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("or --to VERSION (see dutydesk history --env life)"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("rollback", "v1.0.0", "--env", "life", "--yes", "--config", config.toString()));
        assertEquals(2, run("rollback", "--type", "database", "--env", "life", "--yes", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("life declares no rollback types (deploy.rollbackTypes)"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("deploy", "v1;reboot", "--env", "life", "--yes", "--config", config.toString()));
        assertEquals(java.util.List.of("switch", "cleanup", "rollback", "rollback", "rollback", "deploy"),
                audited.stream().map(io.dutydesk.core.audit.AuditEntry::action).toList());
        assertTrue(audited.stream().allMatch(e -> "refused".equals(e.result())), audited.toString());
        assertTrue(backends.opened.isEmpty(), "nothing connects on refused input");
    }

    @Test
    void statusExitsOneWhenTheLiveSlotIsDegradedAndZeroWhenOnlyTheIdleOneIs() throws Exception {
        backends.slots = io.dutydesk.testing.Snapshots.of("blue", "v1.4.2", "v1.0.0", java.util.Set.of("analysis-worker-blue"),
                java.util.Set.of());
        assertEquals(1, run("status", "--env", "ref", "--json", "--config", config.toString()), err.toString(StandardCharsets.UTF_8));
        JsonNode j = json();
        assertEquals("blue", j.get("activeSlot").asText());
        assertEquals("blue-green", j.get("model").asText(), "status --json says the deploy model");
        assertTrue(!j.get("liveHealthy").asBoolean());
        assertEquals("selfology-analysis-worker-blue: unhealthy", j.get("liveProblems").get(0).asText());
        out.reset();
        assertEquals(1, run("status", "--env", "ref", "--config", config.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("ref: live slot BLUE DEGRADED (blue 3/4 healthy)"),
                out.toString(StandardCharsets.UTF_8));
        out.reset();
        backends.slots = io.dutydesk.testing.Snapshots.of("blue", "v1.4.2", "v1.0.0", java.util.Set.of("analysis-worker-green"),
                java.util.Set.of());
        assertEquals(0, run("status", "--env", "ref", "--json", "--config", config.toString()), "an unready idle slot is not an outage");
        assertTrue(json().get("liveHealthy").asBoolean());
        assertTrue(!json().get("rollbackReady").asBoolean());
    }

    /** A status that cannot be read says why on stderr and, with --json, still prints an object with the error on stdout. */
    @Test
    void statusThatCannotReadDockerSaysWhyAndItsJsonCarriesTheError() throws Exception {
        backends.slots = io.dutydesk.testing.Snapshots.of("blue", "v1.4.2", "v1.0.0", java.util.Set.of(), java.util.Set.of());
        backends.down(io.dutydesk.core.Backend.DOCKER, "Docker on the server did not answer within 12 s");
        assertEquals(1, run("status", "--env", "ref", "--json", "--config", config.toString()));
        assertEquals("dutydesk: status of ref: Docker on the server did not answer within 12 s\n", err.toString(StandardCharsets.UTF_8));
        JsonNode j = json();
        assertEquals("ref", j.get("env").asText());
        assertEquals("Docker on the server did not answer within 12 s", j.get("error").asText());
    }

    /** Every time in the JSON: ISO-8601 text; no number in exponent notation. */
    private static void timesAreIso(String text, JsonNode n, String path) {
        if (n.isObject()) {
            n.fields().forEachRemaining(f -> {
                String k = f.getKey();
                if ((k.endsWith("At") || k.equals("start") || k.equals("end") || k.equals("since")) && !f.getValue().isNull()) {
                    assertTrue(f.getValue().isTextual(), path + "." + k + " is text: " + f.getValue());
                    java.time.Instant.parse(f.getValue().asText()); // ISO-8601 or it throws
                }
                timesAreIso(text, f.getValue(), path + "." + k);
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                timesAreIso(text, n.get(i), path + "[" + i + "]");
            }
        }
        assertTrue(!java.util.regex.Pattern.compile("[0-9]E[0-9-]").matcher(text).find(), "no exponent: " + text);
    }

    @Test
    void jsonTimesAreIso8601InStatusAndAudit() throws Exception {
        backends.slots = io.dutydesk.testing.Snapshots.of("blue", "v1.4.2", "v1.0.0", java.util.Set.of(), java.util.Set.of());
        assertEquals(0, run("status", "--env", "ref", "--json", "--config", config.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        timesAreIso(text, json(), "status");
        assertTrue(json().get("slots").get("blue").get("services").get(0).get("startedAt").asText().endsWith("Z"), text);
        audited.add(new io.dutydesk.core.audit.AuditEntry("20261203-071255-rollback-0a1b2c3d", "t@d", "ref", "rollback", List.of(),
                java.time.Instant.ofEpochMilli(1796281975797L), java.time.Instant.ofEpochMilli(1796281976000L), 0, null, "succeeded",
                "blue", "green", "ok"));
        out.reset();
        assertEquals(0, run("audit", "--env", "ref", "--json", "--config", config.toString()));
        text = out.toString(StandardCharsets.UTF_8);
        timesAreIso(text, json(), "audit");
        assertEquals("2026-12-03T07:12:55.797Z", json().get("actions").get(0).get("start").asText());
    }

    @Test
    void queryJsonTimesAreIso8601AndNumbersPlain() throws Exception {
        var r = new io.dutydesk.core.metrics.QueryResult("matrix", List.of(new io.dutydesk.core.metrics.MetricSeries(
                java.util.Map.of("__name__", "process_start_time_seconds", "job", "prometheus"),
                new long[] {1796281975797L, 1796281990797L}, new double[] {1.796281975797E9, Double.NaN})), List.of(), 15_000);
        String text = Json.write(QueryCommand.json(r));
        JsonNode j = new ObjectMapper().readTree(text);
        timesAreIso(text, j, "query");
        JsonNode p = j.get("series").get(0).get("values").get(0);
        assertEquals("2026-12-03T07:12:55.797Z", p.get(0).asText(), text);
        assertTrue(p.get(1).isNumber());
        assertEquals(1796281975.797, p.get(1).asDouble());
        assertTrue(text.contains("1796281975.797"), text);
        assertEquals("NaN", j.get("series").get(0).get("values").get(1).get(1).asText());
        assertEquals("1796281975.797", QueryCommand.number(1.796281975797E9), "the text and CSV outputs too");
    }
}
