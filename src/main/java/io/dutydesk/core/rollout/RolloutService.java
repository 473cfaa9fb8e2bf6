package io.dutydesk.core.rollout;

import io.dutydesk.core.Errors;
import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.audit.AuditWriteException;
import io.dutydesk.core.config.CommandTemplate;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsReader;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * deploy / switch / rollback / cleanup, for the window and the CLI alike: plan from the
 * server's state, run the configured command detached on the server under a server-side lock,
 * stream its output (re-attaching after a dropped connection, never running it twice), verify
 * the result on the server, and append the action to the audit log.
 */
public final class RolloutService {
    private final Environment env;
    private final SlotsReader slots;
    private final OutboxPort outbox;
    private final ContainersPort containers;
    private final RemoteShell shell;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final DetachedActions runner;
    private final MaintenanceLocks maintenance;

    public RolloutService(Environment env, SlotsReader slots, OutboxPort outbox, ContainersPort containers, RemoteShell shell,
                          AuditLog audit, String actor, Clock clock) {
        this.env = env;
        this.slots = slots;
        this.outbox = outbox;
        this.containers = containers;
        this.shell = shell;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
        this.runner = new DetachedActions(env, shell, audit, actor, clock);
        this.maintenance = new MaintenanceLocks(env, shell, runner, actor, clock);
    }

    /** The environment's maintenance lock (the same server lock as the actions'). */
    public MaintenanceLocks maintenance() {
        return maintenance;
    }

    /** Refuses a version that does not match the environment's pattern, before anything runs. */
    public void validateVersion(String version) {
        RolloutRules.checkVersion(env.deploy(), version);
    }

    /** Reads the server and decides what {@code verb} would do. A bad version fails before any IO. */
    public CompletableFuture<Plan> plan(Verb verb, Optional<String> version, boolean force) {
        return plan(verb, version, force, true);
    }

    /** What the plan says of the outbox when it was not read ({@code readOutbox} false). */
    public static final String OUTBOX_NOT_READ = "outbox pending: not read (dutydesk outbox --env NAME shows it)";

