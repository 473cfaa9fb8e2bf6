package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release history and a rollback to a chosen earlier release on the reference host's blue-green slots, through
 * the CLI: the release is deployed to the idle slot, checked healthy and switched to; nginx serves it after.
 */
class ReleaseRollbackIT {
    private static final Duration T = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    private static String version() {
        return "v3." + (System.currentTimeMillis() / 1000 % 100000) + "." + (int) (Math.random() * 1000);
    }

    private RefHost.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", RefHost.patientConfig(tmp).toString()));
        return RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", tmp.resolve("audit.jsonl").toString()), all.toArray(String[]::new));
    }

    private JsonNode ok(String... args) throws Exception {
        RefHost.Result r = cli(args);
        assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.stdout() + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    private static JsonNode release(JsonNode history, String version) {
        for (JsonNode r : history.get("releases")) {
            if (r.get("version").asText().equals(version)) {
                return r;
            }
        }
        throw new AssertionError(version + " not in the history: " + history);
    }

    private static long actionCount() throws Exception {
        Path d = RefHost.serverHome().resolve(".dutydesk/actions");
        if (!Files.isDirectory(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.toString().endsWith(".meta")).count();
        }
    }

    @Test
    void rollbackToAChosenEarlierReleaseDeploysItToTheIdleSlotAndSwitchesAndTheHistoryListsTheReleases() throws Exception {
        String first = RefHost.nginx("/question-selection/version");
        String v1 = version();
        String v2 = v1 + "-b";
        // two releases through the console: first's slot is replaced on the way, its image stays on the host
        ok("deploy", v1, "--yes", "--json");
        ok("switch", "--yes", "--json");
        ok("deploy", v2, "--yes", "--json");
        ok("switch", "--yes", "--json");
        assertEquals(v2, RefHost.nginx("/question-selection/version"));

        JsonNode h = ok("history", "--json");
        assertEquals(List.of("selfology/service"), List.of(h.get("repositories").get(0).asText()));
        JsonNode r2 = release(h, v2);
        assertTrue(r2.get("live").asBoolean());
        assertTrue(r2.get("available").asBoolean());
        assertEquals(1, r2.get("deploys").asInt());
        assertTrue(r2.get("by").asText().contains("@"));
        assertFalse(r2.get("lastDeployed").isNull());
        JsonNode r1 = release(h, v1);
        assertEquals(1, r1.get("runningIn").size());
        assertTrue(r1.get("runningIn").get(0).asText().endsWith("(idle)"), r1.toString());
        JsonNode r0 = release(h, first);
        assertEquals(0, r0.get("runningIn").size(), "no slot runs it any more");
        assertTrue(r0.get("available").asBoolean(), "its image is still on the host");
        // the text form says the same
        RefHost.Result text = cli("history");
        assertTrue(text.stdout().contains(first) && text.stdout().contains("yes (rollback --to " + first + ")"), text.stdout());

        // roll back to it
        String liveBefore = RefHost.nginx("/live-upstream");
        JsonNode rb = ok("rollback", "--to", first, "--yes", "--json");
        assertTrue(rb.get("verified").asBoolean(), rb.toString());
        assertEquals(first, rb.get("version").asText());
        assertFalse(liveBefore.equals(rb.get("liveAfter").asText()), "traffic moved to the other slot");
        assertEquals(first, RefHost.nginx("/question-selection/version"), "nginx serves the chosen release");
        assertEquals(rb.get("liveAfter").asText(), RefHost.nginx("/live-upstream"));

        List<AuditEntry> rows = io.dutydesk.core.audit.AuditRows.fold(new JsonlAuditLog(tmp.resolve("audit.jsonl")).recent(100).join(), id -> false);
        AuditEntry last = rows.get(rows.size() - 1);
        assertEquals("rollback", last.action());
        assertEquals(List.of("--to", first), last.args());
        assertEquals("succeeded", last.result());

        JsonNode after = ok("history", "--json");
        assertTrue(release(after, first).get("live").asBoolean());
        assertEquals(1, release(after, first).get("deploys").asInt(), "the rollback counts as its deploy");
        assertTrue(release(after, v2).get("runningIn").get(0).asText().endsWith("(idle)"), "the way back");
    }

    @Test
    void aVersionNotOnTheHostOrNotAVersionIsRefusedBeforeAnythingRuns() throws Exception {
        long actions = actionCount();
        String live = RefHost.nginx("/live-upstream");
        RefHost.Result missing = cli("rollback", "--to", "v77.0.0-nothere", "--yes");
        assertEquals(2, missing.exitCode(), missing.stdout() + missing.stderr());
        assertTrue(missing.stderr().contains("release v77.0.0-nothere is not on the host (selfology/service:v77.0.0-nothere missing)"),
                missing.stderr());
        Path pwned = Path.of("/tmp/pwned-release");
        Files.deleteIfExists(pwned);
        RefHost.Result bad = cli("rollback", "--to", "1.0;touch /tmp/pwned-release", "--yes");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("refused version '1.0;touch /tmp/pwned-release'"), bad.stderr());
        assertFalse(Files.exists(pwned));
        assertEquals(actions, actionCount(), "no job started on the server");
        assertEquals(live, RefHost.nginx("/live-upstream"));
        List<AuditEntry> raw = new JsonlAuditLog(tmp.resolve("audit.jsonl")).recent(10).join();
        assertEquals(List.of("refused", "refused"), raw.stream().map(AuditEntry::result).toList());
        assertEquals(List.of("--to", "v77.0.0-nothere"), raw.get(0).args());
        RefHost.Result type = cli("rollback", "--type", "database", "--yes");
        assertEquals(2, type.exitCode());
        assertTrue(type.stderr().contains("ref declares no rollback type 'database' (declared: none"), type.stderr());
    }

    @Test
    void aDatabaseRollbackTypeSaysTheNewestBackupAndTheRowsWrittenSinceItBeforeAnythingRuns() throws Exception {
        // ref declaring a TraceHub-style database type (the refhost's file ends inside ref's deploy section)
        Path config = tmp.resolve("typed-environments.yaml");
        Files.writeString(config, Files.readString(RefHost.patientConfig(tmp))
                + "      rollbackTypes:\n        database: ./scripts/backup-restore.sh restore-full latest\n");
        Map<String, String> env = Map.of("DUTYDESK_AUDIT_LOG", tmp.resolve("audit.jsonl").toString());
        // the backup such a command goes back to: the newest one holding the schema, of those the host seeded (as the console lists them)
        RefHost.Result listed = RefHost.dutydesk(T, List.of(), env, "backups", "--json", "--env", "ref", "--config", config.toString());
        JsonNode newest = null;
        for (JsonNode b : new ObjectMapper().readTree(listed.stdout()).get("backups")) {
            if (!b.get("kind").asText().equals("incremental") && (newest == null
                    || java.time.Instant.parse(b.get("takenAt").asText()).isAfter(java.time.Instant.parse(newest.get("takenAt").asText())))) {
                newest = b;
            }
        }
        assertTrue(newest != null, "the reference host seeds full backups: " + listed.stdout() + listed.stderr());
        String taken = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.parse(newest.get("takenAt").asText()));
        long actions = actionCount();

        RefHost.Result r = RefHost.dutydesk(T, List.of(), env, "rollback", "--type", "database", "--env", "ref", "--config", config.toString());
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("not on a terminal: give --yes to run rollback"), r.stderr());
        String said = r.stdout() + r.stderr(); // the plan, then the refusal to run it without --yes
        assertTrue(said.contains("  - the backup it restores: the newest, " + newest.get("path").asText() + " ("
                + newest.get("kind").asText() + ", taken " + taken + ")"), said);
        assertTrue(said.matches("(?s).*  - (LOST: [1-9][0-9]* rows? of \\S+ written since the backup \\(" + java.util.regex.Pattern.quote(taken)
                + "\\); the newest row of \\S+ is from [0-9-]+ [0-9:]+ UTC|no row of \\S+ was written since the backup \\(.*\\))\n.*"),
                "the rows written since the backup, from the outbox's newest row time and the backup's: " + said);
        assertTrue(said.contains("  risk: the live database goes back to " + taken + " (" + newest.get("name").asText()
                + ", the newest backup, as the team's command restores it): "), said);
        assertEquals(actions, actionCount(), "nothing ran on the server");
    }
}
