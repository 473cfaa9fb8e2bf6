package io.dutydesk.core.backups;

import io.dutydesk.core.MisconfiguredException;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditWriteException;
import io.dutydesk.core.config.CommandTemplate;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.core.rollout.JobBound;
import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.rollout.RolloutException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.dutydesk.core.rollout.MaintenanceLock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The backups of one environment, for the window and the CLI alike: list the configured folders over
 * SFTP, verify a file on the server, download it (resumable, checksum checked), take a backup now, and
 * restore — always after a safety backup, detached on the server under the rollout lock. Every action,
 * refused ones too, goes to the audit log.
 */
public final class BackupsService {
    private final Environment env;
    private final RemoteShell shell;
    private final VerificationResults results;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;
    private final DetachedActions jobs;
    private final Executor io;
    private final Secrets secrets;

    /**
     * The console's secrets, resolved the way every backend's are ({@code core.secrets.SecretResolver}: server
     * file, dotenv {@code {file, key}}, keyring, prompt, the console's environment), in memory only.
     */
    @FunctionalInterface
    public interface Secrets {
        /** Fails for every secret: for uses that never need one sent (tests, a listing). */
        Secrets NONE = ref -> CompletableFuture.failedFuture(new IllegalStateException("no secret resolver here for " + ref.describe()));

        CompletableFuture<Optional<char[]>> resolve(SecretRef ref);
    }

    /** {@code io}: where local file work (hashing a download) runs, never the caller's UI thread. */
    public BackupsService(Environment env, RemoteShell shell, VerificationResults results, AuditLog audit, String actor,
                          Clock clock, Executor io) {
        this(env, shell, results, audit, actor, clock, io, Secrets.NONE);
    }

    /** {@code secrets}: the database password for restore jobs when the server cannot read it itself. */
    public BackupsService(Environment env, RemoteShell shell, VerificationResults results, AuditLog audit, String actor,
                          Clock clock, Executor io, Secrets secrets) {
        this.secrets = secrets;
        this.env = env;
        this.shell = shell;
        this.results = results;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
        this.io = io;
        this.jobs = new DetachedActions(env, shell, audit, actor, clock);
        this.safety = new SafetyRecords(this, env.deploy().stateDir(), shell, results, env.poll().timeout().multipliedBy(3));
    }

    public Environment environment() {
        return env;
    }

    // ------------------------------------------------------------------ list

