package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.backups.JobResult;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restores that cannot lose data, against the reference host: a truncated dump is refused; a restore outlives the
 * deploy's action timeout, a cut SSH server and a killed console, and ends whole; a safety backup that does not fit
 * is refused with the figures; a prompted password reaches the job on its input only.
 */
class RestoreIT {
    private static final Duration T = Duration.ofSeconds(120);
    private static final Map<Path, Set<Path>> BEFORE = new HashMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void remember() throws Exception {
        for (Path f : List.of(folder(), small())) {
            try (Stream<Path> s = Files.list(f)) {
                BEFORE.put(f, new HashSet<>(s.toList()));
            }
        }
    }

    /** The shared reference host keeps only the backups it had: what these tests create is removed after them. */
    @AfterAll
    static void removeWhatWeCreated() throws Exception {
        for (Path f : List.of(folder(), small())) {
            try (Stream<Path> s = Files.list(f)) {
                for (Path p : s.filter(p -> !BEFORE.get(f).contains(p)).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static Path folder() {
        return RefHost.serverHome().resolve("backups");
    }

    /** The reference host's tmpfs folder, too small for a safety backup of the database. */
    static Path small() {
        return RefHost.serverHome().resolve("backups-small");
    }

    static String psql(String sql) {
        return psqlOn("selfology", sql);
    }

    static String psqlOn(String database, String sql) {
        return RefHost.psql(database, sql);
    }

    static String outboxRows() {
        return psql("SELECT count(*) FROM selfology.event_outbox");
    }

    /** The newest nightly full backup the reference host seeded (never named by the day a test was written). */
    static Path seededFull() {
        return BEFORE.get(folder()).stream().filter(p -> p.getFileName().toString().matches("selfology_full_\\d{8}_020000\\.sql\\.gz"))
                .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                .orElseThrow(() -> new AssertionError("the reference host seeded no nightly full backup in " + folder()));
    }

    static List<Path> preRestoreBackups(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("dutydesk_prerestore_")).sorted().toList();
        }
    }

    static Environment variant(Environment ref, Environment.Backups backups, Environment.Deploy deploy, Environment.Postgres pg) {
        return new Environment(ref.name(), ref.description(), ref.ssh(), ref.docker(), pg, ref.redis(), ref.prometheus(),
                ref.alertmanager(), backups, deploy, ref.slots(), ref.outbox(), ref.thresholds(), ref.poll(), ref.metrics(), ref.alerts());
    }

    /** The team's restore, made slower: "restore-begins", then {@code seconds} of sleep, then the real restore. */
    static Map<String, String> slowRestore(Environment ref, int seconds) {
        Map<String, String> c = new HashMap<>(ref.backups().commands());
        c.put("restore", "echo restore-begins; sleep " + seconds + "; " + ref.backups().commands().get("restore"));
        return c;
    }

    private RefHost.Result cli(Path audit, Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", config.toString(), "--json"));
        return RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit.toString(),
                "DUTYDESK_STORE", tmp.resolve("store.db").toString()), all.toArray(String[]::new));
    }

