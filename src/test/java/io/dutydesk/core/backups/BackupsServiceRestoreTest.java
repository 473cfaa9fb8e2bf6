package io.dutydesk.core.backups;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.RemoteShell.RemoteFile;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.core.rollout.JobBound;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restore's decisions against a scripted server: the verification it relies on (reused, run, failed, forced),
 * the re-check at the click, the job's bound, the password sent on the input only, and an outcome that follows the
 * server's exit code and markers and always says why.
 */
class BackupsServiceRestoreTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String FULL = "selfology_full_20261122_020000.sql.gz";
    static final Instant FULL_TIME = Instant.parse("2026-11-22T02:00:04Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final MemoryAuditLog audit = MemoryAuditLog.create();
    final Environment base = withPassword(TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref"),
            new SecretRef.ServerFile("/srv/secrets/pg_password"));

    /** The server: one backup folder; verify answers {@code verdict}; a started job prints {@code jobLines} then exits {@code jobExit}. */
    final class Server implements RemoteShell {
        final List<String> commands = new CopyOnWriteArrayList<>();
        final List<byte[]> inputs = new CopyOnWriteArrayList<>();
        volatile String verdict = "@@CHECK ok gzip -t: intact\n@@CHECK ok plain SQL: pg_dump header, 1 COPY blocks terminated, completion footer\n";
        volatile List<String> jobLines = List.of("Pre-restore safety backup into /b/dutydesk_prerestore_20261122_120000.sql.gz ...",
                BackupScripts.SAFETY + "/b/dutydesk_prerestore_20261122_120000.sql.gz 5000", "✅ Restore completed");
        volatile String jobExit = "0";
        volatile long size = 500_000;
        /** What the listing's lock check answers (the server's action lock). */
        volatile String lock = ActionScripts.IDLE + "\n";
        volatile List<RemoteFile> extra = List.of();

        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            return exec(command, null, timeout, l);
        }

        @Override
        public CompletableFuture<ExecResult> exec(String command, byte[] stdin, Duration timeout, OutputListener l) {
            commands.add(command);
            if (stdin != null) {
                inputs.add(stdin.clone());
            }
            if (command.contains(BackupScripts.CHECK)) {
                return done(verdict);
            }
            if (command.contains("flock -n 9") && command.contains("setsid")) {
                String id = command.substring(command.indexOf(ActionScripts.STARTED) + ActionScripts.STARTED.length()).split("\"")[0];
                l.line(false, ActionScripts.STARTED + id);
                jobLines.forEach(x -> l.line(false, x));
                l.line(false, ActionScripts.EXIT + jobExit);
                return done("");
            }
            return done("@@FREE 0 1073741824\n" + (command.contains(ActionScripts.SINCE) ? lock : ""));
        }

        CompletableFuture<ExecResult> done(String out) {
            return CompletableFuture.completedFuture(new ExecResult(0, out, "", Duration.ofMillis(1)));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            List<RemoteFile> all = new ArrayList<>(List.of(new RemoteFile(FULL, size, FULL_TIME, false),
                    new RemoteFile("selfology_full_20261121_020000.sql.gz.part", 1234, FULL_TIME.minusSeconds(86400), false)));
            all.addAll(extra);
            return CompletableFuture.completedFuture(all);
        }

        String job() {
            return commands.stream().filter(c -> c.contains("setsid")).findFirst().orElse("");
        }

        boolean started() {
            return commands.stream().anyMatch(c -> c.contains("setsid"));
        }

        boolean verified() {
            return commands.stream().anyMatch(c -> c.contains(BackupScripts.CHECK));
        }
    }

    final Server server = new Server();
    final Map<String, Verification> stored = new HashMap<>();
    final VerificationResults results = new VerificationResults() {
        @Override
        public CompletableFuture<Void> save(String env, Verification v) {
            stored.put(v.path(), v);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Map<String, Verification>> load(String env) {
            return CompletableFuture.completedFuture(Map.copyOf(stored));
        }

        @Override
        public CompletableFuture<Void> forgetPassed(String env, String path) {
            stored.computeIfPresent(path, (k, v) -> v.ok() ? null : v);
            return CompletableFuture.completedFuture(null);
        }
    };

    String path() {
        return base.backups().folders().get(0) + "/" + FULL;
    }

    BackupsService service(Environment env, BackupsService.Secrets secrets) {
        return new BackupsService(env, server, results, audit, "me@here", clock, Runnable::run, secrets);
    }

    BackupsService service() {
        return service(base, BackupsService.Secrets.NONE);
    }

    JobResult restore(BackupsService s, boolean force) {
        return s.restore(new BackupsService.RestoreRequest(FULL, false, "ref", force, Optional.empty()), RemoteShell.OutputListener.NONE).join();
    }

    static Throwable failure(Runnable r) {
        CompletionException e = assertThrows(CompletionException.class, r::run);
        return e.getCause();
    }

    AuditEntry last() {
        return audit.entries.get(audit.entries.size() - 1);
    }

    // ------------------------------------------------------------------ verification

    @Test
    void anUnverifiedBackupIsVerifiedFirstAndThenRestored() {
        JobResult r = restore(service(), false);
        assertTrue(server.verified(), "verified on the server before the job");
        assertTrue(server.commands.indexOf(server.commands.stream().filter(c -> c.contains(BackupScripts.CHECK)).findFirst().get())
                < server.commands.indexOf(server.job()));
        assertTrue(r.ok(), r.message());
        assertEquals("succeeded", r.result());
        assertEquals(FULL + " restored into selfology; safety backup /b/dutydesk_prerestore_20261122_120000.sql.gz; verified ok just before",
                r.message());
        assertEquals(List.of("backup-verify", "restore", "restore"), audit.entries.stream().map(AuditEntry::action).toList());
        assertEquals(List.of("succeeded", "started", "succeeded"), audit.entries.stream().map(AuditEntry::result).toList());
    }

    @Test
    void aTruncatedBackupIsRefusedNothingRunsAndTheRefusalIsAudited() {
        server.verdict = "@@CHECK ok gzip -t: intact\n@@CHECK bad plain SQL: no \"dump complete\" footer (truncated?)\n";
        Throwable t = failure(() -> restore(service(), false));
        RolloutException e = assertInstanceOf(RolloutException.class, t);
        assertEquals(RolloutException.Kind.BLOCKED, e.kind());
        assertTrue(e.getMessage().startsWith("refused: " + FULL + " failed verification (plain SQL: no \"dump complete\" footer "
                + "(truncated?); gzip -t: intact); nothing was run."), e.getMessage());
        assertTrue(e.getMessage().contains("type 'force ref'"), e.getMessage());
        assertFalse(server.started(), "no job: the live database is not touched");
        assertEquals("refused", last().result());
        assertEquals("restore", last().action());
        assertFalse(stored.get(path()).ok(), "the failed verification is kept");
    }

    @Test
    void aForcedRestoreOfABackupThatFailedVerificationRunsAndIsAuditedAsForced() {
        server.verdict = "@@CHECK bad plain SQL: no \"dump complete\" footer (truncated?)\n";
        JobResult r = restore(service(), true);
        assertTrue(server.started());
        assertTrue(r.forced());
        assertTrue(r.message().endsWith("; FORCED past a failed verification (plain SQL: no \"dump complete\" footer (truncated?))"),
                r.message());
        AuditEntry started = audit.entries.stream().filter(x -> x.result().equals("started")).findFirst().orElseThrow();
        assertEquals(List.of(path(), "--force"), started.args());
        assertEquals(List.of(path(), "--force"), last().args());
        assertTrue(last().message().contains("FORCED"), last().message());
    }

    @Test
    void aForceNotNeededIsNotRecordedAsForced() {
        JobResult r = restore(service(), true);
        assertTrue(r.ok());
        assertFalse(r.forced());
        assertEquals(List.of(path()), last().args());
    }

    @Test
    void aPassingVerificationOfThisVeryFileIsReusedAndAChangedFileIsVerifiedAgain() {
        stored.put(path(), new Verification(path(), server.size, FULL_TIME, true, "gzip -t: intact", NOW.minusSeconds(600)));
        JobResult r = restore(service(), false);
        assertTrue(r.ok(), r.message());
        assertFalse(server.verified(), "reused: not run again");
        assertTrue(r.message().endsWith("; its verification of 2026-11-22 11:50:00 UTC reused"), r.message());

        server.commands.clear();
        server.size = 400_000; // the file changed since: the stored result no longer speaks for it
        restore(service(), false);
        assertTrue(server.verified());
    }

    /**
     * A restore that failed — here a custom dump cut in its data, which passed the old table-of-contents check — leaves
     * no "ok" of the file behind to be reused: the next restore verifies it again.
     */
    @Test
    void aFailedRestoreClearsThePassingVerificationItRelied() {
        stored.put(path(), new Verification(path(), server.size, FULL_TIME, true, "pg_restore --list: 4 entries", NOW.minusSeconds(600)));
        server.jobLines = List.of(BackupScripts.SAFETY + "/b/dutydesk_prerestore_20261122_120000.sql.gz 5000",
                "pg_restore: error: could not read from input file: end of file");
        server.jobExit = "1";
        JobResult r = restore(service(), false);
        assertFalse(r.ok());
        assertEquals("failed", r.result());
        assertFalse(server.verified(), "the stored verification was reused this time");
        assertTrue(r.message().endsWith("; its verification of 2026-11-22 11:50:00 UTC reused; its passing verification is no longer "
                + "kept: the next restore of " + FULL + " verifies it again"), r.message());
        assertFalse(stored.containsKey(path()), "the 'ok' is gone");
        assertEquals(BackupsService.VerificationState.NOT_VERIFIED, service().plan(FULL, false).join().verification());

        server.commands.clear();
        restore(service(), false);
        assertTrue(server.verified(), "verified again before the next restore");
    }

    @Test
    void aFailedRestoreAfterAFreshVerificationClearsItTooButAFailedVerificationStays() {
        server.jobLines = List.of("✖ the restore into selfology did not complete (psql exit 3): nothing was committed");
        server.jobExit = "1";
        JobResult r = restore(service(), false);
        assertFalse(r.ok());
        assertFalse(stored.containsKey(path()), "verified ok just before, then the restore failed: not kept as ok");

        server.verdict = "@@CHECK bad plain SQL: no \"dump complete\" footer (truncated?)\n";
        restore(service(), true);
        assertFalse(stored.get(path()).ok(), "a failed verification is kept: a restore still needs forcing");
    }

    /** The safety backup the job verified complete itself is listed as verified, with when and by which job. */
    @Test
    void theSafetyBackupTheJobVerifiedIsListedAsVerified() {
        String safety = "dutydesk_prerestore_20261122_120001.sql.gz";
        Instant mtime = Instant.parse("2026-11-22T12:00:03Z");
        server.jobLines = List.of("✔ safety backup verified complete: /srv/b/" + safety + " (5000 bytes; plain SQL: ...)",
                BackupScripts.SAFETY_VERIFIED + "1795435204 " + mtime.getEpochSecond() + " 5000 1 gzip -t: intact; plain SQL: pg_dump header, "
                        + "3 COPY blocks terminated, completion footer",
                BackupScripts.SAFETY + "/srv/b/" + safety + " 5000", "✔ restore into selfology completed");
        JobResult r = restore(service(), false);
        assertTrue(r.ok(), r.message());
        server.extra = List.of(new RemoteFile(safety, 5000, mtime, false));
        BackupEntry e = service().list().join().backups().stream().filter(b -> b.name().equals(safety)).findFirst().orElseThrow();
        Verification v = e.verification().orElseThrow(() -> new AssertionError("listed as not verified"));
        assertTrue(v.ok());
        assertEquals(Instant.ofEpochSecond(1795435204), v.checkedAt());
        assertEquals("verified complete by the restore job " + r.actionId() + " (its safety backup before restoring " + FULL + ") at "
                + "2026-11-23 12:00:04 UTC: gzip -t: intact; plain SQL: pg_dump header, 3 COPY blocks terminated, completion footer", v.detail());

        // a marker about another file (its size differs from the @@SAFETY line's) records nothing
        stored.clear();
        server.jobLines = List.of(BackupScripts.SAFETY_VERIFIED + "1795435204 " + mtime.getEpochSecond() + " 4999 1 gzip -t: intact",
                BackupScripts.SAFETY + "/srv/b/" + safety + " 5000");
        assertTrue(restore(service(), false).ok());
        assertTrue(stored.keySet().stream().noneMatch(k -> k.endsWith(safety)), stored.keySet().toString());
    }

    /** The .part of the job running now is "being written by job X", not a leftover; with no job running it is one. */
    @Test
    void theListingAsksTheServerWhichJobRunsAndItsPartIsNotALeftover() {
        String id = "20261122-115900-backup-now-0a1b2c3d";
        server.extra = List.of(new RemoteFile("selfology_full_20261122_115900.sql.gz.part", 99, NOW.minusSeconds(10), false));
        server.lock = ActionScripts.BUSY + id + "\nbackup-now by me@there\n\n" + ActionScripts.SINCE + NOW.minusSeconds(60).getEpochSecond() + "\n";
        BackupListing l = service().list().join();
        assertEquals(List.of("selfology_full_20261122_115900.sql.gz.part (99 B) being written by job " + id),
                l.inProgress().stream().map(PartInProgress::describe).toList());
        assertEquals(List.of("selfology_full_20261121_020000.sql.gz.part"), l.leftovers().stream().map(Leftover::name).toList(),
                "the part of a job that ended is still a leftover");

        server.lock = ActionScripts.IDLE + "\n";
        assertEquals(2, service().list().join().leftovers().size());
    }

    @Test
    void theJobRestoresOnlyTheFileThatWasVerified() {
        restore(service(), false);
        // the job's text is quoted twice (start, then job): look for the guard's words, not its quoting
        assertTrue(server.job().contains("now_=$(stat -c "), server.job());
        assertTrue(server.job().contains("500000 " + FULL_TIME.getEpochSecond()), server.job());
        assertTrue(server.job().indexOf("now_=$(stat -c ") < server.job().indexOf("pg_dump"), "checked before anything else");
    }

    // ------------------------------------------------------------------ the confirmation, re-checked at the click

    @Test
    void whatTheConfirmationStatedIsReCheckedAtTheClick() {
        BackupsService s = service();
        stored.put(path(), new Verification(path(), server.size, FULL_TIME, true, "gzip -t: intact", NOW));
        BackupsService.RestorePlan plan = s.plan(FULL, false).join();
        assertEquals(BackupsService.VerificationState.PASSED, plan.verification());
        server.size = 12; // replaced on the server after the dialog was shown
        Throwable t = failure(() -> s.restore(new BackupsService.RestoreRequest(FULL, false, "ref", false,
                Optional.of(BackupsService.Stated.of(plan))), RemoteShell.OutputListener.NONE).join());
        RolloutException e = assertInstanceOf(RolloutException.class, t);
        assertEquals(RolloutException.Kind.STALE, e.kind());
        assertTrue(e.getMessage().startsWith("refused: " + FULL + " changed on the server (500000 bytes at 2026-11-22 02:00:04 UTC → 12 bytes"),
                e.getMessage());
        assertFalse(server.started());
        assertFalse(server.verified());
        assertEquals("refused", last().result());
    }

    @Test
    void thePlanShowsTheBoundTheVerificationAndTheSafetyBackup() {
        BackupsService.RestorePlan p = service().plan(FULL, false).join();
        List<String> f = p.facts();
        assertEquals("job bound: none: runs until it ends (backups.restoreTimeoutSeconds not set; deploy.actionTimeoutSeconds does not apply)",
                f.get(0));
        assertTrue(f.get(1).startsWith("verification: none yet — verified on the server first"), f.get(1));
        assertTrue(f.get(2).startsWith("first a safety backup of the live selfology into ~/backups/selfology (built in, kind pre-restore, "
                + "pre-restore backups older than 90 days pruned): the free space is checked against the database's size"), f.get(2));
        assertFalse(p.needsForce());

        stored.put(path(), new Verification(path(), server.size, FULL_TIME, false, "gzip -t: unexpected end of file", NOW));
        BackupsService.RestorePlan bad = service().plan(FULL, true).join();
        assertTrue(bad.needsForce());
        assertTrue(bad.facts().get(1).startsWith("verification: FAILED at 2026-11-22 12:00:00 UTC: gzip -t: unexpected end of file"),
                bad.facts().get(1));
    }

    // ------------------------------------------------------------------ bounds

    Environment withBounds(Optional<Duration> restore, Duration deploy) {
        Environment.Deploy d = base.deploy();
        return new Environment(base.name(), base.description(), base.ssh(), base.docker(), base.postgres(), base.redis(),
                base.prometheus(), base.alertmanager(), base.backups().withTimeouts(Optional.empty(), restore),
                new Environment.Deploy(d.workdir(), d.commands(), d.versionPattern(), d.liveSlotCommand(), d.liveSlotPattern(),
                        d.stateDir(), deploy), base.slots(), base.outbox(), base.thresholds(), base.poll(), base.metrics(), base.alerts());
    }

    @Test
    void aRestoreIsNotBoundedByTheDeploysActionTimeout() {
        restore(service(withBounds(Optional.empty(), Duration.ofSeconds(10)), BackupsService.Secrets.NONE), false);
        assertFalse(server.job().contains("timeout -k"), "no bound: " + server.job());
        AuditEntry started = audit.entries.stream().filter(x -> x.result().equals("started")).findFirst().orElseThrow();
        assertTrue(started.message().endsWith("bound: none: runs until it ends (backups.restoreTimeoutSeconds not set; "
                + "deploy.actionTimeoutSeconds does not apply)"), started.message());

        server.commands.clear();
        restore(service(withBounds(Optional.of(Duration.ofHours(2)), Duration.ofSeconds(10)), BackupsService.Secrets.NONE), false);
        assertTrue(server.job().contains("timeout -k 30 7200 sh \"$0.cmd\""), server.job());
    }

    // ------------------------------------------------------------------ outcomes

    BackupsService.Ended ended(String action, int code, String... lines) {
        return service().ended(action, FULL, JobBound.restore(withBounds(Optional.of(Duration.ofSeconds(10)), Duration.ofSeconds(10))),
                DetachedActions.End.EXITED, code, List.of(lines), lines.length == 0 ? "" : lines[lines.length - 1]);
    }

    @Test
    void anOutcomeFollowsTheExitCodeAndTheMarkersAndAlwaysSaysWhy() {
        BackupsService.Ended ok = ended("restore", 0, BackupScripts.SAFETY + "/b/p.sql.gz 10", BackupScripts.PRUNED + "/b/dutydesk_prerestore_20200101_000000.sql.gz");
        assertTrue(ok.ok());
        assertEquals(FULL + " restored into selfology; safety backup /b/p.sql.gz; pruned 1 pre-restore backup older than 90 days "
                + "(dutydesk_prerestore_20200101_000000.sql.gz)", ok.message());

        BackupsService.Ended noSafety = ended("restore", 0, "restored");
        assertEquals("failed", noSafety.result());
        assertTrue(noSafety.message().contains("exited 0 but the job named no safety backup"), noSafety.message());

        BackupsService.Ended noSpace = ended("restore", BackupScripts.STOPPED, BackupScripts.NOSPACE + "8388608 2097152 /srv/backups-small",
                "✖ the safety backup needs up to 8388608 bytes");
        assertEquals("refused", noSpace.result());
        assertEquals("restore of " + FULL + " refused: the safety backup needs up to 8.0 MiB (the size of the database selfology) and "
                + "/srv/backups-small has 2.0 MiB free; nothing was written, nothing restored", noSpace.message());

        BackupsService.Ended changed = ended("restore", BackupScripts.STOPPED, BackupScripts.REFUSE + "the backup changed since the console checked it");
        assertEquals("refused", changed.result());
        assertEquals("restore of " + FULL + " refused on the server: the backup changed since the console checked it", changed.message());

        BackupsService.Ended killed = ended("restore", 124, BackupScripts.SAFETY + "/b/p.sql.gz 10", "Restoring …");
        assertEquals("failed", killed.result());
        assertEquals("restore of " + FULL + " failed (exit 124: killed by its bound of 10 s (backups.restoreTimeoutSeconds)): Restoring …"
                + "; safety backup /b/p.sql.gz", killed.message());

        BackupsService.Ended safetyFailed = ended("restore", 1, "✖ the safety backup failed (pg_dump exit 1, gzip exit 0): nothing restored");
        assertEquals("restore of " + FULL + " failed (exit 1): ✖ the safety backup failed (pg_dump exit 1, gzip exit 0): nothing restored"
                + "; no safety backup was taken: the live database was not touched", safetyFailed.message());

        BackupsService.Ended gone = service().ended("restore", FULL, JobBound.restore(base), DetachedActions.End.UNKNOWN, -1, List.of(), "");
        assertEquals("unknown", gone.result(), "its shell killed without an exit file: not known to have failed");
        assertEquals("restore of " + FULL + ": its end is unknown — the job ended without an exit code (killed on the server?) and nothing "
                + "of it runs any more; it named no safety backup, so its restore never began: the live database was not touched", gone.message());
        BackupsService.Ended goneAfterSafety = service().ended("restore", FULL, JobBound.restore(base), DetachedActions.End.UNKNOWN, -1,
                List.of(BackupScripts.SAFETY + "/b/p.sql.gz 10", "Restoring …"), "Restoring …");
        assertEquals("unknown", goneAfterSafety.result());
        assertTrue(goneAfterSafety.message().endsWith(": Restoring …; the safety backup /b/p.sql.gz was finished before it stopped, so the "
                + "restore itself may have run: check the live database (the restore commits in one transaction: all or nothing)"),
                goneAfterSafety.message());
    }

    @Test
    void aTeamsSafetyBackupAndRestoreThatSucceedAreReportedAsSucceeded() {
        // the custom restore reported "FAILED … restored into lifeos" with exit 0 and no reason: its safety backup named nothing
        Map<String, String> c = new HashMap<>(base.backups().commands());
        c.put("safetyBackup", "./scripts/backup.sh pre {folder}");
        c.put("restore", "./scripts/restore.sh {file}");
        Environment env = new Environment(base.name(), base.description(), base.ssh(), base.docker(), base.postgres(), base.redis(),
                base.prometheus(), base.alertmanager(), base.backups().withCommands(c), base.deploy(), base.slots(), base.outbox(),
                base.thresholds(), base.poll(), base.metrics(), base.alerts());
        server.jobLines = List.of("✅ Backup created: /b/lifeos_pre_1.sql.gz (10 bytes)", "✔ safety backup verified complete: /b/lifeos_pre_1.sql.gz",
                BackupScripts.SAFETY + "/b/lifeos_pre_1.sql.gz 10", "restored");
        JobResult r = restore(service(env, BackupsService.Secrets.NONE), false);
        assertTrue(r.ok(), r.message());
        assertEquals(0, r.exitCode());
        assertTrue(server.job().contains("bash -e -o pipefail -c"), server.job());
        assertTrue(server.job().contains("( unset " + BackupScripts.SECRET_VARIABLE + "; ./scripts/restore.sh "), server.job());
    }

    @Test
    void aTeamCommandWithAPlaceholderItIsNotGivenRefusesTheRestoreBeforeAnythingIsSent() {
        // the incident config fixed: a safety backup written to a file literally named {file}; here it must not even verify first
        Map<String, String> c = new HashMap<>(base.backups().commands());
        c.put("safetyBackup", "pg_dump app > {file}");
        Environment env = new Environment(base.name(), base.description(), base.ssh(), base.docker(), base.postgres(), base.redis(),
                base.prometheus(), base.alertmanager(), base.backups().withCommands(c), base.deploy(), base.slots(), base.outbox(),
                base.thresholds(), base.poll(), base.metrics(), base.alerts());
        Throwable t = failure(() -> restore(service(env, BackupsService.Secrets.NONE), false));
        RolloutException e = assertInstanceOf(RolloutException.class, t);
        assertEquals(RolloutException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("refused: backups.commands.safetyBackup: the command 'pg_dump app > {file}': {file} is not "
                + "filled in for this command"), e.getMessage());
        assertFalse(server.verified(), "not verified: nothing sent");
        assertFalse(server.started());
        assertEquals("refused", last().result());
        assertEquals("restore", last().action());
    }

    // ------------------------------------------------------------------ the password

    Environment withPassword(SecretRef ref) {
        return withPassword(base, ref);
    }

    static Environment withPassword(Environment base, SecretRef ref) {
        Environment.Postgres p = base.postgres();
        return new Environment(base.name(), base.description(), base.ssh(), base.docker(),
                new Environment.Postgres(p.host(), p.port(), "selfology", "selfology", ref), base.redis(), base.prometheus(),
                base.alertmanager(), base.backups(), base.deploy(), base.slots(), base.outbox(), base.thresholds(), base.poll(),
                base.metrics(), base.alerts());
    }

    @Test
    void aPasswordTheConsoleResolvesGoesOnTheInputNeverIntoTheCommand() {
        char[] secret = "pä'ss; rm -rf ~".toCharArray();
        List<SecretRef> asked = new ArrayList<>();
        BackupsService s = service(withPassword(new SecretRef.DotenvKey("/srv/.env", "DB_PASSWORD")), ref -> {
            asked.add(ref);
            return CompletableFuture.completedFuture(Optional.of(secret));
        });
        JobResult r = restore(s, false);
        assertTrue(r.ok(), r.message());
        assertEquals(List.of(new SecretRef.DotenvKey("/srv/.env", "DB_PASSWORD")), asked);
        assertEquals(1, server.inputs.size());
        assertEquals("pä'ss; rm -rf ~\n", new String(server.inputs.get(0), StandardCharsets.UTF_8));
        for (String c : server.commands) {
            assertFalse(c.contains("pä'ss"), "never in a command: " + c);
        }
        assertTrue(server.job().contains("IFS= read -r " + BackupScripts.SECRET_VARIABLE), server.job());
        assertEquals("pä'ss; rm -rf ~", new String(secret), "the resolver's own copy is not zeroed (its cache still uses it)");
        for (AuditEntry e : audit.entries) {
            assertFalse(String.valueOf(e).contains("pä'ss"), e.toString());
        }
    }

    @Test
    void aServerFilePasswordIsReadOnTheServerAndNothingIsSent() {
        BackupsService s = service(withPassword(new SecretRef.ServerFile("/srv/secrets/pg_password")), ref -> {
            throw new AssertionError("not resolved by the console");
        });
        assertTrue(restore(s, false).ok());
        assertTrue(server.inputs.isEmpty());
        assertTrue(server.job().contains("PGPASSWORD=$(cat /srv/secrets/pg_password)"), server.job());
    }

    @Test
    void aPasswordThatCannotBeHadFailsTheRestoreBeforeAnythingRuns() {
        BackupsService s = service(withPassword(new SecretRef.Prompt("PostgreSQL password")),
                ref -> CompletableFuture.failedFuture(new IllegalStateException("PostgreSQL password was not given")));
        Throwable t = failure(() -> restore(s, false));
        assertTrue(t.getMessage().startsWith("could not get the database password (prompt (PostgreSQL password)) for the job: "
                + "PostgreSQL password was not given; nothing was run"), t.getMessage());
        assertFalse(server.started());
        assertEquals("failed", last().result());
        assertEquals("restore", last().action());
    }

    // ------------------------------------------------------------------ leftovers

    @Test
    void leftoversAreListedApartFromTheBackups() {
        BackupListing l = service().list().join();
        assertEquals(List.of(FULL), l.backups().stream().map(BackupEntry::name).toList());
        assertEquals(List.of("selfology_full_20261121_020000.sql.gz.part"), l.leftovers().stream().map(Leftover::name).toList());
        assertEquals(1234, l.leftovers().get(0).sizeBytes());
    }

    @Test
    void onlyAListedLeftoverCanBeRemovedAndARefusalIsAudited() {
        Throwable t = failure(() -> service().removeLeftover(FULL).join());
        assertTrue(t.getMessage().contains("is not a leftover .part file in"), t.getMessage());
        assertTrue(server.commands.stream().noneMatch(c -> c.contains("rm -f")), "nothing sent");
        assertEquals("refused", last().result());
        assertEquals("backup-remove-part", last().action());
    }
}
