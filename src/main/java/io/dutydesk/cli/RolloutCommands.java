package io.dutydesk.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutRules;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.core.slots.SlotsSnapshot;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** {@code status} and the rollout verbs of the CLI. */
final class RolloutCommands {
    private final PrintStream out;
    private final PrintStream err;
    private final AuditLog audit;
    private final String actor;
    private final Confirmer confirmer;
    private final Clock clock = Clock.systemUTC();

    RolloutCommands(PrintStream out, PrintStream err, AuditLog audit, String actor, Confirmer confirmer) {
        this.out = out;
        this.err = err;
        this.audit = audit;
        this.actor = actor;
        this.confirmer = confirmer;
    }

    /**
     * {@code dutydesk status}: exit 0 when the live slot has every service healthy, 1 when it is degraded
     * (or the server cannot be read) — the live slot is what serves traffic; an idle slot that is not
     * ready only says so ("rollback NOT READY").
     */
    int status(Environment env, EnvironmentHandle h, boolean json) {
        SlotsSnapshot s;
        // the maintenance lock read beside the slots (over SFTP, no session on the server): while it is held every action is refused
        java.util.concurrent.CompletableFuture<Optional<io.dutydesk.core.rollout.MaintenanceLock>> locking;
        try {
            locking = new io.dutydesk.core.rollout.MaintenanceLocks(env, h.shell(), null, actor, clock).read();
        } catch (RuntimeException e) {
            locking = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        try {
            s = new SlotsReader(env, h.containers(), h.shell(), clock).read().join();
        } catch (CompletionException e) {
            err.println("dutydesk: status of " + env.name() + ": " + Errors.describe(e));
            Json.unread(env, Errors.describe(e), json, out);
            return Cli.DOWN;
        }
        boolean liveHealthy = s.live().allReady();
        Optional<io.dutydesk.core.rollout.MaintenanceLock> lock = Optional.empty();
        String lockUnknown = null;
        try {
            lock = locking.join();
        } catch (CompletionException e) {
            lockUnknown = Errors.describe(e);
        }
        if (json) {
            ObjectNode o = Json.status(s);
            Json.putMaintenance(o, lock, lockUnknown);
            out.println(Json.write(o));
        } else {
            out.println(env.name() + ": live slot " + s.liveSlot().toUpperCase()
                    + (liveHealthy ? "" : " DEGRADED (" + s.live().summary() + ")") + "   rollback "
                    + (s.rollbackReady() ? "READY (" + s.idle().summary() + ")" : "NOT READY"));
            s.rollbackBlockers().forEach(b -> out.println("  ! " + b));
            Json.printMaintenance(env, lock, lockUnknown, out);
            for (SlotState slot : s.slots()) {
                out.println();
                out.println(slot.name().toUpperCase() + (slot.live() ? "  [LIVE]" : "  [idle]") + "  " + slot.summary());
                for (ServiceState svc : slot.services()) {
                    out.printf("  %-36s %-10s %-8s %3s  %s%n", svc.containerName(), svc.condition(),
                            svc.container().map(c -> c.version()).orElse("-"),
                            svc.container().map(c -> String.valueOf(c.restarts())).orElse("-"),
                            svc.container().flatMap(c -> Optional.ofNullable(c.startedAt())).map(t -> "since " + t).orElse(""));
                }
            }
            if (!liveHealthy) {
                s.live().problems().forEach(p -> out.println("  ! live: " + p));
            }
        }
        return liveHealthy ? Cli.OK : Cli.DOWN;
    }

    /** Validates before connecting: a bad version is refused before anything runs. */
    static void validate(Environment env, Verb verb, Optional<String> version) {
        if (verb == Verb.DEPLOY) {
            if (version.isEmpty()) {
                throw new Args.UsageException("deploy needs a VERSION, e.g. dutydesk deploy v1.2.0 --env " + env.name());
            }
            RolloutRules.checkVersion(env.deploy(), version.get());
        } else if (version.isPresent()) {
            throw new Args.UsageException(verb.id() + " takes no argument");
        }
    }

    /** A refusal before anything ran, written to the audit log (an audit log that cannot be written is said in the refusal). */
    void auditRefused(Environment env, Verb verb, Optional<String> version, String why) {
        java.time.Instant now = clock.instant();
        try {
            audit.append(new io.dutydesk.core.audit.AuditEntry(null, actor, env.name(), verb.id(),
                    version.map(java.util.List::of).orElse(java.util.List.of()), now, now, null, null, "refused", null, null, why)).join();
        } catch (CompletionException | IllegalStateException unwritten) {
            throw new RolloutException(RolloutException.Kind.INVALID_INPUT, why + "; "
                    + io.dutydesk.core.audit.AuditWriteException.unwritten(audit, unwritten));
        }
    }

    /** {@link #validate}, and a refused version is written to the audit log as a refused action. */
    void validateOrAudit(Environment env, Verb verb, Optional<String> version) {
        try {
            validate(env, verb, version);
        } catch (RolloutException e) {
            java.time.Instant now = clock.instant();
            try {
                audit.append(new io.dutydesk.core.audit.AuditEntry(null, actor, env.name(), verb.id(),
                        version.map(java.util.List::of).orElse(java.util.List.of()), now, now, null, null, "refused", null, null,
                        e.getMessage())).join();
            } catch (CompletionException | IllegalStateException unwritten) {
                throw new RolloutException(e.kind(), e.getMessage() + "; "
                        + io.dutydesk.core.audit.AuditWriteException.unwritten(audit, unwritten));
            }
            throw e;
        }
    }

    /**
     * "dutydesk: completed 1 audit entry left open by a console that stopped (from the server's exit files)"; a job that
     * never started is said so ("its job never started on the server; nothing ran"), never as read from an exit file.
     */
    static String reconciledLine(io.dutydesk.core.rollout.Reconciled r) {
        int n = r.total();
        String head = "dutydesk: completed " + n + " audit " + (n == 1 ? "entry" : "entries") + " left open by a console that stopped";
        if (r.fromExitFiles() == n) {
            return head + " (from the server's exit files)";
        }
        if (r.neverStarted() == n) {
            return head + ": " + (n == 1 ? "its job" : "their jobs") + " never started on the server; nothing ran";
        }
        List<String> parts = new java.util.ArrayList<>();
        if (r.fromExitFiles() > 0) {
            parts.add(r.fromExitFiles() + " from the server's exit files");
        }
        if (r.neverStarted() > 0) {
            parts.add(r.neverStarted() + " never started on the server (nothing ran)");
        }
        if (r.unknown() > 0) {
            parts.add(r.unknown() + " unknown (the server has no end of " + (r.unknown() == 1 ? "it" : "them") + ")");
        }
        return head + ": " + String.join("; ", parts);
    }

    /** {@code dutydesk audit --env NAME}: one row per action of this environment, open entries completed from the server. */
    int audit(Environment env, EnvironmentHandle h, boolean json, int max) {
        List<AuditEntry> rows;
        try {
            rows = AuditRows.fold(audit.recent(20_000).join(), DetachedActions::isOpen).stream()
                    .filter(e -> env.name().equals(e.environment())).toList();
        } catch (CompletionException e) {
            err.println("dutydesk: cannot read the audit log: " + Errors.describe(e));
            return Cli.DOWN;
        }
        rows = rows.subList(Math.max(0, rows.size() - max), rows.size());
        for (String d : audit.damaged()) { // lines torn by a crash or edited: said, never dropped silently
            err.println("dutydesk: audit log: " + d);
        }
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("env", env.name());
            var arr = root.putArray("actions");
            for (AuditEntry e : rows) {
                ObjectNode o = arr.addObject();
                Json.putNullable(o, "actionId", e.actionId());
                o.put("action", e.action());
                var a = o.putArray("args");
                (e.args() == null ? List.<String>of() : e.args()).forEach(a::add);
                o.put("actor", e.actor());
                Json.putTime(o, "start", e.start());
                Json.putTime(o, "end", e.end());
                o.put("result", e.result());
                if (e.exitCode() == null) {
                    o.putNull("exitCode");
                } else {
                    o.put("exitCode", e.exitCode());
                }
                Json.putNullable(o, "liveBefore", e.liveBefore());
                Json.putNullable(o, "liveAfter", e.liveAfter());
                Json.putNullable(o, "message", e.message());
            }
            out.println(Json.write(root));
        } else {
            for (AuditEntry e : rows) {
                out.printf("%-20s %-24s %-10s %-12s %4s  %s%n", e.start() == null ? "" : e.start().toString().replace('T', ' '),
                        e.action() + (e.args() == null || e.args().isEmpty() ? "" : " " + String.join(" ", e.args())),
                        e.result(), (e.liveBefore() == null ? "?" : e.liveBefore()) + "->" + (e.liveAfter() == null ? "?" : e.liveAfter()),
                        e.exitCode() == null ? "" : e.exitCode(), e.message() == null ? "" : e.message());
            }
            if (rows.isEmpty()) {
                out.println("no action recorded for " + env.name());
            }
        }
        return Cli.OK;
    }

