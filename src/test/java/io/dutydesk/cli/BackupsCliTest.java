package io.dutydesk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.core.backups.BackupCatalog;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.RemoteShell.RemoteFile;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dutydesk backups --json}: the RPO's state says whether it is verified, stale or unknown, never just "ok". */
class BackupsCliTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String F = "/srv/backups";

    @TempDir
    Path dir;

    static Environment.Backups backups(List<String> folders) {
        return EnvironmentsFile.parse(Path.of("t.yaml"), "environments:\n  prod:\n    ssh: { host: h }\n").require("prod").backups()
                .withFolders(folders);
    }

    static final RemoteFile FULL = new RemoteFile("selfology_full_20261122_020000.sql.gz", 500, Instant.parse("2026-11-22T02:00:04Z"), false);

    static BackupListing listing(List<String> folders, Map<String, String> unreachable, boolean verified) {
        String path = F + "/" + FULL.name();
        return BackupCatalog.listing("prod", backups(folders), Map.of(F, List.of(FULL)), unreachable, Map.of(),
                verified ? Map.of(path, new Verification(path, 500, FULL.modified(), true, "gzip -t: intact", NOW)) : Map.of(), NOW);
    }

    @Test
    void theRpoStateTheFoldersAndTheExitCode() {
        BackupListing unverified = listing(List.of(F), Map.of(), false);
        JsonNode j = BackupCommands.json(unverified);
        assertEquals("met-unverified", j.get("rpo").get("state").asText());
        assertTrue(j.get("rpo").get("newestVerified").isNull());
        assertTrue(j.get("rpo").get("text").asText().startsWith("RPO met, unverified: "), j.toString());
        assertTrue(j.get("rpoOk").asBoolean(), "by age alone, as before");
        assertEquals("2026-11-22T12:00:00Z", j.get("readAt").asText(), "the ages are ages at this time");
        assertTrue(j.get("folders").get(0).get("unreachable").isNull());
        assertTrue(BackupCommands.ok(unverified), "met, unverified: exit 0 (the state says it is unverified)");

        BackupListing met = listing(List.of(F), Map.of(), true);
        assertEquals("met", BackupCommands.json(met).get("rpo").get("state").asText());
        assertEquals(FULL.name(), BackupCommands.json(met).get("rpo").get("newestVerified").asText());
        assertTrue(BackupCommands.json(met).get("rpo").get("newestFailed").isNull());
        assertTrue(BackupCommands.ok(met));

        // an older verified backup meets the RPO, but the newest one failed verification: not "met", exit 1
        RemoteFile broken = new RemoteFile("selfology_full_20261122_030000.sql.gz", 300, Instant.parse("2026-11-22T03:00:04Z"), false);
        String good = F + "/" + FULL.name();
        String bad = F + "/" + broken.name();
        BackupListing newestFailed = BackupCatalog.listing("prod", backups(List.of(F)), Map.of(F, List.of(FULL, broken)), Map.of(),
                Map.of(), Map.of(good, new Verification(good, 500, FULL.modified(), true, "gzip -t: intact", NOW),
                        bad, new Verification(bad, 300, broken.modified(), false, "gzip -t: unexpected end of file", NOW)), NOW);
        JsonNode nf = BackupCommands.json(newestFailed);
        assertEquals("met-newest-failed", nf.get("rpo").get("state").asText());
        assertEquals(broken.name(), nf.get("rpo").get("newestFailed").asText());
        assertEquals(FULL.name(), nf.get("rpo").get("newestVerified").asText());
        assertTrue(nf.get("rpo").get("text").asText().startsWith("The newest full backup failed verification: "), nf.toString());
        assertFalse(BackupCommands.ok(newestFailed), "a broken backup job: exit 1 even while an older backup meets the RPO");

        BackupListing partial = listing(List.of(F, "/mnt/offsite"), Map.of("/mnt/offsite", "/mnt/offsite: no such file or folder"), true);
        JsonNode p = BackupCommands.json(partial);
        assertEquals("/mnt/offsite: no such file or folder", p.get("folders").get(1).get("unreachable").asText());
        assertEquals("met", p.get("rpo").get("state").asText(), "the folder read meets it");
        assertFalse(BackupCommands.ok(partial), "a configured folder that could not be read: exit 1");

        BackupListing unknown = BackupCatalog.listing("prod", backups(List.of(F, "/mnt/offsite")), Map.of(F, List.of()),
                Map.of("/mnt/offsite", "/mnt/offsite: permission denied"), Map.of(), Map.of(), NOW);
        assertEquals("unknown", BackupCommands.json(unknown).get("rpo").get("state").asText());
        assertFalse(BackupCommands.ok(unknown));
    }

    @Test
    void aListingThatCannotBeReadIsUnknownInJsonNotSilence() throws Exception {
        Path config = dir.resolve("envs.yaml");
        Files.writeString(config, "environments:\n  ref:\n    ssh: { host: 127.0.0.1, port: 24022, user: deploy }\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new FakeBackends(), SecretPrompt.NONE, k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), MemoryAuditLog.create(), "tester@desk", null);
        assertEquals(Cli.DOWN, cli.run(List.of("backups", "--env", "ref", "--json", "--config", config.toString())));
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("unknown", j.get("rpo").get("state").asText(), j.toString());
        assertTrue(j.get("error").asText().contains("unreachable: no server in this test"), j.toString());
    }

    @Test
    void eachBackupSaysTheVersionItsSidecarRecordsOrWhyItIsUnknown() {
        RemoteFile older = new RemoteFile("selfology_full_20261121_020000.sql.gz", 500, Instant.parse("2026-11-21T02:00:04Z"), false);
        RemoteFile side = new RemoteFile(FULL.name() + ".version", 7, FULL.modified(), false);
        BackupListing l = BackupCatalog.listing("prod", backups(List.of(F)), Map.of(F, List.of(FULL, side, older)), Map.of(), Map.of(),
                Map.of(), java.util.Optional.empty(), Map.of(F + "/" + side.name(), "v1.4.0\n".getBytes(StandardCharsets.UTF_8)), NOW);
        JsonNode j = BackupCommands.json(l);
        assertEquals(2, j.get("backups").size(), "the sidecar is not a backup: " + j);
        assertEquals("v1.4.0", j.get("backups").get(0).get("recordedVersion").asText());
        assertTrue(j.get("backups").get(0).get("recordedVersionUnknown").isNull());
        assertTrue(j.get("backups").get(1).get("recordedVersion").isNull());
        assertEquals("no " + older.name() + ".version", j.get("backups").get(1).get("recordedVersionUnknown").asText());
    }
}
