package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dutydesk doctor} as a user runs it (the built jar) against the reference host: its own environments file passes;
 * each mistake, written into a copy of that file, gives its own problem line (and only that one) and exit 1.
 */
class DoctorIT {
    private static final Duration T = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    /** The reference host's file with a patient per-call timeout (a new JVM's first reads on a loaded machine), changed by {@code edit}. */
    Path config(String name, UnaryOperator<String> edit) throws Exception {
        String text = edit.apply(Files.readString(RefHost.config()) + "    poll: { timeoutSeconds: 20 }\n");
        Path p = dir.resolve(name + ".yaml");
        Files.writeString(p, text);
        return p;
    }

    /** Replaces {@code what} in environment {@code ref} only (the file holds other environments, e.g. ref-single, before it). */
    static String replace(String text, String what, String with) {
        int ref = text.indexOf("\n  ref:\n");
        assertTrue(ref >= 0, "the reference host's file has no environment 'ref':\n" + text);
        String head = text.substring(0, ref);
        String section = text.substring(ref);
        assertTrue(section.contains(what), "the reference host's environment 'ref' has no '" + what + "':\n" + section);
        return head + section.replace(what, with);
    }

    JsonNode doctor(Path config, int expectedExit) throws Exception {
        RefHost.Result r = RefHost.dutydesk(T, "doctor", "--env", "ref", "--json", "--config", config.toString());
        assertEquals(expectedExit, r.exitCode(), r.stdout() + r.stderr());
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertEquals("ref", j.get("env").asText());
        assertTrue(j.get("at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), j.toString());
        return j;
    }

    static List<JsonNode> problems(JsonNode j) {
        List<JsonNode> out = new ArrayList<>();
        j.get("checks").forEach(c -> {
            if (c.get("status").asText().equals("problem")) {
                out.add(c);
            }
        });
        return out;
    }

    @Test
    void theReferenceHostsOwnFilePasses() throws Exception {
        JsonNode j = doctor(config("ref", t -> t), 0);
        assertEquals(List.of(), problems(j));
        List<String> ids = new ArrayList<>();
        j.get("checks").forEach(c -> ids.add(c.get("id").asText()));
        for (String id : List.of("ssh", "docker", "docker.containers", "postgres", "outbox.table", "outbox.columns",
                "outbox.statuses.pending", "outbox.statuses.processing", "outbox.statuses.published", "outbox.statuses.failed",
                "outbox.index", "redis", "redis.stream", "redis.groups", "prometheus", "promql:outbox.prometheusQuery", "alertmanager",
                "backups.kinds.full", "backups.kinds.incremental", "deploy.workdir", "command:deploy.commands.switch",
                "command:deploy.liveSlotCommand", "command:backups.commands.backup", "backups.builtin")) {
            assertTrue(ids.contains(id), id + " not checked: " + ids);
        }
        // the text form: one line per check, exit 0
        RefHost.Result text = RefHost.dutydesk(T, "doctor", "--env", "ref", "--config", config("ref-text", t -> t).toString());
        assertEquals(0, text.exitCode(), text.stdout() + text.stderr());
        List<String> lines = text.stdout().lines().toList();
        assertEquals(j.get("checks").size() + 1, lines.size(), text.stdout());
        assertTrue(lines.subList(0, lines.size() - 1).stream().allMatch(l -> l.startsWith("ok ")), text.stdout());
        assertTrue(lines.get(lines.size() - 1).startsWith("ref: all "), text.stdout());
    }

    static Stream<Arguments> mistakes() {
        String root = RefHost.serverHome().toString();
        return Stream.of(
                Arguments.of("wrong-table", (UnaryOperator<String>) t -> t + "    outbox:\n      table: selfology.no_such_outbox\n",
                        "outbox.table", "no table selfology.no_such_outbox"),
                Arguments.of("wrong-column", (UnaryOperator<String>) t -> t + "    outbox:\n      columns: { event_type: eventname }\n",
                        "outbox.columns", "no column eventname (outbox.columns.event_type)"),
                Arguments.of("status-value", (UnaryOperator<String>) t -> t + "    outbox:\n      statuses: { failed: errored }\n",
                        "outbox.statuses.failed", "no row has 'errored' and the constraint on status allows only"),
                Arguments.of("missing-stream", (UnaryOperator<String>) t -> replace(t, "stream: selfology:events",
                        "stream: selfology:no-such-stream"), "redis.stream", "no stream 'selfology:no-such-stream'"),
                Arguments.of("pattern-matching-nothing", (UnaryOperator<String>) t -> replace(t, "    backups:\n", "    backups:\n"
                                + "      kinds:\n"
                                + "        full: { pattern: 'selfology_full_(\\d{8}_\\d{6})\\.(?:sql|sql\\.gz|dump)' }\n"
                                + "        incremental: { pattern: 'selfology_incr_(\\d{8}_\\d{6})\\.(?:sql|sql\\.gz|dump)' }\n"
                                + "        nightly: { pattern: 'nightly-(\\d{8})\\.dump', timestampFormat: yyyyMMdd }\n"),
                        "backups.kinds.nightly", "matches no file in " + root + "/backups"),
                Arguments.of("missing-command", (UnaryOperator<String>) t -> replace(t, "    deploy:\n", "    deploy:\n"
                                + "      commands: { switch: ./deployment/no-such-switch.sh now }\n"),
                        "command:deploy.commands.switch", "no file ./deployment/no-such-switch.sh in " + root + "/selfology"),
                Arguments.of("bad-promql", (UnaryOperator<String>) t -> t + "    metrics:\n      queries:\n"
                                + "        broken: 'sum(rate(http_requests_total[5m])'\n",
                        "promql:metrics.queries.broken", "Prometheus refuses sum(rate(http_requests_total[5m])"),
                Arguments.of("wrong-socket", (UnaryOperator<String>) t -> replace(t, "socket: /var/run/docker.sock",
                        "socket: /var/run/no-such-docker.sock"), "docker", "/var/run/no-such-docker.sock"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeGivesItsOwnProblemLine(String name, UnaryOperator<String> edit, String id, String detail) throws Exception {
        Path cfg = config(name, edit);
        JsonNode j = doctor(cfg, 1);
        List<JsonNode> p = problems(j);
        assertEquals(1, p.size(), "exactly one problem, " + id + ": " + p);
        assertEquals(id, p.get(0).get("id").asText(), p.toString());
        assertTrue(p.get(0).get("detail").asText().contains(detail), p.get(0).toString());
        assertTrue(!p.get(0).get("fix").asText().isBlank(), p.get(0).toString());
        // the text form says it on its own line, with the fix
        RefHost.Result text = RefHost.dutydesk(T, "doctor", "--env", "ref", "--config", cfg.toString());
        assertEquals(1, text.exitCode(), text.stdout() + text.stderr());
        List<String> problemLines = text.stdout().lines().filter(l -> l.startsWith("problem  ")).toList();
        assertEquals(1, problemLines.size(), text.stdout());
        assertTrue(problemLines.get(0).contains(detail) && problemLines.get(0).contains(" — fix: "), problemLines.get(0));
    }
}