    /**
     * @param to         rollback only: the earlier release to go back to (its image on the host), else empty
     * @param type       rollback only: a rollback type the environment declares, else empty
     * @param reconciled waits for the completion of the open audit entries the connection started ({@code Connections.open})
     */
    int action(Environment env, EnvironmentHandle h, Verb verb, Optional<String> version, Optional<String> to, Optional<String> type,
               Args args, boolean force, Runnable reconciled) {
        // the slots read on the server by its docker command, in the same exec as the live slot, and the state after the
        // job in the job's own exec: no Docker client, one round trip to plan and one to run and verify
        RolloutService service = new RolloutService(env, SlotsReader.onServer(env, h.shell(), clock), h.outbox(),
                h.containers(), h.shell(), audit, actor, clock);
        PrintStream log = args.json() ? err : out; // with --json, stdout holds only the summary
        if (args.yes() && to.isEmpty() && type.isEmpty()) {
            // no one reads the plan before it runs: it is made inside the server lock, in the exec that starts it
            reconciled.run();
            return planAndRun(env, service, verb, version, args, force, log);
        }
        // the plan's read (the SSH connection's first use) goes out at once; the open audit entries, whose completion the
        // connection started (a local read, an exec only when some are open), are waited for meanwhile, before anything runs
        // with --yes no one reads the plan before it runs: the outbox (a PostgreSQL connection) is not asked
        java.util.concurrent.CompletableFuture<Plan> planned = to.isPresent() ? service.planRelease(to.get(), force)
                : type.isPresent() ? service.planType(type.get(), force) : service.plan(verb, version, force, !args.yes());
        reconciled.run();
        Plan plan;
        try {
            plan = planned.join();
            io.dutydesk.core.Phase.mark("planned");
        } catch (CompletionException e) {
            Throwable c = Errors.unwrap(e);
            if (c instanceof RolloutException r) { // refused before anything ran (audited): a version not on the host, an unknown type
                refusal(env, verb, args, r.getMessage());
                return r.kind() == RolloutException.Kind.INVALID_INPUT ? Cli.USAGE : Cli.DOWN;
            }
            err.println("dutydesk: cannot plan " + verb.id() + " on " + env.name() + ": " + Errors.describe(e) + "; nothing was run");
            return Cli.DOWN;
        }
        printPlan(env, plan, force, log);
        // a maintenance lock held: said (and audited) before anyone is asked to confirm; the server refuses it inside the lock
        // all the same, so a lock taken after this read still stops it (a read that fails leaves it to the server)
        // with --yes no one is asked: the server's refusal inside the lock (audited with the holder and the message) is
        // the check, and the action path stays two execs
        Optional<String> locked = Optional.empty();
        if (!args.yes()) {
            try {
                locked = service.maintenance().refusalIfLocked().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                locked = Optional.empty();
            }
        }
        if (locked.isPresent()) {
            String why = locked.get();
            try {
                service.runner().refusedBeforeStart(verb.id(), plan.auditArgs(), plan.liveBefore(), why).join();
            } catch (CompletionException unwritten) {
                why = why + "; " + io.dutydesk.core.audit.AuditWriteException.unwritten(audit, unwritten);
            }
            refusal(env, verb, args, why);
            return Cli.DOWN;
        }
        java.util.OptionalInt refused = confirm(plan, args, verb, confirmer, log, err);
        if (refused.isPresent()) {
            return refused.getAsInt();
        }
        ActionResult r;
        try {
            // the server's check inside the lock (the live slot still the plan's, the target still healthy) is the check at
            // the confirmation: a human's answer given long after the plan was read is refused if the state changed since
            RemoteShell.OutputListener lines = (stderr, line) -> log.println(line);
            java.util.function.Consumer<String> status = s -> err.println("dutydesk: " + s);
            r = service.run(plan, lines, status).join();
        } catch (CompletionException e) {
            return failed(env, verb, args, e);
        }
        return ran(env, verb, version.or(() -> to), type, args, log, r);
    }

