package io.dutydesk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditWriteException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.MaintenanceLocks;
import io.dutydesk.core.rollout.ReleaseHistory;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.slots.SlotsReader;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** {@code lock}, {@code unlock} (the maintenance lock) and {@code history} (the releases) of the CLI. */
final class MaintenanceCommands {
    private final PrintStream out;
    private final PrintStream err;
    private final AuditLog audit;
    private final String actor;
    private final Confirmer confirmer;
    private final Clock clock = Clock.systemUTC();

    MaintenanceCommands(PrintStream out, PrintStream err, AuditLog audit, String actor, Confirmer confirmer) {
        this.out = out;
        this.err = err;
        this.audit = audit;
        this.actor = actor;
        this.confirmer = confirmer;
    }

    /** Before connecting: the options each verb takes. */
    static void validate(Args args) {
        if (!args.positional().isEmpty() || args.to().isPresent() || args.scratch() || args.force() || args.type().isPresent()) {
            throw new Args.UsageException(args.verb() + " takes only --env NAME" + switch (args.verb()) {
                case "lock" -> " --message TEXT";
                case "unlock" -> " [--yes]";
                default -> "";
            } + " [--json]");
        }
        if (args.message().isPresent() != "lock".equals(args.verb())) {
            throw new Args.UsageException("lock".equals(args.verb()) ? "lock needs --message TEXT (why, and until when)"
                    : "--message belongs to 'lock'");
        }
    }

    int run(Environment env, EnvironmentHandle h, Args args) {
        DetachedActions runner = new DetachedActions(env, h.shell(), audit, actor, clock);
        MaintenanceLocks locks = new MaintenanceLocks(env, h.shell(), runner, actor, clock);
        return switch (args.verb()) {
            case "lock" -> lock(env, locks, args);
            case "unlock" -> unlock(env, locks, args);
            default -> history(env, h, args);
        };
    }

    private int lock(Environment env, MaintenanceLocks locks, Args args) {
        try {
            MaintenanceLock l = locks.lock(args.message().orElse("")).join();
            if (args.json()) {
                out.println(Json.write(json(env, l, true)));
            } else {
                out.println("OK: " + env.name() + " " + l.describe(ZoneId.systemDefault()) + " (lock " + l.id() + ")");
                out.println("every action on " + env.name() + " is refused until 'dutydesk unlock --env " + env.name() + "'");
            }
            return Cli.OK;
        } catch (CompletionException e) {
            return failed(env, "lock", args, e);
        }
    }

    private int unlock(Environment env, MaintenanceLocks locks, Args args) {
        Optional<MaintenanceLock> held;
        try {
            held = locks.read().join();
        } catch (CompletionException e) {
            err.println("dutydesk: cannot read the maintenance lock of " + env.name() + ": " + Errors.describe(e));
            return Cli.DOWN;
        }
        if (held.isEmpty()) {
            err.println("dutydesk: " + env.name() + " is not locked; nothing was changed");
            if (args.json()) {
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("env", env.name());
                o.put("locked", false);
                out.println(Json.write(o));
            }
            return Cli.DOWN;
        }
        MaintenanceLock l = held.get();
        PrintStream log = args.json() ? err : out;
        log.println(env.name() + " is " + l.describe(ZoneId.systemDefault()) + " (lock " + l.id() + ")");
        boolean others = !l.heldBy(actor);
        if (others) {
            log.println("  this lock is " + l.actor() + "'s, not yours (" + actor + "): releasing it lets every action run again");
            if (args.yes()) {
                log.println("  confirmed by --yes");
            } else if (!confirmer.interactive()) {
                err.println("dutydesk: not on a terminal: give --yes to release someone else's lock");
                return Cli.USAGE;
            } else {
                String typed = confirmer.typed("Type '" + env.name() + "' to release " + l.actor() + "'s lock: ").orElse("");
                if (!env.name().equals(typed)) {
                    err.println("dutydesk: not confirmed; nothing was changed");
                    return Cli.DOWN;
                }
            }
        }
        try {
            locks.unlock(l, others).join();
        } catch (CompletionException e) {
            return failed(env, "unlock", args, e);
        }
        if (args.json()) {
            ObjectNode o = json(env, l, false);
            o.put("released", true);
            out.println(Json.write(o));
        } else {
            out.println("OK: released the maintenance lock of " + env.name() + " (\"" + l.message() + "\")");
        }
        return Cli.OK;
    }