    /**
     * {@link #plan(Verb, Optional, boolean)}; without {@code readOutbox} the outbox is not asked (no PostgreSQL
     * connection: the CLI with --yes, where no one reads the plan before it runs; the fact says it was not read).
     */
    public CompletableFuture<Plan> plan(Verb verb, Optional<String> version, boolean force, boolean readOutbox) {
        if (verb == Verb.DEPLOY) {
            try {
                validateVersion(version.orElse(null));
            } catch (RolloutException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return slots.readForAction().whenComplete((s, e) -> io.dutydesk.core.Phase.mark("plan-slots-read"))
                .thenCombine((readOutbox ? pendingFact() : CompletableFuture.completedFuture(OUTBOX_NOT_READ)).whenComplete((s, e) -> io.dutydesk.core.Phase.mark("plan-outbox-read")),
                        (s, p) -> RolloutRules.decide(verb, version, force, s, p));
    }

    private CompletableFuture<String> pendingFact() {
        return outbox.countsByStatus()
                .thenApply(m -> "outbox pending " + m.getOrDefault("pending", 0L))
                .exceptionally(e -> "outbox pending: unknown (" + Errors.describe(e) + ")");
    }

    /**
     * {@code plan} decided again from slots read since (e.g. by the pane's poll) and the outbox count read
     * now: what an open confirmation shows while it is open. Compare with {@link RolloutRules#changedSince}.
     */
    public CompletableFuture<Plan> replan(Plan plan, io.dutydesk.core.slots.SlotsSnapshot now) {
        return pendingFact().thenApply(p -> RolloutRules.redecide(plan, now, p,
                plan.rollbackType().map(t -> env.deploy().rollbackTypes().getOrDefault(t, "")).orElse("")));
    }

    /** The releases of this environment (audit log + the host's images), for the history and the rollback's picker. */
    public ReleaseHistory history() {
        return new ReleaseHistory(env, shell, slots, audit);
    }

    /**
     * A rollback to the earlier release {@code version}: refused (audited, before anything runs) when the version does not
     * match the environment's pattern or its image is not on the host for every service; else planned from a fresh read.
     */
    public CompletableFuture<Plan> planRelease(String version, boolean force) {
        List<String> args = List.of("--to", version == null ? "" : RolloutRules.printable(version));
        Optional<String> bad = RolloutRules.versionProblem(env.deploy(), version);
        if (bad.isPresent()) {
            return refusedBefore(args, RolloutException.Kind.INVALID_INPUT, bad.get().replace("deploy needs a VERSION",
                    "rollback --to needs a VERSION"));
        }
        return history().read().thenCompose(h -> {
            Optional<ReleaseHistory.Release> r = h.release(version);
            if (h.repositories().isEmpty()) {
                return refusedBefore(args, RolloutException.Kind.BLOCKED, "refused: no container of " + env.name()
                        + " names the services' image repositories, so whether " + version + " is on the host is unknown; nothing was run");
            }
            if (r.isEmpty() || !r.get().available()) {
                List<String> avail = h.releases().stream().filter(ReleaseHistory.Release::available).map(ReleaseHistory.Release::version).toList();
                return refusedBefore(args, RolloutException.Kind.INVALID_INPUT, "refused: release " + version + " is not on the host ("
                        + String.join(", ", h.repositories().stream().map(x -> x + ":" + version).toList()) + " missing); on the host: "
                        + (avail.isEmpty() ? "none" : String.join(", ", avail)) + "; nothing was run");
            }
            return pendingFact().thenApply(p -> RolloutRules.decideRelease(version, h.repositories(), force, h.slots(), p));
        });
    }

    /** A rollback of a type the environment declares ({@code deploy.rollbackTypes}); another name is refused and audited. */
    public CompletableFuture<Plan> planType(String type, boolean force) {
        String cmd = type == null ? null : env.deploy().rollbackTypes().get(type);
        if (cmd == null) {
            return refusedBefore(List.of("--type", type == null ? "" : RolloutRules.printable(type)), RolloutException.Kind.INVALID_INPUT,
                    "refused: " + env.name() + " declares no rollback type '" + RolloutRules.printable(String.valueOf(type)) + "' (declared: "
                    + (env.deploy().rollbackTypes().isEmpty() ? "none; see deploy.rollbackTypes" : String.join(", ",
                    env.deploy().rollbackTypes().keySet())) + "); nothing was run");
        }
        CompletableFuture<Optional<RolloutRules.DatabaseLoss>> loss = RolloutRules.databaseType(type)
                ? databaseLoss().thenApply(Optional::of) : CompletableFuture.completedFuture(Optional.empty());
        return slots.readForAction().thenCombine(pendingFact(), (s, p) -> new Object[] {s, p}).thenCombine(loss,
                (sp, l) -> RolloutRules.decideType(type, cmd, force, (io.dutydesk.core.slots.SlotsSnapshot) sp[0], (String) sp[1], l));
    }

    /** The backups of this environment as listed now (read-only: the folders over SFTP); replaced in tests. */
    private volatile java.util.function.Supplier<CompletableFuture<io.dutydesk.core.backups.BackupListing>> backups = this::listBackups;

    private CompletableFuture<io.dutydesk.core.backups.BackupListing> listBackups() {
        return new io.dutydesk.core.backups.BackupsService(env, shell, io.dutydesk.core.ports.VerificationResults.NONE, audit, actor,
                clock, Runnable::run).list();
    }

    /** Where the backups are listed from (a test's fake; by default the environment's folders over this shell). */
    public RolloutService withBackups(java.util.function.Supplier<CompletableFuture<io.dutydesk.core.backups.BackupListing>> b) {
        this.backups = b;
        return this;
    }

    /**
     * What a database rollback type loses: the newest backup that holds the schema (the one such a command restores; data-only
     * kinds never are) and the outbox rows written since its time. Never fails: what cannot be read is said unknown.
     */
    CompletableFuture<RolloutRules.DatabaseLoss> databaseLoss() {
        return RolloutRules.DatabaseLoss.read(env, backups, outbox);
    }

    private <T> CompletableFuture<T> refusedBefore(List<String> args, RolloutException.Kind kind, String why) {
        return runner.refusedBeforeStart(Verb.ROLLBACK.id(), args, null, why).handle((v, err) -> {
            throw new RolloutException(kind, err == null ? why : why + "; " + AuditWriteException.unwritten(audit, err));
        });
    }

    /**
     * The job's command of a rollback to a release: the deploy command with the version (quoted), then the idle slot's
     * health checked as Docker on the server says, then the switch command — each step only if the one before succeeded.
     */
    String releaseCommand(Plan plan) {
        String v = plan.version().orElseThrow();
        String deploy = CommandTemplate.fill("deploy.commands.deploy", env.deploy().commands().get("deploy"),
                Map.of(CommandTemplate.VERSION, v));
        String sw = CommandTemplate.fill("deploy.commands.switch", env.deploy().commands().get("switch"), Map.of());
        String health = ActionScripts.slotHealthy(env, plan.target()).command();
        String idle = plan.target();
        return deploy + "\n"
                + "rc_=$?; if [ \"$rc_\" -ne 0 ]; then echo " + ShellQuote.quote("dutydesk: deploying " + v + " to " + idle
                + " failed: traffic was not switched") + " \"(exit $rc_)\"; exit \"$rc_\"; fi\n"
                + "out_=$( {\n" + health + "\n} 2>&1 )\n"
                + "case \"$out_\" in *'slot-health: healthy'*) echo " + ShellQuote.quote("dutydesk: " + idle + " is healthy on " + v
                + "; switching traffic") + " ;; *) printf 'dutydesk: %s; traffic was not switched\\n' \"$out_\"; exit 1 ;; esac\n"
                + sw + "\n";
    }

    /**
     * What the server checks inside the lock before it runs {@code plan}'s command: the live slot is still
     * the plan's; for a switch or rollback that was not blocked, the target's containers are all still
     * healthy too (a blocked plan forced by the user is run on the target as it is).
     */
    public ActionScripts.Precondition preconditions(Plan plan) {
        ActionScripts.Precondition live = new ActionScripts.Precondition(env.deploy().liveSlotCommand(),
                env.deploy().liveSlotPattern(), plan.liveBefore(), "live");
        if (plan.toRelease()) { // the release's image still on the host for every service, checked inside the lock
            return live.and(ReleaseHistory.imagePresent(env, plan.repositories(), plan.version().orElseThrow()));
        }
        return RolloutRules.checksTarget(plan) ? live.and(ActionScripts.slotHealthy(env, plan.target())) : live;
    }

    /**
     * Restarts one of the environment's slot containers (the runbook's first fix), and audits it.
     * Any other name is refused: the console restarts only what it shows.
     */
    public CompletableFuture<Void> restart(String container) {
        Instant start = clock.instant();
        boolean known = env.slots().names().stream().anyMatch(slot -> env.slots().services().stream()
                .anyMatch(svc -> env.slots().container(svc, slot).equals(container)));
        if (!known) {
            String why = "refused to restart '" + RolloutRules.printable(container) + "': not one of this environment's slot containers";
            return runner.refusedBeforeStart("restart", List.of(container), null, why).handle((v, err) -> {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, err == null ? why
                        : why + "; " + AuditWriteException.unwritten(audit, err));
            });
        }
        // a restart goes through Docker, not the server lock: the maintenance lock is checked before it (refused if it
        // cannot be read: nothing runs on an environment that may be locked)
        return maintenance.read().handle((held, readErr) -> readErr != null
                ? Optional.of("refused to restart " + container + ": could not read the maintenance lock ("
                        + Errors.describe(readErr) + "); nothing was run")
                : held.map(l -> l.refusal(env.name()))).thenCompose(lockRefusal -> lockRefusal.isPresent()
                ? runner.refusedBeforeStart("restart", List.of(container), null, lockRefusal.get()).<Void>handle((v, err) -> {
                    throw new RolloutException(RolloutException.Kind.BUSY, err == null ? lockRefusal.get()
                            : lockRefusal.get() + "; " + AuditWriteException.unwritten(audit, err));
                })
                : restartUnlocked(container, start));
    }

    private CompletableFuture<Void> restartUnlocked(String container, Instant start) {
        // a started entry that cannot be written: nothing is restarted ("nothing was run: the audit log … could not be
        // written"); a completion that cannot be written: the restart's own outcome, the missing entry said beside it
        return runner.begin("restart", List.of(container), null).thenCompose(started ->
                containers.restart(container, Duration.ofSeconds(10)).handle((v, e) -> e).thenCompose(e -> runner.complete(
                        new AuditEntry(started.actionId(), actor, env.name(), "restart", List.of(container), start, clock.instant(),
                                null, null, e == null ? AuditRows.SUCCEEDED : AuditRows.FAILED, null, null,
                                e == null ? "restarted " + container : Errors.describe(e))).handle((v, x) -> {
                    if (e != null) {
                        throw new java.util.concurrent.CompletionException(x == null ? Errors.unwrap(e) : new IllegalStateException(
                                Errors.describe(e) + "; " + AuditWriteException.unwritten(audit, x), Errors.unwrap(e)));
                    }
                    if (x != null) {
                        throw AuditWriteException.ran("restarted " + container, true, audit, x);
                    }
                    return (Void) null;
                })));
    }

    /** Someone's action holding the server lock right now, if any. {@code id} is null when the server's was not a valid id. */
    public record RunningAction(String id, String meta) {}

    public CompletableFuture<Optional<RunningAction>> current() {
        return runner.current().thenApply(o -> o.map(r -> new RunningAction(r.id(), r.meta())));
    }

    /** The runner (lock, detached job, re-attach, audit trail) this service uses; the same API serves other long jobs. */
    public DetachedActions runner() {
        return runner;
    }

    /** Completes the audit entries of this environment left open by a console that stopped. */
    public CompletableFuture<Reconciled> reconcile() {
        return runner.reconcile();
    }

    /** Runs a confirmed plan. Fails with {@link RolloutException} when refused (before running, or by the server). */
    public CompletableFuture<ActionResult> run(Plan plan, RemoteShell.OutputListener out) {
        return run(plan, out, s -> { });
    }

    /**
     * Runs a confirmed plan: refused if it was made for another environment, if it is blocked
     * (and not forced); then the server checks what it was confirmed on ({@link #preconditions}: the live
     * slot, the target's health — exactly what {@link RolloutRules#changedSince} compares) inside the lock,
     * at the click, before the command: no other action can come between that check and the command, which a
     * re-read by the console could not promise (and it cost a round trip). Every refusal is audited; nothing runs.
     *
     * @param status progress while the console re-attaches ("running on the server, re-attaching …")
     */
    public CompletableFuture<ActionResult> run(Plan plan, RemoteShell.OutputListener out, Consumer<String> status) {
        List<String> args = plan.auditArgs();
        if (!env.name().equals(plan.environment())) {
            String why = "this plan was made for environment " + plan.environment() + ", not " + env.name()
                    + ": the environment changed since you confirmed; nothing was run";
            return refused(plan, args, RolloutException.Kind.STALE, why);
        }
        if (!plan.runnable()) {
            return refused(plan, args, RolloutException.Kind.BLOCKED, String.join("; ", plan.blocked()) + " (use force to run it anyway)");
        }
        if (plan.verb() == Verb.DEPLOY || plan.toRelease()) {
            try {
                validateVersion(plan.version().orElse(null));
            } catch (RolloutException e) {
                return refused(plan, args, e.kind(), e.getMessage());
            }
        }
        String command;
        try {
            if (plan.toRelease()) {
                command = releaseCommand(plan);
            } else if (plan.rollbackType().isPresent()) {
                String t = env.deploy().rollbackTypes().get(plan.rollbackType().get());
                if (t == null) {
                    throw new IllegalArgumentException(env.name() + " no longer declares the rollback type " + plan.rollbackType().get());
                }
                command = CommandTemplate.fill(CommandTemplate.ROLLBACK_TYPE, t, Map.of());
            } else {
                command = verbCommand(plan.verb(), plan.version());
            }
        } catch (IllegalArgumentException badTemplate) {
            return refused(plan, args, RolloutException.Kind.INVALID_INPUT, badTemplate.getMessage() + "; nothing was run");
        }
        if (!running.compareAndSet(false, true)) {
            return refused(plan, args, RolloutException.Kind.BUSY, "this console is already running an action on " + env.name());
        }
        // from here the flag is ours: whatever happens, it is cleared (a synchronous throw would leave this
        // console refusing every later action as 'already running')
        CompletableFuture<ActionResult> result;
        try {
            DetachedActions.Request planned = new DetachedActions.Request(plan.verb().id(), args, command,
                    Optional.of(preconditions(plan)), plan.liveBefore());
            // read on the server by its docker command (the CLI): the state after the job is read in the job's own exec.
            // The window reads it through its Docker client after the job (the live slot's exec and a cached container
            // list at once, ~40-70 ms): the docker command in the job's exec (a Go program started, every container
            // inspected, after the live slot's read) takes ~60-110 ms on the reference host — no gain, more server work
            DetachedActions.Request req = slots.onServer() ? planned.withAfter(slots.stateScript()) : planned;
            result = runner.run(req, out, status).thenCompose(o -> finish(plan, req, o));
        } catch (RuntimeException e) {
            running.set(false);
            return CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> running.set(false));
    }

    /** What an action's outcome means for {@code plan}: refused, ended unknown, or exited and verified; its entry completed. */
    private CompletableFuture<ActionResult> finish(Plan plan, DetachedActions.Request req, DetachedActions.Outcome o) {
        return switch (o.end()) {
            case BUSY -> runner.<ActionResult>refusedOnServer(req, o, RolloutException.Kind.BUSY);
            case REFUSED -> runner.<ActionResult>refusedOnServer(req, o, RolloutException.Kind.STALE);
            case UNKNOWN -> slots.readForAction().handle((s, e) -> s == null ? null : s.liveSlot()).thenCompose(after -> {
                String msg = "the action ended on the server without an exit code (killed?); live slot is "
                        + (after == null ? "unknown" : after);
                ActionResult r = new ActionResult(o.id(), plan.verb(), -1, false, plan.liveBefore(), after,
                        Duration.between(o.start(), clock.instant()).toMillis(), msg, o.outputSha256());
                return runner.completeAfterRun(runner.completion(req, o, AuditRows.UNKNOWN, null, after, msg))
                        .thenApply(r::withAuditWarning);
            });
            case EXITED -> verifyMarked(plan, o.exitCode(), o.lastLine(), o.after())
                    .exceptionally(e -> new Check(false, null, "could not verify on the server: " + Errors.describe(e)))
                    .thenCompose(check -> {
                ActionResult r = new ActionResult(o.id(), plan.verb(), o.exitCode(), check.ok, plan.liveBefore(), check.liveAfter,
                        Duration.between(o.start(), clock.instant()).toMillis(), check.message, o.outputSha256());
                return runner.completeAfterRun(runner.completion(req, o, r.succeeded() ? AuditRows.SUCCEEDED : AuditRows.FAILED,
                        r.exitCode(), r.liveAfter(), r.message())).thenApply(r::withAuditWarning);
            });
        };
    }

    /** The environment's command for {@code verb} (deploy: with {@code version}); a bad template fails IllegalArgumentException. */
    private String verbCommand(Verb verb, Optional<String> version) {
        String key = "deploy.commands." + verb.id();
        return CommandTemplate.fill(key, env.deploy().commands().get(verb.id()), verb == Verb.DEPLOY
                ? Map.of(CommandTemplate.VERSION, version.orElse("")) : Map.of());
    }

    /**
     * A verb's action with no one to confirm it (the CLI's --yes): planned inside the server lock from the
     * state read there, in the exec that runs it ({@link DetachedActions#runAnswered}): one round trip to plan and start
     * where {@link #plan} then {@link #run} take two, and no other action can come between the plan's read and its start
     * (so no check inside the job). {@code onPlan} sees the plan (on the adapter's thread) before anything runs; a blocked
     * plan (not forced) is refused and audited as {@link #run} refuses it. Only where the slots are read on the server
     * ({@link SlotsReader#onServer()}). Fails {@link PlanFailed} when the state read inside the lock gave no plan: nothing ran
     * (audited as failed, {@link DetachedActions#runAnswered}).
     */
    public CompletableFuture<ActionResult> planAndRun(Verb verb, Optional<String> version, boolean force, Consumer<Plan> onPlan,
                                                      RemoteShell.OutputListener out, Consumer<String> status) {
        if (!slots.onServer()) {
            throw new IllegalArgumentException("planned inside the lock: only with the slots read on the server");
        }
        List<String> args = version.map(List::of).orElse(List.of());
        if (verb == Verb.DEPLOY) {
            try {
                validateVersion(version.orElse(null));
            } catch (RolloutException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        String command;
        try {
            command = verbCommand(verb, version);
        } catch (IllegalArgumentException badTemplate) {
            return runner.refusedBeforeStart(verb.id(), args, null, badTemplate.getMessage() + "; nothing was run").handle((v, err) -> {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, err == null ? badTemplate.getMessage() + "; nothing was run"
                        : badTemplate.getMessage() + "; nothing was run; " + AuditWriteException.unwritten(audit, err));
            });
        }
        if (!running.compareAndSet(false, true)) {
            return refusedBefore(verb, args, RolloutException.Kind.BUSY, "this console is already running an action on " + env.name());
        }
        java.util.concurrent.atomic.AtomicReference<Plan> planned = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<ActionResult> result;
        try {
            DetachedActions.Request req = new DetachedActions.Request(verb.id(), args, command, Optional.empty(), null)
                    .withAfter(slots.stateScript());
            result = runner.runAnswered(req, slots.stateScript(), state -> {
                Plan plan;
                try {
                    plan = RolloutRules.decide(verb, version, force, slots.parseStateInLock(state, ActionScripts.STATE_RC, ActionScripts.STATE_ERR,
                            Duration.ofSeconds(ActionScripts.CHECK_SECONDS)), OUTBOX_NOT_READ);
                } catch (RuntimeException e) {
                    throw new PlanFailed(e);
                }
                io.dutydesk.core.Phase.mark("planned");
                planned.set(plan);
                onPlan.accept(plan);
                return plan.runnable() ? DetachedActions.Answer.go(plan.liveBefore()) : DetachedActions.Answer.refuse(plan.liveBefore(),
                        new RolloutException(RolloutException.Kind.BLOCKED, String.join("; ", plan.blocked()) + " (use force to run it anyway)"));
            }, out, status).thenCompose(o -> finish(planned.get(), new DetachedActions.Request(verb.id(), args, command, Optional.empty(),
                    planned.get().liveBefore(), req.bound(), req.after()), o));
        } catch (RuntimeException e) {
            running.set(false);
            return CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> running.set(false));
    }

    /** {@link #planAndRun}'s failure when the state read inside the lock gave no plan (unreadable): nothing was run. */
    public static final class PlanFailed extends RuntimeException {
        PlanFailed(Throwable cause) {
            super(Errors.describe(cause), cause);
        }
    }

    private <T> CompletableFuture<T> refusedBefore(Verb verb, List<String> args, RolloutException.Kind kind, String why) {
        return runner.refusedBeforeStart(verb.id(), args, null, why).handle((v, err) -> {
            throw new RolloutException(kind, err == null ? why : why + "; " + AuditWriteException.unwritten(audit, err));
        });
    }

    private <T> CompletableFuture<T> refused(Plan plan, List<String> args, RolloutException.Kind kind, String why) {
        return runner.refusedBeforeStart(plan.verb().id(), args, plan.liveBefore(), why).handle((v, err) -> {
            throw new RolloutException(kind, err == null ? why : why + "; " + AuditWriteException.unwritten(audit, err));
        });
    }

    /**
     * Follows an action someone (another console, or this one before a restart) started, to its
     * end, and reports its exit code and the live slot after it. Runs nothing.
     */
    public CompletableFuture<ActionResult> attach(String id, RemoteShell.OutputListener out) {
        return attach(id, out, s -> { });
    }

    public CompletableFuture<ActionResult> attach(String id, RemoteShell.OutputListener out, Consumer<String> status) {
        if (ActionScripts.validId(id).isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not an action id: "
                    + RolloutRules.printable(String.valueOf(id))));
        }
        Verb verb = java.util.Arrays.stream(Verb.values()).filter(v -> id.contains("-" + v.id() + "-")).findFirst()
                .orElse(Verb.SWITCH);
        return runner.attach(id, out, status).thenCompose(o -> slots.readForAction().thenApply(s -> {
            String how = switch (o.end()) {
                case EXITED -> "ended with exit " + o.exitCode();
                case REFUSED -> "was refused on the server: " + o.refusal();
                default -> "ended without an exit code (killed?)";
            };
            int code = o.end() == DetachedActions.End.EXITED ? o.exitCode() : -1;
            return new ActionResult(id, verb, code, code == 0, null, s.liveSlot(),
                    Duration.between(o.start(), clock.instant()).toMillis(),
                    "the attached action " + how + "; live slot is " + s.liveSlot() + " (" + s.live().summary() + ")", null);
        }));
    }