    /** {@link #action} with --yes: planned inside the server lock ({@link RolloutService#planAndRun}), the plan printed as it is made. */
    private int planAndRun(Environment env, RolloutService service, Verb verb, Optional<String> version, Args args, boolean force,
                           PrintStream log) {
        ActionResult r;
        try {
            RemoteShell.OutputListener lines = (stderr, line) -> log.println(line);
            java.util.function.Consumer<String> status = s -> err.println("dutydesk: " + s);
            r = service.planAndRun(verb, version, force, plan -> {
                printPlan(env, plan, force, log);
                confirm(plan, args, verb, confirmer, log, err); // --yes: says "confirmed by --yes" where a typed answer is asked
            }, lines, status).join();
        } catch (CompletionException e) {
            if (Errors.unwrap(e) instanceof RolloutService.PlanFailed p) { // audited as failed; an entry that could not be written is said
                err.println("dutydesk: cannot plan " + verb.id() + " on " + env.name() + ": " + p.getMessage() + "; nothing was run"
                        + java.util.Arrays.stream(p.getSuppressed()).filter(io.dutydesk.core.audit.AuditWriteException.class::isInstance)
                                .findFirst().map(x -> "; " + io.dutydesk.core.audit.AuditWriteException.unwritten(audit, x)).orElse(""));
                return Cli.DOWN;
            }
            if (Errors.unwrap(e) instanceof RolloutException x && x.kind() == RolloutException.Kind.INVALID_INPUT) {
                refusal(env, verb, args, x.getMessage());
                return Cli.USAGE;
            }
            return failed(env, verb, args, e);
        }
        return ran(env, verb, version, Optional.empty(), args, log, r);
    }