    @Test
    void aDumpTruncatedAtALineBoundaryIsRefusedAndTheDatabaseIsUnchanged() throws Exception {
        // the newest full backup cut at two thirds of its lines and gzipped again: a valid gzip, a complete last line
        String sql = RefHost.run(Duration.ofSeconds(30), "sh", "-c", "gzip -dc " + seededFull());
        List<String> lines = sql.lines().toList();
        String cut = String.join("\n", lines.subList(0, lines.size() * 2 / 3)) + "\n";
        Path f = folder().resolve("selfology_full_20200101_040404.sql.gz");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(f))) {
            g.write(cut.getBytes(StandardCharsets.UTF_8));
        }
        Path audit = tmp.resolve("audit.jsonl");
        String rows = outboxRows();
        List<Path> safetyBefore = preRestoreBackups(folder());

        RefHost.Result r = cli(audit, RefHost.config(), "restore", f.getFileName().toString(), "--yes");
        assertEquals(1, r.exitCode(), r.stdout() + "\n" + r.stderr());
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertTrue(j.get("refused").asBoolean(), j.toString());
        assertTrue(j.get("error").asText().contains("failed verification (plain SQL:"), j.toString());
        assertTrue(r.stderr().contains("verification: none yet — verified on the server first"), "the plan was shown: " + r.stderr());
        assertTrue(r.stderr().contains("job bound: none: runs until it ends"), r.stderr());
        assertTrue(r.stderr().contains("force: without --force a backup that fails verification is refused"), r.stderr());
        assertEquals(rows, outboxRows(), "the live database is unchanged");
        assertEquals(safetyBefore, preRestoreBackups(folder()), "not even a safety backup was taken");
        List<AuditEntry> entries = new JsonlAuditLog(audit).recent(10).join();
        assertEquals(List.of("backup-verify:failed", "restore:refused"), entries.stream().map(e -> e.action() + ":" + e.result()).toList());

        // verify itself checks pg_dump's footer, not only gzip
        RefHost.Result v = cli(audit, RefHost.config(), "verify", f.getFileName().toString());
        assertEquals(1, v.exitCode(), v.stdout());
        JsonNode vj = new ObjectMapper().readTree(v.stdout());
        assertTrue(vj.get("detail").asText().contains("gzip -t: intact"), vj.toString());
        assertTrue(vj.get("detail").asText().matches(".*plain SQL: (no \"dump complete\" footer|the COPY block of .* is not terminated).*"),
                vj.toString());
    }

    /** The custom-format dump the reference host seeded (never named by the day a test was written). */
    static Path seededCustom() {
        return BEFORE.get(folder()).stream().filter(p -> p.getFileName().toString().matches("selfology_premigration_\\d{8}_\\d{6}\\.dump"))
                .findFirst().orElseThrow(() -> new AssertionError("the reference host seeded no custom-format dump in " + folder()));
    }

    /**
     * A custom-format dump cut in its data: pg_restore --list reads only the table of contents and passes it; the
     * verification reads every block and fails with pg_restore's reason. A restore that fails drops the passing
     * verification it relied on (one an older console stored for this file): the listing no longer says verified.
     */
    @Test
    void aCustomDumpCutInItsDataFailsVerificationAndAFailedRestoreDropsThePassingOneItRelied() throws Exception {
        byte[] whole = Files.readAllBytes(seededCustom());
        Path f = folder().resolve("selfology_premigration_20200101_050505.dump");
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length - 16));
        RefHost.run(Duration.ofSeconds(10), "chown", "dutydesk-deploy", f.toString());
        Sh list = sh(null, "pg_restore --list " + f + " >/dev/null");
        assertEquals(0, list.exit(), "the table of contents is whole: --list passes it: " + list.out());

        Path audit = tmp.resolve("audit.jsonl");
        RefHost.Result v = cli(audit, RefHost.config(), "verify", f.getFileName().toString());
        assertEquals(1, v.exitCode(), v.stdout() + "\n" + v.stderr());
        String detail = new ObjectMapper().readTree(v.stdout()).get("detail").asText();
        assertTrue(detail.startsWith("pg_restore -f /dev/null (reading the data): "), detail);
        assertTrue(detail.contains("end of file"), detail);
        Sh good = sh(null, "pg_restore -f /dev/null " + seededCustom());
        assertEquals(0, good.exit(), "the whole dump reads: " + good.out());

        // as an older console (pg_restore --list) stored it: a passing verification of this very file
        String path = RefHost.ref().backups().folders().get(0) + "/" + f.getFileName();
        io.dutydesk.adapters.store.SqliteStore store = io.dutydesk.adapters.store.SqliteStore.open(tmp.resolve("store.db"));
        try {
            new io.dutydesk.adapters.store.SqliteVerificationResults(store).save("ref", new io.dutydesk.core.backups.Verification(path,
                    Files.size(f), Files.getLastModifiedTime(f).toInstant(), true, "pg_restore --list: 4 entries", java.time.Instant.now())).join();
        } finally {
            store.close();
        }
        String rows = outboxRows();
        RefHost.Result r = cli(audit, RefHost.config(), "restore", f.getFileName().toString(), "--scratch", "--yes");
        assertEquals(1, r.exitCode(), r.stdout() + "\n" + r.stderr());
        assertTrue(r.stderr().contains("verification of " + f.getFileName() + " reused"), "the stored 'ok' was relied on: " + r.stderr());
        JsonNode j = new ObjectMapper().readTree(r.stdout());
        assertTrue(j.toString().contains("its passing verification is no longer kept: the next restore of " + f.getFileName()
                + " verifies it again"), j.toString());
        assertEquals(rows, outboxRows(), "the live database is not touched");
        assertEquals("0", psql("SELECT count(*) FROM pg_database WHERE datname LIKE 'selfology_scratch_%'"), "scratch dropped");

        RefHost.Result l = cli(audit, RefHost.config(), "backups");
        JsonNode listed = null;
        for (JsonNode b : new ObjectMapper().readTree(l.stdout()).get("backups")) {
            if (b.get("name").asText().equals(f.getFileName().toString())) {
                listed = b;
            }
        }
        assertTrue(listed != null && listed.get("verified").isNull(), "no longer listed as verified: " + listed);

        // the next restore verifies it again, and is refused on the data check
        RefHost.Result again = cli(audit, RefHost.config(), "restore", f.getFileName().toString(), "--scratch", "--yes");
        assertEquals(1, again.exitCode(), again.stdout());
        assertTrue(new ObjectMapper().readTree(again.stdout()).get("error").asText().contains("failed verification (pg_restore -f /dev/null "
                + "(reading the data): "), again.stdout());
    }

    // ------------------------------------------------------------------ the restore pipeline against a real PostgreSQL

    record Sh(int exit, String out) {}

    /** Runs shell text on this machine (the reference host's PostgreSQL is on its loopback) with {@code bin}'s stand-ins first on the PATH. */
    static Sh sh(Path bin, String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        if (bin != null) {
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        }
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(p.waitFor(T.toSeconds(), TimeUnit.SECONDS), script);
        return new Sh(p.exitValue(), out.get(30, TimeUnit.SECONDS));
    }

    /** A stand-in for {@code name} in {@code bin}: {@code body}, where REAL runs the real one. */
    static void wrap(Path bin, String name, String body) throws Exception {
        Files.createDirectories(bin);
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\nREAL() { PATH=${PATH#*:} " + name + " \"$@\"; }\n" + body);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A gzip whose -t passes and then cuts the file to half its size: the real gzip -dc then dies mid-stream. */
    static void gzipThatCutsTheFileAfterItsTest(Path bin) throws Exception {
        wrap(bin, "gzip", "if [ \"$1\" = -t ]; then REAL -t \"$2\" && truncate -s $(( $(stat -c %s \"$2\") / 2 )) \"$2\"; exit $?; fi\n"
                + "REAL \"$@\"\n");
    }

    static final String SRC = "dutydesk_guard_src";
    static final String DST = "dutydesk_guard_dst";

    /** A pg_dump (gzipped) of 20,000 rows, and an empty database with one marker row to restore it into. */
    Path guardDatabases() throws Exception {
        dropGuardDatabases();
        psql("CREATE DATABASE " + SRC);
        psqlOn(SRC, "CREATE TABLE guard_rows (id int PRIMARY KEY, v text); "
                + "INSERT INTO guard_rows SELECT g, repeat('x', 20) || g FROM generate_series(1, 20000) g");
        psql("CREATE DATABASE " + DST);
        psqlOn(DST, "CREATE TABLE marker (x int); INSERT INTO marker VALUES (1)");
        Path dump = tmp.resolve("guard.sql.gz");
        RefHost.run(T, "sh", "-c", "PGPASSWORD=$(cat " + RefHost.serverHome().resolve("secrets/pg_password") + ") pg_dump -h 127.0.0.1 "
                + "-p " + RefHost.PG_PORT + " -U selfology -d " + SRC + " --no-owner | gzip > " + dump);
        return dump;
    }

    /** As the superuser: the 20,000 rows just loaded bring an autovacuum worker, whose session selfology may not end. */
    static void dropGuardDatabases() {
        RefHost.psqlAsSuperuser("postgres", "DROP DATABASE IF EXISTS " + SRC + " WITH (FORCE)");
        RefHost.psqlAsSuperuser("postgres", "DROP DATABASE IF EXISTS " + DST + " WITH (FORCE)");
    }

    static String guardRowsIn(String database) {
        return psqlOn(database, "SELECT to_regclass('public.guard_rows') IS NOT NULL").equals("t")
                ? psqlOn(database, "SELECT count(*) FROM public.guard_rows") : "no table";
    }

    @Test
    void aBuiltInRestoreWhoseGzipDiesMidStreamCommitsNothing() throws Exception {
        try {
            Path dump = guardDatabases();
            Path victim = tmp.resolve("victim.sql.gz");
            Files.copy(dump, victim);
            Path bin = tmp.resolve("bin");
            gzipThatCutsTheFileAfterItsTest(bin);
            Environment.Postgres pg = RefHost.ref().postgres();

            Sh cut = sh(bin, io.dutydesk.core.backups.BackupScripts.builtinRestore(pg, victim.toString(), "gzip", DST));
            assertEquals(1, cut.exit(), cut.out());
            assertTrue(cut.out().contains("unexpected end of file"), "gzip -dc died mid-stream: " + cut.out());
            assertTrue(cut.out().contains("✖ the restore into " + DST + " did not complete (psql exit 3): nothing was committed"), cut.out());
            assertFalse(cut.out().contains("✔"), cut.out());
            assertEquals("no table", guardRowsIn(DST), "not half the rows: none");
            assertEquals("1", psqlOn(DST, "SELECT count(*) FROM marker"), "the database is as it was");

            // the same pipeline with the whole file: committed, every row
            Sh whole = sh(null, io.dutydesk.core.backups.BackupScripts.builtinRestore(pg, dump.toString(), "gzip", DST));
            assertEquals(0, whole.exit(), whole.out());
            assertTrue(whole.out().contains("✔ restore into " + DST + " completed"), whole.out());
            assertEquals("20000", guardRowsIn(DST));
        } finally {
            dropGuardDatabases();
        }
    }

    @Test
    void aPlainDumpCutInsideACopyBlockOrAGuardKilledMidStreamCommitsNothing() throws Exception {
        try {
            Path dump = guardDatabases();
            Environment.Postgres pg = RefHost.ref().postgres();
            // cut at a line boundary in the middle of the COPY block: psql alone would take the end of input as the end of the data
            List<String> lines = RefHost.run(T, "sh", "-c", "gzip -dc " + dump).lines().toList();
            Path cut = tmp.resolve("cut.sql");
            Files.writeString(cut, String.join("\n", lines.subList(0, lines.size() / 2)) + "\n");
            assertTrue(lines.subList(0, lines.size() / 2).stream().anyMatch(l -> l.startsWith("COPY public.guard_rows ")), "cut inside the COPY");
            Sh plain = sh(null, io.dutydesk.core.backups.BackupScripts.builtinRestore(pg, cut.toString(), "plain", DST));
            assertEquals(1, plain.exit(), plain.out());
            assertTrue(plain.out().contains("dutydesk: the backup ended before pg_dump's completion footer"), plain.out());
            assertEquals("no table", guardRowsIn(DST));

            // the guard itself killed mid-stream: it never sent COMMIT, and what follows it makes psql fail
            Path bin = tmp.resolve("bin");
            wrap(bin, "awk", "REAL \"$@\" | head -c 300000; exit 137\n");
            Sh killed = sh(bin, io.dutydesk.core.backups.BackupScripts.builtinRestore(pg, dump.toString(), "gzip", DST));
            assertEquals(1, killed.exit(), killed.out());
            assertTrue(killed.out().contains("dutydesk: the restore guard failed: nothing restored"), killed.out());
            assertEquals("no table", guardRowsIn(DST));
            assertEquals("1", psqlOn(DST, "SELECT count(*) FROM marker"));
        } finally {
            dropGuardDatabases();
        }
    }

    @Test
    void theTeamsRestoreScriptCommitsNothingWhenGunzipDiesMidStream() throws Exception {
        String marker = "it-team-cut-" + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
        String rows = outboxRows();
        Path victim = folder().resolve("selfology_full_20200101_060606.sql.gz");
        Files.copy(seededFull(), victim);
        Path bin = tmp.resolve("bin");
        gzipThatCutsTheFileAfterItsTest(bin);
        Path script = RefHost.serverHome().resolve("selfology/scripts/backup-restore.sh");
        boolean whole = false;
        try {
            Sh r = sh(bin, script + " restore-full " + victim);
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.out().contains("unexpected end of file"), "gunzip died mid-stream: " + r.out());
            assertTrue(r.out().contains("❌ restore failed: nothing was changed"), r.out());
            assertEquals(rows, outboxRows(), "the live database is as it was: not half a restore");
            assertEquals("1", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"));
            whole = true;
        } finally {
            if (!whole) {
                // never leave the shared reference host with half a database: the seeded backup restored whole
                sh(null, script + " restore-full " + seededFull());
            }
            psql("DELETE FROM selfology.event_outbox WHERE event_type = '" + marker + "'");
        }
    }

    @Test
    void aRestoreOutlivesTheDeploysTenSecondBoundAndACutSshServer() throws Exception {
        Environment ref = RefHost.ref();
        Environment.Deploy d = ref.deploy();
        Environment env = variant(ref, ref.backups().withCommands(slowRestore(ref, 12)), new Environment.Deploy(d.workdir(), d.commands(),
                d.versionPattern(), d.liveSlotCommand(), d.liveSlotPattern(), d.stateDir(), Duration.ofSeconds(10)), ref.postgres());
        Path audit = tmp.resolve("bound-audit.jsonl");
        String marker = "it-bound-" + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
        AtomicBoolean cut = new AtomicBoolean();
        CompletableFuture<Void> sshBack = new CompletableFuture<>();
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            BackupsService s = new BackupsService(env, h.shell(), VerificationResults.NONE, new JsonlAuditLog(audit), "it@test",
                    Clock.systemUTC(), ForkJoinPool.commonPool(), h::secret);
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            JobResult r = s.restore(seededFull().getFileName().toString(), false, "ref", (err, line) -> {
                lines.add(line);
                if (line.contains("restore-begins") && cut.compareAndSet(false, true)) {
                    // the SSH server goes away (its sessions killed) in the middle of the restore, and comes back
                    CompletableFuture.runAsync(() -> {
                        try {
                            RefHost.stop("ssh");
                            Thread.sleep(2000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            RefHost.start("ssh");
                            sshBack.complete(null);
                        }
                    });
                }
            }).get(T.toSeconds(), TimeUnit.SECONDS);
            assertTrue(cut.get(), "the SSH server was stopped during the restore: " + lines);
            assertTrue(r.ok(), r.message() + "\n" + lines);
            assertEquals(0, r.exitCode(), "not killed at the deploy's 10 s (exit 124): " + r.message());
            assertTrue(r.elapsedMs() > 12_000, "it ran past the deploy's bound: " + r.elapsedMs() + " ms");
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("✅ Restore completed")), "followed to its end after the cut: " + lines);
            assertTrue(lines.contains("job bound: none: runs until it ends (backups.restoreTimeoutSeconds not set; "
                    + "deploy.actionTimeoutSeconds does not apply)"), lines.toString());
            assertEquals("0", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"),
                    "the whole backup is in: the row written after it is gone");
            assertTrue(Files.exists(Path.of(r.safetyBackup().orElseThrow())), "the safety backup is named and there");
            List<AuditEntry> entries = new JsonlAuditLog(audit).recent(10).join();
            assertEquals("succeeded", entries.get(entries.size() - 1).result());
        } finally {
            if (cut.get()) {
                sshBack.get(60, TimeUnit.SECONDS); // never leave the shared reference host without its SSH server
            }
        }
    }

    @Test
    void aConsoleKilledMidRestoreLeavesTheJobToFinishWholeAndItsAuditIsCompletedFromTheServer() throws Exception {
        Environment ref = RefHost.ref();
        Path config = tmp.resolve("slow-restore.yaml");
        String yaml = Files.readString(RefHost.config());
        String folders = "      folders: [ " + folder() + " ]\n";
        assertTrue(yaml.contains(folders), yaml);
        Files.writeString(config, yaml.replace(folders, folders + "      commands: { restore: 'echo restore-begins; sleep 3; "
                + ref.backups().commands().get("restore") + "' }\n"));
        Path audit = tmp.resolve("kill-audit.jsonl");
        String marker = "it-kill-" + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");

        // the CLI as RefHost.dutydesk starts it (client compiler, the build's class-data archive): the same console, sooner
        List<String> cmd = new ArrayList<>(RefHost.javaJar(List.of()));
        cmd.addAll(List.of("restore", seededFull().getFileName().toString(), "--yes", "--env", "ref", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(Map.of("DUTYDESK_AUDIT_LOG", audit.toString(), "DUTYDESK_STORE", tmp.resolve("store.db").toString()));
        Process p = pb.start();
        p.getOutputStream().close();
        List<String> seen = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                seen.add(line);
                if (line.contains("restore-begins")) {
                    p.destroyForcibly(); // kill -9: no shutdown hook, the audit entry stays "started"
                    break;
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(seen.stream().anyMatch(l -> l.contains("restore-begins")), "killed in the middle of the restore: " + seen);

        AuditEntry started = new JsonlAuditLog(audit).recent(10).join().stream().filter(e -> e.result().equals("started"))
                .filter(e -> e.action().equals("restore")).findFirst().orElseThrow();
        Path exit = RefHost.serverHome().resolve(".dutydesk/actions/" + started.actionId() + ".exit");
        Eventually.await(() -> "the job ended on the server: " + exit, Duration.ofSeconds(60), () -> Files.exists(exit));
        assertEquals("0", Files.readString(exit).strip(), "the job finished although its console was killed");
        assertEquals("0", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"),
                "restored whole: the row written after the backup is gone (never half a database)");

        // the next console, whatever its verb, completes the entry the killed one left open first (from the server's exit
        // file), and lists the safety backup the job verified complete as verified (from the job's log), not "not verified"
        String safety = Files.readAllLines(RefHost.serverHome().resolve(".dutydesk/actions/" + started.actionId() + ".log")).stream()
                .filter(l -> l.startsWith("@@SAFETY ")).findFirst().orElseThrow().replaceFirst(" [0-9]+$", "");
        String safetyName = safety.substring(safety.lastIndexOf('/') + 1);
        RefHost.Result listed = cli(audit, RefHost.config(), "backups");
        assertTrue(listed.stderr().contains("dutydesk: completed 1 audit entry left open by a console that stopped"), listed.stderr());
        AuditEntry completed = new JsonlAuditLog(audit).recent(10).join().stream()
                .filter(e -> started.actionId().equals(e.actionId())).reduce((x, y) -> y).orElseThrow();
        assertEquals("ended", completed.result(), completed.toString());
        JsonNode safetyRow = null;
        for (JsonNode x : new ObjectMapper().readTree(listed.stdout()).get("backups")) {
            if (safetyName.equals(x.get("name").asText())) {
                safetyRow = x;
            }
        }
        assertTrue(safetyRow != null && safetyRow.get("verified").asBoolean()
                && safetyRow.get("verifyDetail").asText().startsWith("verified complete by the restore job " + started.actionId()),
                safetyName + ": " + safetyRow);

        RefHost.Result a = cli(audit, RefHost.config(), "audit");
        assertEquals(0, a.exitCode(), a.stderr());
        JsonNode row = null;
        for (JsonNode x : new ObjectMapper().readTree(a.stdout()).get("actions")) {
            if (started.actionId().equals(x.get("actionId").asText())) {
                row = x;
            }
        }
        assertTrue(row != null && row.get("result").asText().equals("ended"), String.valueOf(row));
        // judged from the job's markers and exit code as a live follow would (BackupsService.judge): what it restored and
        // the safety backup it made
        assertTrue(row.get("exitCode").asInt() == 0 && row.get("message").asText().contains("restored into selfology")
                && row.get("message").asText().contains("safety backup /"), row.toString());
    }

    @Test
    void aRestoreKilledOnTheServerHalfWayLeavesTheDatabaseAsItWas() throws Exception {
        // a good dump that pauses inside the restore's transaction, after the team's script dropped the schema
        List<String> lines = new ArrayList<>(RefHost.run(Duration.ofSeconds(30), "sh", "-c", "gzip -dc " + seededFull()).lines().toList());
        lines.add(8, "SELECT pg_sleep(4);");
        Path f = folder().resolve("selfology_full_20200101_050505.sql.gz");
        try (GZIPOutputStream g = new GZIPOutputStream(Files.newOutputStream(f))) {
            g.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String marker = "it-killed-" + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
        String rows = outboxRows();
        Environment env = RefHost.ref();
        Path audit = tmp.resolve("killed-audit.jsonl");
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            BackupsService s = new BackupsService(env, h.shell(), VerificationResults.NONE, new JsonlAuditLog(audit), "it@test",
                    Clock.systemUTC(), ForkJoinPool.commonPool(), h::secret);
            AtomicBoolean killed = new AtomicBoolean();
            List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<JobResult> run = s.restore(f.getFileName().toString(), false, "ref", (err, line) -> {
                log.add(line);
                if (line.startsWith("Restoring ") && killed.compareAndSet(false, true)) {
                    CompletableFuture.runAsync(() -> {
                        // the schema is dropped inside the restore's transaction once the dump's pause runs
                        Eventually.await("the restore pausing after the DROP", Duration.ofSeconds(30), () -> !psql(
                                "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(4)%' AND state = 'active'").isEmpty());
                        Path d = RefHost.serverHome().resolve(".dutydesk");
                        try {
                            String id = Files.readString(d.resolve("action.holder")).strip();
                            String pid = Files.readString(d.resolve("actions/" + id + ".pid")).strip();
                            RefHost.run(Duration.ofSeconds(10), "kill", "-TERM", "--", "-" + pid); // the job's whole process group
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
            });
            JobResult r = run.get(T.toSeconds(), TimeUnit.SECONDS);
            assertTrue(killed.get(), log.toString());
            assertFalse(r.ok(), r.message());
            assertTrue(r.message().contains("ended without an exit code (killed on the server?)"), r.message());
            assertEquals("unknown", r.result(), "killed without an exit file: its end is not known, not 'failed': " + r.message());
            assertTrue(r.message().contains("the safety backup ") && r.message().contains("check the live database"), r.message());
        }
        // the backend ends its pause, finds its client gone and rolls the transaction back: the DROP with it
        assertEquals(rows, outboxRows(), "the live database is as it was");
        assertEquals("1", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"));
        psql("DELETE FROM selfology.event_outbox WHERE event_type = '" + marker + "'");
    }

    @Test
    void aScratchDatabaseAKilledScratchRestoreLeftIsDroppedByTheNextOneAndAnotherConsolesIsLeftAlone() throws Exception {
        String untagged = "selfology_scratch_20200101000000"; // as a SIGKILLed scratch restore of an older console leaves it
        String ours = "selfology_scratch_20200101000000_0000beef"; // a SIGKILLed one of this state folder: no trap ran
        String theirs = "selfology_scratch_20200101000000_0badc0de"; // another console's (another state folder), maybe in use
        Path actions = RefHost.serverHome().resolve(".dutydesk/actions");
        Path killed = actions.resolve("20200101-000000-restore-scratch-0000beef.meta");
        try {
            for (String db : List.of(untagged, ours, theirs)) {
                psql("CREATE DATABASE " + db);
            }
            Files.createDirectories(actions);
            Files.writeString(killed, "{}");
            Path audit = tmp.resolve("scratch-audit.jsonl");
            RefHost.Result r = cli(audit, RefHost.config(), "restore", seededFull().getFileName().toString(), "--scratch", "--yes");
            assertEquals(0, r.exitCode(), r.stdout() + "\n" + r.stderr());
            assertTrue(r.stderr().contains("dropped the scratch database " + untagged + " left by a scratch restore that was killed"), r.stderr());
            assertTrue(r.stderr().contains("dropped the scratch database " + ours + " left by a scratch restore that was killed"), r.stderr());
            assertTrue(r.stderr().contains("left the scratch database " + theirs + ": not made by a job of this console's state folder"), r.stderr());
            assertEquals(theirs, psql("SELECT string_agg(datname, ',') FROM pg_database WHERE datname LIKE 'selfology_scratch_%'"),
                    "the other console's left, its own dropped too");
        } finally {
            Files.deleteIfExists(killed);
            for (String db : List.of(untagged, ours, theirs)) {
                psql("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    @Test
    void aSafetyBackupThatDoesNotFitIsRefusedWithTheFiguresAndNothingIsWritten() throws Exception {
        Environment ref = RefHost.ref();
        Environment env = variant(ref, ref.backups().withFolders(List.of(small().toString(), folder().toString())), ref.deploy(),
                ref.postgres());
        Path audit = tmp.resolve("space-audit.jsonl");
        String marker = "it-space-" + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
        try (Stream<Path> before = Files.list(small())) {
            assertEquals(List.of(), before.toList(), "the small folder starts empty");
        }
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            BackupsService s = new BackupsService(env, h.shell(), VerificationResults.NONE, new JsonlAuditLog(audit), "it@test",
                    Clock.systemUTC(), ForkJoinPool.commonPool(), h::secret);
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            JobResult r = s.restore(seededFull().getFileName().toString(), false, "ref", (err, line) -> lines.add(line))
                    .get(T.toSeconds(), TimeUnit.SECONDS);
            assertFalse(r.ok(), r.message());
            assertEquals("refused", r.result());
            assertTrue(r.message().matches("restore of selfology_full_\\d{8}_020000\\.sql\\.gz refused: the safety backup needs up to "
                    + "[0-9.]+ MiB \\(the size of the database selfology\\) and " + java.util.regex.Pattern.quote(small().toString())
                    + " has [0-9.]+ (KiB|MiB) free; nothing was written, nothing restored"), r.message());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("✖ the safety backup needs up to ")), lines.toString());
            List<AuditEntry> entries = new JsonlAuditLog(audit).recent(10).join();
            assertEquals("refused", entries.get(entries.size() - 1).result());
        }
        try (Stream<Path> after = Files.list(small())) {
            assertEquals(List.of(), after.toList(), "nothing written");
        }
        assertEquals("1", psql("SELECT count(*) FROM selfology.event_outbox WHERE event_type = '" + marker + "'"), "nothing restored");
        psql("DELETE FROM selfology.event_outbox WHERE event_type = '" + marker + "'");
    }

    @Test
    void aPromptedPasswordReachesTheBuiltInSafetyBackupOnItsInputOnly() throws Exception {
        Environment ref = RefHost.ref();
        Environment.Postgres pg = ref.postgres();
        Environment env = variant(ref, ref.backups(), ref.deploy(), new Environment.Postgres(pg.host(), pg.port(), pg.database(), pg.user(),
                new SecretRef.Prompt("PostgreSQL password")));
        String password = Files.readString(RefHost.serverHome().resolve("secrets/pg_password")).strip();
        List<String> asked = new ArrayList<>();
        SecretPrompt prompt = (environment, label) -> {
            asked.add(label);
            return CompletableFuture.completedFuture(Optional.of(password.toCharArray()));
        };
        Path audit = tmp.resolve("prompt-audit.jsonl");
        String marker = "it-prompt-" + System.nanoTime();
        psql("INSERT INTO selfology.event_outbox (event_type, payload, status, created_at) VALUES ('" + marker + "', '{}'::jsonb, 'pending', now())");
        JobResult r;
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, prompt)) {
            BackupsService s = new BackupsService(env, h.shell(), VerificationResults.NONE, new JsonlAuditLog(audit), "it@test",
                    Clock.systemUTC(), ForkJoinPool.commonPool(), h::secret);
            r = s.restore(seededFull().getFileName().toString(), false, "ref", io.dutydesk.core.ports.RemoteShell.OutputListener.NONE)
                    .get(T.toSeconds(), TimeUnit.SECONDS);
        }
        assertTrue(r.ok(), r.message());
        assertEquals(List.of("PostgreSQL password"), asked);
        String safety = r.safetyBackup().orElseThrow();
        assertTrue(RefHost.run(Duration.ofSeconds(30), "sh", "-c", "gzip -dc " + safety).contains(marker),
                "the built-in safety backup ran with the prompted password and holds the newest row");
        // the password never reached a file: not the job's log, meta, pid or exit files, not the audit log
        try (Stream<Path> s = Files.walk(RefHost.serverHome().resolve(".dutydesk"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(p), StandardCharsets.UTF_8).contains(password), "in " + p);
            }
        }
        assertFalse(Files.readString(audit).contains(password));
    }
}
