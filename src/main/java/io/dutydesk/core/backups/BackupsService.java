package io.dutydesk.core.backups;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.CommandTemplate;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.DetachedActions;
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

    /** {@code io}: where local file work (hashing a download) runs, never the caller's UI thread. */
    public BackupsService(Environment env, RemoteShell shell, VerificationResults results, AuditLog audit, String actor,
                          Clock clock, Executor io) {
        this.env = env;
        this.shell = shell;
        this.results = results;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
        this.io = io;
        this.jobs = new DetachedActions(env, shell, audit, actor, clock);
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
        CompletableFuture<Map<String, Long>> free = shell.exec(BackupScripts.freeSpace(b.folders()), env.poll().timeout().multipliedBy(3),
                RemoteShell.OutputListener.NONE).thenApply(r -> parseFree(b.folders(), r.stdout())).exceptionally(e -> Map.of());
        CompletableFuture<Map<String, Verification>> stored = results.load(env.name()).exceptionally(e -> Map.of());
        return CompletableFuture.allOf(lists.values().toArray(CompletableFuture[]::new))
                .thenCompose(v -> free.thenCombine(stored, (fr, st) -> {
                    Map<String, List<RemoteShell.RemoteFile>> byFolder = new HashMap<>();
                    lists.forEach((k, f) -> {
                        if (f.join() != null) {
                            byFolder.put(k, f.join());
                        }
                    });
                    if (byFolder.isEmpty() && !b.folders().isEmpty()) {
                        Map<String, String> why = new LinkedHashMap<>();
                        b.folders().forEach(f -> why.put(f, unreachable.get(f)));
                        throw new java.util.concurrent.CompletionException(new java.io.IOException(String.join("; ",
                                why.entrySet().stream().map(e -> "folder " + e.getKey() + ": unreachable: " + e.getValue()).toList()),
                                errors.isEmpty() ? null : errors.get(0)));
                    }
                    return BackupCatalog.listing(env.name(), b, byFolder, Map.copyOf(unreachable), fr, st, clock.instant());
                }));
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
                        .thenApply(x -> v));
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
                            .thenCompose(a -> x == null ? CompletableFuture.completedFuture(d)
                                    : CompletableFuture.<Download>failedFuture(Errors.unwrap(x))))
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
        return list().thenCompose(before -> runJob("backup-now", List.of(), command, out, start)
                .thenCompose(run -> list().handle((after, e) -> {
                    Optional<BackupEntry> fresh = after == null ? Optional.empty() : after.backups().stream()
                            .filter(b -> before.backups().stream().noneMatch(o -> o.path().equals(b.path()))).findFirst();
                    boolean ok = run.exitCode() == 0 && fresh.isPresent();
                    String msg = run.exitCode() != 0 ? "the backup command exited " + exit(run.exitCode()) + lastLine(run)
                            : fresh.map(b -> "new " + b.kind() + " backup " + b.name() + " (" + b.sizeBytes() + " bytes)")
                            .orElse("the backup command succeeded but no new backup appeared in "
                                    + String.join(", ", env.backups().folders()));
                    return finish(run, "backup-now", ok, msg, Optional.empty(), List.of(), fresh);
                }).thenCompose(f -> f)));
    }

    // ------------------------------------------------------------------ restore

    /**
     * Restores {@code name}. {@code typed} must be the environment's name. Into the live database: a safety
     * backup first (no restore if it fails), then the configured restore command, detached under the rollout
     * lock. {@code scratch}: into a scratch database instead, with row counts per table against the live one
     * (the live database is not touched).
     */
    public CompletableFuture<JobResult> restore(String name, boolean scratch, String typed, RemoteShell.OutputListener out) {
        Instant start = clock.instant();
        String action = scratch ? "restore-scratch" : "restore";
        if (typed == null || !typed.strip().equals(env.name())) {
            return refuse(action, List.of(name == null ? "" : name), start, RolloutException.Kind.INVALID_INPUT,
                    "refused: type the environment's name '" + env.name() + "' to confirm a restore");
        }
        return resolve(action, name, start).thenCompose(e -> {
            if (!scratch && env.backups().dataOnlyKinds().contains(e.kind())) {
                return refuse(action, List.of(e.path()), start, RolloutException.Kind.INVALID_INPUT, "refused: " + e.name()
                        + " is " + (e.kind().matches("[aeiou].*") ? "an " : "a ") + e.kind() + " backup (rows only, no schema): restoring it over the live database would "
                        + "drop the schema and fail; restore the full backup before it, or restore this one into a scratch database");
            }
            String command;
            try {
                command = scratch ? scratchCommand(e) : safetyCommand() + " || { echo '✖ the safety backup failed: nothing restored'; exit 1; }; "
                        + restoreCommand(e);
            } catch (IllegalArgumentException badTemplate) {
                return refuse(action, List.of(e.path()), start, RolloutException.Kind.INVALID_INPUT, "refused: " + badTemplate.getMessage());
            }
            return runJob(action, List.of(e.path()), command, out, start).thenCompose(run -> {
                Optional<String> safety = run.lines().stream().filter(l -> l.startsWith(BackupScripts.SAFETY))
                        .map(l -> l.substring(BackupScripts.SAFETY.length()).strip().split(" ")[0]).findFirst();
                List<TableCount> counts = scratch ? parseCounts(run.lines()) : List.of();
                boolean ok = run.exitCode() == 0 && (scratch || safety.isPresent());
                String msg;
                if (run.exitCode() != 0) {
                    msg = action + " of " + e.name() + " failed (exit " + exit(run.exitCode()) + ")" + lastLine(run)
                            + (scratch ? "" : safety.map(s -> "; safety backup " + s).orElse("; no safety backup: the live database was not touched"));
                } else if (scratch) {
                    long differ = counts.stream().filter(TableCount::differs).count();
                    msg = e.name() + " restored into a scratch database: " + counts.size() + " tables, " + differ
                            + " differ from live (scratch dropped; live untouched)";
                } else {
                    msg = e.name() + " restored into " + env.postgres().database() + safety.map(s -> "; safety backup " + s).orElse("");
                }
                return finish(run, action, ok, msg, safety, counts, Optional.empty());
            });
        });
    }

    /** The configured safety backup, else the built-in one into the first backup folder. */
    String safetyCommand() {
        String c = env.backups().commands().get("safetyBackup");
        String folder = env.backups().folders().get(0);
        return c != null ? "( " + CommandTemplate.fill("backups.commands.safetyBackup", c, Map.of(CommandTemplate.FOLDER, folder)) + " )"
                : BackupScripts.builtinSafetyBackup(env.postgres(), folder);
    }

    /** The configured restore command with {file} (and {database}) filled in, or "builtin". */
    String restoreCommand(BackupEntry e) {
        String c = env.backups().commands().getOrDefault("restore", "builtin");
        if (c.strip().equals("builtin")) {
            return BackupScripts.builtinRestore(env.postgres(), e.path(), e.format(), env.postgres().database());
        }
        return CommandTemplate.fill("backups.commands.restore", c,
                Map.of(CommandTemplate.FILE, e.path(), CommandTemplate.DATABASE, env.postgres().database()));
    }

    String scratchCommand(BackupEntry e) {
        String c = env.backups().commands().get("restoreScratch");
        if (c == null || c.strip().equals("builtin")) {
            return BackupScripts.builtinScratchRestore(env.postgres(), e.path(), e.format());
        }
        return CommandTemplate.fill("backups.commands.restoreScratch", c, Map.of(CommandTemplate.FILE, e.path()));
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
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        return jobs.attach(id, (stderr, line) -> {
            lines.add(line);
            if (!line.startsWith("@@")) {
                out.line(stderr, line);
            }
        }, s -> out.line(true, "— " + s)).thenApply(o -> {
            int code = o.end() == DetachedActions.End.EXITED ? o.exitCode() : -1;
            Optional<String> safety = lines.stream().filter(l -> l.startsWith(BackupScripts.SAFETY))
                    .map(l -> l.substring(BackupScripts.SAFETY.length()).strip().split(" ")[0]).findFirst();
            List<TableCount> counts = parseCounts(lines);
            boolean ok = code == 0 && (!action.equals("restore") || safety.isPresent());
            return new JobResult(id, action, code, ok, "the " + action + " running on the server ended with exit " + exit(code)
                    + safety.map(x -> "; safety backup " + x).orElse(""), Duration.between(o.start(), clock.instant()).toMillis(),
                    o.outputSha256(), safety, counts, Optional.empty());
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
    private CompletableFuture<Run> runJob(String action, List<String> args, String command, RemoteShell.OutputListener out,
                                          Instant start) {
        DetachedActions.Request req = new DetachedActions.Request(action, args, command, Optional.empty(), null);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>("");
        RemoteShell.OutputListener keep = (stderr, line) -> {
            lines.add(line);
            if (line.startsWith("@@")) {
                return;
            }
            String l = line.strip();
            String was = last.get();
            if (!l.isEmpty() && (!isError(was) || isError(l))) {
                last.set(l); // the last error wins over later chatter (a trap's cleanup line)
            }
            out.line(stderr, line);
        };
        return jobs.run(req, keep, s -> out.line(true, "— " + s)).thenCompose(o -> {
            if (o.end() == DetachedActions.End.BUSY || o.end() == DetachedActions.End.REFUSED) {
                return jobs.complete(jobs.completion(req, o, "refused", null, null, o.refusal()))
                        .handle((v, x) -> {
                            throw new RolloutException(RolloutException.Kind.BUSY, o.refusal());
                        });
            }
            return CompletableFuture.completedFuture(new Run(req, o, List.copyOf(lines), last.get()));
        });
    }

    private static boolean isError(String l) {
        return l.startsWith("\u274C") || l.startsWith("✖") || l.contains("ERROR") || l.contains("error:");
    }

    private CompletableFuture<JobResult> finish(Run run, String action, boolean ok, String msg, Optional<String> safety,
                                                List<TableCount> counts, Optional<BackupEntry> fresh) {
        JobResult r = new JobResult(run.id(), action, run.exitCode(), ok, msg,
                Duration.between(run.outcome().start(), clock.instant()).toMillis(), run.outputSha256(), safety, counts, fresh);
        return jobs.complete(jobs.completion(run.request(), run.outcome(), ok ? "succeeded" : "failed", run.exitCode(), null, msg))
                .thenApply(v -> r);
    }

    private <T> CompletableFuture<T> refuse(String action, List<String> args, Instant start, RolloutException.Kind kind, String why) {
        return audit.append(new AuditEntry(null, actor, env.name(), action, args, start, clock.instant(), null, null, "refused",
                null, null, why)).handle((v, e) -> {
                    throw new RolloutException(kind, why);
                });
    }

    private static String exit(int code) {
        return code < 0 ? "without an exit code" : String.valueOf(code);
    }

    private static String lastLine(Run run) {
        return run.lastLine().isEmpty() ? "" : ": " + run.lastLine();
    }
}
