package io.dutydesk.core.backups;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.rollout.ActionScripts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore job's shell (safety backups, the unchanged-file guard, the scratch restore's clean-up, leftovers),
 * run by a real local sh with stand-in pg_dump / psql / createdb / dropdb on the PATH that do what the test says
 * (the reference host's ITs run the same text against a real PostgreSQL).
 */
class RestoreScriptsTest {
    @TempDir
    Path tmp;
    Path bin;
    Path folder;
    final Map<String, String> env = new HashMap<>();

    static final Environment.Postgres PG = new Environment.Postgres("127.0.0.1", 5432, "selfology", "selfology",
            new SecretRef.ServerFile("/nonexistent/pg_password"));
    static final Environment.Postgres PG_PROMPT = new Environment.Postgres("127.0.0.1", 5432, "selfology", "selfology",
            new SecretRef.Prompt("PostgreSQL password"));
    static final Environment.Postgres PG_PGPASS = new Environment.Postgres("127.0.0.1", 5432, "selfology", "selfology",
            new SecretRef.None());

    record Run(int exit, String out) {}

    @BeforeEach
    void stubs() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        folder = Files.createDirectories(tmp.resolve("backups"));
        Files.writeString(tmp.resolve("dump.sql"), BackupScriptsTest.DUMP);
        // psql: the database's size, the scratch databases' names, else records what it was asked and which password it had
        stub("psql", """
                case "$*" in
                  *pg_database_size*) echo "${FAKE_DB_SIZE:-1000}" ;;
                  *"FROM pg_database"*) cat "$STUB/scratch_list" 2>/dev/null ;;
                  *) echo "psql $*" >> "$STUB/calls"; tee "$STUB/psql_in" | sed -n "s/^SELECT '\\(dutydesk-end-[^']*\\)';\\$/\\1/p" ;;
                esac
                echo "${PGPASSWORD:-}" >> "$STUB/pgpassword"
                """);
        stub("pg_dump", """
                head -n "${FAKE_DUMP_LINES:-1000}" "$STUB/dump.sql"
                [ -n "${FAKE_DUMP_SLEEP:-}" ] && sleep "$FAKE_DUMP_SLEEP"
                exit "${FAKE_DUMP_EXIT:-0}"
                """);
        stub("createdb", "echo \"createdb $*\" >> \"$STUB/calls\"\n");
        stub("dropdb", "echo \"dropdb $*\" >> \"$STUB/calls\"\n");
        env.put("STUB", tmp.toString());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        // the scripts run as the runner's job does: its action's path prefix in the environment, its meta in the state folder
        env.put(ActionScripts.ACTION_VARIABLE, action(JOB).toString());
    }

    /** This test's job, as the runner names it: its tag is the last 8 hex digits. */
    static final String JOB = "20260101-120000-restore-0000abcd";

    /** The path prefix of action {@code id} in the state folder, its meta written (a job of this state folder). */
    Path action(String id) throws Exception {
        Path actions = Files.createDirectories(tmp.resolve("state/actions"));
        Files.writeString(actions.resolve(id + ".meta"), "{}");
        return actions.resolve(id);
    }

    void stub(String name, String body) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The shell the scripts run in: the system's sh, or another one a server may have. */
    List<String> shell = List.of("sh");

    Run sh(String script) throws Exception {
        return sh(script, null);
    }

    Run sh(String script, String stdin) throws Exception {
        // output to a file, and the result read when the script's own process ends — as the runner's job writes its
        // exit file — never at the end of a pipe that an orphaned child (a clean-up still running) may hold open
        Path log = Files.createTempFile(tmp, "out", ".log");
        List<String> cmd = new java.util.ArrayList<>(shell);
        cmd.addAll(List.of("-c", script));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(tmp.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    static boolean unchecked(java.util.concurrent.Callable<Boolean> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    String calls() throws Exception {
        Path c = tmp.resolve("calls");
        return Files.exists(c) ? Files.readString(c) : "";
    }

    // ------------------------------------------------------------------ built-in safety backup

    @Test
    void theBuiltInSafetyBackupIsWrittenVerifiedCompleteAndNamed() throws Exception {
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(0, r.exit(), r.out());
        List<String> f = files();
        assertEquals(2, f.size(), f.toString());
        String name = f.get(0);
        assertTrue(name.matches("dutydesk_prerestore_\\d{8}_\\d{6}\\.sql\\.gz"), name);
        assertEquals(name + ".sha256", f.get(1));
        assertTrue(r.out().contains("✔ safety backup verified complete: " + folder.resolve(name)), r.out());
        assertTrue(r.out().contains("completion footer"), r.out());
        assertTrue(r.out().contains(BackupScripts.SAFETY + folder.resolve(name) + " " + Files.size(folder.resolve(name))), r.out());
        assertTrue(r.out().contains("free space for the safety backup: "), r.out());
    }

    @Test
    void aPgDumpThatFailsUnderGzipFailsTheSafetyBackupAndLeavesNothing() throws Exception {
        // without pipefail, `pg_dump | gzip` exits 0 when pg_dump fails: the built-in checks both exit codes
        env.put("FAKE_DUMP_EXIT", "1");
        env.put("FAKE_DUMP_LINES", "8");
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("✖ the safety backup failed (pg_dump exit 1, gzip exit 0): nothing restored"), r.out());
        assertFalse(r.out().contains(BackupScripts.SAFETY), r.out());
        assertEquals(List.of(), files(), "no .part, no .rc, no backup");
    }

    @Test
    void aSafetyBackupWithoutPgDumpsFooterIsNotTrusted() throws Exception {
        env.put("FAKE_DUMP_LINES", "14"); // exits 0, but stopped after a complete line: no completion footer
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("✖ the safety backup is not complete: plain SQL: no \"dump complete\" footer (truncated?): nothing restored"),
                r.out());
        assertEquals(List.of(), files());
    }

    @Test
    void noSpaceForTheSafetyBackupIsRefusedWithTheFiguresAndNothingIsWritten() throws Exception {
        env.put("FAKE_DB_SIZE", "999999999999999999");
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(BackupScripts.STOPPED, r.exit(), r.out());
        String line = r.out().lines().filter(l -> l.startsWith(BackupScripts.NOSPACE)).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        String[] p = line.substring(BackupScripts.NOSPACE.length()).split(" ", 3);
        assertEquals("999999999999999999", p[0]);
        assertTrue(Long.parseLong(p[1]) > 0, line);
        assertEquals(folder.toString(), p[2]);
        assertTrue(r.out().contains("✖ the safety backup needs up to 999999999999999999 bytes (the size of the database) and " + folder + " has "),
                r.out());
        assertEquals(List.of(), files(), "nothing written");
        assertFalse(Files.exists(tmp.resolve("pgpassword")) && Files.readString(tmp.resolve("pgpassword")).lines().count() > 1,
                "pg_dump never ran");
    }

    @Test
    void preRestoreBackupsOlderThanTheirRetentionArePruned() throws Exception {
        Files.writeString(folder.resolve("dutydesk_prerestore_20000101_000000.sql.gz"), "old");
        Files.writeString(folder.resolve("dutydesk_prerestore_20000101_000000.sql.gz.sha256"), "x");
        Files.writeString(folder.resolve("dutydesk_prerestore_20000101_000000_2.sql.gz"), "old, the second of its second");
        String recent = "dutydesk_prerestore_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now().minusSeconds(86400)) + ".sql.gz";
        Files.writeString(folder.resolve(recent), "recent");
        Files.writeString(folder.resolve("selfology_full_20000101_020000.sql.gz"), "the team's own: never pruned by the console");
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains(BackupScripts.PRUNED + folder.resolve("dutydesk_prerestore_20000101_000000.sql.gz")), r.out());
        List<String> f = files();
        assertFalse(f.contains("dutydesk_prerestore_20000101_000000.sql.gz"), f.toString());
        assertFalse(f.contains("dutydesk_prerestore_20000101_000000.sql.gz.sha256"), f.toString());
        assertFalse(f.contains("dutydesk_prerestore_20000101_000000_2.sql.gz"), f.toString());
        assertTrue(f.contains(recent), f.toString());
        assertTrue(f.contains("selfology_full_20000101_020000.sql.gz"), f.toString());
        assertEquals(4, f.size(), "the recent one, the team's, the new one and its sidecar: " + f);
    }

    @Test
    void aSafetyBackupKilledByItsBoundLeavesNoPartFile() throws Exception {
        env.put("FAKE_DUMP_SLEEP", "30");
        // a slow clean-up (a loaded server): the job must not be over before its trap has removed the .part
        stub("rm", "sleep 1; exec /bin/rm \"$@\"\n");
        // the job's bound exactly as the runner applies it: timeout(1) sends TERM to the job's whole process group, and
        // the job is over (exit file, lock released) only when the clean-up trap has run
        Run r = sh(io.dutydesk.core.rollout.ActionScripts.bounded(BackupScripts.builtinSafetyBackup(PG_PGPASS,
                folder.toString(), 90), java.time.Duration.ofSeconds(2)));
        assertEquals(124, r.exit(), r.out());
        assertTrue(r.out().contains("Pre-restore safety backup into "), r.out());
        assertEquals(List.of(), files(), "the killed safety backup's .part is gone");
    }

    @Test
    void whatAKilledSafetyBackupLeftIsRemovedByTheNextOne() throws Exception {
        action("20261122-101500-restore-0000beef"); // a job of this state folder, killed (SIGKILL ran no trap)
        Files.writeString(folder.resolve("dutydesk_prerestore_20261122_101500.sql.gz.0000beef.part"), "partial: SIGKILL ran no trap");
        Files.writeString(folder.resolve("dutydesk_prerestore_20261122_101500.sql.gz.0000beef.rc"), "0");
        Files.writeString(folder.resolve("selfology_full_20261122_020000.sql.gz.part"), "the team's: not ours to remove here");
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("removed dutydesk_prerestore_20261122_101500.sql.gz.0000beef.part, left by a safety backup that was killed"),
                r.out());
        List<String> f = files();
        assertFalse(f.stream().anyMatch(n -> n.startsWith("dutydesk_prerestore_20261122_101500")), f.toString());
        assertTrue(f.contains("selfology_full_20261122_020000.sql.gz.part"), f.toString());
    }

    @Test
    void aSafetyBackupAnotherConsoleIsWritingIsLeftAlone() throws Exception {
        // two consoles with different state folders (so different locks) on one server, one backup folder
        Files.writeString(folder.resolve("dutydesk_prerestore_20261122_101500.sql.gz.0badc0de.part"), "being written by another console");
        Files.writeString(folder.resolve("dutydesk_prerestore_20261122_101500.sql.gz.0badc0de.rc"), "");
        Files.writeString(folder.resolve("dutydesk_prerestore_20261122_101400.sql.gz.part"), "an older console's: whose, nobody can tell");
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(0, r.exit(), r.out());
        assertFalse(r.out().contains("removed "), r.out());
        List<String> f = files();
        assertTrue(f.containsAll(List.of("dutydesk_prerestore_20261122_101500.sql.gz.0badc0de.part",
                "dutydesk_prerestore_20261122_101500.sql.gz.0badc0de.rc", "dutydesk_prerestore_20261122_101400.sql.gz.part")), f.toString());
    }

    @Test
    void twoSafetyBackupsOfTheSameSecondAreBothKept() throws Exception {
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(java.time.ZoneOffset.UTC).format(Instant.now());
        wrap("date", "[ \"$*\" = '-u +%Y%m%d_%H%M%S' ] && { echo " + now + "; exit 0; }; REAL \"$@\"\n");
        Run first = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(0, first.exit(), first.out());
        env.put("FAKE_DUMP_LINES", "17"); // another database state: another file
        Run second = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(0, second.exit(), second.out());
        String a = "dutydesk_prerestore_" + now + ".sql.gz";
        String b = "dutydesk_prerestore_" + now + "_2.sql.gz";
        assertEquals(List.of(a, a + ".sha256", b, b + ".sha256"), files());
        assertTrue(second.out().contains(BackupScripts.SAFETY + folder.resolve(b) + " "), second.out());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(folder.resolve(a)), Files.readAllBytes(folder.resolve(b))), "the first is not overwritten");
        assertTrue(BackupCatalog.PRE_RESTORE_KIND.pattern().matcher(b).matches(), "listed as a pre-restore backup");
    }

    // ------------------------------------------------------------------ a team's safety backup

    Run configured(String command) throws Exception {
        return sh(BackupScripts.configuredSafetyBackup(PG_PGPASS, command, folder.toString()));
    }

    @Test
    void aConfiguredSafetyBackupRunsWithErrexitAndPipefail() throws Exception {
        Run r = configured("false | gzip > {folder}/x.sql.gz; echo Backup created: {folder}/x.sql.gz");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("✖ the safety backup command exited 1: nothing restored"), r.out());
        assertFalse(r.out().contains(BackupScripts.SAFETY), r.out());
    }

    @Test
    void aConfiguredSafetyBackupNamesTheFileItWroteWhichIsThenVerified() throws Exception {
        Run r = configured("pg_dump | gzip > {folder}/pre_1.sql.gz && echo ✅ Backup created: $(cd {folder} && pwd)/pre_1.sql.gz '(123 bytes)'");
        assertEquals(0, r.exit(), r.out());
        Path f = folder.resolve("pre_1.sql.gz").toRealPath();
        assertTrue(r.out().contains(BackupScripts.SAFETY + f + " " + Files.size(f)), r.out());
        assertTrue(r.out().contains("✔ safety backup verified complete: " + f), r.out());

        Run marker = configured("pg_dump > {folder}/pre_2.sql && echo @@SAFETY $(cd {folder} && pwd)/pre_2.sql && echo done");
        assertEquals(0, marker.exit(), marker.out());
        assertTrue(marker.out().contains(BackupScripts.SAFETY + folder.resolve("pre_2.sql").toRealPath()), marker.out());
        assertEquals(1, marker.out().lines().filter(l -> l.startsWith(BackupScripts.SAFETY)).count(),
                "the command's own marker is replaced by the checked one: " + marker.out());
    }

    @Test
    void aConfiguredSafetyBackupThatNamesNothingOrAnOldFileOrAnIncompleteOneStopsTheRestore() throws Exception {
        Run silent = configured("pg_dump | gzip > {folder}/pre.sql.gz");
        assertEquals(1, silent.exit(), silent.out());
        assertTrue(silent.out().contains("✖ the safety backup command did not name the file it wrote"), silent.out());

        Path old = folder.resolve("old.sql.gz");
        Files.write(old, BackupScriptsTest.gzip(BackupScriptsTest.DUMP));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Run stale = configured("echo \"@@SAFETY " + old.toRealPath() + "\"");
        assertEquals(1, stale.exit(), stale.out());
        assertTrue(stale.out().contains("which it did not write: nothing restored"), stale.out());

        env.put("FAKE_DUMP_LINES", "14");
        Run cut = configured("pg_dump | gzip > {folder}/cut.sql.gz; echo wrote $(cd {folder} && pwd)/cut.sql.gz");
        assertEquals(1, cut.exit(), cut.out());
        assertTrue(cut.out().contains("is not complete: plain SQL: no \"dump complete\" footer (truncated?): nothing restored"), cut.out());
    }

    @Test
    void wordsOfTheCommandsOutputAreNeverExpandedByTheShell() throws Exception {
        // "…/backups/*" in its output: expanded, it named every file in the folder, the last one written since the start won
        Run r = configured("pg_dump | gzip > {folder}/pre.sql.gz; echo partial > {folder}/zz.log; cd {folder}; "
                + "echo \"Backup written: $(pwd)/pre.sql.gz\"; echo \"old ones are in $(pwd)/*\"");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains(BackupScripts.SAFETY + folder.resolve("pre.sql.gz").toRealPath() + " "), r.out());
    }

    /** The mark the configured safety backup made before the command started (its temporary files are in {@code mk}). */
    static final String MARK = "\"$(ls \"$TMPDIR\"/*.t)\"";

    @Test
    void aFileWrittenBeforeTheCommandStartedIsNotTakenForItsBackupEvenInTheSameSecond() throws Exception {
        // a shell whose test -nt sees whole seconds (busybox sh, as on many servers), when there is one
        if (new java.io.File("/usr/bin/busybox").canExecute() || new java.io.File("/bin/busybox").canExecute()) {
            shell = List.of("busybox", "sh");
        }
        env.put("TMPDIR", Files.createDirectories(tmp.resolve("mk")).toString());
        // the named file's time: one nanosecond before the mark, the same second
        Run r = configured("pg_dump | gzip > {folder}/pre.sql.gz; touch -r " + MARK + " -d '-0.000000001 seconds' {folder}/pre.sql.gz; "
                + "cd {folder}; echo @@SAFETY $(pwd)/pre.sql.gz");
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("✖ the safety backup command named " + folder.resolve("pre.sql.gz").toRealPath()
                + ", which it did not write: nothing restored"), r.out());
    }

    @Test
    void aFileOnAFileSystemThatKeepsWholeSecondsIsTakenWhenWrittenInTheSecondOfTheMark() throws Exception {
        env.put("TMPDIR", Files.createDirectories(tmp.resolve("mk")).toString());
        // written after the mark, on a file system that keeps seconds only: its time is the mark's second, .000000000
        Run r = configured("pg_dump | gzip > {folder}/pre.sql.gz; touch -d \"$(TZ=UTC0 stat -c %y " + MARK + " | sed 's/[.][0-9]*//')\" "
                + "{folder}/pre.sql.gz; cd {folder}; echo @@SAFETY $(pwd)/pre.sql.gz");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains(BackupScripts.SAFETY + folder.resolve("pre.sql.gz").toRealPath() + " "), r.out());
    }

    @Test
    void aSafetyBackupPathWithSpacesIsTakenFromItsMarkerLine() throws Exception {
        folder = Files.createDirectories(tmp.resolve("my backups"));
        Run r = configured("pg_dump | gzip > {folder}/pre.sql.gz; cd {folder}; echo \"@@SAFETY $(pwd)/pre.sql.gz\"");
        assertEquals(0, r.exit(), r.out());
        Path f = folder.resolve("pre.sql.gz").toRealPath();
        String line = r.out().lines().filter(l -> l.startsWith(BackupScripts.SAFETY)).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertEquals(BackupScripts.SAFETY + f + " " + Files.size(f), line);
        assertEquals(f.toString(), BackupsService.safetyPath(line.substring(BackupScripts.SAFETY.length())), "the console reads the whole path");

        // without the marker, a path with spaces cannot be told from words: refused, saying what to print
        Run silent = configured("pg_dump | gzip > {folder}/pre3.sql.gz; cd {folder}; echo \"wrote $(pwd)/pre3.sql.gz\"");
        assertEquals(1, silent.exit(), silent.out());
        assertTrue(silent.out().contains("(print its path, or a line \"@@SAFETY PATH\" — a path with spaces needs that line)"), silent.out());
    }

    @Test
    void aMarkerLineWithWordsAfterItsPathStillNamesTheFile() throws Exception {
        Run r = configured("pg_dump | gzip > {folder}/pre.sql.gz; cd {folder}; echo \"@@SAFETY $(pwd)/pre.sql.gz (1234 bytes)\"");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains(BackupScripts.SAFETY + folder.resolve("pre.sql.gz").toRealPath() + " "), r.out());
    }

    @Test
    void theSpaceCheckNamesTheFolderItselfNotATilde() throws Exception {
        env.put("HOME", tmp.toString());
        env.put("FAKE_DB_SIZE", "999999999999999999");
        Run r = sh(BackupScripts.configuredSafetyBackup(PG_PGPASS, "touch {folder}/ran", "~/backups"));
        assertEquals(BackupScripts.STOPPED, r.exit(), r.out());
        assertFalse(r.out().contains("~"), r.out());
        assertTrue(r.out().contains(BackupScripts.NOSPACE + "999999999999999999 "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(BackupScripts.NOSPACE) && l.endsWith(" " + folder)), r.out());
        assertTrue(r.out().contains("(the size of the database) and " + folder + " has "), r.out());
    }

    /** {@code bytes} with the gzip trailer's CRC-32 changed: gzip -dc writes out the whole dump, then fails. */
    static byte[] brokenCrc(byte[] bytes) {
        byte[] b = bytes.clone();
        b[b.length - 8] ^= 0x5a;
        return b;
    }

    @Test
    void aConfiguredSafetyBackupWithABrokenCrcIsNotTrusted() throws Exception {
        Path made = tmp.resolve("made.sql.gz");
        Files.write(made, brokenCrc(BackupScriptsTest.gzip(BackupScriptsTest.DUMP)));
        Run r = configured("cp " + made + " {folder}/pre_crc.sql.gz && cd {folder} && echo @@SAFETY $(pwd)/pre_crc.sql.gz");
        assertEquals(1, r.exit(), r.out());
        Path f = folder.resolve("pre_crc.sql.gz").toRealPath();
        assertTrue(r.out().contains("✖ the safety backup " + f + " is not complete: gzip -t: " + f + ": invalid compressed data--crc error"),
                r.out());
        assertFalse(r.out().contains("verified complete"), r.out());
        assertFalse(r.out().contains(BackupScripts.SAFETY), r.out());
    }

    @Test
    void aBuiltInSafetyBackupWithABrokenCrcIsNotTrusted() throws Exception {
        // what gzip wrote is damaged on its way to the disk: the CRC of the file no longer matches its content
        wrap("gzip", """
                if [ "$1" = -c ]; then
                  REAL -c > "$STUB/gz.tmp" || exit 1
                  n=$(( $(stat -c %s "$STUB/gz.tmp") - 8 )); b=$(od -An -tu1 -j $n -N1 "$STUB/gz.tmp" | tr -d ' ')
                  printf "\\\\$(printf '%03o' $(( (b + 1) % 256 )))" | dd of="$STUB/gz.tmp" bs=1 seek=$n conv=notrunc 2>/dev/null
                  exec cat "$STUB/gz.tmp"
                fi
                REAL "$@"
                """);
        Run r = sh(BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90));
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().matches("(?s).*✖ the safety backup is not complete: gzip -t: \\S+\\.part: invalid compressed data--crc error: nothing restored.*"),
                r.out());
        assertFalse(r.out().contains(BackupScripts.SAFETY), r.out());
        assertEquals(List.of(), files());
    }

    @Test
    void aConfiguredSafetyBackupIsStoppedByTheSpaceCheckBeforeItRuns() throws Exception {
        env.put("FAKE_DB_SIZE", "999999999999999999");
        Run r = configured("touch {folder}/ran");
        assertEquals(BackupScripts.STOPPED, r.exit(), r.out());
        assertTrue(r.out().contains(BackupScripts.NOSPACE + "999999999999999999 "), r.out());
        assertTrue(r.out().contains(" " + folder), r.out());
        assertEquals(List.of(), files(), "the command did not run");
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void aPasswordTheConsoleResolvedReachesPsqlThroughTheJobsEnvironmentOnlyAndNeverTheTeamsCommand() throws Exception {
        String script = BackupScripts.builtinSafetyBackup(PG_PROMPT, folder.toString(), 90) + "; "
                + BackupScripts.teamCommand("echo \"team sees: [${" + BackupScripts.SECRET_VARIABLE + ":-}] [${PGPASSWORD:-}]\"");
        assertFalse(script.contains("s3cr3t"));
        env.put(BackupScripts.SECRET_VARIABLE, "s3cr3t");
        Run r = sh(script);
        assertEquals(0, r.exit(), r.out());
        assertTrue(Files.readString(tmp.resolve("pgpassword")).lines().allMatch("s3cr3t"::equals), "psql had it");
        assertTrue(r.out().contains("team sees: [] []"), r.out());
        assertFalse(r.out().contains("s3cr3t"), r.out());

        env.remove(BackupScripts.SECRET_VARIABLE);
        Run missing = sh(BackupScripts.builtinSafetyBackup(PG_PROMPT, folder.toString(), 90));
        assertEquals(1, missing.exit());
        assertTrue(missing.out().contains("✖ the database password (prompt (PostgreSQL password)) did not reach the job"), missing.out());
    }

    @Test
    void theSecretIsReadFromTheInputIntoTheDetachedJobsEnvironment() throws Exception {
        String state = tmp.resolve("state").toString();
        String id = "20260101-120000-restore-0000000a";
        String job = ActionScripts.job(tmp.toString(), "echo \"job has [$" + BackupScripts.SECRET_VARIABLE + "]\" > " + tmp.resolve("seen"),
                java.util.Optional.empty(), null);
        String script = ActionScripts.start(state, id, job, "{}", java.util.Optional.of(BackupScripts.SECRET_VARIABLE))
                + " && echo \"starter has [${" + BackupScripts.SECRET_VARIABLE + ":-}]\" && " + ActionScripts.follow(state, id, 1);
        assertFalse(script.contains("pa ss"));
        Run r = sh(script, "pa ss\n");
        assertTrue(r.out().contains(ActionScripts.EXIT + "0"), r.out());
        assertTrue(r.out().contains("starter has []"), "unset once the job started: " + r.out());
        assertEquals("job has [pa ss]\n", Files.readString(tmp.resolve("seen")));
        try (Stream<Path> s = Files.walk(tmp.resolve("state"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(p).contains("pa ss"), "never in a file of the state folder: " + p);
            }
        }
    }

    @Test
    void anUnboundedJobHasNoTimeout() {
        String job = ActionScripts.job("/w", "restore", java.util.Optional.empty(), null);
        assertFalse(job.contains("timeout"), job);
        assertTrue(ActionScripts.job("/w", "restore", java.util.Optional.empty(), java.time.Duration.ofSeconds(90)).contains("timeout -k 30 90 "));
    }

    // ------------------------------------------------------------------ the restored file is the file verified

    @Test
    void aBackupThatChangedSinceItWasCheckedIsNotRestored() throws Exception {
        Path f = folder.resolve("selfology_full_20261122_020000.sql.gz");
        Files.writeString(f, "12345");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-11-22T02:00:04Z")));
        long mtime = Instant.parse("2026-11-22T02:00:04Z").getEpochSecond();
        assertEquals(new Run(0, "restored\n"), sh(BackupScripts.unchanged(f.toString(), 5, mtime) + "echo restored"));
        Run changed = sh(BackupScripts.unchanged(f.toString(), 4, mtime) + "echo restored");
        assertEquals(BackupScripts.STOPPED, changed.exit());
        assertTrue(changed.out().startsWith(BackupScripts.REFUSE + "the backup changed since the console checked it (size and time now: 5 "
                + mtime + "; checked: 4 " + mtime + "); nothing was restored"), changed.out());
        Run gone = sh(BackupScripts.unchanged(folder.resolve("nope").toString(), 4, mtime) + "echo restored");
        assertTrue(gone.out().contains("size and time now: no such file"), gone.out());
    }

    // ------------------------------------------------------------------ the built-in restore commits only a whole dump

    /** The stand-in {@code name} runs the real one (the PATH after the stand-ins) with {@code body} around it: "$REAL" runs it. */
    void wrap(String name, String body) throws Exception {
        stub(name, "REAL() { PATH=${PATH#*:} " + name + " \"$@\"; }\n" + body);
    }

    String psqlInput() throws Exception {
        return Files.readString(tmp.resolve("psql_in"));
    }

    static final String RAISE_CUT = "DO $dutydesk_guard$ BEGIN RAISE EXCEPTION 'dutydesk: %', 'the backup ended before pg_dump''s "
            + "completion footer (cut short, or reading it failed)'; END $dutydesk_guard$;\n";

    Path gzipped(String name, String sql) throws Exception {
        Path f = folder.resolve(name);
        Files.write(f, BackupScriptsTest.gzip(sql));
        return f;
    }

    static String lines(String sql, int n) {
        return String.join("\n", sql.lines().limit(n).toList()) + "\n";
    }

    @Test
    void aWholeDumpIsCommittedByTheGuardAndTheCommitIsProven() throws Exception {
        Path f = gzipped("whole.sql.gz", BackupScriptsTest.DUMP);
        Run r = sh(BackupScripts.builtinRestore(PG_PGPASS, f.toString(), "gzip", "selfology"));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("✔ restore into selfology completed"), r.out());
        String in = psqlInput();
        assertTrue(in.startsWith("BEGIN;\n" + BackupScriptsTest.DUMP + "COMMIT;\nSELECT 'dutydesk-end-"), in);
        assertTrue(in.endsWith("';\n"), in);
        assertTrue(calls().contains("psql -X -q -tA -v ON_ERROR_STOP=1 -d selfology"), calls());
    }

    @Test
    void aGzipThatDiesMidStreamNeverGetsPsqlToCommit() throws Exception {
        // gzip -t passed; then reading fails inside the COPY block (OOM kill, read error, the file cut): sh has no pipefail
        wrap("gzip", "case \"$1\" in -dc) REAL -dc \"$2\" | head -n 9; exit 1 ;; esac; REAL \"$@\"\n");
        Path f = gzipped("cut.sql.gz", BackupScriptsTest.DUMP);
        Run r = sh(BackupScripts.builtinRestore(PG_PGPASS, f.toString(), "gzip", "selfology"));
        assertEquals(1, r.exit(), r.out());
        assertFalse(r.out().contains("✔"), r.out());
        assertTrue(r.out().contains("✖ the backup ended before pg_dump's completion footer (cut short, or reading it failed): nothing is committed"),
                r.out());
        assertTrue(r.out().contains("✖ the restore into selfology did not complete (psql exit 0): nothing was committed, selfology is as it was"),
                r.out());
        // psql got a transaction that is never committed: the open COPY block ended, then an exception (ON_ERROR_STOP)
        assertEquals("BEGIN;\n" + lines(BackupScriptsTest.DUMP, 9) + "\\.\n" + RAISE_CUT, psqlInput());
    }

    @Test
    void aPlainDumpCutBetweenStatementsOrWhoseReaderFailsAfterTheFooterIsNotCommitted() throws Exception {
        Path f = folder.resolve("cut.sql");
        String cut = lines(BackupScriptsTest.DUMP, 10); // ends with the first COPY block's terminator
        Files.writeString(f, cut);
        Run r = sh(BackupScripts.builtinRestore(PG_PGPASS, f.toString(), "plain", "selfology"));
        assertEquals(1, r.exit(), r.out());
        assertEquals("BEGIN;\n" + cut + RAISE_CUT, psqlInput());

        // the whole dump read, then the reader fails (a broken last gzip member, the CRC): not committed either
        wrap("gzip", "case \"$1\" in -dc) REAL -dc \"$2\"; exit 1 ;; esac; REAL \"$@\"\n");
        Path g = gzipped("crc.sql.gz", BackupScriptsTest.DUMP);
        Run crc = sh(BackupScripts.builtinRestore(PG_PGPASS, g.toString(), "gzip", "selfology"));
        assertEquals(1, crc.exit(), crc.out());
        assertTrue(crc.out().contains("✖ reading the backup failed after pg_dump's completion footer: nothing is committed"), crc.out());
        assertFalse(psqlInput().contains("COMMIT"), psqlInput());
    }

    @Test
    void aGuardThatDiesItselfSendsNoCommitAndEndsInAnError() throws Exception {
        wrap("awk", "REAL \"$@\" | head -n 9; exit 137\n");
        Path f = gzipped("whole.sql.gz", BackupScriptsTest.DUMP);
        Run r = sh(BackupScripts.builtinRestore(PG_PGPASS, f.toString(), "gzip", "selfology"));
        assertEquals(1, r.exit(), r.out());
        assertFalse(r.out().contains("✔"), r.out());
        assertEquals("BEGIN;\n" + lines(BackupScriptsTest.DUMP, 8) + "\n\\.\n"
                + "DO $dutydesk_guard$ BEGIN RAISE EXCEPTION 'dutydesk: the restore guard failed: nothing restored'; END $dutydesk_guard$;\n",
                psqlInput());
    }

    @Test
    void aScratchRestoreOfADumpCutShortFailsAndDropsItsDatabase() throws Exception {
        wrap("gzip", "case \"$1\" in -dc) REAL -dc \"$2\" | head -n 9; exit 1 ;; esac; REAL \"$@\"\n");
        Path f = gzipped("cut.sql.gz", BackupScriptsTest.DUMP);
        Run r = sh(BackupScripts.builtinScratchRestore(PG_PGPASS, f.toString(), "gzip"));
        assertEquals(1, r.exit(), r.out());
        assertFalse(r.out().contains("✔"), r.out());
        assertFalse(psqlInput().contains("COMMIT"), psqlInput());
        String created = calls().lines().filter(l -> l.startsWith("createdb")).findFirst().orElseThrow().split(" ")[3];
        assertTrue(calls().strip().endsWith("dropdb --force --if-exists " + created), calls());
    }

    // ------------------------------------------------------------------ scratch restore

    @Test
    void aScratchRestoreDropsWhatAKilledOneLeftAndItsOwnDatabaseAtTheEnd() throws Exception {
        action("20200101-000000-restore-scratch-0000beef"); // killed: a job of this state folder
        Files.writeString(tmp.resolve("scratch_list"), "selfology_scratch_20200101000000_0000beef\n");
        Path f = folder.resolve("b.sql");
        Files.writeString(f, BackupScriptsTest.DUMP);
        Run r = sh(BackupScripts.builtinScratchRestore(PG_PGPASS, f.toString(), "plain"));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("dropped the scratch database selfology_scratch_20200101000000_0000beef left by a scratch restore that was killed"),
                r.out());
        String calls = calls();
        assertTrue(calls.startsWith("dropdb --force --if-exists selfology_scratch_20200101000000_0000beef\ncreatedb -T template0 selfology_scratch_"),
                calls);
        String created = calls.lines().filter(l -> l.startsWith("createdb")).findFirst().orElseThrow().split(" ")[3];
        assertTrue(created.matches("selfology_scratch_\\d{14}_0000abcd"), "named after its job: " + created);
        assertTrue(calls.strip().endsWith("dropdb --force --if-exists " + created), calls);
    }

    @Test
    void aScratchDatabaseOfAnotherConsoleIsLeftAloneAndAnUntaggedOneDroppedOnlyWhenUnused() throws Exception {
        // another console (another state folder, so another lock) restoring into its scratch database right now; and one
        // named before scratch databases carried their job: dropped without --force, so never while someone uses it
        Files.writeString(tmp.resolve("scratch_list"), "selfology_scratch_20200101000000_0badc0de\nselfology_scratch_20200101000000\n");
        Path f = folder.resolve("b.sql");
        Files.writeString(f, BackupScriptsTest.DUMP);
        Run r = sh(BackupScripts.builtinScratchRestore(PG_PGPASS, f.toString(), "plain"));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("left the scratch database selfology_scratch_20200101000000_0badc0de: not made by a job of this console's "
                + "state folder (another console's scratch restore may be using it)"), r.out());
        String calls = calls();
        assertFalse(calls.contains("0badc0de"), calls);
        assertTrue(calls.startsWith("dropdb --if-exists selfology_scratch_20200101000000\ncreatedb "), calls);
        assertTrue(r.out().contains("dropped the scratch database selfology_scratch_20200101000000 left by a scratch restore that was killed"),
                r.out());
    }

    @Test
    void aScratchOrSafetyBackupOutsideAJobRefusesToGuessWhoseLeftoversAreWhose() throws Exception {
        env.remove(ActionScripts.ACTION_VARIABLE);
        Path f = folder.resolve("b.sql");
        Files.writeString(f, BackupScriptsTest.DUMP);
        for (String script : List.of(BackupScripts.builtinScratchRestore(PG_PGPASS, f.toString(), "plain"),
                BackupScripts.builtinSafetyBackup(PG_PGPASS, folder.toString(), 90))) {
            Run r = sh(script);
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.out().contains("✖ not run as a dutydesk job (DUTYDESK_ACTION does not name an action): nothing done"), r.out());
        }
        assertEquals("", calls(), "nothing created, nothing dropped");
    }

    @Test
    void aScratchRestoreKilledByItsBoundDropsItsDatabase() throws Exception {
        stub("psql", """
                case "$*" in
                  *"FROM pg_database"*) ;;
                  *) echo "psql $*" >> "$STUB/calls"; sleep 30 ;;
                esac
                """);
        Path f = folder.resolve("b.sql");
        Files.writeString(f, BackupScriptsTest.DUMP);
        Run r = sh(ActionScripts.bounded(BackupScripts.builtinScratchRestore(PG_PGPASS, f.toString(), "plain"),
                java.time.Duration.ofSeconds(2)));
        assertEquals(124, r.exit(), r.out());
        String calls = calls();
        String created = calls.lines().filter(l -> l.startsWith("createdb")).findFirst().orElseThrow().split(" ")[3];
        assertTrue(calls.contains("psql -X -q -tA -v ON_ERROR_STOP=1 -d " + created), calls);
        assertTrue(calls.strip().endsWith("dropdb --force --if-exists " + created), calls + r.out());
        assertTrue(r.out().contains("scratch database " + created + " dropped"), r.out() + "\nCALLS:\n" + calls);
    }

    // ------------------------------------------------------------------ leftovers

    @Test
    void aLeftoverIsRemovedOnlyOnceNothingWritesIt() throws Exception {
        String lock = ActionScripts.lockOrBusy(tmp.resolve("state").toString());
        Path fresh = folder.resolve("selfology_full_20261122_020000.sql.gz.part");
        Files.writeString(fresh, "partial");
        Run young = sh(BackupScripts.removeLeftover(lock, fresh.toString()));
        assertEquals(BackupScripts.STOPPED, young.exit(), young.out());
        assertTrue(young.out().contains(BackupScripts.REFUSE + "written to in the last 10 minutes"), young.out());
        assertTrue(Files.exists(fresh));

        Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().minusSeconds(3600)));
        // held until destroyed below: a holder that ended on its own (a 30 s sleep under a loaded machine) made the
        // refusal below depend on how fast the machine was
        Process holder = new ProcessBuilder("sh", "-c", "exec 3<" + fresh + "; exec sleep 600").start();
        try {
            io.dutydesk.testing.Eventually.await("held open", java.time.Duration.ofSeconds(60),
                    () -> unchecked(() -> sh("ls -l /proc/" + holder.pid() + "/fd").out().contains(fresh.toString())));
            Run open = sh(BackupScripts.removeLeftover(lock, fresh.toString()));
            assertEquals(BackupScripts.STOPPED, open.exit(), open.out());
            assertTrue(open.out().contains(BackupScripts.REFUSE + "open by process " + holder.pid()), open.out());
        } finally {
            holder.destroyForcibly().waitFor();
        }
        String real = fresh.toRealPath().toString();
        Run removed = sh(BackupScripts.removeLeftover(lock, fresh.toString()));
        assertEquals(0, removed.exit(), removed.out());
        assertTrue(removed.out().contains(BackupScripts.REMOVED + real + " 7"), removed.out());
        assertFalse(Files.exists(fresh));

        Path backup = folder.resolve("selfology_full_20261122_020000.sql.gz");
        Files.writeString(backup, "x");
        Run notPart = sh(BackupScripts.removeLeftover(lock, backup.toString()));
        assertEquals(BackupScripts.STOPPED, notPart.exit());
        assertTrue(Files.exists(backup), "only .part files");
    }

    @Test
    void aLeftoverOfAnotherUserIsNeverRemovedForItsWritersCannotBeSeen() throws Exception {
        // a root or postgres cron pg_dump waiting on a lock: quiet for an hour, and its descriptor invisible to the SSH user
        String lock = ActionScripts.lockOrBusy(tmp.resolve("state").toString());
        Path theirs = folder.resolve("selfology_full_20261122_020000.sql.gz.part");
        Files.writeString(theirs, "partial");
        Files.setLastModifiedTime(theirs, FileTime.from(Instant.now().minusSeconds(3600)));
        String owner;
        if (sh("id -u").out().strip().equals("0")) {
            Files.setAttribute(theirs, "unix:uid", 65534); // root can give it away: a file of another user for real
            owner = "(uid 65534), not by root";
        } else {
            stub("id", "case \"$1\" in -u) echo 4242 ;; -un) echo console-user ;; *) exec /usr/bin/id \"$@\" ;; esac\n");
            owner = "not by console-user";
        }
        Run r = sh(BackupScripts.removeLeftover(lock, theirs.toString()));
        assertEquals(BackupScripts.STOPPED, r.exit(), r.out());
        assertTrue(r.out().contains(BackupScripts.REFUSE + "owned by "), r.out());
        assertTrue(r.out().contains(owner + ": a backup of another user may still be writing it, and the processes of other users "
                + "cannot be seen from here; remove it as that user"), r.out());
        assertTrue(Files.exists(theirs), "not removed");
    }
}