    /** A refusal before anything ran: said on stderr, and as {"env","action","refused":true,"error"} with --json. */
    private void refusal(Environment env, Verb verb, Args args, String why) {
        err.println("dutydesk: " + why);
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("action", verb.id());
            o.put("refused", true);
            o.put("error", why);
            out.println(Json.write(o));
        }
    }

    /** An action that failed or was refused: said, in JSON too with --json. */
    private int failed(Environment env, Verb verb, Args args, CompletionException e) {
        Throwable c = Errors.unwrap(e);
        if (c instanceof io.dutydesk.core.audit.AuditWriteException a) {
            return Cli.auditFailure(a, verb.id(), args, out, err);
        }
        err.println("dutydesk: " + (c instanceof RolloutException ? c.getMessage() : verb.id() + " failed: " + Errors.describe(e)));
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("action", verb.id());
            o.put("refused", c instanceof RolloutException);
            o.put("error", Errors.describe(e));
            Json.putHolder(o, c);
            out.println(Json.write(o));
        }
        return Cli.DOWN;
    }

    /** An action that ran: its outcome said (and its JSON summary). */
    private int ran(Environment env, Verb verb, Optional<String> version, Optional<String> type, Args args, PrintStream log, ActionResult r) {
        io.dutydesk.core.Phase.mark("ran-and-verified");
        log.println((r.succeeded() ? "OK: " : "FAILED: ") + r.message() + " (" + r.elapsedMs() + " ms)");
        // the completion could not be written: the outcome above (and the exit code) stand, the gap is said
        r.auditWarning().ifPresent(w -> err.println(Cli.auditWarning(verb.id(), w, env)));
        if (args.json()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("env", env.name());
            o.put("action", verb.id());
            version.ifPresent(v -> o.put("version", v));
            type.ifPresent(t -> o.put("type", t));
            o.put("actionId", r.actionId());
            o.put("elapsedMs", r.elapsedMs());
            o.put("liveBefore", r.liveBefore());
            Json.putNullable(o, "liveAfter", r.liveAfter());
            o.put("exitCode", r.exitCode());
            o.put("verified", r.verified());
            o.put("message", r.message());
            Json.putNullable(o, "auditWarning", r.auditWarning().orElse(null));
            o.put("outputSha256", r.outputSha256());
            out.println(Json.write(o));
        }
        return r.succeeded() ? Cli.OK : Cli.DOWN;
    }

    /** The plan as the terminal shows it before anything runs: environment, headline, facts, risk, blockers. */
    static void printPlan(Environment env, Plan plan, boolean force, PrintStream log) {
        log.println("ENVIRONMENT " + env.name().toUpperCase(java.util.Locale.ROOT)
                + (env.description() == null || env.description().isBlank() ? "" : " (" + env.description() + ")") + ": " + plan.headline());
        plan.facts().forEach(f -> log.println("  - " + f));
        log.println("  risk: " + plan.risk());
        plan.blocked().forEach(b -> log.println("  BLOCKED: " + b + (force ? " (forced)" : "")));
    }

    /** Asks the user (or takes --yes) for a runnable plan: empty to run it, else the exit code of not running it. */
    static java.util.OptionalInt confirm(Plan plan, Args args, Verb verb, Confirmer confirmer, PrintStream log, PrintStream err) {
        if (plan.runnable()) {
            if (!args.yes()) {
                if (!confirmer.interactive()) {
                    err.println("dutydesk: not on a terminal: give --yes to run " + verb.id());
                    return java.util.OptionalInt.of(Cli.USAGE);
                }
                if (!confirmer.confirm(plan, log)) {
                    err.println("dutydesk: not confirmed; nothing was run");
                    return java.util.OptionalInt.of(Cli.DOWN);
                }
            } else if (plan.typedConfirmation().isPresent()) {
                log.println("  confirmed by --yes");
            }
        }
        return java.util.OptionalInt.empty();
    }
}