    private record Check(boolean ok, String liveAfter, String message, boolean timedOut) {
        Check(boolean ok, String liveAfter, String message) {
            this(ok, liveAfter, message, false);
        }
    }

    /** How long the server's state may take to settle after an action (e.g. old nginx workers finishing). */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private CompletableFuture<Check> verifyMarked(Plan plan, int exitCode, String lastLine, Optional<RemoteShell.ExecResult> after) {
        io.dutydesk.core.Phase.mark("action-exited");
        return verify(plan, exitCode, lastLine, after).whenComplete((c, e) -> io.dutydesk.core.Phase.mark("verified"));
    }

    /**
     * Verifies on the server; a state that does not match yet is read again until it settles or SETTLE passes, on the
     * monotonic clock (a step of the wall clock, which the injected clock is, neither cuts the settling short nor draws it out).
     */
    private CompletableFuture<Check> verify(Plan plan, int exitCode, String lastLine, Optional<RemoteShell.ExecResult> after) {
        long until = System.nanoTime() + SETTLE.toNanos();
        // the state the job's own exec read after it ended, when it did: no round trip; else (or unreadable) read now. A read
        // after the job cut by its bound (Docker did not answer within it) is the answer: asking the same Docker again held
        // the console as long once more (a paused Docker: 30 s, then 30 s)
        CompletableFuture<io.dutydesk.core.slots.SlotsSnapshot> first;
        try {
            first = after.isPresent() ? CompletableFuture.completedFuture(slots.parseState(after.get())) : slots.readForAction();
        } catch (RuntimeException unreadable) {
            first = timedOut(unreadable) ? CompletableFuture.failedFuture(unreadable) : slots.readForAction();
        }
        return first.handle((s, e) -> check(plan, exitCode, lastLine, s, e))
                .thenCompose(c -> settle(plan, exitCode, lastLine, c, until));
    }

