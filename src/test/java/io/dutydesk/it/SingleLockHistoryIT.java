package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.DockerHostEngine;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.AfterAll;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single stack {@code ref-single} under the maintenance lock and its releases, from two workstations (two CLI
 * processes, each its own host name and audit log): the lock refuses the other's deploy, rollback and restart with its
 * message and lets them run after the unlock; {@code history} lists the versions deployed and which are still on the
 * host; {@code rollback --to VERSION} redeploys an earlier release whose image is on the host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SingleLockHistoryIT {
    private static final Duration T = Duration.ofSeconds(180);
    private static final Clock CLOCK = Clock.systemUTC();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    /** Versions this class deployed, in order. */
    private static final List<String> deployed = new ArrayList<>();

    private static Path maintenanceFile() {
        return RefHost.serverHome().resolve("lifeos/.dutydesk/maintenance");
    }

    /** Image tags this class added that no deploy made: removed again, whatever a test's outcome. */
    private static final List<String> tagged = new ArrayList<>();

    @AfterAll
    static void neverLeaveTheReferenceHostLocked() throws Exception {
        Files.deleteIfExists(maintenanceFile());
        untag();
    }

    private static void untag() {
        for (String t : List.copyOf(tagged)) {
            RefHost.run(Duration.ofSeconds(30), "docker", "rmi", t);
            tagged.remove(t);
        }
    }

    private static String version() {
        return "v4." + (System.currentTimeMillis() / 1000 % 100000) + "." + (int) (Math.random() * 1000);
    }

    private static Path audit(String ws) {
        return tmp.resolve(ws + "-audit.jsonl");
    }

    private static RefHost.Result cli(String ws, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref-single", "--config", RefHost.patientConfig(tmp).toString()));
        return RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit(ws).toString(), "HOSTNAME", ws), all.toArray(String[]::new));
    }

    private static JsonNode ok(RefHost.Result r) throws Exception {
        assertEquals(0, r.exitCode(), r.stdout() + "\n" + r.stderr());
        return JSON.readTree(r.stdout());
    }

    /** The version production runs, read on the host (not through the console under test). */
    private static String stackVersion() {
        return RefHost.singleStackVersion();
    }

    private static String startedAt(String container) {
        return RefHost.run(Duration.ofSeconds(30), "docker", "inspect", "-f", "{{.State.StartedAt}}", container).strip();
    }

    private static AuditEntry last(String ws) {
        List<AuditEntry> e = AuditRows.fold(new JsonlAuditLog(audit(ws)).recent(100).join(), id -> false);
        return e.get(e.size() - 1);
    }

    @Test
    @Order(1)
    void theLockRefusesAnotherWorkstationsDeployRollbackAndRestartWithItsMessageAndTheyRunAfterTheUnlock() throws Exception {
        // an earlier release of this class's own to roll back to, then the lock
        String first = version();
        ok(cli("ws-b", "deploy", first, "--yes", "--json"));
        deployed.add(first);
        String message = "LifeOS DB migration until 18:00 — ask alice";
        JsonNode l = ok(cli("ws-a", "lock", "--message", message, "--json"));
        String owner = l.get("owner").asText();
        assertTrue(owner.endsWith("@ws-a"), owner);
        assertTrue(Files.exists(maintenanceFile()), "ref-single's lock lives on the server, in its own state folder");
        // status says it (it said only "rollback READY" while every action was refused)
        JsonNode st = ok(cli("ws-b", "status", "--json"));
        assertEquals(owner, st.get("maintenance").get("owner").asText(), st.toString());
        assertEquals(message, st.get("maintenance").get("message").asText());
        assertTrue(cli("ws-b", "status").stdout().contains("LOCKED: ref-single is locked for maintenance by " + owner));

        int backups = countBackups();
        String next = version();
        RefHost.Result d = cli("ws-b", "deploy", next, "--yes", "--json");
        assertEquals(1, d.exitCode(), d.stdout() + d.stderr());
        assertTrue(d.stderr().contains("ref-single is locked for maintenance by " + owner + " since "), d.stderr());
        assertTrue(d.stderr().contains("\"" + message + "\""), d.stderr());
        assertTrue(JSON.readTree(d.stdout()).get("refused").asBoolean());
        AuditEntry refused = last("ws-b");
        assertEquals("deploy", refused.action());
        assertEquals(AuditRows.REFUSED, refused.result());
        assertTrue(refused.message().contains(message), refused.message());

        RefHost.Result rb = cli("ws-b", "rollback", "--to", "v1.0.0", "--yes", "--json");
        assertEquals(1, rb.exitCode(), rb.stdout() + rb.stderr());
        assertTrue(rb.stderr().contains("ref-single is locked for maintenance by " + owner), rb.stderr());
        assertTrue(rb.stderr().contains("\"" + message + "\""), rb.stderr());
        assertEquals("rollback", last("ws-b").action());
        assertEquals(AuditRows.REFUSED, last("ws-b").result());

        // the restart (through Docker, not the server lock) is refused by the console before it, audited too
        Environment env = EnvironmentsFile.load(RefHost.patientConfig(tmp)).require("ref-single");
        String started = startedAt("lifeos-app-1");
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            JsonlAuditLog log = new JsonlAuditLog(audit("ws-c"));
            SingleService s = new SingleService(env, new DockerHostEngine(env, h.containers(), h.shell(), CLOCK), h.outbox(), h.shell(),
                    new BackupsService(env, h.shell(), h.verifications(), log, "it@ws-c", CLOCK, Runnable::run)::list, log, "it@ws-c", CLOCK);
            CompletionException e = assertThrows(CompletionException.class, () -> s.restart(h.containers(), "lifeos-app-1").join());
            RolloutException re = assertInstanceOf(RolloutException.class, Errors.unwrap(e));
            assertTrue(re.getMessage().startsWith("ref-single is locked for maintenance by " + owner), re.getMessage());
            assertTrue(re.getMessage().contains("\"" + message + "\""), re.getMessage());
        }
        assertEquals(started, startedAt("lifeos-app-1"), "not restarted");
        assertEquals("restart", last("ws-c").action());
        assertEquals(AuditRows.REFUSED, last("ws-c").result());

        assertEquals(first, stackVersion(), "nothing ran");
        assertEquals(backups, countBackups(), "not even the script's backup");

        JsonNode u = ok(cli("ws-b", "unlock", "--yes", "--json"));
        assertTrue(u.get("released").asBoolean());
        assertFalse(Files.exists(maintenanceFile()));
        JsonNode ran = ok(cli("ws-b", "deploy", next, "--yes", "--json"));
        assertTrue(ran.get("succeeded").asBoolean(), ran.toString());
        deployed.add(next);
        assertEquals(next, stackVersion());
    }

    private static int countBackups() throws Exception {
        try (var s = Files.list(RefHost.serverHome().resolve("lifeos-backups"))) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".sql.gz")).count();
        }
    }

    @Test
    @Order(2)
    void historyListsTheVersionsDeployedAndWhichAreStillOnTheHost() throws Exception {
        // a release whose image is gone from the host: deployed, replaced, its image removed
        String gone = version();
        ok(cli("ws-b", "deploy", gone, "--yes", "--json"));
        String now = version();
        ok(cli("ws-b", "deploy", now, "--yes", "--json"));
        RefHost.run(Duration.ofSeconds(60), "docker", "rmi", "lifeos/app:" + gone);
        deployed.add(gone);
        deployed.add(now);

        // the window trial: a tag of the live image above the live version, never deployed (left by a test): one image, so
        // the same creation time; the tie is broken by the version, it is never an earlier release
        String ahead = "v9" + version().substring(2);
        RefHost.run(Duration.ofSeconds(30), "docker", "tag", "lifeos/app:" + now, "lifeos/app:" + ahead);
        tagged.add("lifeos/app:" + ahead);

        JsonNode h = ok(cli("ws-b", "history", "--json"));
        assertEquals("ref-single", h.get("env").asText());
        assertEquals(List.of("lifeos/app"), JSON.convertValue(h.get("repositories"), List.class));
        Map<String, JsonNode> byVersion = new java.util.HashMap<>();
        h.get("releases").forEach(r -> byVersion.put(r.get("version").asText(), r));
        for (String v : deployed) {
            JsonNode r = byVersion.get(v);
            assertTrue(r != null, v + " is listed: " + h);
            assertFalse(r.get("lastDeployed").isNull(), "deployed from this workstation: when " + r);
            assertTrue(r.get("by").asText().endsWith("@ws-b"), r.toString());
        }
        assertTrue(byVersion.get(now).get("live").asBoolean(), byVersion.get(now).toString());
        assertEquals("production (live)", byVersion.get(now).get("runningIn").get(0).asText());
        assertTrue(byVersion.get(now).get("available").asBoolean());
        // issue 18: the image's build time is read from the host's listing (Docker's CreatedAt), each release says when
        assertFalse(byVersion.get(now).get("imageCreated").isNull(), "the image's time from the host: " + byVersion.get(now));
        assertTrue(byVersion.get(now).get("when").asText().startsWith("deployed "), byVersion.get(now).toString());
        assertFalse(byVersion.get(now).get("newerThanLive").asBoolean());
        assertEquals(byVersion.get(now).get("imageCreated"), byVersion.get(ahead).get("imageCreated"), "one image: " + byVersion.get(ahead));
        assertTrue(byVersion.get(ahead).get("newerThanLive").asBoolean(), byVersion.get(ahead).toString());
        assertTrue(byVersion.get(deployed.get(0)).get("available").asBoolean(), "its image is still on the host");
        assertFalse(byVersion.get(gone).get("available").asBoolean(), "its image was removed: " + byVersion.get(gone));
        assertFalse(byVersion.get(deployed.get(0)).get("live").asBoolean());

        RefHost.Result text = cli("ws-b", "history");
        assertEquals(0, text.exitCode(), text.stderr());
        assertTrue(text.stdout().contains("yes (rollback --to " + deployed.get(0) + ")"), text.stdout());
        assertTrue(text.stdout().lines().anyMatch(x -> x.contains(gone) && x.contains("no (image gone)")), text.stdout());

        // status says which rollbacks it has: the earlier release among them
        JsonNode s = ok(cli("ws-b", "status", "--json"));
        assertTrue(s.get("rollbackReady").asBoolean(), s.toString());
        assertFalse(s.get("rollbackRelease").isNull(), s.toString());
        assertTrue(s.get("rollbackReason").asText().contains("release " + s.get("rollbackRelease").asText()), s.toString());
        assertTrue(!s.get("rollbackRelease").asText().equals(ahead), s.toString());
        untag();
    }

    @Test
    @Order(3)
    void rollbackToAnEarlierReleaseRedeploysItAndARemovedOneIsRefusedBeforeAnythingRuns() throws Exception {
        String earlier = deployed.get(0);
        String before = stackVersion();
        RefHost.Result r = cli("ws-b", "rollback", "--to", earlier, "--yes", "--json");
        assertEquals(0, r.exitCode(), r.stdout() + "\n" + r.stderr());
        assertTrue(r.stderr().contains("redeploy the earlier release in place: " + before + " -> " + earlier), r.stderr());
        JsonNode j = JSON.readTree(r.stdout());
        assertTrue(j.get("succeeded").asBoolean(), j.toString());
        assertEquals(before, j.get("versionBefore").asText());
        assertEquals(earlier, j.get("versionAfter").asText());
        assertEquals(earlier, stackVersion());
        AuditEntry a = last("ws-b");
        assertEquals("rollback", a.action());
        assertEquals(AuditRows.SUCCEEDED, a.result());
        assertEquals(List.of("--to", earlier), a.args());
        JsonNode h = ok(cli("ws-b", "history", "--json"));
        for (JsonNode rel : h.get("releases")) {
            if (rel.get("version").asText().equals(earlier)) {
                assertTrue(rel.get("live").asBoolean(), rel.toString());
                assertEquals(2, rel.get("deploys").asInt(), "its deploy and the rollback to it: " + rel);
            }
        }

        String gone = deployed.get(2);
        int backups = countBackups();
        RefHost.Result refused = cli("ws-b", "rollback", "--to", gone, "--yes", "--json");
        assertEquals(2, refused.exitCode(), refused.stdout() + refused.stderr());
        assertTrue(refused.stderr().contains("the images of " + gone + " are no longer all on the host"), refused.stderr());
        assertEquals(AuditRows.REFUSED, last("ws-b").result());
        assertEquals(earlier, stackVersion(), "nothing ran");
        assertEquals(backups, countBackups());
    }

    private static String psql(String sql) {
        return RefHost.psql("lifeos", sql);
    }

    @Test
    @Order(4)
    void typedRollbacksRunTheDeclaredCommandsDeploymentBackToThePreviousVersionDatabaseToTheNewestBackup() throws Exception {
        // after order 3 production runs deployed[0], redeployed over deployed[3]: the script's previous version is deployed[3]
        String before = stackVersion();
        String previous = deployed.get(3);
        RefHost.Result d = cli("ws-b", "rollback", "--type", "deployment", "--yes", "--json");
        assertEquals(0, d.exitCode(), d.stdout() + "\n" + d.stderr());
        assertTrue(d.stderr().contains("rollback of type deployment on production (now " + before + ")"), d.stderr());
        JsonNode dj = JSON.readTree(d.stdout());
        assertTrue(dj.get("succeeded").asBoolean(), dj.toString());
        assertEquals("deployment", dj.get("type").asText());
        assertEquals(previous, dj.get("versionAfter").asText());
        assertEquals(previous, stackVersion());
        assertEquals(List.of("--type", "deployment"), last("ws-b").args());
        assertEquals(AuditRows.SUCCEEDED, last("ws-b").result());

        String marker = "it.single.typed." + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
        RefHost.Result db = cli("ws-b", "rollback", "--type", "database", "--yes", "--json");
        assertEquals(0, db.exitCode(), db.stdout() + "\n" + db.stderr());
        assertTrue(JSON.readTree(db.stdout()).get("succeeded").asBoolean(), db.stdout());
        assertEquals("0", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"),
                "the row written after the newest pre-deploy backup is gone");
        assertEquals(previous, stackVersion(), "a database rollback leaves the version");
        // the confirmation said what it loses: the backup the script restored, and the row written since it among the lost
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("the backup it restores: the newest, (\\S+) \\(").matcher(db.stderr());
        assertTrue(named.find(), db.stderr());
        assertTrue(db.stderr().contains("Rolling the database back to " + named.group(1)), "the plan names the backup the team's "
                + "command restored: " + db.stderr());
        assertTrue(java.util.regex.Pattern.compile("LOST: \\d+ rows? of selfology.event_outbox written since the backup").matcher(db.stderr())
                .find(), db.stderr());

        RefHost.Result bad = cli("ws-b", "rollback", "--type", "everything", "--yes");
        assertEquals(2, bad.exitCode(), bad.stdout() + bad.stderr());
        assertTrue(bad.stderr().contains("'everything' is not a rollback type of ref-single (declared: deployment, database)"), bad.stderr());
        assertEquals(AuditRows.REFUSED, last("ws-b").result());
        assertEquals(List.of("--type", "everything"), last("ws-b").args());
    }

    /**
     * A CLI killed (SIGKILL) in the middle of a deploy leaves its audit entry open while the job runs on detached; the
     * next action of that workstation on the single stack completes it from the server's exit file ("read from the server
     * on the next start"), as blue-green's do. It stayed open (shown unknown) until someone ran {@code audit}.
     */
    @Test
    @Order(5)
    void aDeployWhoseCliWasKilledIsCompletedFromTheServerByTheNextAction() throws Exception {
        String v = version();
        List<String> cmd = RefHost.javaJar(List.of());
        cmd.addAll(List.of("deploy", v, "--yes", "--env", "ref-single", "--config", RefHost.patientConfig(tmp).toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("DUTYDESK_AUDIT_LOG", audit("ws-c").toString(), "HOSTNAME", "ws-c"));
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder seen = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains("Starting app (" + v + ")")) { // the job runs on the server: the console dies now
                    p.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(seen.toString().contains("Starting app (" + v + ")"), seen.toString());
        AuditEntry open = last("ws-c");
        assertEquals("deploy", open.action());
        assertEquals(AuditRows.UNKNOWN, open.result(), "started, no end recorded: " + open);
        Path exit = RefHost.serverHome().resolve("lifeos/.dutydesk/actions/" + open.actionId() + ".exit");
        for (int i = 0; i < 1200 && !Files.exists(exit); i++) { // the detached job ends on its own (health retries: up to ~60 s)
            Thread.sleep(100);
        }
        assertTrue(Files.exists(exit), "the job ended on the server: " + exit);
        assertEquals(v, stackVersion(), "the job deployed " + v + " without its console");

        RefHost.Result next = cli("ws-c", "rollback", "--type", "everything", "--yes"); // any action: refused, after the reconcile
        assertEquals(2, next.exitCode(), next.stdout() + next.stderr());
        assertTrue(next.stderr().contains("completed 1 audit entry left open by a console that stopped"), next.stderr());
        AuditEntry done = AuditRows.fold(new JsonlAuditLog(audit("ws-c")).recent(100).join(), id -> false).stream()
                .filter(e -> open.actionId().equals(e.actionId())).findFirst().orElseThrow();
        assertEquals(AuditRows.ENDED, done.result(), done.toString()); // exited 0, not verified by a console
        assertEquals(0, done.exitCode());
    }
}
