package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `dutydesk ping` as a user runs it: the built jar against the reference host, through SSH only. */
class PingIT {
    private static final Duration T = Duration.ofSeconds(60);

    static Map<String, JsonNode> ping(int expectedExit) throws Exception {
        RefHost.Result r = RefHost.dutydesk(T, "ping", "--env", "ref", "--json", "--config", RefHost.config().toString());
        assertEquals(expectedExit, r.exitCode(), r.stdout() + r.stderr());
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertEquals("ref", j.get("env").asText());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        j.get("backends").forEach(b -> byName.put(b.get("name").asText(), b));
        assertEquals(7, byName.size());
        return byName;
    }

    @Test
    void everyBackendIsOkThroughSsh() throws Exception {
        Map<String, JsonNode> all = ping(0);
        all.forEach((name, b) -> {
            assertTrue(b.get("ok").asBoolean(), name + ": " + b);
            assertTrue(b.get("error").isNull());
            assertTrue(b.get("latencyMs").asLong() >= 0);
        });
    }

    /** Stopping one service makes exactly that backend down, with its error; starting it heals it. */
    @ParameterizedTest
    @ValueSource(strings = {"docker", "postgres", "redis", "prometheus", "alertmanager", "backups"})
    void oneServiceDownIsReportedAloneAndRecovers(String backend) throws Exception {
        RefHost.stop(backend);
        try {
            Map<String, JsonNode> r = ping(1);
            r.forEach((name, b) -> assertEquals(!name.equals(backend), b.get("ok").asBoolean(), name + ": " + b));
            String error = r.get(backend).get("error").asText();
            assertFalse(error.isBlank());
            assertTrue(error.contains(switch (backend) {
                case "docker" -> "/var/run/docker.sock";
                case "postgres" -> "PostgreSQL 127.0.0.1:24432";
                case "redis" -> "Redis 127.0.0.1:24379";
                case "prometheus" -> "Prometheus 127.0.0.1:24090";
                case "alertmanager" -> "Alertmanager 127.0.0.1:24093";
                default -> "backups: no such file or folder";
            }), error);
        } finally {
            RefHost.start(backend);
        }
        ping(0);
    }

    /**
     * A backend that answers but lacks what the environments file names (the outbox table, a column,
     * the stream) is "misconfigured", not down: in `ping` (text and JSON) and in `outbox`.
     */
    @Test
    void aMissingTableColumnOrStreamIsMisconfiguredNotDown(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String ref = java.nio.file.Files.readString(RefHost.config());
        assertTrue(ref.contains("stream: selfology:events"), ref);
        java.nio.file.Path noTable = dir.resolve("no-table.yaml");
        java.nio.file.Files.writeString(noTable, ref.replace("stream: selfology:events", "stream: selfology:no-such-stream")
                + "    outbox:\n      table: selfology.no_such_outbox\n");
        RefHost.Result r = RefHost.dutydesk(T, "ping", "--env", "ref", "--json", "--config", noTable.toString());
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        new ObjectMapper().readTree(r.stdout()).get("backends").forEach(b -> byName.put(b.get("name").asText(), b));
        byName.forEach((name, b) -> assertEquals(name.equals("postgres") || name.equals("redis") ? "misconfigured" : "ok",
                b.get("state").asText(), name + ": " + b));
        assertTrue(byName.get("postgres").get("error").asText().contains("selfology.no_such_outbox")
                && byName.get("postgres").get("error").asText().contains("(outbox.table in the environments file)"), byName.get("postgres").toString());
        assertTrue(byName.get("redis").get("error").asText().contains("no stream 'selfology:no-such-stream' (redis.stream in the environments file)"),
                byName.get("redis").toString());

        RefHost.Result text = RefHost.dutydesk(T, "outbox", "--env", "ref", "--config", noTable.toString());
        assertEquals(1, text.exitCode(), text.stdout() + text.stderr());
        assertTrue(text.stdout().contains("postgres MISCONFIGURED: ") && text.stdout().contains("redis MISCONFIGURED: "), text.stdout());
        assertFalse(text.stdout().contains("DOWN"), text.stdout());
        RefHost.Result json = RefHost.dutydesk(T, "outbox", "--env", "ref", "--json", "--config", noTable.toString());
        JsonNode sources = new ObjectMapper().readTree(json.stdout()).get("sources");
        assertEquals("misconfigured", sources.get("postgres").asText(), json.stdout());
        assertEquals("misconfigured", sources.get("redis").asText(), json.stdout());

        java.nio.file.Path noColumn = dir.resolve("no-column.yaml");
        java.nio.file.Files.writeString(noColumn, ref + "    outbox:\n      columns: { status: no_such_status }\n");
        RefHost.Result c = RefHost.dutydesk(T, "ping", "--env", "ref", "--json", "--config", noColumn.toString());
        assertEquals(1, c.exitCode(), c.stdout() + c.stderr());
        for (JsonNode b : new ObjectMapper().readTree(c.stdout()).get("backends")) {
            assertEquals(b.get("name").asText().equals("postgres") ? "misconfigured" : "ok", b.get("state").asText(), b.toString());
            if (b.get("name").asText().equals("postgres")) {
                assertTrue(b.get("error").asText().contains("no_such_status") && b.get("error").asText().contains("(outbox.columns"),
                        b.toString());
            }
        }
    }

    /** Without SSH nothing is reachable: ssh is down with the reason, the others say why they cannot be checked. */
    @Test
    void sshDownTakesEverythingWithItAndSaysSo() throws Exception {
        RefHost.stop("ssh");
        try {
            Map<String, JsonNode> r = ping(1);
            assertFalse(r.get("ssh").get("ok").asBoolean());
            assertTrue(r.get("ssh").get("error").asText().contains("Connection refused"), r.get("ssh").toString());
            r.values().forEach(b -> assertFalse(b.get("ok").asBoolean()));
        } finally {
            RefHost.start("ssh");
        }
        ping(0);
    }

    /** An alias of ~/.ssh/config is enough: HostName, Port, User and IdentityFile come from there. */
    @Test
    void honoursSshConfig(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
        java.nio.file.Files.createDirectories(home.resolve(".ssh"));
        java.nio.file.Files.writeString(home.resolve(".ssh/config"), """
                Host refalias
                  HostName 127.0.0.1
                  Port %d
                  User dutydesk-deploy
                  IdentityFile %s
                """.formatted(RefHost.SSH_PORT, RefHost.dir().resolve("ssh/client_ed25519")));
        String ref = java.nio.file.Files.readString(RefHost.config());
        String viaAlias = ref.replaceAll("(?s)    ssh:\n.*?\n    docker:", "    ssh:\n      host: refalias\n      knownHosts: "
                + RefHost.dir().resolve("ssh/known_hosts") + "\n    docker:");
        assertTrue(viaAlias.contains("host: refalias") && !viaAlias.contains("port: 24022"), viaAlias);
        java.nio.file.Path config = home.resolve("envs.yaml");
        java.nio.file.Files.writeString(config, viaAlias);
        RefHost.Result r = RefHost.dutydesk(T, List.of("-Duser.home=" + home), "ping", "--env", "ref", "--json",
                "--config", config.toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    @Test
    void versionAndUsage() {
        RefHost.Result v = RefHost.dutydesk(T, "--version");
        assertEquals(0, v.exitCode());
        assertTrue(v.stdout().startsWith("dutydesk "), v.stdout());
        RefHost.Result bad = RefHost.dutydesk(T, "ping", "--config", RefHost.config().toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("ping needs --env NAME"), bad.stderr());
    }
}