    /** A read that did not end within its bound (a TimeoutException, e.g. {@link io.dutydesk.core.slots.SlotsReader.Unanswered}). */
    private static boolean timedOut(Throwable e) {
        return e != null && Errors.unwrap(e) instanceof java.util.concurrent.TimeoutException;
    }

    private CompletableFuture<Check> settle(Plan plan, int exitCode, String lastLine, Check c, long until) {
        // a state that does not match yet is read again; a read that timed out is not (it waited its whole bound already)
        if (c.ok || c.timedOut || exitCode != 0 || System.nanoTime() - until > 0) {
            return CompletableFuture.completedFuture(c);
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(150, java.util.concurrent.TimeUnit.MILLISECONDS))
                .thenCompose(v -> verifyOnce(plan, exitCode, lastLine))
                .thenCompose(next -> settle(plan, exitCode, lastLine, next, until));
    }

    private CompletableFuture<Check> verifyOnce(Plan plan, int exitCode, String lastLine) {
        return slots.readForAction().handle((s, e) -> check(plan, exitCode, lastLine, s, e));
    }

    private Check check(Plan plan, int exitCode, String lastLine, io.dutydesk.core.slots.SlotsSnapshot s, Throwable e) {
        {
            if (e != null) { // the live slot when the read got it (Docker did not answer): the audit entry's liveAfter
                String live = Errors.unwrap(e) instanceof io.dutydesk.core.slots.SlotsReader.Unanswered u ? u.liveSlot().orElse(null) : null;
                return new Check(false, live, "could not verify on the server: " + Errors.describe(e), timedOut(e));
            }
            String liveAfter = s.liveSlot();
            if (exitCode != 0) {
                return new Check(false, liveAfter, "the script exited " + (exitCode < 0 ? "without an exit code" : exitCode)
                        + (lastLine.isEmpty() ? "" : ": " + lastLine) + "; live slot is " + liveAfter);
            }
            SlotState target = s.slot(plan.target()).orElseThrow();
            return switch (plan.verb()) {
                case DEPLOY -> {
                    String want = plan.version().orElseThrow();
                    boolean versions = target.services().stream().allMatch(x -> x.container().map(c -> c.version().equals(want)).orElse(false));
                    boolean ok = liveAfter.equals(plan.liveBefore()) && target.allReady() && versions;
                    yield new Check(ok, liveAfter, ok ? target.summary() + " on " + want + "; " + liveAfter + " still live"
                            : "after deploy: " + target.summary() + (versions ? "" : ", not all on " + want)
                            + "; live " + liveAfter);
                }
                case SWITCH, ROLLBACK -> {
                    if (plan.rollbackType().isPresent()) { // the team's command: its exit, and what now serves traffic
                        SlotState liveNow = s.live();
                        boolean ok = liveNow.allReady();
                        yield new Check(ok, liveAfter, "rollback " + plan.rollbackType().get() + " exited 0; live slot " + liveAfter
                                + " (" + liveNow.summary() + ")");
                    }
                    if (plan.toRelease()) {
                        String want = plan.version().orElseThrow();
                        boolean versions = target.services().stream().allMatch(x -> x.container().map(c -> c.version().equals(want)).orElse(false));
                        boolean ok = liveAfter.equals(plan.target()) && target.allReady() && versions;
                        yield new Check(ok, liveAfter, ok ? "live slot is now " + liveAfter + " on " + want + " (" + target.summary() + ")"
                                : "live slot is " + liveAfter + " (expected " + plan.target() + " on " + want + "); " + target.summary()
                                + (versions ? "" : ", not all on " + want));
                    }
                    boolean ok = liveAfter.equals(plan.target()) && target.allReady();
                    yield new Check(ok, liveAfter, ok ? "live slot is now " + liveAfter + " (" + target.summary() + ")"
                            : "live slot is " + liveAfter + " (expected " + plan.target() + "); " + target.summary());
                }
                case CLEANUP -> {
                    boolean ok = target.empty() && liveAfter.equals(plan.liveBefore());
                    yield new Check(ok, liveAfter, ok ? plan.target() + " removed; " + liveAfter + " live"
                            : plan.target() + " still has containers: " + String.join("; ", target.problems()));
                }
            };
        }
    }

}
