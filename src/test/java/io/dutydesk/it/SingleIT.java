package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.DockerHostEngine;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single deploy model against the reference host's {@code ref-single}: one stack (lifeos-app-1, lifeos-worker-1)
 * replaced in place by its LifeOS-style deploy.sh, its own database with the Selfology outbox, backups with .version
 * sidecars in their own folder. Through the CLI (a new JVM each time), as an operator would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SingleIT {
    private static final Duration T = Duration.ofSeconds(180);
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    static Path tmp;

    private static String version(String suffix) {
        return "v3." + (System.currentTimeMillis() / 1000 % 100000) + "." + (int) (Math.random() * 1000) + suffix;
    }

    private static Path backupsDir() {
        return RefHost.serverHome().resolve("lifeos-backups");
    }

    private static List<Path> predeployBackups() throws Exception {
        try (Stream<Path> s = Files.list(backupsDir())) {
            return s.filter(p -> p.getFileName().toString().matches("lifeos_predeploy_\\d{8}_\\d{6}\\.sql\\.gz")).sorted().toList();
        }
    }

    private static String psql(String sql) {
        return RefHost.psql("lifeos", sql);
    }

    private static RefHost.Result run(Path audit, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref-single", "--config", RefHost.patientConfig(tmp).toString()));
        return RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString()), all.toArray(String[]::new));
    }

    private static JsonNode cli(int expectedExit, Path audit, String... args) throws Exception {
        RefHost.Result r = run(audit, args);
        assertEquals(expectedExit, r.exitCode(), r.stdout() + "\n" + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    private static Path audit() {
        return tmp.resolve("audit.jsonl");
    }

    /**
     * The version production runs, read on the host (not through the console under test, whose reading of it after an
     * action is the action's own {@code versionAfter}, and {@code status} is tested on its own).
     */
    private static String stackVersion() {
        return RefHost.singleStackVersion();
    }

    @Test
    @Order(1)
    void statusShowsOneStackWithEveryServicesDetail() throws Exception {
        JsonNode s = cli(0, audit(), "status", "--json");
        assertEquals("single", s.get("model").asText());
        assertEquals("ref-single", s.get("env").asText());
        assertTrue(s.get("healthy").asBoolean(), s.toString());
        String v = s.get("version").asText();
        assertTrue(v.matches("v[0-9.]+"), s.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode svc : s.get("services")) {
            names.add(svc.get("name").asText() + "=" + svc.get("container").asText());
            assertEquals("running", svc.get("state").asText());
            assertEquals("healthy", svc.get("health").asText());
            assertEquals(v, svc.get("version").asText());
            assertTrue(svc.has("restarts") && svc.has("startedAt"), svc.toString());
        }
        assertEquals(List.of("app=lifeos-app-1", "worker=lifeos-worker-1"), names);
        assertTrue(s.get("rollbackReady").asBoolean(), "the refhost's deploys left pre-deploy backups: " + s);
        assertFalse(s.has("activeSlot"), "no slot in a single stack");
    }

    @Test
    @Order(2)
    void healthCheckRunsTheTeamsCommandPerService() throws Exception {
        JsonNode h = cli(0, audit(), "health-check", "--json");
        assertEquals(0, h.get("exitCode").asInt());
        assertTrue(h.get("healthy").asBoolean());
        List<String> got = new ArrayList<>();
        h.get("services").forEach(s -> got.add(s.get("name").asText() + ":" + s.get("healthy").asBoolean()));
        assertEquals(List.of("app:true", "worker:true"), got);
        assertTrue(h.get("command").asText().contains("health-check"), h.toString());
    }

    @Test
    @Order(3)
    void deployTakesABackupFirstAndReplacesProductionInPlace() throws Exception {
        String before = stackVersion();
        List<Path> backups = predeployBackups();
        String v = version("");
        RefHost.Result r = run(audit(), "deploy", v, "--yes", "--json");
        assertEquals(0, r.exitCode(), r.stdout() + "\n" + r.stderr());
        assertTrue(r.stderr().contains("replace production in place: " + before + " -> " + v), r.stderr());
        assertTrue(r.stderr().contains("backs the database up first"), r.stderr());
        assertFalse(r.stderr().contains("idle") && !r.stderr().contains("no idle slot"), r.stderr());
        JsonNode d = new ObjectMapper().readTree(r.stdout());
        assertTrue(d.get("succeeded").asBoolean(), d.toString());
        assertEquals(before, d.get("versionBefore").asText());
        assertEquals(v, d.get("versionAfter").asText());
        assertEquals(v, stackVersion());
        List<Path> after = predeployBackups();
        assertEquals(backups.size() + 1, after.size(), "one more backup: " + after);
        Path added = after.stream().filter(p -> !backups.contains(p)).findFirst().orElseThrow();
        assertEquals(before, Files.readString(Path.of(added + ".version")).strip(), "the backup records the version it was taken on");
        // the console's listing reads the sidecars over SFTP: the version beside each backup, the sidecars never backups
        RefHost.Result listed = run(audit(), "backups", "--json");
        JsonNode l = new ObjectMapper().readTree(listed.stdout());
        Map<String, String> recorded = new java.util.TreeMap<>();
        for (JsonNode b : l.get("backups")) {
            assertFalse(b.get("name").asText().endsWith(".version"), "a sidecar listed as a backup: " + b);
            recorded.put(b.get("path").asText(), b.get("recordedVersion").isNull() ? "unknown: " + b.get("recordedVersionUnknown").asText()
                    : b.get("recordedVersion").asText());
        }
        assertEquals(before, recorded.get(added.toString()), "the new backup, with the version it was taken on: " + l);
        for (Path p : after) {
            String want = Files.readString(Path.of(p + ".version")).strip();
            assertTrue(recorded.containsValue(want), "every pre-deploy backup's sidecar is read: " + want + " in " + recorded);
        }
        List<AuditEntry> raw = new JsonlAuditLog(audit()).recent(10).join();
        assertEquals(List.of("started", "succeeded"), raw.subList(raw.size() - 2, raw.size()).stream().map(AuditEntry::result).toList());
        assertEquals(List.of(v), raw.get(raw.size() - 1).args());
    }

    @Test
    @Order(4)
    void aBrokenVersionIsReportedFailedAndProductionIsBackOnThePreviousOne() throws Exception {
        String before = stackVersion();
        String broken = version("-broken");
        RefHost.Result r = run(audit(), "deploy", broken, "--yes", "--json");
        assertEquals(1, r.exitCode(), r.stdout() + "\n" + r.stderr());
        JsonNode d = new ObjectMapper().readTree(r.stdout());
        assertFalse(d.get("succeeded").asBoolean());
        assertEquals(1, d.get("exitCode").asInt());
        assertEquals(before, d.get("versionAfter").asText());
        assertTrue(d.get("message").asText().contains("the deploy of " + broken + " failed"), d.toString());
        assertTrue(d.get("message").asText().contains("back on " + before + " (the script's automatic rollback)"), d.toString());
        assertTrue(r.stderr().contains("FAILED: "), r.stderr());
        assertEquals(before, stackVersion());
        assertTrue(cli(0, audit(), "health-check", "--json").get("healthy").asBoolean(), "the previous version serves again");
        List<AuditEntry> raw = new JsonlAuditLog(audit()).recent(10).join();
        assertEquals("failed", raw.get(raw.size() - 1).result());
    }

    @Test
    @Order(5)
    void rollbackToAChosenBackupLosesTheRowsWrittenAfterItAndRestoresItsVersion() throws Exception {
        // a backup of the outbox as it is, recorded on the version running now; then a new version and a row written after it
        String recorded = stackVersion();
        List<Path> before = predeployBackups();
        cli(0, audit(), "deploy", version(""), "--yes", "--json");
        Path chosen = predeployBackups().stream().filter(p -> !before.contains(p)).findFirst().orElseThrow();
        assertEquals(recorded, Files.readString(Path.of(chosen + ".version")).strip());
        String marker = "it.single." + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
        assertEquals("1", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"));

        RefHost.Result r = run(audit(), "rollback", "--to", chosen.toString(), "--yes", "--json");
        assertEquals(0, r.exitCode(), r.stdout() + "\n" + r.stderr());
        assertTrue(r.stderr().contains("restore the database from " + chosen.getFileName() + " and go back to " + recorded), r.stderr());
        assertTrue(r.stderr().matches("(?s).*LOST: [1-9][0-9]* rows? of selfology.event_outbox written since the backup.*"), r.stderr());
        assertTrue(r.stderr().contains("goes away, " + recorded + " comes back"), r.stderr());
        assertTrue(r.stderr().contains("version goes back to " + recorded + " (recorded with the backup, " + chosen.getFileName() + ".version)"),
                r.stderr());
        JsonNode rb = new ObjectMapper().readTree(r.stdout());
        assertTrue(rb.get("succeeded").asBoolean(), rb.toString());
        assertEquals(recorded, rb.get("versionAfter").asText());
        assertEquals("0", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"), "the row written after the backup is gone");
        assertEquals(recorded, stackVersion(), "the version recorded with the backup");
    }

    @Test
    @Order(6)
    void badInputIsRefusedAndAuditedBeforeAnythingRuns() throws Exception {
        String v = stackVersion();
        int backups = predeployBackups().size();
        RefHost.Result unknown = run(audit(), "rollback", "--to", "/nowhere/x.sql.gz", "--yes");
        assertEquals(2, unknown.exitCode(), unknown.stdout() + unknown.stderr());
        assertTrue(unknown.stderr().contains("is not one of the backups of ref-single"), unknown.stderr());
        RefHost.Result sw = run(audit(), "switch", "--yes");
        assertEquals(2, sw.exitCode());
        assertTrue(sw.stderr().contains("has no idle slot"), sw.stderr());
        RefHost.Result noTo = run(audit(), "rollback", "--yes");
        assertEquals(2, noTo.exitCode());
        RefHost.Result badVersion = run(audit(), "deploy", "v1;reboot", "--yes");
        assertEquals(2, badVersion.exitCode());
        List<AuditEntry> raw = new JsonlAuditLog(audit()).recent(4).join();
        assertEquals(List.of("refused", "refused", "refused", "refused"), raw.stream().map(AuditEntry::result).toList(), raw.toString());
        assertEquals(v, stackVersion(), "nothing ran");
        assertEquals(backups, predeployBackups().size(), "nothing ran");
    }

    @Test
    @Order(7)
    void theServerRefusesInsideTheLockWhenProductionChangedSinceTheConfirmation() throws Exception {
        Environment env = EnvironmentsFile.load(RefHost.patientConfig(tmp)).require("ref-single");
        String v = stackVersion();
        int backups = predeployBackups().size();
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            BackupsService b = new BackupsService(env, h.shell(), h.verifications(), new JsonlAuditLog(tmp.resolve("lock-audit.jsonl")),
                    "it@test", CLOCK, Runnable::run);
            SingleService s = new SingleService(env, new DockerHostEngine(env, h.containers(), h.shell(), CLOCK), h.outbox(), h.shell(),
                    b::list, new JsonlAuditLog(tmp.resolve("lock-audit.jsonl")), "it@test", CLOCK);
            SingleService.SinglePlan real = s.planDeploy(version("")).join();
            // confirmed while production ran another version (someone deployed since): the server's check refuses it
            Plan p = real.plan();
            Plan stale = new Plan(p.environment(), p.verb(), p.version(), "v0.0.1", p.target(), p.destroys(), p.headline(), p.facts(),
                    p.risk(), p.blocked(), p.typedConfirmation(), p.forced());
            CompletionException e = assertThrows(CompletionException.class, () -> s.runCheckedOnServerOnly(
                    new SingleService.SinglePlan(stale, real.backup()), (err, line) -> { }, x -> { }).join());
            RolloutException re = assertInstanceOf(RolloutException.class, Errors.unwrap(e));
            assertEquals(RolloutException.Kind.STALE, re.kind());
            assertTrue(re.getMessage().contains("the version production runs is now " + v.toLowerCase()), re.getMessage());
        }
        assertEquals(v, stackVersion(), "nothing ran");
        assertEquals(backups, predeployBackups().size(), "not even the script's backup");
    }
}
