package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.dutydesk.app.Connector;
import io.dutydesk.app.LocalStore;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckService;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Overnight;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The morning checklist on the single stack {@code ref-single} (deploy.model: single, LifeOS conventions), with the
 * reference host's own file (the runbook's default list): all pass on a healthy host, alone and in {@code --env all}
 * (exit 0); one service of the stack stopped and error lines in another's log: "stack healthy" FAILs naming the stopped
 * container, the logs check names the one that logged, and {@code --env all} exits 1 with ref still passing; an unknown
 * environment exits 2 and runs nothing. The stack is started again (and healthy) in a finally.
 */
class CheckSingleIT {
    static final Duration T = Duration.ofSeconds(180);
    static final String STOPPED = "lifeos-worker-1";
    static final String LOGGING = "lifeos-app-1";

    @TempDir
    Path tmp;

    /**
     * The reference host's file as it is (ref-single first, ref last), with "overnight" since the test's start in both,
     * and ref's age thresholds lifted as CheckIT does (its seeded pending events are never published).
     */
    Path config(Overnight overnight) throws Exception {
        String text = Files.readString(RefHost.config());
        String schedule = "    poll: { timeoutSeconds: 20 }\n    " + overnight.schedule() + "\n";
        String single = "  ref-single:\n";
        String ref = "  ref:\n";
        assertTrue(text.indexOf(single) >= 0 && text.indexOf(single) < text.indexOf(ref), "ref-single before ref:\n" + text);
        text = text.replace(single, single + schedule).replace(ref, ref + schedule
                + "    thresholds: { outboxOldestWarnSeconds: 900000000, outboxOldestCriticalSeconds: 900000000 }\n");
        Path f = tmp.resolve("check-single-environments.yaml");
        Files.writeString(f, text);
        return f;
    }

