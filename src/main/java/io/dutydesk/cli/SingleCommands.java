package io.dutydesk.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.deploy.DockerHostEngine;
import io.dutydesk.core.deploy.HealthCheck;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.deploy.StackService;
import io.dutydesk.core.deploy.StackSnapshot;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.Verb;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** {@code status}, {@code health-check}, {@code logs}, {@code deploy} and {@code rollback --to} on a single stack ({@code deploy.model: single}). */
final class SingleCommands {
    private final PrintStream out;
    private final PrintStream err;
    private final AuditLog audit;
    private final String actor;
    private final Confirmer confirmer;
    private final Clock clock = Clock.systemUTC();

    SingleCommands(PrintStream out, PrintStream err, AuditLog audit, String actor, Confirmer confirmer) {
        this.out = out;
        this.err = err;
        this.audit = audit;
        this.actor = actor;
        this.confirmer = confirmer;
    }

    private static DockerHostEngine engine(Environment env, EnvironmentHandle h, Clock clock) {
        return new DockerHostEngine(env, h.containers(), h.shell(), clock);
    }

    private BackupsService backups(Environment env, EnvironmentHandle h) {
        return new BackupsService(env, h.shell(), h.verifications(), audit, actor, clock, Runnable::run);
    }

    SingleService service(Environment env, EnvironmentHandle h) {
        BackupsService b = backups(env, h);
        return new SingleService(env, engine(env, h, clock), h.outbox(), h.shell(), b::list, audit, actor, clock);
    }