    /**
     * Every configured folder over SFTP, the free space of their volumes, and the stored verifications.
     * Each folder is read on its own: one that cannot be read is in the listing as "folder X: unreachable:
     * reason" and the others are listed (and usable) all the same. Only when no folder can be read does the
     * listing fail.
     */
    public CompletableFuture<BackupListing> list() {
        Environment.Backups b = env.backups();
        Map<String, CompletableFuture<List<RemoteShell.RemoteFile>>> lists = new LinkedHashMap<>();
        Map<String, String> unreachable = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (String f : b.folders()) {
            lists.put(f, shell.list(f).exceptionally(e -> {
                unreachable.put(f, Errors.describe(e));
                errors.add(Errors.unwrap(e));
                return null;
            }));
        }
        // one exec: the free space, and the job running right now (the .part files it writes are not leftovers)
        CompletableFuture<String> server = shell.exec(BackupScripts.freeSpace(b.folders()) + "; "
                        + ActionScripts.current(env.deploy().stateDir(), true), env.poll().timeout().multipliedBy(3),
                RemoteShell.OutputListener.NONE).thenApply(RemoteShell.ExecResult::stdout);
        CompletableFuture<Map<String, Long>> free = server.thenApply(out -> parseFree(b.folders(), out)).exceptionally(e -> Map.of());
        CompletableFuture<Optional<BackupCatalog.RunningJob>> running = server.thenApply(BackupsService::parseRunning)
                .exceptionally(e -> Optional.empty());
        CompletableFuture<Map<String, Verification>> stored = results.load(env.name()).exceptionally(e -> Map.of());
        CompletableFuture<Map<String, List<RemoteShell.RemoteFile>>> listed = CompletableFuture.allOf(
                lists.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<String, List<RemoteShell.RemoteFile>> byFolder = new HashMap<>();
            lists.forEach((k, f) -> {
                if (f.join() != null) {
                    byFolder.put(k, f.join());
                }
            });
            return byFolder;
        });
        return listed.thenCompose(byFolder -> readSidecars(byFolder).thenCompose(sidecars ->
                running.thenCompose(job -> free.thenCombine(stored, (fr, st) -> {
                    if (byFolder.isEmpty() && !b.folders().isEmpty()) {
                        Map<String, String> why = new LinkedHashMap<>();
                        b.folders().forEach(f -> why.put(f, unreachable.get(f)));
                        String text = String.join("; ",
                                why.entrySet().stream().map(e -> "folder " + e.getKey() + ": unreachable: " + e.getValue()).toList());
                        // the server answered for each that it is not there (or not readable): misconfigured, not down
                        boolean notThere = errors.size() == b.folders().size() && errors.stream().allMatch(
                                MisconfiguredException::pathNotThere);
                        throw new java.util.concurrent.CompletionException(notThere
                                ? new io.dutydesk.core.MisconfiguredException(text + " — check backups.folders in the environments file",
                                errors.get(0))
                                : new java.io.IOException(text, errors.isEmpty() ? null : errors.get(0)));
                    }
                    return BackupCatalog.listing(env.name(), b, byFolder, Map.copyOf(unreachable), fr, st, job, sidecars, clock.instant());
                }).thenCompose(l -> safety.record(l, job.isPresent()))))); // safety backups a killed console did not record
    }

    /** The safety backups restore jobs verified that their console did not record: read from the jobs' logs. */
    private final SafetyRecords safety;

    /** A version sidecar as read: kept while its size and time stay the same (the polls read a sidecar once). */
    private record ReadSidecar(long size, Instant modified, byte[] content) {}

    private final Map<String, ReadSidecar> sidecarCache = new java.util.concurrent.ConcurrentHashMap<>();
    /** SFTP reads of sidecars at a time: the shell's queue is bounded, a listing of hundreds of backups must not fill it. */
    static final int SIDECAR_LANES = 2;

    /**
     * The version sidecars of the listed backups (path → content; one that could not be read is missing, its backup's
     * version unknown): over SFTP, {@link #SIDECAR_LANES} reads at a time, each file read again only when its size or time
     * changed. Never fails.
     */
    CompletableFuture<Map<String, byte[]>> readSidecars(Map<String, List<RemoteShell.RemoteFile>> byFolder) {
        Map<String, RemoteShell.RemoteFile> wanted = BackupCatalog.sidecarsToRead(env.backups(), byFolder);
        sidecarCache.keySet().retainAll(wanted.keySet());
        Map<String, byte[]> out = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> toRead = new ArrayList<>();
        wanted.forEach((path, f) -> {
            ReadSidecar c = sidecarCache.get(path);
            if (c != null && c.size() == f.size() && c.modified().equals(f.modified())) {
                out.put(path, c.content());
            } else {
                toRead.add(path);
            }
        });
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int lane = 0; lane < SIDECAR_LANES; lane++) {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = lane; i < toRead.size(); i += SIDECAR_LANES) {
                String path = toRead.get(i);
                RemoteShell.RemoteFile f = wanted.get(path);
                chain = chain.thenCompose(v -> shell.readFile(path, RecordedVersion.MAX_BYTES + 1L).handle((bytes, e) -> {
                    if (e == null && bytes != null) {
                        out.put(path, bytes);
                        sidecarCache.put(path, new ReadSidecar(f.size(), f.modified(), bytes));
                    }
                    return null;
                }));
            }
            lanes.add(chain);
        }
        return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).thenApply(v -> Map.copyOf(out));
    }

    /** The job holding the action lock, from {@link ActionScripts#current(String, boolean)}'s lines; empty when idle or not told. */
    static Optional<BackupCatalog.RunningJob> parseRunning(String out) {
        String id = null;
        Long since = null;
        for (String line : out.split("\n")) {
            if (line.startsWith(ActionScripts.BUSY)) {
                id = ActionScripts.validId(line.substring(ActionScripts.BUSY.length()).strip()).orElse(null);
            } else if (line.startsWith(ActionScripts.SINCE)) {
                try {
                    since = Long.parseLong(line.substring(ActionScripts.SINCE.length()).strip());
                } catch (NumberFormatException ignored) {
                    // no meta: started when? (not told)
                }
            }
        }
        if (id == null) {
            return Optional.empty();
        }
        // the meta's time unknown: every .part modified since the id's own time (the console's clock) counts as the job's
        return Optional.of(new BackupCatalog.RunningJob(id, since != null ? Instant.ofEpochSecond(since)
                : DetachedActions.startedAt(id).orElse(Instant.EPOCH)));
    }

    static Map<String, Long> parseFree(List<String> folders, String out) {
        Map<String, Long> m = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(BackupScripts.FREE)) {
                String[] p = line.substring(BackupScripts.FREE.length()).strip().split(" ");
                try {
                    int i = Integer.parseInt(p[0]);
                    if (i >= 0 && i < folders.size()) {
                        m.put(folders.get(i), Long.parseLong(p[1]));
                    }
                } catch (RuntimeException ignored) {
                    // an odd df: unknown
                }
            }
        }
        return m;
    }

    /** The listed backup {@code name}; anything not listed in a configured folder is refused (and audited). */
    private CompletableFuture<BackupEntry> resolve(String action, String name, Instant start) {
        return list().exceptionallyCompose(e -> audit.append(new AuditEntry(null, actor, env.name(), action,
                List.of(name == null ? "" : name), start, clock.instant(), null, null, "failed", null, null,
                "could not list the backup folders: " + Errors.describe(e))).handle((v, x) -> {
                    throw new java.util.concurrent.CompletionException(Errors.unwrap(e));
                })).thenCompose(l -> {
            try {
                return CompletableFuture.completedFuture(BackupCatalog.find(l, name));
            } catch (IllegalArgumentException e) {
                return refuse(action, List.of(name == null ? "" : name), start, RolloutException.Kind.INVALID_INPUT, e.getMessage());
            }
        });
    }

    // ------------------------------------------------------------------ verify

    /** Verifies {@code name} on the server (nothing is downloaded), keeps the result and audits it. */
    public CompletableFuture<Verification> verify(String name) {
        Instant start = clock.instant();
        return resolve("backup-verify", name, start).thenCompose(e -> verify(e, start));
    }

    private CompletableFuture<Verification> verify(BackupEntry e, Instant start) {
        Duration t = Duration.ofSeconds(Math.max(60, e.sizeBytes() / (20L << 20))); // ~20 MB/s at worst
        return shell.exec(BackupScripts.verify(e.path(), e.format()), t, RemoteShell.OutputListener.NONE)
                .thenApply(r -> parseVerification(e, r.stdout(), clock.instant()))
                .thenCompose(v -> results.save(env.name(), v).exceptionally(x -> null)
                        .thenCompose(x -> audit.append(new AuditEntry(null, actor, env.name(), "backup-verify", List.of(e.path()),
                                start, clock.instant(), v.ok() ? 0 : 1, null, v.ok() ? "succeeded" : "failed", null, null,
                                v.detail())))
                        .handle((x, unwritten) -> {
                            if (unwritten != null) { // it was verified all the same: said, not turned into a failure
                                throw AuditWriteException.ran((v.ok() ? "verified OK: " : "verification FAILED: ") + e.name()
                                        + " — " + v.detail(), v.ok(), audit, unwritten);
                            }
                            return v;
                        }));
    }

    static Verification parseVerification(BackupEntry e, String out, Instant now) {
        List<String> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(BackupScripts.CHECK)) {
                String rest = line.substring(BackupScripts.CHECK.length());
                int sp = rest.indexOf(' ');
                String verdict = sp < 0 ? rest : rest.substring(0, sp);
                String detail = sp < 0 ? "" : rest.substring(sp + 1).strip();
                (verdict.equals("ok") ? ok : bad).add(detail);
            }
        }
        if (ok.isEmpty() && bad.isEmpty()) {
            bad.add("the server gave no verdict");
        }
        List<String> all = new ArrayList<>(bad);
        all.addAll(ok);
        return new Verification(e.path(), e.sizeBytes(), e.modifiedAt(), bad.isEmpty(), String.join("; ", all), now);
    }

    // ------------------------------------------------------------------ download

    /** A finished download: where it is and its checked SHA-256. */
    public record Download(Path file, long sizeBytes, String sha256, boolean resumed) {}

    /**
     * Downloads {@code name} into {@code dir} (as NAME.part until complete; a later call resumes it),
     * then checks its SHA-256 against the server's (and the .sha256 sidecar's when present).
     */
    public CompletableFuture<Download> download(String name, Path dir, RemoteShell.Progress progress) {
        Instant start = clock.instant();
        return resolve("backup-download", name, start).thenCompose(e -> {
            Path target;
            try {
                target = localTarget(dir, e.name());
            } catch (IllegalArgumentException bad) {
                return refuse("backup-download", List.of(e.path(), dir.toString()), start, RolloutException.Kind.INVALID_INPUT,
                        bad.getMessage());
            }
            Path part = dir.resolve(e.name() + ".part");
            AtomicBoolean resumed = new AtomicBoolean();
            CompletableFuture<Void> prepared = CompletableFuture.runAsync(() -> {
                try {
                    Files.createDirectories(dir);
                    resumed.set(Files.exists(part) && Files.size(part) > 0);
                    privateFile(part); // a copy of the database: readable by the user alone, before a byte is written
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            }, io);
            CompletableFuture<String> serverSha = shell.exec(BackupScripts.sha256(e.path()),
                    Duration.ofSeconds(Math.max(60, e.sizeBytes() / (20L << 20))), RemoteShell.OutputListener.NONE)
                    .thenApply(r -> r.stdout().strip());
            CompletableFuture<Optional<String>> sidecar = shell.readFile(e.path() + ".sha256", 4096)
                    .thenApply(bytes -> Optional.of(new String(bytes).strip().split("\\s+")[0]))
                    .exceptionally(x -> Optional.empty());
            return prepared.thenCompose(v -> shell.download(e.path(), part, progress))
                    .thenCompose(size -> CompletableFuture.supplyAsync(() -> sha256(part), io)
                            .thenCombine(serverSha, (local, remote) -> new String[] {local, remote})
                            .thenCombine(sidecar, (pair, side) -> {
                                String problem = null;
                                if (!pair[0].equals(pair[1])) {
                                    problem = "checksum mismatch: the copy is " + pair[0] + ", the server's file " + pair[1];
                                } else if (side.isPresent() && !side.get().equals(pair[0])) {
                                    problem = "checksum mismatch: " + e.name() + ".sha256 says " + side.get() + ", the file is " + pair[0];
                                }
                                try {
                                    if (problem != null) {
                                        Files.deleteIfExists(part); // a wrong copy is not resumed
                                        throw new IllegalStateException(problem);
                                    }
                                    Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                                } catch (IOException x) {
                                    throw new java.io.UncheckedIOException(x);
                                }
                                return new Download(target, size, pair[0], resumed.get());
                            }))
                    .handle((d, x) -> audit.append(new AuditEntry(null, actor, env.name(), "backup-download",
                                    List.of(e.path(), target.toString()), start, clock.instant(), x == null ? 0 : 1, null,
                                    x == null ? "succeeded" : "failed", null, null,
                                    x == null ? "sha256 " + d.sha256() + (d.resumed() ? " (resumed)" : "") : Errors.describe(x)))
                            .handle((a, unwritten) -> {
                                if (x != null) {
                                    throw new java.util.concurrent.CompletionException(unwritten == null ? Errors.unwrap(x)
                                            : new IllegalStateException(Errors.describe(x) + "; " + AuditWriteException.unwritten(audit, unwritten),
                                            Errors.unwrap(x)));
                                }
                                if (unwritten != null) { // downloaded and checked all the same
                                    throw AuditWriteException.ran("downloaded " + d.file() + " (sha256 " + d.sha256() + " checked)", true,
                                            audit, unwritten);
                                }
                                return d;
                            }))
                    .thenCompose(f -> f);
        });
    }

    /** Where backup {@code name} is downloaded to: directly in {@code dir}, or refused (a name that would lead elsewhere). */
    static Path localTarget(Path dir, String name) {
        Optional<String> bad = BackupCatalog.notPlainName(name);
        if (bad.isPresent()) {
            throw new IllegalArgumentException("refused: the backup name '" + BackupCatalog.printable(String.valueOf(name))
                    + "' " + bad.get() + ": it is not written outside " + dir);
        }
        return dir.resolve(name);
    }

    /** Creates {@code p} as rw------- (or makes an existing one so) where the file system has POSIX permissions. */
    static void privateFile(Path p) throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> owner = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        if (!p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Files.createFile(p, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(owner));
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            Files.setPosixFilePermissions(p, owner);
        }
    }

    static String sha256(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not read " + p + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ leftovers

    /**
     * Removes a leftover {@code .part} file a killed job left in a backup folder (listed in
     * {@link BackupListing#leftovers()}): under the action lock, only once nothing has written it for
     * {@link BackupScripts#LEFTOVER_QUIET_MINUTES} minutes and no process has it open. Audited, refusals too.
     * Completes with what was removed ("PATH (N bytes)").
     */
    public CompletableFuture<String> removeLeftover(String name) {
        Instant start = clock.instant();
        String action = "backup-remove-part";
        return list().exceptionallyCompose(e -> audit.append(new AuditEntry(null, actor, env.name(), action,
                List.of(name == null ? "" : name), start, clock.instant(), null, null, "failed", null, null,
                "could not list the backup folders: " + Errors.describe(e))).thenCompose(v -> CompletableFuture.<BackupListing>failedFuture(e)))
                .thenCompose(l -> {
                    Leftover lo;
                    try {
                        lo = BackupCatalog.findLeftover(l, name);
                    } catch (IllegalArgumentException e) {
                        return refuse(action, List.of(name == null ? "" : name), start, RolloutException.Kind.INVALID_INPUT,
                                "refused: " + e.getMessage());
                    }
                    return shell.exec(BackupScripts.removeLeftover(ActionScripts.lockOrBusy(env.deploy().stateDir()), lo.path()),
                            Duration.ofSeconds(60), RemoteShell.OutputListener.NONE).thenCompose(r -> {
                        List<String> lines = List.of(r.stdout().split("\n"));
                        Optional<String> removed = marker(lines, BackupScripts.REMOVED);
                        Optional<String> refused = marker(lines, BackupScripts.REFUSE);
                        if (removed.isPresent()) {
                            String[] p = removed.get().split(" ");
                            String what = p[0] + " (" + Sizes.human(Long.parseLong(p[p.length - 1])) + ")";
                            return audit.append(new AuditEntry(null, actor, env.name(), action, List.of(lo.path()), start, clock.instant(),
                                    0, null, "succeeded", null, null, "removed the leftover " + what)).handle((v, unwritten) -> {
                                        if (unwritten != null) { // removed all the same
                                            throw AuditWriteException.ran("removed the leftover " + what, true, audit, unwritten);
                                        }
                                        return what;
                                    });
                        }
                        Optional<String> locked = MaintenanceLock.refusalIn(env.name(), r.stdout());
                        String why = locked.isPresent() ? locked.get()
                                : r.stdout().contains(ActionScripts.BUSY) ? "another action is running on this host (it may be writing it)"
                                : refused.orElse("the server said: " + (r.stdout() + r.stderr()).strip());
                        return this.<String>refuse(action, List.of(lo.path()), start, RolloutException.Kind.BLOCKED,
                                "refused: " + lo.name() + " was not removed: " + why);
                    });
                });
    }

    // ------------------------------------------------------------------ backup now

    /** Runs the configured backup command detached on the server, streams its log, and finds the new backup. */
    public CompletableFuture<JobResult> backupNow(RemoteShell.OutputListener out) {
        Instant start = clock.instant();
        String command;
        try {
            command = CommandTemplate.fill("backups.commands.backup", env.backups().commands().get("backup"), Map.of());
        } catch (IllegalArgumentException badTemplate) {
            return refuse("backup-now", List.of(), start, RolloutException.Kind.INVALID_INPUT, "refused: " + badTemplate.getMessage());
        }
        JobBound bound = JobBound.backup(env);
        return list().thenCompose(before -> runJob("backup-now", List.of(), BackupScripts.teamCommand(command), bound,
                        Optional.empty(), out, start)
                .thenCompose(run -> list().handle((after, e) -> {
                    Optional<BackupEntry> fresh = after == null ? Optional.empty() : after.backups().stream()
                            .filter(b -> before.backups().stream().noneMatch(o -> o.path().equals(b.path()))).findFirst();
                    boolean ok = run.exitCode() == 0 && fresh.isPresent();
                    String killed = run.exitCode() == 124 || run.exitCode() == 137 ? " (killed by its bound of "
                            + bound.limit().map(JobBound::duration).orElse("?") + ", " + bound.source() + ")" : "";
                    String msg = run.exitCode() != 0 ? "the backup command exited " + exit(run.exitCode()) + killed + lastLine(run)
                            : fresh.map(b -> "new " + b.kind() + " backup " + b.name() + " (" + b.sizeBytes() + " bytes)")
                            .orElse("the backup command succeeded but no new backup appeared in "
                                    + String.join(", ", env.backups().folders()));
                    return finish(run, "backup-now", ok ? "succeeded" : "failed", msg, Optional.empty(), List.of(), fresh);
                }).thenCompose(f -> f)));
    }

    // ------------------------------------------------------------------ restore

    /** The verification a restore will rely on, as its confirmation states it. */
    public enum VerificationState {
        /** A passing verification of this very file (same size and time): reused, not run again. */
        PASSED,
        /** The last verification of this very file failed: the restore is refused unless forced. */
        FAILED,
        /** Not verified (or the file changed since): verified on the server first; a failure refuses it unless forced. */
        NOT_VERIFIED
    }

    /**
     * What a restore's confirmation shows — the window's dialog and the CLI alike: the backup, the job's bound,
     * the verification it will rely on (and whether it needs forcing), where the safety backup goes.
     */
    public record RestorePlan(BackupEntry backup, boolean scratch, JobBound bound, VerificationState verification,
                              String verificationText, String database, Optional<String> safetyText) {
        /** A backup whose verification failed: restored only when the user forces it (typed, audited). */
        public boolean needsForce() {
            return verification == VerificationState.FAILED;
        }

        /** The lines of the confirmation after the backup's own line: bound, verification, safety backup, target. */
        public List<String> facts() {
            List<String> f = new ArrayList<>();
            f.add("job bound: " + bound.describe());
            f.add("verification: " + verificationText);
            if (scratch) {
                f.add("into a new scratch database on the server, then row counts per table against the live " + database
                        + "; the scratch database is dropped (also when the job is killed); the live database is not touched");
            } else {
                safetyText.ifPresent(f::add);
                f.add("then the live database " + database + " is replaced by the backup, detached on the server under the deploy lock");
            }
            // the team's sidecar (backups.versionSidecar): what was deployed when it was taken; a restore changes the database only
            if (backup.recorded() != RecordedVersion.NOT_READ) {
                f.add(backup.recorded().known() ? "version deployed when it was taken: " + backup.recorded().describe()
                        + (scratch ? "" : "; a restore puts back the database only — the services stay on their version")
                        : "version deployed when it was taken: " + backup.recorded().describe());
            }
            return f;
        }
    }

    /**
     * What a confirmation stated about the backup, re-checked at the click: a restore is refused when the file
     * changed since (size, time) or the passing verification it promised to reuse no longer applies.
     */
    public record Stated(long sizeBytes, Instant modifiedAt, VerificationState verification) {
        public static Stated of(RestorePlan p) {
            return new Stated(p.backup().sizeBytes(), p.backup().modifiedAt(), p.verification());
        }
    }

    /**
     * A confirmed restore. {@code typed} must be the environment's name; {@code force} restores a backup that
     * failed verification (the user typed it: {@code --force}, or "force ENV" in the window; audited).
     */
    public record RestoreRequest(String name, boolean scratch, String typed, boolean force, Optional<Stated> stated) {}

    /** The plan of restoring the listed backup {@code name} (read from the server now): what the CLI shows before it runs. */
    public CompletableFuture<RestorePlan> plan(String name, boolean scratch) {
        return list().thenApply(l -> plan(BackupCatalog.find(l, name), scratch));
    }

    /** The plan of restoring {@code e}: pure, from the listing's entry and the configuration (the confirmation's facts). */
    public RestorePlan plan(BackupEntry e, boolean scratch) {
        VerificationState state = e.verification().map(v -> v.ok() ? VerificationState.PASSED : VerificationState.FAILED)
                .orElse(VerificationState.NOT_VERIFIED);
        String text = switch (state) {
            case PASSED -> "ok at " + utc(e.verification().get().checkedAt()) + " for this very file (same size and time): reused, "
                    + "not run again — " + e.verification().get().detail();
            case FAILED -> "FAILED at " + utc(e.verification().get().checkedAt()) + ": " + e.verification().get().detail()
                    + " — refused unless forced (typed, audited)";
            case NOT_VERIFIED -> "none yet — verified on the server first (pg_dump's completion footer, pg_restore reading every block, "
                    + "checksum sidecars); a failure refuses the restore unless forced (typed, audited)";
        };
        Optional<String> safety = Optional.empty();
        if (!scratch) {
            String c = env.backups().commands().get("safetyBackup");
            safety = Optional.of("first a safety backup of the live " + env.postgres().database() + " into "
                    + env.backups().folders().get(0) + (c == null ? " (built in, kind " + BackupCatalog.PRE_RESTORE
                    + ", pre-restore backups older than " + preRestoreRetentionDays() + " days pruned)" : " (backups.commands.safetyBackup)")
                    + ": the free space is checked against the database's size, the file verified complete; no restore if any of it fails");
        }
        return new RestorePlan(e, scratch, JobBound.restore(env), state, text, env.postgres().database(), safety);
    }

    /** Restores {@code name} (the CLI's {@code --yes} path without force): {@link #restore(RestoreRequest, RemoteShell.OutputListener)}. */
    public CompletableFuture<JobResult> restore(String name, boolean scratch, String typed, RemoteShell.OutputListener out) {
        return restore(new RestoreRequest(name, scratch, typed, false, Optional.empty()), out);
    }

    /**
     * Restores a backup. {@code typed} must be the environment's name. The backup is verified first as
     * {@link #verify} does (or a passing verification of this very file is reused); one that fails is refused
     * unless forced. Into the live database: a safety backup first (free space checked against the database's
     * size, written, verified complete; no restore if any of it fails), then the configured restore command —
     * detached under the rollout lock, bounded by {@code backups.restoreTimeoutSeconds} (none by default), and
     * only if the file is still the one verified. {@code scratch}: into a scratch database instead, with row
     * counts per table against the live one (the live database is not touched). Audited, refusals too.
     */
    public CompletableFuture<JobResult> restore(RestoreRequest rq, RemoteShell.OutputListener out) {
        Instant start = clock.instant();
        boolean scratch = rq.scratch();
        String action = scratch ? "restore-scratch" : "restore";
        String name = rq.name();
        if (rq.typed() == null || !rq.typed().strip().equals(env.name())) {
            return refuse(action, List.of(name == null ? "" : name), start, RolloutException.Kind.INVALID_INPUT,
                    "refused: type the environment's name '" + env.name() + "' to confirm a restore");
        }
        return resolve(action, name, start).thenCompose(e -> {
            if (!scratch && env.backups().dataOnlyKinds().contains(e.kind())) {
                return refuse(action, List.of(e.path()), start, RolloutException.Kind.INVALID_INPUT, "refused: " + e.name()
                        + " is " + (e.kind().matches("[aeiou].*") ? "an " : "a ") + e.kind() + " backup (rows only, no schema): restoring it over the live database would "
                        + "drop the schema and fail; restore the full backup before it, or restore this one into a scratch database");
            }
            RestorePlan plan = plan(e, scratch);
            Optional<String> changed = rq.stated().flatMap(st -> changedSince(st, plan));
            if (changed.isPresent()) {
                return refuse(action, List.of(e.path()), start, RolloutException.Kind.STALE, "refused: " + changed.get()
                        + " since you confirmed; nothing was run — look at it again and confirm again");
            }
            // the team's commands filled in first: a template the loader would refuse sends nothing, not even the verification
            String command;
            try {
                String guard = BackupScripts.unchanged(e.path(), e.sizeBytes(), e.modifiedAt().getEpochSecond());
                command = guard + (scratch ? scratchCommand(e) : safetyCommand() + "; s_=$?; if [ $s_ != 0 ]; then "
                        + "[ $s_ = " + BackupScripts.STOPPED + " ] || echo '✖ the safety backup failed: nothing restored'; exit $s_; fi; "
                        + restoreCommand(e));
            } catch (IllegalArgumentException badTemplate) {
                return refuse(action, List.of(e.path()), start, RolloutException.Kind.INVALID_INPUT, "refused: " + badTemplate.getMessage());
            }
            CompletableFuture<Verification> checked;
            if (plan.verification() == VerificationState.PASSED) {
                out.line(false, "verification of " + e.name() + " reused: " + plan.verificationText());
                checked = CompletableFuture.completedFuture(e.verification().get());
            } else {
                out.line(false, "verifying " + e.name() + " on the server before the restore …");
                checked = verify(e, start).exceptionallyCompose(x -> failedBeforeStart(action, e, start,
                        "could not verify " + e.name() + " before the restore: " + Errors.describe(x) + "; nothing was run", x));
            }
            return checked.thenCompose(v -> {
                if (plan.verification() != VerificationState.PASSED) {
                    out.line(false, (v.ok() ? "verification ok: " : "verification FAILED: ") + v.detail());
                }
                if (!v.ok() && !rq.force()) {
                    return refuse(action, List.of(e.path()), start, RolloutException.Kind.BLOCKED, "refused: " + e.name()
                            + " failed verification (" + v.detail() + "); nothing was run. Restore it anyway only if you must: "
                            + "force it (dutydesk restore … --force; in the window type 'force " + env.name() + "'); a forced restore is audited");
                }
                boolean forced = !v.ok();
                List<String> args = forced ? List.of(e.path(), "--force") : List.of(e.path());
                if (forced) {
                    out.line(false, "FORCED: restoring " + e.name() + " although it failed verification (audited)");
                }
                return jobSecret().exceptionallyCompose(x -> failedBeforeStart(action, e, start, "could not get the database password ("
                                + env.postgres().password().describe() + ") for the job: " + Errors.describe(x) + "; nothing was run", x))
                        .thenCompose(secret -> runJob(action, args, command, plan.bound(), secret, out, start))
                        .thenCompose(run -> {
                            Ended end = ended(action, e.name(), plan.bound(), run.outcome().end(), run.exitCode(), run.lines(), run.lastLine());
                            // a restore that failed, whatever failed, leaves no "ok" of this file to be reused: the next one verifies again
                            boolean forget = end.result().equals("failed") && v.ok();
                            String msg = end.message() + (forced ? "; FORCED past a failed verification (" + v.detail() + ")"
                                    : end.result().equals("refused") ? ""
                                    : plan.verification() == VerificationState.PASSED ? "; its verification of " + utc(v.checkedAt()) + " reused"
                                    : "; verified ok just before")
                                    + (forget ? "; its passing verification is no longer kept: the next restore of " + e.name()
                                    + " verifies it again" : "");
                            CompletableFuture<Void> kept = forget ? results.forgetPassed(env.name(), e.path()).exceptionally(x -> null)
                                    : CompletableFuture.completedFuture(null);
                            return kept.thenCompose(x -> recordSafety(run.lines(), run.id(), e.name()))
                                    .thenCompose(x -> finish(run, action, end.result(), msg, end.safety(), end.counts(), Optional.empty(), forced));
                        });
            });
        });
    }

    /** What changed since the confirmation stated it, if anything. */
    static Optional<String> changedSince(Stated st, RestorePlan now) {
        BackupEntry e = now.backup();
        if (st.sizeBytes() != e.sizeBytes() || st.modifiedAt().getEpochSecond() != e.modifiedAt().getEpochSecond()) {
            return Optional.of(e.name() + " changed on the server (" + st.sizeBytes() + " bytes at " + utc(st.modifiedAt()) + " → "
                    + e.sizeBytes() + " bytes at " + utc(e.modifiedAt()) + ")");
        }
        if (st.verification() == VerificationState.PASSED && now.verification() != VerificationState.PASSED) {
            return Optional.of("the passing verification of " + e.name() + " you confirmed no longer applies (now: "
                    + now.verification().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        }
        return Optional.empty();
    }

    /** How a backup job ended, from its exit code and its marker lines: the audit result, why, and what it left. */
    record Ended(String result, String message, Optional<String> safety, List<TableCount> counts, List<String> pruned) {
        boolean ok() {
            return result.equals("succeeded");
        }
    }

    /**
     * The outcome of a restore (or scratch restore, or backup now) job: follows the server's exit code and the
     * markers, and always says why. A stop before anything changed ({@link BackupScripts#REFUSE},
     * {@link BackupScripts#NOSPACE}) is "refused"; a live restore is "succeeded" only with exit 0 and a named,
     * verified safety backup.
     */
    Ended ended(String action, String what, JobBound bound, DetachedActions.End end, int code, List<String> lines, String lastLine) {
        return ended(env, action, what, bound, end, code, lines, lastLine);
    }

    /**
     * A backup job's outcome judged from what the server kept — its exit file ({@code code}, or {@code end} UNKNOWN) and
     * its log's lines — by the same rules as a live follow ({@link #ended}): for {@link DetachedActions#reconcile} of a
     * job whose console stopped following it. Empty when {@code action} is not a backup job.
     */
    public static Optional<String[]> judge(Environment env, String id, DetachedActions.End end, int code, List<String> log) {
        Optional<String> action = backupAction(id);
        if (action.isEmpty()) {
            return Optional.empty();
        }
        JobBound bound = action.get().equals("backup-now") ? JobBound.backup(env) : JobBound.restore(env);
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
        log.stream().filter(l -> !l.startsWith("@@")).forEach(l -> keepLast(last, l));
        Ended e = ended(env, action.get(), "the backup job " + id, bound, end, code, log, last.get());
        return Optional.of(new String[] {e.result(), e.message()});
    }

    static Ended ended(Environment env, String action, String what, JobBound bound, DetachedActions.End end, int code, List<String> lines,
                       String lastLine) {
        boolean live = action.equals("restore");
        Optional<String> safety = marker(lines, BackupScripts.SAFETY).map(BackupsService::safetyPath);
        List<String> pruned = lines.stream().filter(l -> l.startsWith(BackupScripts.PRUNED))
                .map(l -> l.substring(BackupScripts.PRUNED.length()).strip()).toList();
        List<TableCount> counts = action.equals("restore-scratch") ? parseCounts(lines) : List.of();
        Optional<String> noSpace = marker(lines, BackupScripts.NOSPACE).map(m -> noSpace(env, m));
        Optional<String> refusal = noSpace.or(() -> marker(lines, BackupScripts.REFUSE).map(r -> "refused on the server: " + r));
        String safetyNote = live ? safety.map(x -> "; safety backup " + x).orElse("; no safety backup was taken: the live database was not touched") : "";
        String prunedNote = pruned.isEmpty() ? "" : "; pruned " + pruned.size() + " pre-restore backup" + (pruned.size() == 1 ? "" : "s")
                + " older than " + preRestoreRetentionDays(env) + " days (" + String.join(", ", pruned.stream()
                .map(x -> x.substring(x.lastIndexOf('/') + 1)).toList()) + ")";
        String last = lastLine == null || lastLine.isEmpty() ? "" : ": " + lastLine;
        if (refusal.isPresent() && code == BackupScripts.STOPPED) {
            return new Ended("refused", action + " of " + what + " " + refusal.get(), Optional.empty(), List.of(), List.of());
        }
        if (end != DetachedActions.End.EXITED) {
            // its shell was killed before it wrote the exit code: what it did is not known, only what its log says
            String known = live ? safety.map(x -> "; the safety backup " + x + " was finished before it stopped, so the restore itself may have "
                    + "run: check the live database (the restore commits in one transaction: all or nothing)")
                    .orElse("; it named no safety backup, so its restore never began: the live database was not touched")
                    : action.equals("backup-now") ? "; check the backup folder for what it left (a .part is removed by the next job)" : "";
            return new Ended("unknown", action + " of " + what + ": its end is unknown — the job ended without an exit code (killed on the "
                    + "server?) and nothing of it runs any more" + last + known, safety, counts, pruned);
        }
        if (code != 0) {
            String killed = code == 124 || code == 137 ? ": killed by its bound of " + bound.limit().map(JobBound::duration).orElse("?")
                    + " (" + bound.source() + ")" : "";
            return new Ended("failed", action + " of " + what + " failed (exit " + code + killed + ")" + last + safetyNote, safety, counts, pruned);
        }
        if (live && safety.isEmpty()) {
            return new Ended("failed", action + " of " + what + " exited 0 but the job named no safety backup: not counted as a "
                    + "restore with a way back" + last, safety, counts, pruned);
        }
        if (action.equals("restore-scratch")) {
            long differ = counts.stream().filter(TableCount::differs).count();
            return new Ended("succeeded", what + " restored into a scratch database: " + counts.size() + " tables, " + differ
                    + " differ from live (scratch dropped; live untouched)", safety, counts, pruned);
        }
        if (live) {
            return new Ended("succeeded", what + " restored into " + env.postgres().database() + safetyNote + prunedNote, safety, counts, pruned);
        }
        return new Ended("succeeded", action + " of " + what + " exited 0", safety, counts, pruned);
    }

    /**
     * Keeps the job's own verification of its safety backup ({@link BackupScripts#SAFETY_VERIFIED} followed by
     * {@link BackupScripts#SAFETY}, the same size) as the file's verification: listed as verified, with when and by which
     * job. Known by the path the listing gives it (folder/name) when the file is directly in the safety backup's folder.
     */
    CompletableFuture<Void> recordSafety(List<String> lines, String jobId, String restoring) {
        Optional<Verification> v = safetyVerification(lines, jobId, restoring);
        return v.isEmpty() ? CompletableFuture.completedFuture(null) : results.save(env.name(), v.get()).exceptionally(x -> null);
    }

    Optional<Verification> safetyVerification(List<String> lines, String jobId, String restoring) {
        Optional<String> safety = marker(lines, BackupScripts.SAFETY);
        Optional<String> check = marker(lines, BackupScripts.SAFETY_VERIFIED);
        if (safety.isEmpty() || check.isEmpty()) {
            return Optional.empty();
        }
        String[] c = check.get().split(" ", 5);
        try {
            Instant checked = Instant.ofEpochSecond(Long.parseLong(c[0]));
            Instant mtime = Instant.ofEpochSecond(Long.parseLong(c[1]));
            long bytes = Long.parseLong(c[2]);
            String path = safetyPath(safety.get());
            if (!safety.get().equals(path + " " + bytes)) {
                return Optional.empty(); // not the file the check was about
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            String folder = env.backups().folders().get(0);
            String key = c[3].equals("1") ? (folder.endsWith("/") ? folder + name : folder + "/" + name) : path;
            String detail = "verified complete by the restore job " + jobId + (restoring == null ? "" : " (its safety backup before restoring "
                    + restoring + ")") + " at " + utc(checked) + (c.length > 4 && !c[4].isBlank() ? ": " + c[4].strip() : "");
            return Optional.of(new Verification(key, bytes, mtime, true, detail, checked));
        } catch (RuntimeException bad) {
            return Optional.empty(); // a line that is not ours
        }
    }

    /** The path of a {@code @@SAFETY path bytes} marker: everything before the size (a path may hold spaces). */
    static String safetyPath(String marker) {
        return marker.replaceFirst(" [0-9]+$", "");
    }

    private static String noSpace(Environment env, String marker) {
        String[] p = marker.split(" ", 3);
        try {
            return "refused: the safety backup needs up to " + Sizes.human(Long.parseLong(p[0])) + " (the size of the database "
                    + env.postgres().database() + ") and " + (p.length > 2 ? p[2] : "its folder") + " has " + Sizes.human(Long.parseLong(p[1]))
                    + " free; nothing was written, nothing restored";
        } catch (RuntimeException e) {
            return "refused: not enough space for the safety backup (" + marker + "); nothing was written, nothing restored";
        }
    }

    private static Optional<String> marker(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip()).reduce((a, b) -> b);
    }

    /** The pre-restore backups' retention: the configured kind named pre-restore, else the built-in 90 days. */
    int preRestoreRetentionDays() {
        return preRestoreRetentionDays(env);
    }

    static int preRestoreRetentionDays(Environment env) {
        return BackupCatalog.kinds(env.backups()).stream().filter(k -> k.name().equals(BackupCatalog.PRE_RESTORE))
                .findFirst().map(Environment.BackupKind::retentionDays).orElse(90);
    }

    /** The database password for the job's environment, when the server cannot read it itself; a copy the runner zeroes. */
    private CompletableFuture<Optional<DetachedActions.JobSecret>> jobSecret() {
        SecretRef ref = env.postgres().password();
        if (!BackupScripts.secretSent(ref)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return secrets.resolve(ref).thenApply(o -> o.map(c -> new DetachedActions.JobSecret(BackupScripts.SECRET_VARIABLE, c.clone())));
    }

    /** A restore that failed before anything was sent to the server: audited, then the failure passed on. */
    private <T> CompletableFuture<T> failedBeforeStart(String action, BackupEntry e, Instant start, String why, Throwable x) {
        return audit.append(new AuditEntry(null, actor, env.name(), action, List.of(e.path()), start, clock.instant(), null, null,
                "failed", null, null, why)).handle((v, y) -> {
                    throw new java.util.concurrent.CompletionException(new IllegalStateException(y == null ? why
                            : why + "; " + AuditWriteException.unwritten(audit, y), Errors.unwrap(x)));
                });
    }

    private static String utc(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace("T", " ").replace("Z", " UTC");
    }

    /** The configured safety backup, else the built-in one into the first backup folder. */
    String safetyCommand() {
        String c = env.backups().commands().get("safetyBackup");
        String folder = env.backups().folders().get(0);
        return c != null ? BackupScripts.configuredSafetyBackup(env.postgres(), c, folder)
                : BackupScripts.builtinSafetyBackup(env.postgres(), folder, preRestoreRetentionDays());
    }

    /** The configured restore command with {file} (and {database}) filled in, or "builtin". */
    String restoreCommand(BackupEntry e) {
        String c = env.backups().commands().getOrDefault("restore", "builtin");
        if (c.strip().equals("builtin")) {
            return BackupScripts.builtinRestore(env.postgres(), e.path(), e.format(), env.postgres().database());
        }
        return BackupScripts.teamCommand(CommandTemplate.fill("backups.commands.restore", c,
                Map.of(CommandTemplate.FILE, e.path(), CommandTemplate.DATABASE, env.postgres().database())));
    }

    String scratchCommand(BackupEntry e) {
        String c = env.backups().commands().get("restoreScratch");
        if (c == null || c.strip().equals("builtin")) {
            return BackupScripts.builtinScratchRestore(env.postgres(), e.path(), e.format());
        }
        return BackupScripts.teamCommand(CommandTemplate.fill("backups.commands.restoreScratch", c, Map.of(CommandTemplate.FILE, e.path())));
    }

    static List<TableCount> parseCounts(List<String> lines) {
        Map<String, Long> scratch = new LinkedHashMap<>();
        Map<String, Long> live = new LinkedHashMap<>();
        for (String l : lines) {
            if (!l.startsWith(BackupScripts.COUNT)) {
                continue;
            }
            String[] p = l.substring(BackupScripts.COUNT.length()).strip().split(" ");
            if (p.length < 3) {
                continue;
            }
            try {
                (p[0].equals("scratch") ? scratch : live).put(p[1], Long.parseLong(p[2]));
            } catch (NumberFormatException ignored) {
                // not a count
            }
        }
        List<TableCount> out = new ArrayList<>();
        scratch.forEach((t, n) -> out.add(new TableCount(t, n, live.get(t))));
        live.forEach((t, n) -> {
            if (!scratch.containsKey(t)) {
                out.add(new TableCount(t, null, n));
            }
        });
        return out;
    }

    /** Someone's action holding the server lock right now (a restore this console lost track of, a deploy...). */
    public CompletableFuture<Optional<DetachedActions.Running>> current() {
        return jobs.current();
    }

    /** The backup action of a runner id ("20261122-101500-restore-0a1b2c3d" → "restore"), if it is one of ours. */
    public static Optional<String> backupAction(String id) {
        if (id == null || ActionScripts.validId(id).isEmpty()) {
            return Optional.empty();
        }
        String a = id.substring(16, id.lastIndexOf('-'));
        return List.of("backup-now", "restore", "restore-scratch").contains(a) ? Optional.of(a) : Optional.empty();
    }

    /**
     * Follows a backup job already running on the server (this console before it was restarted, or
     * another one) to its end and reports how it ended. Runs nothing; the console that started it
     * completes its audit entry (or {@link DetachedActions#reconcile} does).
     */
    public CompletableFuture<JobResult> attach(String id, RemoteShell.OutputListener out) {
        String action = backupAction(id).orElseThrow(() -> new IllegalArgumentException("not a backup job: " + id));
        JobBound bound = action.equals("backup-now") ? JobBound.backup(env) : JobBound.restore(env);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
        return jobs.attach(id, bound, (stderr, line) -> {
            lines.add(line);
            if (!line.startsWith("@@")) {
                keepLast(last, line);
                out.line(stderr, line);
            }
        }, s -> out.line(true, "— " + s)).thenCompose(o -> recordSafety(List.copyOf(lines), id, null).thenApply(x -> o)).thenApply(o -> {
            int code = o.end() == DetachedActions.End.EXITED ? o.exitCode() : -1;
            Ended end = ended(action, "the backup (running on the server, " + id + ")", bound, o.end(), code, List.copyOf(lines), last.get());
            return new JobResult(id, action, code, end.ok(), end.message(), Duration.between(o.start(), clock.instant()).toMillis(),
                    o.outputSha256(), end.safety(), end.counts(), Optional.empty(), end.result(), false);
        });
    }

    // ------------------------------------------------------------------ common

    /** What a finished job printed: its outcome, every line (our markers included), the last error-looking line. */
    record Run(DetachedActions.Request request, DetachedActions.Outcome outcome, List<String> lines, String lastLine) {
        String id() {
            return outcome.id();
        }

        int exitCode() {
            return outcome.end() == DetachedActions.End.EXITED ? outcome.exitCode() : -1;
        }

        String outputSha256() {
            return outcome.outputSha256();
        }
    }

    /**
     * A job through the rollout's one runner ({@link DetachedActions}: the same server lock as deploy and
     * rollback, detached, re-attached after a drop, audited as started). "Another action is running" is a
     * refusal, audited; our marker lines are kept for parsing and not shown.
     */
    private CompletableFuture<Run> runJob(String action, List<String> args, String command, JobBound bound,
                                          Optional<DetachedActions.JobSecret> secret, RemoteShell.OutputListener out, Instant start) {
        DetachedActions.Request req = new DetachedActions.Request(action, args, command, Optional.empty(), null, bound);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
        RemoteShell.OutputListener keep = (stderr, line) -> {
            lines.add(line);
            if (line.startsWith("@@")) {
                return;
            }
            keepLast(last, line);
            out.line(stderr, line);
        };
        out.line(false, "job bound: " + bound.describe());
        return jobs.run(req, secret, keep, s -> out.line(true, "— " + s)).thenCompose(o -> {
            if (o.end() == DetachedActions.End.BUSY || o.end() == DetachedActions.End.REFUSED) {
                return jobs.<Run>refusedOnServer(req, o, RolloutException.Kind.BUSY);
            }
            return CompletableFuture.completedFuture(new Run(req, o, List.copyOf(lines), last.get()));
        });
    }

    /** The last error-looking line wins over later chatter (a trap's cleanup line). */
    private static void keepLast(java.util.concurrent.atomic.AtomicReference<String> last, String line) {
        String l = line.strip();
        String was = last.get();
        if (!l.isEmpty() && (!isError(was) || isError(l))) {
            last.set(l);
        }
    }

    private static boolean isError(String l) {
        return l.startsWith("\u274C") || l.startsWith("✖") || l.contains("ERROR") || l.contains("error:");
    }

    /** {@code result}: succeeded, failed or refused (stopped on the server before anything changed). */
    private CompletableFuture<JobResult> finish(Run run, String action, String result, String msg, Optional<String> safety,
                                                List<TableCount> counts, Optional<BackupEntry> fresh) {
        return finish(run, action, result, msg, safety, counts, fresh, false);
    }

    private CompletableFuture<JobResult> finish(Run run, String action, String result, String msg, Optional<String> safety,
                                                List<TableCount> counts, Optional<BackupEntry> fresh, boolean forced) {
        JobResult r = new JobResult(run.id(), action, run.exitCode(), result.equals("succeeded"), msg,
                Duration.between(run.outcome().start(), clock.instant()).toMillis(), run.outputSha256(), safety, counts, fresh,
                result, forced);
        Integer code = run.outcome().end() == DetachedActions.End.EXITED ? run.exitCode() : null;
        return jobs.completeAfterRun(jobs.completion(run.request(), run.outcome(), result, code, null, msg))
                .thenApply(r::withAuditWarning); // a completion not written never turns the job's outcome into a failure
    }

    private <T> CompletableFuture<T> refuse(String action, List<String> args, Instant start, RolloutException.Kind kind, String why) {
        return audit.append(new AuditEntry(null, actor, env.name(), action, args, start, clock.instant(), null, null, "refused",
                null, null, why)).handle((v, e) -> {
                    throw new RolloutException(kind, e == null ? why : why + "; " + AuditWriteException.unwritten(audit, e));
                });
    }

    private static String exit(int code) {
        return code < 0 ? "without an exit code" : String.valueOf(code);
    }

    private static String lastLine(Run run) {
        return run.lastLine().isEmpty() ? "" : ": " + run.lastLine();
    }
}
