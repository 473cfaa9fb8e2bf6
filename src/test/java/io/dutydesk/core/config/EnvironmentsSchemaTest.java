package io.dutydesk.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/environments.schema.json and the loader agree: on every example, on broken files, and on the keys. */
class EnvironmentsSchemaTest {
    static final Path SCHEMA = Path.of("docs/environments.schema.json");

    static Schema schema() throws Exception {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Files.readString(SCHEMA), InputFormat.JSON);
    }

    /** The reference host's own file (src/refhost/refhost write_console_config), its variables filled as it does. */
    static String refhostFile() throws Exception {
        String script = Files.readString(Path.of("src/refhost/refhost"));
        Matcher m = Pattern.compile("(?s)write_console_config\\(\\) \\{.*?cat > \"\\$f\" <<EOF\\n(.*?)\\nEOF\\n").matcher(script);
        assertTrue(m.find(), "the reference host writes its environments file");
        Map<String, String> vars = Map.of("SSH_PORT", "24022", "PG_PORT", "24432", "REDIS_PORT", "24379", "PROM_PORT", "24090",
                "AM_PORT", "24093", "NGINX_PORT", "24080", "DEPLOY_USER", "dutydesk-deploy", "D", "/tmp/dutydesk-refhost",
                "SRV", "/tmp/dutydesk-refhost/srv");
        String out = m.group(1).replace("\\$schema=$(cd \"$HERE/../..\" && pwd)", "$schema=" + Path.of("").toAbsolutePath());
        for (String v : new TreeSet<>(vars.keySet()).descendingSet()) { // a name before any shorter one it starts with (DEPLOY_USER, D)
            out = out.replace("$" + v, vars.get(v));
        }
        assertFalse(out.replace("$schema=", "").contains("$"), out);
        assertTrue(out.startsWith("# yaml-language-server: $schema=/"), "points editors at the checkout's schema: " + out);
        return out;
    }

    static Map<String, String> examples() throws Exception {
        Map<String, String> ex = new LinkedHashMap<>();
        List<String> doc = ConfigurationReferenceTest.examples();
        for (int i = 0; i < doc.size(); i++) {
            ex.put("docs/configuration.md example " + (i + 1), doc.get(i));
        }
        ex.put("EnvironmentsFile.STARTER", EnvironmentsFile.STARTER);
        ex.put("the reference host's file", refhostFile());
        ex.put("every-key.yaml", Files.readString(Path.of("src/test/resources/config/every-key.yaml")));
        return ex;
    }

    @Test
    void loaderAndSchemaAcceptEveryExample() throws Exception {
        Schema s = schema();
        for (Map.Entry<String, String> e : examples().entrySet()) {
            EnvironmentsFile.parse(Path.of(e.getKey()), e.getValue());
            assertEquals(List.of(), s.validate(e.getValue(), InputFormat.YAML).stream().map(Object::toString).toList(), e.getKey());
        }
    }

    /** Each broken file: what the loader says (part of it), then the file. Both refuse every one. */
    static final String[][] BROKEN = {
            {"unknown field; known here: id, event_type", "outbox: { columns: { eventname: kind } }"},
            {"environments.e.ssh: is required", "description: no ssh"},
            {"unknown field", "sshh: { host: h }"},
            {"must be between 1 and 65535", "postgres: { port: 70000 }"},
            {"expected a whole number", "redis: { port: twelve }"},
            {"secrets are never written in this file", "postgres: { password: hunter2 }"},
            {"give exactly one of env, file, prompt, keyring", "postgres: { password: { env: A, keyring: b } }"},
            {"'key' names a variable of a dotenv file", "postgres: { password: { key: DB_PASSWORD } }"},
            {"the server path must be absolute", "redis: { password: { file: app/.env } }"},
            {"expected an http:// URL", "prometheus: { url: 'https://p/' }"},
            {"expected its settings (a mapping), or false", "alertmanager: true"},
            {"expected a mapping", "prometheus: false"},
            {"must be an absolute path on the server", "docker: { socket: docker.sock }"},
            {"blue-green needs exactly two slot names", "slots: { names: [a, b, c] }"},
            {"must contain {service} and {slot}", "slots: { containerName: 'app-{slot}' }"},
            {"expected schema.table", "outbox: { table: 'drop table x;' }"},
            {"a column name is a plain identifier", "outbox: { columns: { status: 'state-x' } }"},
            {"must not be empty", "outbox: { statuses: { pending: '' } }"},
            {"is required", "backups: { kinds: { daily: { retentionDays: 3 } } }"},
            {"strftime", "backups: { kinds: { daily: { pattern: 'd_(\\d+)', timestampFormat: '%Y%m%d' } } }"},
            {"0 (no bound) or at least 10 seconds", "backups: { restoreTimeoutSeconds: 5 }"},
            {"must contain {version}", "deploy: { commands: { deploy: ./d.sh deploy } }"},
            {"a plain absolute or ~/ path", "deploy: { stateDir: 'relative/dir' }"},
            {"a plain absolute or ~/ path to a file", "deploy: { liveSlotFile: 'state/active_slot' }"},
            {"unknown field", "deploy: { commands: { restart: ./d.sh restart } }"},
            {"must be between 1 and 3600", "poll: { intervalSeconds: 0 }"},
            {"expected true or false", "alerts: { sound: maybe }"},
            {"must list at least one value", "redis: { groups: [] }"},
            {"unknown field", "metrics: { query: { up: up } }"},
            {"unknown kind 'smoke'", "checks: { s: { kind: smoke } }"},
            {"unknown field", "checks: { slots: { treshold: 3 } }"},
            {"needs its query", "checks: { cost: { kind: prometheus, max: 20 } }"},
            {"needs a bound", "checks: { cost: { kind: prometheus, query: up } }"},
            {"expected a number", "checks: { cost: { kind: prometheus, query: up, max: twenty } }"},
            {"one of warn, fail", "checks: { cost: { kind: prometheus, query: up, max: 2, outside: maybe } }"},
            {"must be between 0 and 100", "checks: { disk: { warnFreePercent: 120 } }"},
            {"a server path", "checks: { disk: { paths: { b: backups } } }"},
            {"lists no check", "checks: {}"},
            {"a check's id is letters", "checks: { 'a b': { kind: slots } }"},
            {"HH:MM", "checkSchedule: { times: ['9am'] }"},
            {"unknown field", "checkSchedule: { overnight: '18:00' }"},
    };

    @Test
    void loaderAndSchemaRefuseEveryBrokenFile() throws Exception {
        Schema s = schema();
        List<String> schemaAccepted = new ArrayList<>();
        for (String[] b : BROKEN) {
            String file = "environments:\n  e:\n" + (b[1].startsWith("description") ? "" : "    ssh: { host: h }\n") + "    " + b[1] + "\n";
            ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(Path.of("b.yaml"), file), b[1]);
            assertTrue(ex.getMessage().contains(b[0]), b[1] + " → " + ex.getMessage());
            if (s.validate(file, InputFormat.YAML).isEmpty()) {
                schemaAccepted.add(b[1]);
            }
        }
        assertEquals(List.of(), schemaAccepted, "broken files the schema accepts");
        assertFalse(s.validate("{}", InputFormat.YAML).isEmpty(), "no environments");
        assertFalse(s.validate("environments: {}", InputFormat.YAML).isEmpty(), "no environment");
    }

    /** The schema's tree of keys is the loader's: nothing missing, nothing the loader would refuse. */
    @Test
    void theSchemaKnowsExactlyTheLoadersKeys() throws Exception {
        JsonNode root = new ObjectMapper().readTree(SCHEMA.toFile());
        JsonNode env = root.at("/$defs/environment");
        TreeSet<String> inSchema = new TreeSet<>();
        walk(root, env, "", inSchema);
        assertEquals(new TreeSet<>(KnownKeys.all().keySet()), inSchema);
    }

    private static void walk(JsonNode root, JsonNode node, String path, TreeSet<String> out) {
        node = object(root, node);
        if (node == null) {
            return;
        }
        node.path("properties").fields().forEachRemaining(e -> {
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            out.add(p);
            walk(root, e.getValue(), p, out);
        });
        JsonNode named = node.get("additionalProperties");
        if (named != null && named.isObject()) {
            String p = path + "." + KnownKeys.NAME;
            out.add(p);
            walk(root, named, p, out);
        }
    }

    /** The object schema behind {@code n}: itself, its $ref, or its object alternative; null for a value. */
    private static JsonNode object(JsonNode root, JsonNode n) {
        if (n.has("$ref")) {
            return object(root, root.at(n.get("$ref").asText().substring(1)));
        }
        if (n.has("anyOf")) {
            for (JsonNode a : n.get("anyOf")) {
                JsonNode o = object(root, a);
                if (o != null) {
                    return o;
                }
            }
            return null;
        }
        return "object".equals(n.path("type").asText()) ? n : null;
    }
}