    int status(Environment env, EnvironmentHandle h, boolean json) {
        StackSnapshot s;
        try {
            s = engine(env, h, clock).read().join();
        } catch (CompletionException e) {
            err.println("dutydesk: status of " + env.name() + ": " + Errors.describe(e));
            Json.unread(env, Errors.describe(e), json, out);
            return Cli.DOWN;
        }
        Optional<BackupListing> listing = Optional.empty();
        String unknown = "";
        if (env.backups().configured()) {
            try {
                listing = Optional.of(backups(env, h).list().join());
            } catch (CompletionException e) {
                unknown = Errors.describe(e);
            }
        }
        Optional<io.dutydesk.core.rollout.ReleaseHistory.Listing> releases = Optional.empty();
        String releasesUnknown = "";
        try {
            releases = Optional.of(io.dutydesk.core.deploy.SingleReleases.history(env, h.shell(), engine(env, h, clock), audit).read().join());
        } catch (CompletionException e) {
            releasesUnknown = Errors.describe(e);
        }
        io.dutydesk.core.deploy.SingleReadiness r = io.dutydesk.core.deploy.SingleReadiness.of(env, listing, unknown.isEmpty()
                ? "backups not configured" : unknown, releases, releasesUnknown, java.time.ZoneId.systemDefault(), clock.instant());
        // the maintenance lock (over SFTP, no session on the server): while it is held every action is refused, so status says so
        Optional<io.dutydesk.core.rollout.MaintenanceLock> lock = Optional.empty();
        String lockUnknown = null;
        try {
            lock = service(env, h).maintenance().read().join();
        } catch (CompletionException e) {
            lockUnknown = Errors.describe(e);
        }
        boolean healthy = s.allReady();
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", env.name());
            root.put("model", env.deploy().model().word());
            root.put("engine", s.engine());
            root.put("version", s.version());
            root.put("healthy", healthy);
            ArrayNode problems = root.putArray("problems");
            s.problems().forEach(problems::add);
            root.put("rollbackReady", r.ready());
            root.put("rollbackReason", r.text());
            Json.putNullable(root, "rollbackBackup", r.backup().map(BackupEntry::path).orElse(null));
            Json.putNullable(root, "rollbackRelease", r.release().orElse(null));
            Json.putNullable(root, "newestBackup", r.newest().map(BackupEntry::path).orElse(null));
            Json.putTime(root, "takenAt", s.takenAt());
            Json.putMaintenance(root, lock, lockUnknown);
            ArrayNode arr = root.putArray("services");
            for (StackService svc : s.services()) {
                ObjectNode o = arr.addObject();
                o.put("name", svc.service());
                o.put("container", svc.container());
                o.put("host", svc.host());
                o.put("state", svc.state());
                o.put("health", svc.health());
                o.put("version", svc.version());
                Json.putNullable(o, "image", svc.info().map(c -> c.image()).orElse(null));
                Json.putTime(o, "startedAt", svc.info().map(c -> c.startedAt()).orElse(null));
                if (svc.info().isPresent()) {
                    o.put("restarts", svc.restarts());
                } else {
                    o.putNull("restarts");
                }
            }
            out.println(Json.write(root));
        } else {
            out.println(env.name() + ": single stack on " + s.version() + (healthy ? "" : " DEGRADED") + " (" + s.summary() + ")"
                    + "   rollback " + (r.ready() ? "READY" : r.state() == io.dutydesk.core.deploy.SingleReadiness.State.UNKNOWN ? "unknown"
                    : "NOT READY") + " (" + r.text() + ")");
            for (StackService svc : s.services()) {
                out.printf("  %-30s %-10s %-10s %3s  %s%n", svc.container(), svc.condition(), svc.version(),
                        svc.info().isPresent() ? String.valueOf(svc.restarts()) : "-",
                        svc.uptime(clock.instant()).map(d -> "up " + io.dutydesk.core.Ages.compact(d)).orElse(""));
            }
            s.problems().forEach(p -> out.println("  ! " + p));
            Json.printMaintenance(env, lock, lockUnknown, out);
        }
        return healthy ? Cli.OK : Cli.DOWN;
    }

    int healthCheck(Environment env, EnvironmentHandle h, boolean json) {
        HealthCheck c;
        try {
            c = engine(env, h, clock).healthCheck().join();
        } catch (CompletionException e) {
            err.println("dutydesk: health-check of " + env.name() + ": " + Errors.describe(e));
            return Cli.DOWN;
        }
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", env.name());
            root.put("command", c.command());
            root.put("exitCode", c.exitCode());
            root.put("healthy", c.healthy());
            ArrayNode arr = root.putArray("services");
            for (HealthCheck.ServiceResult r : c.services()) {
                ObjectNode o = arr.addObject();
                o.put("name", r.service());
                o.put("healthy", r.healthy());
                o.put("detail", r.detail());
            }
            ArrayNode lines = root.putArray("output");
            c.lines().forEach(lines::add);
            out.println(Json.write(root));
        } else {
            out.println(env.name() + ": " + c.command() + " (exit " + c.exitCode() + "): " + (c.healthy() ? "all healthy" : "NOT healthy"));
            for (HealthCheck.ServiceResult r : c.services()) {
                out.printf("  %-20s %-10s %s%n", r.service(), r.healthy() ? "healthy" : "NOT", r.detail());
            }
        }
        return c.healthy() ? Cli.OK : Cli.DOWN;
    }

    int logs(Environment env, EnvironmentHandle h, String service) {
        try {
            engine(env, h, clock).teamLogs(service).join().forEach(out::println);
            return Cli.OK;
        } catch (CompletionException e) {
            err.println("dutydesk: logs of " + service + " on " + env.name() + ": " + Errors.describe(e));
            return Cli.DOWN;
        }
    }

    /** deploy VERSION or rollback --to BACKUP: plan, confirm, run detached under the server lock, verify, audit. */
    int action(Environment env, EnvironmentHandle h, Verb verb, Optional<String> version, Args args, Runnable reconciled) {
        SingleService service = service(env, h);
        PrintStream log = args.json() ? err : out;
        Optional<String> type = verb == Verb.ROLLBACK ? args.type() : Optional.empty();
        String what = verb == Verb.DEPLOY ? version.orElse("") : type.orElse(args.to().map(Object::toString).orElse(""));
        SingleService.SinglePlan sp;
        // the plan's reads go out at once; entries a killed console left open (their completion started with the connection,
        // Connections.open) are waited for meanwhile, before anything runs
        java.util.concurrent.CompletableFuture<SingleService.SinglePlan> planned = verb == Verb.DEPLOY ? service.planDeploy(what)
                : type.isPresent() ? service.planType(what) : service.planRollbackTo(what);
        reconciled.run();
        try {
            sp = planned.join();
        } catch (CompletionException e) {
            Throwable c = Errors.unwrap(e);
            if (c instanceof RolloutException r && r.kind() == RolloutException.Kind.INVALID_INPUT) {
                try {
                    service.auditRefusal(verb, type.isPresent() ? List.of("--type", what) : List.of(what), r.getMessage()).join();
                } catch (CompletionException unwritten) {
                    err.println("dutydesk: " + io.dutydesk.core.audit.AuditWriteException.unwritten(audit, unwritten));
                }
                err.println("dutydesk: " + r.getMessage() + "; nothing was run");
                return Cli.USAGE;
            }
            err.println("dutydesk: cannot plan " + verb.id() + " on " + env.name() + ": " + Errors.describe(e) + "; nothing was run");
            return Cli.DOWN;
        }
        Plan plan = args.force() ? sp.plan().forcedCopy() : sp.plan();
        sp = new SingleService.SinglePlan(plan, sp.backup());
        RolloutCommands.printPlan(env, plan, args.force(), log);
        java.util.OptionalInt refused = RolloutCommands.confirm(plan, args, verb, confirmer, log, err);
        if (refused.isPresent()) {
            return refused.getAsInt();
        }
        ActionResult r;
        try {
            r = service.run(sp, (stderr, line) -> log.println(line), s -> err.println("dutydesk: " + s)).join();
        } catch (CompletionException e) {
            Throwable c = Errors.unwrap(e);
            if (c instanceof io.dutydesk.core.audit.AuditWriteException a) {
                return Cli.auditFailure(a, verb.id(), args, out, err);
            }
            err.println("dutydesk: " + (c instanceof RolloutException ? c.getMessage() : verb.id() + " failed: " + Errors.describe(e)));
            if (args.json()) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("env", env.name());
                o.put("model", env.deploy().model().word());
                o.put("action", verb.id());
                o.put("refused", c instanceof RolloutException);
                o.put("error", Errors.describe(e));
                Json.putHolder(o, c);
                out.println(Json.write(o));
            }
            return Cli.DOWN;
        }
        log.println((r.succeeded() ? "OK: " : "FAILED: ") + r.message() + " (" + r.elapsedMs() + " ms)");
        r.auditWarning().ifPresent(w -> err.println(Cli.auditWarning(verb.id(), w, env)));
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("model", env.deploy().model().word());
            o.put("action", verb.id());
            version.ifPresent(v -> o.put("version", v));
            sp.backup().ifPresent(b -> o.put("backup", b.path()));
            sp.plan().rollbackType().ifPresent(t -> o.put("type", t));
            o.put("actionId", r.actionId());
            o.put("elapsedMs", r.elapsedMs());
            o.put("versionBefore", r.liveBefore());
            Json.putNullable(o, "versionAfter", r.liveAfter());
            o.put("exitCode", r.exitCode());
            o.put("verified", r.verified());
            o.put("succeeded", r.succeeded());
            o.put("message", r.message());
            Json.putNullable(o, "auditWarning", r.auditWarning().orElse(null));
            o.put("outputSha256", r.outputSha256());
            out.println(Json.write(o));
        }
        return r.succeeded() ? Cli.OK : Cli.DOWN;
    }
}
