package io.dutydesk.cli;

import io.dutydesk.core.Ages;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.backups.JobResult;
import io.dutydesk.core.backups.Leftover;
import io.dutydesk.core.backups.TableCount;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.rollout.RolloutException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** {@code backups}, {@code backup-now}, {@code verify}, {@code download}, {@code restore}. */
final class BackupCommands {
    private final PrintStream out;
    private final PrintStream err;
    private final AuditLog audit;
    private final String actor;
    private final Confirmer confirmer;
    private final Clock clock = Clock.systemUTC();
    /** Local file work (hashing a download): bounded, never the common pool. */
    private final java.util.concurrent.ExecutorService files = java.util.concurrent.Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "dutydesk-backup-files");
        t.setDaemon(true);
        return t;
    });

    BackupCommands(PrintStream out, PrintStream err, AuditLog audit, String actor, Confirmer confirmer) {
        this.out = out;
        this.err = err;
        this.audit = audit;
        this.actor = actor;
        this.confirmer = confirmer;
    }

    private BackupsService service(Environment env, EnvironmentHandle h) {
        return new BackupsService(env, h.shell(), h.verifications(), audit, actor, clock, files, h::secret);
    }

    /**
     * Exit 0 when the RPO is met (verified or not yet: the text and {@code rpo.state} say which) and every
     * folder was read; 1 when it is not met, cannot be told, a folder is unreachable, or the newest backup of an
     * RPO kind failed verification ({@code met-newest-failed}: met by an older one, but the backup job is broken).
     */
    int list(Environment env, EnvironmentHandle h, Args args) {
        noPositional(args, "backups");
        BackupListing l;
        try {
            l = service(env, h).list().join();
        } catch (CompletionException e) {
            err.println("dutydesk: backups of " + env.name() + ": " + Errors.describe(e));
            if (args.json()) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("env", env.name());
                o.put("error", Errors.describe(e));
                ObjectNode rpo = o.putObject("rpo");
                rpo.put("state", BackupListing.Rpo.UNKNOWN.id);
                rpo.put("text", "RPO unknown: the backup folders could not be read: " + Errors.describe(e));
                out.println(Json.write(o));
            }
            return Cli.DOWN;
        }
        if (args.json()) {
            out.println(Json.write(json(l)));
        } else {
            for (BackupListing.Folder f : l.folders()) {
                out.println(f.unreachable().map(r -> "! " + f.problem().orElseThrow())
                        .orElse(f.path() + "   free " + (f.freeBytes() < 0 ? "unknown" : human(f.freeBytes()))));
            }
            out.printf("%-44s %-15s %10s %-20s %8s %-11s %s%n", "NAME", "KIND", "SIZE", "TAKEN (UTC)", "AGE", "KEPT UNTIL", "VERIFIED");
            for (BackupEntry b : l.backups()) {
                out.printf("%-44s %-15s %10s %-20s %8s %-11s %s%n", b.name(), b.kind(), human(b.sizeBytes()),
                        b.takenAt().toString().replace("T", " ").replace("Z", ""), Ages.hours(b.ageHours(l.takenAt())),
                        b.retentionExpiresAt() == null ? "-" : b.retentionExpiresAt().toString().substring(0, 10),
                        b.verification().map(v -> (v.ok() ? "ok: " : "BAD: ") + v.detail()).orElse("not verified")
                                + "   version " + b.recorded().describe());
            }
            if (!l.leftovers().isEmpty()) {
                out.println("Leftovers of killed jobs (remove with 'dutydesk remove-part NAME --env " + env.name() + "'; "
                        + io.dutydesk.core.backups.BackupScripts.LEFTOVER_LIMITS + "):");
                for (Leftover lo : l.leftovers()) {
                    out.printf("  %-44s %10s  last written %s%n", lo.name(), human(lo.sizeBytes()),
                            lo.modifiedAt().toString().replace("T", " ").replace("Z", " UTC"));
                }
            }
            if (!l.inProgress().isEmpty()) {
                out.println("Being written by the job running now (not leftovers, not removable):");
                for (io.dutydesk.core.backups.PartInProgress p : l.inProgress()) {
                    out.printf("  %-44s %10s  being written by job %s%n", p.part().name(), human(p.part().sizeBytes()), p.jobId());
                }
            }
            out.println((l.rpo() == BackupListing.Rpo.MET ? "" : "! ") + l.rpoText());
        }
        return ok(l) ? Cli.OK : Cli.DOWN;
    }

    static boolean ok(BackupListing l) {
        return (l.rpo() == BackupListing.Rpo.MET || l.rpo() == BackupListing.Rpo.MET_UNVERIFIED) && l.newestFailed().isEmpty()
                && l.unreachableFolders().isEmpty();
    }

    static ObjectNode json(BackupListing l) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("env", l.env());
        root.put("readAt", l.takenAt().toString());
        ArrayNode folders = root.putArray("folders");
        for (BackupListing.Folder f : l.folders()) {
            ObjectNode o = folders.addObject();
            o.put("path", f.path());
            if (f.freeBytes() < 0) {
                o.putNull("freeBytes");
            } else {
                o.put("freeBytes", f.freeBytes());
            }
            Json.putNullable(o, "unreachable", f.unreachable().orElse(null));
        }
        ArrayNode arr = root.putArray("backups");
        for (BackupEntry b : l.backups()) {
            ObjectNode o = arr.addObject();
            o.put("name", b.name());
            o.put("path", b.path());
            o.put("kind", b.kind());
            o.put("sizeBytes", b.sizeBytes());
            o.put("modifiedAt", b.modifiedAt().toString());
            o.put("takenAt", b.takenAt().toString());
            o.put("ageHours", Math.round(b.ageHours(l.takenAt()) * 100) / 100.0);
            Json.putNullable(o, "retentionExpiresAt", b.retentionExpiresAt() == null ? null : b.retentionExpiresAt().toString());
            if (b.verification().isPresent()) {
                o.put("verified", b.verification().get().ok());
                o.put("verifyDetail", b.verification().get().detail());
            } else {
                o.putNull("verified");
                o.putNull("verifyDetail");
            }
            // the team's version sidecar (backups.versionSidecar): the version deployed when it was taken, or null and why not
            Json.putNullable(o, "recordedVersion", b.recorded().version().orElse(null));
            Json.putNullable(o, "recordedVersionUnknown", b.recorded().known() ? null : b.recorded().unknownWhy());
        }
        ArrayNode parts = root.putArray("leftovers");
        for (Leftover lo : l.leftovers()) {
            ObjectNode o = parts.addObject();
            o.put("name", lo.name());
            o.put("path", lo.path());
            o.put("sizeBytes", lo.sizeBytes());
            Json.putTime(o, "modifiedAt", lo.modifiedAt());
        }
        ArrayNode writing = root.putArray("inProgress");
        for (io.dutydesk.core.backups.PartInProgress p : l.inProgress()) {
            ObjectNode o = writing.addObject();
            o.put("name", p.part().name());
            o.put("path", p.part().path());
            o.put("sizeBytes", p.part().sizeBytes());
            Json.putTime(o, "modifiedAt", p.part().modifiedAt());
            o.put("job", p.jobId());
        }
        if (l.newestFullAgeHours().isPresent()) {
            root.put("newestFullAgeHours", Math.round(l.newestFullAgeHours().get() * 100) / 100.0);
        } else {
            root.putNull("newestFullAgeHours");
        }
        root.put("rpoHours", l.rpoHours());
        root.put("rpoOk", l.rpoOk()); // by age alone: rpo.state says whether it is verified
        ObjectNode rpo = root.putObject("rpo");
        rpo.put("state", l.rpo().id);
        rpo.put("text", l.rpoText());
        Json.putNullable(rpo, "newestVerified", l.newestVerified().map(BackupEntry::name).orElse(null));
        // the newest backup within the RPO when it FAILED verification (null otherwise): the backup job is broken
        Json.putNullable(rpo, "newestFailed", l.newestFailed().map(BackupEntry::name).orElse(null));
        return root;
    }

    int verify(Environment env, EnvironmentHandle h, Args args) {
        String name = one(args, "verify");
        Verification v;
        try {
            v = service(env, h).verify(name).join();
        } catch (CompletionException e) {
            return failed(e, "verify " + name, args);
        }
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("path", v.path());
            o.put("ok", v.ok());
            o.put("detail", v.detail());
            o.put("checkedAt", v.checkedAt().toString());
            out.println(Json.write(o));
        } else {
            out.println((v.ok() ? "OK: " : "BAD: ") + v.path());
            for (String d : v.detail().split("; ")) {
                out.println("  " + d);
            }
        }
        return v.ok() ? Cli.OK : Cli.DOWN;
    }

    int download(Environment env, EnvironmentHandle h, Args args) {
        String name = one(args, "download");
        Path dir = args.to().orElseThrow(() -> new Args.UsageException("download needs --to DIR"));
        PrintStream log = args.json() ? err : out;
        long[] lastPct = {-1};
        BackupsService.Download d;
        try {
            d = service(env, h).download(name, dir, (done, total) -> {
                long pct = total == 0 ? 100 : done * 100 / total;
                if (pct / 10 != lastPct[0] / 10) {
                    lastPct[0] = pct;
                    log.printf("  %3d%%  %s of %s%n", pct, human(done), human(total));
                }
                return true;
            }).join();
        } catch (CompletionException e) {
            return failed(e, "download " + name, args);
        }
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("file", d.file().toString());
            o.put("sizeBytes", d.sizeBytes());
            o.put("sha256", d.sha256());
            o.put("resumed", d.resumed());
            out.println(Json.write(o));
        } else {
            out.println("OK: " + d.file() + " (" + human(d.sizeBytes()) + ", sha256 " + d.sha256() + " checked"
                    + (d.resumed() ? ", resumed" : "") + ")");
        }
        return Cli.OK;
    }

    int backupNow(Environment env, EnvironmentHandle h, Args args) {
        noPositional(args, "backup-now");
        PrintStream log = args.json() ? err : out;
        JobResult r;
        try {
            r = service(env, h).backupNow((stderr, line) -> log.println(line)).join();
        } catch (CompletionException e) {
            return failed(e, "backup-now", args);
        }
        return report(env, r, args, log, java.util.Optional.empty());
    }

    int restore(Environment env, EnvironmentHandle h, Args args) {
        String name = one(args, "restore");
        PrintStream log = args.json() ? err : out;
        if (!args.yes() && !confirmer.interactive()) {
            err.println("dutydesk: not on a terminal: give --yes to restore (the live database of " + env.name() + " is replaced)");
            return Cli.USAGE;
        }
        BackupsService service = service(env, h);
        // what is about to happen, --yes or not: the job's bound, the verification it relies on, the force option
        java.util.Optional<BackupsService.RestorePlan> plan;
        try {
            plan = java.util.Optional.of(service.plan(name, args.scratch()).join());
        } catch (CompletionException e) {
            plan = java.util.Optional.empty(); // the restore below refuses it with the reason, audited
        }
        plan.ifPresent(p -> {
            log.println(args.scratch() ? "Restore " + p.backup().name() + " into a scratch database of " + env.name() + " (live untouched)."
                    : "Restore " + p.backup().name() + " into the LIVE database of " + env.name() + ".");
            p.facts().forEach(f -> log.println("  " + f));
            log.println("  force: " + (args.force() ? "--force given: restored even if it fails verification (audited as forced)"
                    : "without --force a backup that fails verification is refused"));
        });
        String typed;
        if (args.yes()) {
            typed = env.name(); // --env NAME --yes: the name was typed on the command line
        } else {
            typed = confirmer.typed("Type the environment's name '" + env.name() + "' to confirm: ").orElse("");
        }
        JobResult r;
        try {
            r = service.restore(new BackupsService.RestoreRequest(name, args.scratch(), typed, args.force(),
                    plan.map(BackupsService.Stated::of)), (stderr, line) -> log.println(line)).join();
        } catch (CompletionException e) {
            return failed(e, "restore " + name, args);
        }
        return report(env, r, args, log, plan);
    }

    /** {@code dutydesk remove-part NAME}: a leftover .part file of a killed job (listed by {@code backups}). */
    int removePart(Environment env, EnvironmentHandle h, Args args) {
        String name = one(args, "remove-part");
        if (!args.yes()) {
            if (!confirmer.interactive()) {
                err.println("dutydesk: not on a terminal: give --yes to remove " + name);
                return Cli.USAGE;
            }
            err.println("Note: " + io.dutydesk.core.backups.BackupScripts.LEFTOVER_LIMITS + ".");
            String typed = confirmer.typed("Remove " + name + " from " + env.name() + "? Type the environment's name '" + env.name()
                    + "' to confirm: ").orElse("");
            if (!typed.strip().equals(env.name())) {
                err.println("dutydesk: not confirmed: nothing removed");
                return Cli.USAGE;
            }
        }
        String removed;
        try {
            removed = service(env, h).removeLeftover(name).join();
        } catch (CompletionException e) {
            return failed(e, "remove-part " + name, args);
        }
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("removed", removed);
            out.println(Json.write(o));
        } else {
            out.println("OK: removed " + removed);
        }
        return Cli.OK;
    }

    private int report(Environment env, JobResult r, Args args, PrintStream log, java.util.Optional<BackupsService.RestorePlan> plan) {
        if (!r.counts().isEmpty()) {
            log.println("Row counts, backup (scratch) against live:");
            r.counts().forEach(c -> log.println((c.differs() ? "  ≠ " : "  = ") + c.describe()));
        }
        log.println((r.ok() ? "OK: " : r.result().equals("refused") ? "REFUSED: " : "FAILED: ") + r.message() + " (" + r.elapsedMs() + " ms)");
        // the completion could not be written: the outcome above (and the exit code) stand, the gap is said
        r.auditWarning().ifPresent(w -> err.println(Cli.auditWarning(r.action(), w, env)));
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("action", r.action());
            o.put("actionId", r.actionId());
            o.put("exitCode", r.exitCode());
            o.put("ok", r.ok());
            o.put("result", r.result());
            o.put("message", r.message());
            Json.putNullable(o, "auditWarning", r.auditWarning().orElse(null));
            plan.ifPresent(p -> {
                o.put("jobBound", p.bound().describe());
                if (p.bound().limit().isPresent()) {
                    o.put("jobBoundSeconds", p.bound().limit().get().toSeconds());
                } else {
                    o.putNull("jobBoundSeconds");
                }
                o.put("verification", p.verification().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                o.put("forced", r.forced());
            });
            o.put("elapsedMs", r.elapsedMs());
            o.put("outputSha256", r.outputSha256());
            Json.putNullable(o, "safetyBackup", r.safetyBackup().orElse(null));
            r.newBackup().ifPresent(b -> {
                ObjectNode n = o.putObject("newBackup");
                n.put("name", b.name());
                n.put("path", b.path());
                n.put("kind", b.kind());
                n.put("sizeBytes", b.sizeBytes());
            });
            if (!r.counts().isEmpty()) {
                ArrayNode a = o.putArray("counts");
                for (TableCount c : r.counts()) {
                    ObjectNode t = a.addObject();
                    t.put("table", c.table());
                    if (c.scratch() == null) t.putNull("backup"); else t.put("backup", c.scratch());
                    if (c.live() == null) t.putNull("live"); else t.put("live", c.live());
                    t.put("differs", c.differs());
                }
            }
            out.println(Json.write(o));
        }
        return r.ok() ? Cli.OK : Cli.DOWN;
    }

    private int failed(CompletionException e, String what, Args args) {
        Throwable c = Errors.unwrap(e);
        if (c instanceof io.dutydesk.core.audit.AuditWriteException a) {
            return Cli.auditFailure(a, what, args, out, err);
        }
        boolean refused = c instanceof RolloutException;
        err.println("dutydesk: " + (refused ? c.getMessage() : what + " failed: " + Errors.describe(e)));
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("refused", refused);
            o.put("error", Errors.describe(e));
            Json.putHolder(o, c);
            out.println(Json.write(o));
        }
        return refused && ((RolloutException) c).kind() == RolloutException.Kind.INVALID_INPUT ? Cli.USAGE : Cli.DOWN;
    }

    private static String one(Args args, String verb) {
        if (args.positional().size() != 1) {
            throw new Args.UsageException(verb + " needs one backup NAME (see 'dutydesk backups --env NAME')");
        }
        return args.positional().get(0);
    }

    private static void noPositional(Args args, String verb) {
        if (!args.positional().isEmpty()) {
            throw new Args.UsageException(verb + " takes no argument");
        }
    }

    static String human(long bytes) {
        return io.dutydesk.core.backups.Sizes.human(bytes);
    }
}
