package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.backups.JobResult;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.ports.VerificationResults;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backups against the reference host: backup now, verify (good, truncated, checksum mismatch), download, restore, scratch, a cut connection. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupsIT {
    private static final Duration T = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    private static java.util.Set<Path> before;

    /** The shared reference host keeps only the backups it had: what these tests create is removed after them. */
    @org.junit.jupiter.api.BeforeAll
    static void remember() throws Exception {
        try (var s = Files.list(folder())) {
            before = new java.util.HashSet<>(s.toList());
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void removeWhatWeCreated() throws Exception {
        try (var s = Files.list(folder())) {
            for (Path p : s.filter(p -> !before.contains(p)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path folder() {
        return RefHost.serverHome().resolve("backups");
    }

    private RefHost.Result run(Path audit, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", RefHost.config().toString(), "--json"));
        return RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString(),
                "DUTYDESK_STORE", tmp.resolve("store.db").toString()), all.toArray(String[]::new));
    }

    /** The reference host's environments file with a second backup folder that does not exist on the server. */
    private Path withMissingFolder() throws Exception {
        String text = Files.readString(RefHost.config());
        String folders = "folders: [ " + folder() + " ]";
        assertTrue(text.contains(folders), "the reference host's file lists its backup folder: " + text);
        Path p = tmp.resolve("two-folders.yaml");
        Files.writeString(p, text.replace(folders, "folders: [ " + folder() + ", " + missingFolder() + " ]"));
        return p;
    }

    private static Path missingFolder() {
        return RefHost.serverHome().resolve("no-such-backups");
    }

    private JsonNode cliWith(Path config, int expectedExit, Path audit, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", config.toString(), "--json"));
        RefHost.Result r = RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString(),
                "DUTYDESK_STORE", tmp.resolve("store.db").toString()), all.toArray(String[]::new));
        assertEquals(expectedExit, r.exitCode(), r.stdout() + "\n" + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    private JsonNode cli(int expectedExit, Path audit, String... args) throws Exception {
        RefHost.Result r = run(audit, args);
        assertEquals(expectedExit, r.exitCode(), r.stdout() + "\n" + r.stderr());
        return new ObjectMapper().readTree(r.stdout());
    }

    private static String psql(String sql) {
        return RefHost.psql("selfology", sql);
    }

    /** The newest nightly full backup the reference host seeded (named by the day it was seeded for, never by the day a test was written). */
    private static Path seededFull() throws Exception {
        try (var s = Files.list(folder())) {
            return s.filter(p -> before.contains(p) && p.getFileName().toString().matches("selfology_full_\\d{8}_020000\\.sql\\.gz"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("the reference host seeded no nightly full backup in " + folder()));
        }
    }

    private static JsonNode backup(JsonNode listing, String name) {
        for (JsonNode b : listing.get("backups")) {
            if (b.get("name").asText().equals(name)) {
                return b;
            }
        }
        throw new AssertionError(name + " is not listed: " + listing);
    }

    @Test
    @Order(1)
    void backupNowAppearsWithItsKindAndSize() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        JsonNode r = cli(0, audit, "backup-now");
        assertTrue(r.get("ok").asBoolean(), r.toString());
        String name = r.get("newBackup").get("name").asText();
        JsonNode listing = cli(0, audit, "backups");
        JsonNode b = backup(listing, name);
        assertEquals("full", b.get("kind").asText());
        assertEquals(Files.size(folder().resolve(name)), b.get("sizeBytes").asLong());
        assertTrue(b.get("ageHours").asDouble() < 0.2, b.toString());
        assertTrue(b.get("retentionExpiresAt").asText().startsWith("20"), b.toString());
        assertTrue(listing.get("rpoOk").asBoolean());
        assertTrue(listing.get("folders").get(0).get("freeBytes").asLong() > 0);
        List<AuditEntry> entries = new JsonlAuditLog(audit).recent(10).join();
        assertEquals(List.of("started", "succeeded"), entries.stream().map(AuditEntry::result).toList());
        assertEquals("backup-now", entries.get(1).action());
    }

    @Test
    @Order(2)
    void aTruncatedCopyAndAChecksumMismatchFailVerificationWithTheReason() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        Path good = seededFull();
        Path truncated = folder().resolve("selfology_full_20200101_010101.sql.gz");
        Path mismatch = folder().resolve("selfology_full_20200101_020202.sql.gz");
        Path plainCut = folder().resolve("selfology_full_20200101_030303.sql");
        try {
            byte[] bytes = Files.readAllBytes(good);
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            Files.write(mismatch, bytes);
            Files.writeString(folder().resolve(mismatch.getFileName() + ".sha256"),
                    "0".repeat(64) + "  " + mismatch.getFileName() + "\n");
            String sql = RefHost.run(Duration.ofSeconds(30), "sh", "-c", "gzip -dc " + good);
            Files.writeString(plainCut, sql.substring(0, sql.indexOf("\\.\n") - 10));

            JsonNode ok = cli(0, audit, "verify", good.getFileName().toString());
            assertTrue(ok.get("ok").asBoolean());
            assertTrue(ok.get("detail").asText().contains("sha256 matches"), ok.toString());

            JsonNode t = cli(1, audit, "verify", truncated.getFileName().toString());
            assertFalse(t.get("ok").asBoolean());
            assertTrue(t.get("detail").asText().startsWith("gzip -t: "), t.toString());
            assertTrue(t.get("detail").asText().contains("unexpected end of file"), t.toString());

            JsonNode m = cli(1, audit, "verify", mismatch.getFileName().toString());
            assertTrue(m.get("detail").asText().startsWith("sha256 mismatch: "), m.toString());
            assertTrue(m.get("detail").asText().contains("gzip -t: intact"), "the other checks still pass: " + m);

            JsonNode p = cli(1, audit, "verify", plainCut.getFileName().toString());
            assertTrue(p.get("detail").asText().contains("COPY block of selfology.event_outbox is not terminated"), p.toString());

            // kept in the local store: the listing shows each verdict with its reason
            JsonNode listing = cli(0, audit, "backups");
            assertFalse(backup(listing, truncated.getFileName().toString()).get("verified").asBoolean());
            assertTrue(backup(listing, good.getFileName().toString()).get("verified").asBoolean());
            assertTrue(backup(listing, mismatch.getFileName().toString()).get("verifyDetail").asText().contains("sha256 mismatch"));

            // a name outside the folders is refused before anything runs, and audited
            RefHost.Result bad = run(audit, "verify", "../secrets/pg_password");
            assertEquals(2, bad.exitCode(), bad.stderr());
            assertTrue(bad.stderr().contains("is not a backup in"), bad.stderr());
            assertEquals("refused", new JsonlAuditLog(audit).recent(1).join().get(0).result());
        } finally {
            for (Path f : List.of(truncated, mismatch, plainCut, folder().resolve(mismatch.getFileName() + ".sha256"))) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    @Order(3)
    void aDownloadIsCheckedAndResumes() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        String name = seededFull().getFileName().toString();
        Path dir = tmp.resolve("dl");
        Files.createDirectories(dir);
        byte[] bytes = Files.readAllBytes(folder().resolve(name));
        Files.write(dir.resolve(name + ".part"), java.util.Arrays.copyOf(bytes, 1000)); // an interrupted earlier copy
        JsonNode d = cli(0, audit, "download", name, "--to", dir.toString());
        assertTrue(d.get("resumed").asBoolean());
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(dir.resolve(name))));
        assertFalse(Files.exists(dir.resolve(name + ".part")));
        assertEquals(64, d.get("sha256").asText().length());
    }

    @Test
    @Order(4)
    void restoreBringsBackTheBackupAndKeepsTheNewRowsInTheSafetyBackup() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        String name = cli(0, audit, "backup-now").get("newBackup").get("name").asText();
        String marker = "it-restore-" + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) "
                + "SELECT '" + marker + "', '{}'::jsonb, 'pending', now() FROM generate_series(1, 3)");
        assertEquals("3", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"));

        // scratch first: the live database is untouched, row counts compared
        JsonNode s = cli(0, audit, "restore", name, "--scratch", "--yes");
        JsonNode outbox = null;
        for (JsonNode c : s.get("counts")) {
            if (c.get("table").asText().equals("selfology.event_outbox")) {
                outbox = c;
            }
        }
        assertNotNull(outbox, s.toString());
        assertEquals(outbox.get("live").asLong() - 3, outbox.get("backup").asLong(), s.toString());
        assertEquals("3", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"));
        assertEquals("0", psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'selfology_scratch_%'"), "scratch dropped");

        // a wrong typed name is refused (the CLI without --yes has no terminal here)
        RefHost.Result noYes = run(audit, "restore", name);
        assertEquals(2, noYes.exitCode());

        JsonNode r = cli(0, audit, "restore", name, "--yes");
        assertTrue(r.get("ok").asBoolean(), r.toString());
        assertEquals("0", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"),
                "the rows inserted after the backup are gone from the live database");
        String safety = r.get("safetyBackup").asText();
        assertTrue(Path.of(safety).getFileName().toString().startsWith("dutydesk_prerestore_"), safety);
        String dump = RefHost.run(Duration.ofSeconds(30), "sh", "-c", "gzip -dc " + safety);
        assertTrue(dump.contains(marker), "the rows are in the pre-restore safety backup");
        JsonNode listing = cli(0, audit, "backups");
        JsonNode listedSafety = backup(listing, Path.of(safety).getFileName().toString());
        assertEquals("pre-restore", listedSafety.get("kind").asText());
        // the job verified it complete itself: listed as verified, by that job, with what it checked
        assertTrue(listedSafety.get("verified").asBoolean(), "listed as verified: " + listedSafety);
        assertTrue(listedSafety.get("verifyDetail").asText().startsWith("verified complete by the restore job " + r.get("actionId").asText()
                + " (its safety backup before restoring " + name + ") at "), listedSafety.toString());
        assertTrue(listedSafety.get("verifyDetail").asText().contains("gzip -t: intact; plain SQL: pg_dump header"), listedSafety.toString());
        JsonNode v = cli(0, audit, "verify", Path.of(safety).getFileName().toString());
        assertTrue(v.get("detail").asText().contains("sha256 matches"), v.toString());
    }

    @Test
    @Order(5)
    void aRestoreSurvivesACutConnectionAndTheConsoleReportsHowItEnded() throws Exception {
        Environment ref = RefHost.ref();
        // the team's restore, made slow enough to cut the connection in the middle of it
        Map<String, String> commands = new HashMap<>(ref.backups().commands());
        commands.put("restore", "echo restore-begins; sleep 3; " + commands.get("restore"));
        Environment env = new Environment(ref.name(), ref.description(), ref.ssh(), ref.docker(), ref.postgres(), ref.redis(),
                ref.prometheus(), ref.alertmanager(), ref.backups().withCommands(commands), ref.deploy(), ref.slots(), ref.outbox(),
                ref.thresholds(), ref.poll());
        Path audit = tmp.resolve("cut-audit.jsonl");
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            BackupsService s = new BackupsService(env, h.shell(), VerificationResults.NONE, new JsonlAuditLog(audit), "it@test",
                    Clock.systemUTC(), ForkJoinPool.commonPool());
            String name = s.list().join().backups().stream().filter(b -> b.kind().equals("full")).findFirst().orElseThrow().name();
            String marker = "it-cut-" + System.nanoTime();
            psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
            AtomicBoolean cut = new AtomicBoolean();
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            JobResult r = s.restore(name, false, "ref", (err, line) -> {
                lines.add(line);
                if (line.contains("restore-begins") && cut.compareAndSet(false, true)) {
                    CompletableFuture.runAsync(() -> h.ssh().disconnect()); // as the network would
                }
            }).get(T.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(cut.get(), "the connection was cut during the restore: " + lines);
            assertTrue(r.ok(), r.message() + "\n" + lines);
            assertEquals(0, r.exitCode());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("✅ Restore completed")), "the log after the cut was followed: " + lines);
            assertEquals("0", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"));
            List<AuditEntry> entries = new JsonlAuditLog(audit).recent(10).join();
            assertEquals("succeeded", entries.get(entries.size() - 1).result());
            assertEquals(r.actionId(), entries.get(entries.size() - 1).actionId());
        }
    }

    @Test
    @Order(7)
    void aLeftoverOfAnotherUserIsRefusedAndOneOfTheSshUsersIsRemoved() throws Exception {
        // written by root (a root cron backup, quiet for an hour): the SSH user cannot see whether a process of root writes it
        Path part = folder().resolve("selfology_full_20200101_070707.sql.gz.part");
        Files.writeString(part, "partial");
        Files.setAttribute(part, "unix:uid", 0);
        Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        Path audit = tmp.resolve("part-audit.jsonl");
        RefHost.Result refused = run(audit, "remove-part", part.getFileName().toString(), "--yes");
        assertEquals(1, refused.exitCode(), refused.stdout() + "\n" + refused.stderr());
        assertTrue((refused.stdout() + refused.stderr()).contains("was not removed: owned by root (uid 0), not by dutydesk-deploy: a backup of "
                + "another user may still be writing it"), refused.stdout() + "\n" + refused.stderr());
        assertTrue(Files.exists(part), "not removed");

        // the same file, the SSH user's own: removed
        RefHost.run(Duration.ofSeconds(10), "chown", "-h", "dutydesk-deploy", part.toString());
        Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        JsonNode removed = cli(0, audit, "remove-part", part.getFileName().toString(), "--yes");
        assertTrue(removed.get("removed").asText().startsWith(part.toString()), removed.toString());
        assertFalse(Files.exists(part));
        List<AuditEntry> entries = new JsonlAuditLog(audit).recent(10).join();
        assertEquals(List.of("backup-remove-part:refused", "backup-remove-part:succeeded"),
                entries.stream().map(e -> e.action() + ":" + e.result()).toList());
    }

    /**
     * The .part of the job running right now is "being written by job X": not a leftover, not removable; the .part of a
     * job that ended is a leftover all the same.
     */
    @Test
    @Order(8)
    void thePartOfTheJobRunningNowIsNotALeftover() throws Exception {
        Path ended = folder().resolve("selfology_full_20200101_080808.sql.gz.part");
        Files.writeString(ended, "partial");
        RefHost.run(Duration.ofSeconds(10), "chown", "dutydesk-deploy", ended.toString());
        Files.setLastModifiedTime(ended, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        Path writing = folder().resolve("selfology_full_20200101_090909.sql.gz.part");
        Path go = folder().resolve("it-part-go");
        Environment ref = RefHost.ref();
        Map<String, String> commands = new HashMap<>(ref.backups().commands());
        // a backup that writes its .part until the test lets it go (a file it waits for), then fails: no backup appears
        commands.put("backup", "echo x > " + writing + "; while [ ! -e " + go + " ]; do sleep 0.2; echo x >> " + writing + "; done; rm -f "
                + writing + " " + go + "; exit 1");
        Environment env = new Environment(ref.name(), ref.description(), ref.ssh(), ref.docker(), ref.postgres(), ref.redis(),
                ref.prometheus(), ref.alertmanager(), ref.backups().withCommands(commands), ref.deploy(), ref.slots(), ref.outbox(),
                ref.thresholds(), ref.poll());
        Path audit = tmp.resolve("writing-audit.jsonl");
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            BackupsService s = new BackupsService(env, h.shell(), VerificationResults.NONE, new JsonlAuditLog(audit), "it@test",
                    Clock.systemUTC(), ForkJoinPool.commonPool());
            CompletableFuture<JobResult> job = s.backupNow(io.dutydesk.core.ports.RemoteShell.OutputListener.NONE);
            try {
                io.dutydesk.testing.Eventually.await("the job writes its .part", Duration.ofSeconds(60), () -> Files.exists(writing));
                String running = s.current().join().orElseThrow().id();
                io.dutydesk.core.backups.BackupListing l = s.list().join();
                assertEquals(List.of(writing.getFileName() + " (" + io.dutydesk.core.backups.Sizes.human(
                                l.inProgress().isEmpty() ? 0 : l.inProgress().get(0).part().sizeBytes()) + ") being written by job " + running),
                        l.inProgress().stream().map(io.dutydesk.core.backups.PartInProgress::describe).toList());
                assertTrue(l.leftovers().stream().anyMatch(p -> p.name().equals(ended.getFileName().toString())), "a job that ended: " + l.leftovers());
                assertTrue(l.leftovers().stream().noneMatch(p -> p.name().equals(writing.getFileName().toString())), l.leftovers().toString());

                // the CLI says so too, and refuses to remove it
                JsonNode listing = cli(0, tmp.resolve("cli-audit.jsonl"), "backups");
                assertEquals(running, listing.get("inProgress").get(0).get("job").asText(), listing.toString());
                RefHost.Result refused = run(tmp.resolve("cli-audit.jsonl"), "remove-part", writing.getFileName().toString(), "--yes");
                assertTrue(refused.exitCode() != 0, refused.stdout() + "\n" + refused.stderr());
                assertTrue((refused.stdout() + refused.stderr()).contains("is being written by job " + running
                        + ", which is running right now: it is not a leftover"), refused.stdout() + "\n" + refused.stderr());
                assertTrue(Files.exists(writing));
            } finally {
                Files.writeString(go, "go");
            }
            JobResult r = job.get(T.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(r.ok(), r.message());
        } finally {
            Files.deleteIfExists(ended);
            Files.deleteIfExists(writing);
            Files.deleteIfExists(go);
        }
    }

    @Test
    @Order(6)
    void aBackupFolderThatDoesNotExistIsNamedAndTheOtherStillListsVerifiesAndDownloads() throws Exception {
        Path audit = tmp.resolve("audit.jsonl");
        Path config = withMissingFolder();
        assertFalse(Files.exists(missingFolder()));

        // backup now: listed before and after in the folder that exists
        JsonNode made = cliWith(config, 0, audit, "backup-now");
        assertTrue(made.get("ok").asBoolean(), made.toString());
        String name = made.get("newBackup").get("name").asText();

        JsonNode v = cliWith(config, 0, audit, "verify", name);
        assertTrue(v.get("ok").asBoolean(), v.toString());

        JsonNode listing = cliWith(config, 1, audit, "backups"); // exit 1: a configured folder could not be read
        JsonNode missing = listing.get("folders").get(1);
        assertEquals(missingFolder().toString(), missing.get("path").asText());
        assertTrue(missing.get("unreachable").asText().contains("no such file or folder"), missing.toString());
        assertTrue(listing.get("folders").get(0).get("unreachable").isNull(), listing.toString());
        assertTrue(backup(listing, name).get("verified").asBoolean(), "the folder that exists is listed, with its verifications");
        assertEquals("met", listing.get("rpo").get("state").asText(), "a verified full backup of a minute ago meets the RPO: " + listing);
        assertEquals(name, listing.get("rpo").get("newestVerified").asText());

        Path dir = tmp.resolve("dl-two");
        JsonNode d = cliWith(config, 0, audit, "download", name, "--to", dir.toString());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(folder().resolve(name)), Files.readAllBytes(dir.resolve(name))));
        assertEquals(64, d.get("sha256").asText().length());

        // a name not in the folder read: the answer names the folder that was not
        RefHost.Result notThere = RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString(),
                "DUTYDESK_STORE", tmp.resolve("store.db").toString()), "verify", "selfology_full_19990101_000000.sql.gz",
                "--env", "ref", "--config", config.toString());
        assertEquals(2, notThere.exitCode(), notThere.stderr());
        assertTrue(notThere.stderr().contains("(folder " + missingFolder() + ": unreachable: "), notThere.stderr());
    }
}