    static Map<String, JsonNode> byEnv(JsonNode arr) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        arr.forEach(r -> m.put(r.get("env").asText(), r));
        return m;
    }

    static Map<String, JsonNode> checks(JsonNode run) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        run.get("checks").forEach(c -> m.put(c.get("id").asText(), c));
        return m;
    }

    static List<String> notPassing(JsonNode run) {
        List<String> out = new ArrayList<>();
        run.get("checks").forEach(c -> {
            if (!c.get("status").asText().equals("pass")) {
                out.add(run.get("env").asText() + " " + c.get("id").asText() + " " + c.get("status").asText() + ": " + c.get("evidence").asText());
            }
        });
        return out;
    }

    static String health(String container) {
        return RefHost.run(Duration.ofSeconds(20), "docker", "inspect", "-f", "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}",
                container).strip();
    }

    @Test
    void aHealthySingleStackPassesAStoppedServiceFailsNamedAndEnvAllExitsByTheWorst() throws Exception {
        Overnight overnight = Overnight.afterQuiet();
        Path config = config(overnight);
        Path store = tmp.resolve("store.db");
        Map<String, String> envv = Map.of("DUTYDESK_STORE", store.toString());
        boolean stopped = false;
        try {
            // ---- healthy: ref-single alone, JSON
            RefHost.Result r = RefHost.dutydesk(T, List.of(), envv, "check", "--env", "ref-single", "--json", "--config", config.toString());
            JsonNode j = CheckIT.JSON.readTree(r.stdout());
            assertEquals("ref-single", j.get("env").asText());
            assertEquals(List.of(), notPassing(j), "a healthy single stack passes every check\n" + r.stderr());
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals(List.of("slots", "outbox", "alerts", "backups", "error-rate", "logs", "disk"), CheckIT.ids(j.get("checks")));
            Map<String, JsonNode> c = checks(j);
            assertEquals("Stack healthy, rollback ready", c.get("slots").get("title").asText());
            String slots = c.get("slots").get("evidence").asText();
            // the chip's rule (SingleReadiness): a verified backup and/or an earlier release on the host
            assertTrue(slots.matches("stack 2/2 healthy on \\S+; rollback ready: .*(verified \\(lifeos_|release \\S+).*"), slots);
            assertEquals("pending 0 < 100, none pending; relay stream: none configured (redis: false), not checked",
                    c.get("outbox").get("evidence").asText());
            assertTrue(c.get("backups").get("evidence").asText().startsWith("RPO met: "), c.get("backups").get("evidence").asText());
            assertEquals("no error line in the stack since " + overnight.hhmm()
                    + " (2 containers)", c.get("logs").get("evidence").asText());
            assertTrue(c.get("disk").get("evidence").asText().startsWith("backups "), c.get("disk").get("evidence").asText());

            // ---- healthy: --env all, every environment of the file, in its order; exit 0
            RefHost.Result all = RefHost.dutydesk(T, List.of(), envv, "check", "--env", "all", "--json", "--config", config.toString());
            JsonNode runs = CheckIT.JSON.readTree(all.stdout());
            assertEquals(List.of("ref-single", "ref"), new ArrayList<>(byEnv(runs).keySet()));
            List<String> bad = new ArrayList<>();
            runs.forEach(run -> bad.addAll(notPassing(run)));
            assertEquals(List.of(), bad, all.stderr());
            assertEquals(0, all.exitCode(), all.stderr());

            // ---- one service stopped, error lines in another's log
            RefHost.run(Duration.ofSeconds(60), "docker", "stop", "-t", "2", STOPPED);
            stopped = true;
            for (int i = 1; i <= 2; i++) {
                RefHost.run(Duration.ofSeconds(30), "docker", "exec", LOGGING, "sh", "-c", "printf '%s\\n' \"$1\" > /proc/1/fd/1", "_",
                        "ERROR habit sync failed #" + i);
            }
            Environment env = EnvironmentsFile.load(config).require("ref-single");
            try (LocalStore local = LocalStore.open(store);
                 EnvironmentHandle h = new Connector(new io.dutydesk.adapters.keyring.SecretToolKeyring(), local)
                         .open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                CheckService service = CheckService.of(h, local.alertHistory(), local.checkHistory(), MemoryAuditLog.create(), "check-single-it",
                        Clock.systemUTC(), java.util.concurrent.ForkJoinPool.commonPool());
                CheckRun broken = service.run(false).join(); // not kept: the CLI's next run compares with the healthy one
                Map<String, CheckResult> m = CheckIT.byId(broken);
                assertEquals(CheckStatus.FAIL, m.get("slots").status(), CheckIT.show(broken));
                assertTrue(m.get("slots").evidence().startsWith("stack 1/2 healthy on "), m.get("slots").evidence());
                assertTrue(m.get("slots").evidence().endsWith(": " + STOPPED + ": exited"), m.get("slots").evidence());
                assertEquals(List.of(STOPPED + ": exited"), m.get("slots").details());
                assertEquals(CheckStatus.WARN, m.get("logs").status(), CheckIT.show(broken));
                assertTrue(m.get("logs").evidence().startsWith("2 error lines in the stack since "), m.get("logs").evidence());
                assertTrue(m.get("logs").evidence().contains("(" + LOGGING + " 2); newest: " + LOGGING + ": "), m.get("logs").evidence());
                assertTrue(m.get("logs").evidence().endsWith("ERROR habit sync failed #2"), m.get("logs").evidence());
                assertEquals(CheckStatus.PASS, m.get("outbox").status(), "the others still run: " + CheckIT.show(broken));
                assertEquals(CheckStatus.PASS, m.get("backups").status(), CheckIT.show(broken));
            }

            // ---- --env all: exit 1, the single stack's failure named, ref still passing
            RefHost.Result after = RefHost.dutydesk(T, List.of(), envv, "check", "--env", "all", "--json", "--config", config.toString());
            assertEquals(1, after.exitCode(), after.stdout() + after.stderr());
            Map<String, JsonNode> envs = byEnv(CheckIT.JSON.readTree(after.stdout()));
            assertEquals("fail", envs.get("ref-single").get("status").asText());
            JsonNode s = checks(envs.get("ref-single")).get("slots");
            assertEquals("fail", s.get("status").asText());
            assertTrue(s.get("evidence").asText().contains(STOPPED + ": exited"), s.get("evidence").asText());
            assertTrue(s.get("changed").asBoolean(), "changed since the healthy run");
            assertEquals(List.of(), notPassing(envs.get("ref")), "ref is not the one broken");

            // ---- an unknown environment: usage, exit 2, nothing run
            RefHost.Result nope = RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_STORE", tmp.resolve("nope.db").toString()),
                    "check", "--env", "nope", "--json", "--config", config.toString());
            assertEquals(2, nope.exitCode(), nope.stdout() + nope.stderr());
            assertTrue(nope.stderr().contains("unknown environment 'nope'"), nope.stderr());
            assertEquals("", nope.stdout().strip(), "no result printed");
        } finally {
            if (stopped) {
                RefHost.run(Duration.ofSeconds(60), "docker", "start", STOPPED);
                Eventually.await(STOPPED + " healthy again", Duration.ofSeconds(60), () -> health(STOPPED).equals("running healthy"));
            }
        }
    }
}