    private int failed(Environment env, String verb, Args args, CompletionException e) {
        Throwable c = Errors.unwrap(e);
        if (c instanceof AuditWriteException a) {
            return Cli.auditFailure(a, verb, args, out, err);
        }
        err.println("dutydesk: " + (c instanceof RolloutException ? c.getMessage() : verb + " failed: " + Errors.describe(e)));
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("action", verb);
            o.put("refused", c instanceof RolloutException);
            o.put("error", c instanceof RolloutException ? c.getMessage() : Errors.describe(e));
            out.println(Json.write(o));
        }
        return Cli.DOWN;
    }

    private static ObjectNode json(Environment env, MaintenanceLock l, boolean locked) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("env", env.name());
        o.put("locked", locked);
        o.put("lockId", l.id());
        o.put("owner", l.actor());
        o.put("message", l.message());
        Json.putTime(o, "since", l.since());
        return o;
    }

    private int history(Environment env, EnvironmentHandle h, Args args) {
        ReleaseHistory.Listing l;
        try {
            l = (env.deploy().single() ? io.dutydesk.core.deploy.SingleReleases.history(env, h.shell(),
                    new io.dutydesk.core.deploy.DockerHostEngine(env, h.containers(), h.shell(), clock), audit)
                    : new ReleaseHistory(env, h.shell(), new SlotsReader(env, h.containers(), h.shell(), clock), audit)).read().join();
        } catch (CompletionException e) {
            err.println("dutydesk: history of " + env.name() + ": " + Errors.describe(e));
            return Cli.DOWN;
        }
        if (args.json()) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", env.name());
            var repos = root.putArray("repositories");
            l.repositories().forEach(repos::add);
            var arr = root.putArray("releases");
            for (ReleaseHistory.Release r : l.releases()) {
                ObjectNode o = arr.addObject();
                o.put("version", r.version());
                Json.putTime(o, "lastDeployed", r.lastDeployed());
                Json.putTime(o, "imageCreated", r.imageCreated());
                o.put("newerThanLive", r.newerThanLive());
                o.put("when", r.whenText(java.time.ZoneOffset.UTC));
                Json.putNullable(o, "by", r.by().isEmpty() ? null : r.by());
                o.put("deploys", r.deploys());
                var running = o.putArray("runningIn");
                r.runningIn().forEach(running::add);
                o.put("live", r.live());
                o.put("available", r.available());
            }
            out.println(Json.write(root));
        } else {
            out.println(env.name() + ": releases (images of " + (l.repositories().isEmpty() ? "no repository: no container runs"
                    : String.join(", ", l.repositories())) + ")");
            out.printf("  %-24s %-44s %-24s %-18s %s%n", "VERSION", "WHEN (UTC)", "BY", "RUNS IN", "ON THE HOST");
            for (ReleaseHistory.Release r : l.releases()) {
                out.printf("  %-24s %-44s %-24s %-18s %s%n", r.version(), r.whenText(java.time.ZoneOffset.UTC),
                        r.by().isEmpty() ? "-" : r.by(), r.runningIn().isEmpty() ? "-" : String.join(", ", r.runningIn()),
                        !r.available() ? "no (image gone)" : r.newerThanLive() ? "yes (newer than the live release)"
                                : "yes (rollback --to " + r.version() + ")");
            }
            if (l.releases().isEmpty()) {
                out.println("  no release known");
            }
        }
        return Cli.OK;
    }
}
