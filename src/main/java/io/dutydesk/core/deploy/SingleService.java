package io.dutydesk.core.deploy;

import io.dutydesk.core.Errors;
import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.audit.AuditWriteException;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.config.CommandTemplate;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.DeployEngine;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutRules;
import io.dutydesk.core.rollout.Verb;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * deploy and rollback-to-a-backup on a single stack ({@code deploy.model: single}), for the window and the CLI alike, with
 * the safety of the blue-green actions: bad input refused (and audited) before anything runs, the state read again at
 * the click, the one server-side lock and the expected state checked inside it ({@link DeployEngine#runsVersion}: the
 * version production ran when confirmed; for a rollback the backup file too), the detached run with re-attach
 * ({@link DetachedActions}), the result verified on the server and audited.
 */
public final class SingleService {
    /** A confirmed rollback's plan and the backup it restores. */
    public record SinglePlan(Plan plan, Optional<BackupEntry> backup) {}

    private final Environment env;
    private final DeployEngine engine;
    private final OutboxPort outbox;
    private final RemoteShell shell;
    private final Supplier<CompletableFuture<BackupListing>> backups;
    private final AuditLog audit;
    private final Clock clock;
    private final DetachedActions runner;
    private final io.dutydesk.core.rollout.ReleaseHistory releases;
    private final io.dutydesk.core.rollout.MaintenanceLocks maintenance;
    private final AtomicBoolean running = new AtomicBoolean();

    public SingleService(Environment env, DeployEngine engine, OutboxPort outbox, RemoteShell shell,
                         Supplier<CompletableFuture<BackupListing>> backups, AuditLog audit, String actor, Clock clock) {
        if (!env.deploy().single()) {
            throw new IllegalArgumentException(env.name() + " deploys " + env.deploy().model().word() + ", not single");
        }
        this.env = env;
        this.engine = engine;
        this.outbox = outbox;
        this.shell = shell;
        this.backups = backups;
        this.audit = audit;
        this.clock = clock;
        this.runner = new DetachedActions(env, shell, audit, actor, clock);
        this.releases = SingleReleases.history(env, shell, engine, audit);
        this.maintenance = new io.dutydesk.core.rollout.MaintenanceLocks(env, shell, runner, actor, clock);
    }

    /** The environment's maintenance lock (the same server lock as the actions': a deploy or rollback is refused inside it). */
    public io.dutydesk.core.rollout.MaintenanceLocks maintenance() {
        return maintenance;
    }

    /** The stack's releases: the versions deployed here, which are still on the host ({@link SingleReleases}). */
    public io.dutydesk.core.rollout.ReleaseHistory releases() {
        return releases;
    }

    public DetachedActions runner() {
        return runner;
    }

    public DeployEngine engine() {
        return engine;
    }

    private CompletableFuture<String> pendingFact() {
        return outbox.countsByStatus().thenApply(m -> "outbox pending " + m.getOrDefault("pending", 0L))
                .exceptionally(e -> "outbox pending: unknown (" + Errors.describe(e) + ")");
    }

    /** The deploy of {@code version}: a version the pattern refuses fails before any IO (audited by the caller). */
    public CompletableFuture<SinglePlan> planDeploy(String version) {
        try {
            RolloutRules.checkVersion(env.deploy(), version);
        } catch (RolloutException e) {
            return CompletableFuture.failedFuture(e);
        }
        return engine.read().thenCombine(pendingFact(), (s, p) -> new SinglePlan(SinglePlans.deploy(env, s, version, p), Optional.empty()));
    }

    /**
     * The rollback to {@code backup} (a path or a file name of the backup listing): refused before any change when it is
     * not one of the listed backups.
     */
    public CompletableFuture<SinglePlan> planRollback(String backup) {
        if (backup == null || backup.isBlank()) {
            return CompletableFuture.failedFuture(new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    "rollback on a single stack needs the backup to restore: --to FILE (one of `dutydesk backups --env " + env.name() + "`)"));
        }
        if (!env.backups().configured()) {
            return CompletableFuture.failedFuture(new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    env.name() + " has no backups configured (backups: false): there is nothing to roll back to"));
        }
        return backups.get().thenCompose(listing -> {
            Optional<BackupEntry> found = listing.backups().stream()
                    .filter(b -> b.path().equals(backup) || b.name().equals(backup)).findFirst();
            if (found.isEmpty()) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "'" + RolloutRules.printable(backup)
                        + "' is not one of the backups of " + env.name() + " (" + String.join(", ", env.backups().folders()) + ")");
            }
            BackupEntry b = found.get();
            // the listing read the backup's version sidecar (backups.versionSidecar); a listing that did not is asked here
            CompletableFuture<Optional<String>> recorded = b.recorded() != io.dutydesk.core.backups.RecordedVersion.NOT_READ
                    ? CompletableFuture.completedFuture(b.recorded().version()) : recordedVersion(b.path());
            CompletableFuture<Object> rows = outbox.rowsSince(b.takenAt()).<Object>thenApply(r -> r)
                    .exceptionally(e -> Errors.describe(e));
            return engine.read().thenCombine(recorded, (s, v) -> new Object[] {s, v}).thenCombine(rows, (sv, r) -> {
                @SuppressWarnings("unchecked") Optional<String> v = (Optional<String>) sv[1];
                Optional<OutboxPort.RowsSince> rs = r instanceof OutboxPort.RowsSince x ? Optional.of(x) : Optional.empty();
                Plan p = SinglePlans.rollback(env, (StackSnapshot) sv[0], b, v, rs, r instanceof String w ? w : "",
                        env.backups().commands().containsKey("backup"));
                return new SinglePlan(p, Optional.of(b));
            });
        });
    }

    /**
     * The rollback to {@code to}: a version (matching {@code deploy.versionPattern}, no slash) is an earlier release to
     * redeploy ({@link #planRelease}), anything else a backup to restore ({@link #planRollback}).
     */
    public CompletableFuture<SinglePlan> planRollbackTo(String to) {
        if (to != null && !to.contains("/") && env.deploy().versionPattern().matcher(to).matches()) {
            return planRelease(to);
        }
        return planRollback(to);
    }

    /**
     * The rollback to the earlier release {@code version}: refused before any change unless it is one of the stack's
     * releases ({@link #releases()}) whose images are all on the host and production does not run it now.
     */
    public CompletableFuture<SinglePlan> planRelease(String version) {
        try {
            RolloutRules.checkVersion(env.deploy(), version);
        } catch (RolloutException e) {
            return CompletableFuture.failedFuture(e);
        }
        return releases.read().thenCombine(pendingFact(), (l, p) -> {
            io.dutydesk.core.rollout.ReleaseHistory.Release r = l.release(version).orElseThrow(() -> new RolloutException(
                    RolloutException.Kind.INVALID_INPUT, version + " is not a release of " + env.name() + " (see dutydesk history --env "
                    + env.name() + ")"));
            if (!r.available()) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "the images of " + version + " are no longer all on the host of "
                        + env.name() + ": it cannot be redeployed");
            }
            if (r.live()) {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, "production on " + env.name() + " already runs " + version);
            }
            StackSnapshot now = stack(l.slots());
            return new SinglePlan(SinglePlans.toRelease(env, now, r, l.repositories(), p, l.failedHere(version)), Optional.empty());
        });
    }

    /** A rollback of {@code type} ({@code deploy.rollbackTypes}): any other name is refused before any change. */
    public CompletableFuture<SinglePlan> planType(String type) {
        String cmd = type == null ? null : env.deploy().rollbackTypes().get(type);
        if (cmd == null) {
            return CompletableFuture.failedFuture(new RolloutException(RolloutException.Kind.INVALID_INPUT, "'"
                    + RolloutRules.printable(String.valueOf(type)) + "' is not a rollback type of " + env.name() + " (declared: "
                    + (env.deploy().rollbackTypes().isEmpty() ? "none; see deploy.rollbackTypes"
                    : String.join(", ", env.deploy().rollbackTypes().keySet())) + ")"));
        }
        // a database type says what it loses as the rollback to a backup does (the newest backup, the rows written since)
        CompletableFuture<Optional<RolloutRules.DatabaseLoss>> loss = RolloutRules.databaseType(type)
                ? RolloutRules.DatabaseLoss.read(env, backups, outbox).thenApply(Optional::of)
                : CompletableFuture.completedFuture(Optional.empty());
        return engine.read().thenCombine(pendingFact(), (s, p) -> new Object[] {s, p}).thenCombine(loss, (sp, l) ->
                new SinglePlan(SinglePlans.ofType(env, (StackSnapshot) sp[0], type, cmd, (String) sp[1], l), Optional.empty()));
    }

    /** The stack the release history read (its one slot's instances), as the plan names it. */
    private StackSnapshot stack(io.dutydesk.core.slots.SlotsSnapshot s) {
        List<StackService> services = s.slots().stream().flatMap(x -> x.services().stream())
                .map(x -> new StackService(x.service(), env.ssh().host(), x.containerName(), x.container())).toList();
        return new StackSnapshot(env.name(), engine.name(), s.takenAt(), services);
    }

    /** The version in {@code PATH} + {@code backups.versionSidecar} (its first line), if the backup has such a sidecar ({@link RecordedVersions}). */
    public CompletableFuture<Optional<String>> recordedVersion(String path) {
        return RecordedVersions.read(shell, List.of(path), env.backups().versionSidecar(), env.poll().timeout().multipliedBy(3))
                .thenApply(m -> Optional.ofNullable(m.get(path)));
    }

    /** The command the job runs: the team's deploy with {version}, or a safety backup then the team's rollback with {backup}. */
    String command(SinglePlan sp) {
        Plan plan = sp.plan();
        if (plan.rollbackType().isPresent()) {
            String t = env.deploy().rollbackTypes().get(plan.rollbackType().get());
            if (t == null) {
                throw new IllegalArgumentException(env.name() + " no longer declares the rollback type " + plan.rollbackType().get());
            }
            return CommandTemplate.fill(CommandTemplate.ROLLBACK_TYPE, t, Map.of());
        }
        if (plan.verb() == Verb.DEPLOY || sp.backup().isEmpty()) {
            return CommandTemplate.fill("deploy.commands.deploy", env.deploy().commands().get("deploy"),
                    Map.of(CommandTemplate.VERSION, plan.version().orElseThrow()));
        }
        String rollback = CommandTemplate.fill("deploy.commands.rollback", env.deploy().commands().get("rollback"),
                Map.of(CommandTemplate.BACKUP, sp.backup().orElseThrow().path()));
        String safety = env.backups().commands().get("backup");
        return safety == null ? rollback : "{ " + safety + "\n} && { echo 'dutydesk: backup of the database as it was taken; restoring'; "
                + rollback + "\n}";
    }

    /** What the server checks inside the lock: production still runs the version planned against; a rollback's file is still there. */
    public ActionScripts.Precondition preconditions(SinglePlan sp) {
        ActionScripts.Precondition p = engine.runsVersion(sp.plan().liveBefore());
        if (sp.backup().isEmpty() && sp.plan().toRelease() && !sp.plan().repositories().isEmpty()) {
            p = p.and(io.dutydesk.core.rollout.ReleaseHistory.imagePresent(env, sp.plan().repositories(), sp.plan().version().get()));
        }
        if (sp.backup().isPresent()) {
            Optional<ActionScripts.Precondition> file = engine.fileExists(sp.backup().get().path());
            if (file.isPresent()) {
                p = p.and(file.get());
            }
        }
        return p;
    }

    public CompletableFuture<ActionResult> run(SinglePlan sp, RemoteShell.OutputListener out, Consumer<String> status) {
        return run(sp, out, status, true);
    }

    /** {@link #run} without the console's re-read at the click: only the server's check inside the lock (tests of that check). */
    public CompletableFuture<ActionResult> runCheckedOnServerOnly(SinglePlan sp, RemoteShell.OutputListener out, Consumer<String> status) {
        return run(sp, out, status, false);
    }

    private List<String> args(SinglePlan sp) {
        return sp.backup().map(b -> List.of(b.path())).orElse(sp.plan().auditArgs());
    }

    private CompletableFuture<ActionResult> run(SinglePlan sp, RemoteShell.OutputListener out, Consumer<String> status, boolean reread) {
        Plan plan = sp.plan();
        List<String> args = args(sp);
        if (!env.name().equals(plan.environment())) {
            return refused(plan, args, RolloutException.Kind.STALE, "this plan was made for environment " + plan.environment() + ", not "
                    + env.name() + "; nothing was run");
        }
        if (!plan.runnable()) {
            return refused(plan, args, RolloutException.Kind.BLOCKED, String.join("; ", plan.blocked()) + " (use force to run it anyway)");
        }
        if (plan.verb() == Verb.DEPLOY || (plan.verb() == Verb.ROLLBACK && sp.backup().isEmpty() && plan.toRelease())) {
            Optional<String> bad = RolloutRules.versionProblem(env.deploy(), plan.version().orElse(null));
            if (bad.isPresent()) {
                return refused(plan, args, RolloutException.Kind.INVALID_INPUT, bad.get());
            }
        } else if (plan.verb() != Verb.ROLLBACK || (sp.backup().isEmpty() && plan.rollbackType().isEmpty())) {
            return refused(plan, args, RolloutException.Kind.INVALID_INPUT, plan.verb().id() + " has no meaning on a single stack "
                    + "(no idle slot); nothing was run");
        }
        String command;
        try {
            command = command(sp);
        } catch (IllegalArgumentException badTemplate) {
            return refused(plan, args, RolloutException.Kind.INVALID_INPUT, badTemplate.getMessage() + "; nothing was run");
        }
        if (!running.compareAndSet(false, true)) {
            return refused(plan, args, RolloutException.Kind.BUSY, "this console is already running an action on " + env.name());
        }
        CompletableFuture<ActionResult> result;
        try {
            DetachedActions.Request req = new DetachedActions.Request(plan.verb().id(), args, command,
                    Optional.of(preconditions(sp)), plan.liveBefore());
            // at the click: the same action planned again from fresh reads (the version live, the backup still listed, the
            // version its sidecar records, the rows it loses); anything the confirmation states that differs refuses it
            CompletableFuture<Optional<PlanChangedException>> changed = !reread ? CompletableFuture.completedFuture(Optional.empty())
                    : atClick(sp);
            result = changed.thenCompose(why -> why.isPresent()
                    ? this.<DetachedActions.Outcome>refused(plan, args, why.get())
                    : runner.run(req, out, status)).thenCompose(o -> switch (o.end()) {
                case BUSY -> runner.<ActionResult>refusedOnServer(req, o, RolloutException.Kind.BUSY);
                case REFUSED -> runner.<ActionResult>refusedOnServer(req, o, RolloutException.Kind.STALE);
                case UNKNOWN, EXITED -> verify(plan, o).thenCompose(r -> runner.completeAfterRun(runner.completion(req, o,
                        o.end() == DetachedActions.End.UNKNOWN ? AuditRows.UNKNOWN : r.succeeded() ? AuditRows.SUCCEEDED : AuditRows.FAILED,
                        o.end() == DetachedActions.End.UNKNOWN ? null : r.exitCode(), r.liveAfter(), r.message())).thenApply(r::withAuditWarning));
            });
        } catch (RuntimeException e) {
            running.set(false);
            return CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> running.set(false));
    }

    /** The stack after the command: the plan's version, every service healthy; a failed deploy says where the script left it. */
    private CompletableFuture<ActionResult> verify(Plan plan, DetachedActions.Outcome o) {
        int code = o.end() == DetachedActions.End.EXITED ? o.exitCode() : -1;
        return engine.read().handle((s, e) -> {
            long ms = Duration.between(o.start(), clock.instant()).toMillis();
            if (e != null) {
                return new ActionResult(o.id(), plan.verb(), code, false, plan.liveBefore(), null, ms,
                        "could not verify on the server: " + Errors.describe(e), o.outputSha256());
            }
            String after = s.version();
            if (code != 0) {
                String where = plan.verb() == Verb.DEPLOY && after.equals(plan.liveBefore())
                        ? "production is back on " + after + " (the script's automatic rollback): " + s.summary()
                        : "production runs " + after + ": " + s.summary();
                return new ActionResult(o.id(), plan.verb(), code, false, plan.liveBefore(), after, ms,
                        (plan.verb() == Verb.DEPLOY ? "the deploy of " + plan.target() + " failed" : "the rollback failed")
                                + " (the script exited " + (code < 0 ? "without an exit code" : code) + (o.lastLine().isEmpty() ? "" : ": "
                                + o.lastLine()) + "); " + where, o.outputSha256());
            }
            if (plan.rollbackType().isPresent()) { // the team's command: its exit, every service healthy, and what runs now
                boolean ok = s.allReady();
                return new ActionResult(o.id(), plan.verb(), code, ok, plan.liveBefore(), after, ms, "rollback " + plan.rollbackType().get()
                        + " exited 0; production runs " + after + " (" + s.summary() + ")" + (ok ? "" : "; " + String.join("; ", s.problems())),
                        o.outputSha256());
            }
            boolean ok = s.allReady() && after.equals(plan.target());
            String msg = ok ? "production runs " + after + " (" + s.summary() + ")"
                    : "after " + plan.verb().id() + ": production runs " + after + ", expected " + plan.target() + " (" + s.summary() + ")"
                    + (s.problems().isEmpty() ? "" : "; " + String.join("; ", s.problems()));
            return new ActionResult(o.id(), plan.verb(), code, ok, plan.liveBefore(), after, ms, msg, o.outputSha256());
        });
    }

    /** Follows an action someone started (after a dropped connection, or another console's) to its end; runs nothing. */
    public CompletableFuture<ActionResult> attach(String id, RemoteShell.OutputListener out, Consumer<String> status) {
        if (ActionScripts.validId(id).isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not an action id: " + RolloutRules.printable(String.valueOf(id))));
        }
        Verb verb = id.contains("-rollback-") ? Verb.ROLLBACK : Verb.DEPLOY;
        return runner.attach(id, out, status).thenCompose(o -> engine.read().thenApply(s -> {
            int code = o.end() == DetachedActions.End.EXITED ? o.exitCode() : -1;
            return new ActionResult(id, verb, code, code == 0 && s.allReady(), null, s.version(),
                    Duration.between(o.start(), clock.instant()).toMillis(), "the attached " + verb.id() + " ended "
                    + (o.end() == DetachedActions.End.EXITED ? "with exit " + code : o.end() == DetachedActions.End.REFUSED
                    ? "refused on the server: " + o.refusal() : "without an exit code (killed?)") + "; production runs " + s.summary(), null);
        }));
    }

    /**
     * The click's re-check of a confirmed {@code sp}: planned again from fresh reads ({@link #replan}) and compared with what
     * its confirmation stated ({@link SinglePlans#changedSince}); empty while it all holds, else the refusal with the new plan (or,
     * when it can no longer be planned at all, without one).
     */
    CompletableFuture<Optional<PlanChangedException>> atClick(SinglePlan sp) {
        Plan plan = sp.plan();
        CompletableFuture<SinglePlan> again;
        try {
            again = replan(sp);
        } catch (RuntimeException e) {
            again = CompletableFuture.failedFuture(e);
        }
        return again.handle((now, e) -> {
            if (e != null) {
                return Optional.of(new PlanChangedException(Optional.empty(), RolloutRules.refusal("it can no longer be planned ("
                        + Errors.describe(e) + ")")));
            }
            return SinglePlans.changedSince(plan, now.plan()).map(why -> new PlanChangedException(Optional.of(now), RolloutRules.refusal(why)
                    .replace("; nothing was run", "; nothing was run — confirm what it states now to run it")));
        });
    }

    /**
     * The same action as {@code sp} planned again from fresh reads: the rollback to the same backup, the same release, the
     * same type, the deploy of the same version (forced if it was). What an open confirmation shows and the click checks.
     */
    public CompletableFuture<SinglePlan> replan(SinglePlan sp) {
        Plan p = sp.plan();
        CompletableFuture<SinglePlan> again;
        if (sp.backup().isPresent()) {
            again = planRollback(sp.backup().get().path());
        } else if (p.rollbackType().isPresent()) {
            again = planType(p.rollbackType().get());
        } else if (p.verb() == Verb.ROLLBACK && p.version().isPresent()) {
            again = planRelease(p.version().get());
        } else if (p.verb() == Verb.DEPLOY && p.version().isPresent()) {
            again = planDeploy(p.version().get());
        } else {
            return CompletableFuture.failedFuture(new RolloutException(RolloutException.Kind.INVALID_INPUT,
                    p.verb().id() + " has no meaning on a single stack"));
        }
        return again.thenApply(n -> p.forced() ? new SinglePlan(n.plan().forcedCopy(), n.backup()) : n);
    }

    private <T> CompletableFuture<T> refused(Plan plan, List<String> args, PlanChangedException why) {
        return runner.refusedBeforeStart(plan.verb().id(), args, plan.liveBefore(), why.getMessage()).handle((v, err) -> {
            if (err != null) {
                throw new RolloutException(RolloutException.Kind.STALE, why.getMessage() + "; " + AuditWriteException.unwritten(audit, err));
            }
            throw why;
        });
    }

    private <T> CompletableFuture<T> refused(Plan plan, List<String> args, RolloutException.Kind kind, String why) {
        return runner.refusedBeforeStart(plan.verb().id(), args, plan.liveBefore(), why).handle((v, err) -> {
            throw new RolloutException(kind, err == null ? why : why + "; " + AuditWriteException.unwritten(audit, err));
        });
    }

    /**
     * Restarts one of the stack's containers (the runbook's first fix), audited. Any other name is refused (and audited):
     * the console restarts only what it shows.
     */
    public CompletableFuture<Void> restart(io.dutydesk.core.ports.ContainersPort containers, String container) {
        java.time.Instant start = clock.instant();
        boolean known = env.slots().services().stream().anyMatch(svc -> env.slots().container(svc, "").equals(container));
        if (!known) {
            String why = "refused to restart '" + RolloutRules.printable(String.valueOf(container)) + "': not one of this stack's containers";
            return runner.refusedBeforeStart("restart", List.of(String.valueOf(container)), null, why).handle((v, err) -> {
                throw new RolloutException(RolloutException.Kind.INVALID_INPUT, err == null ? why : why + "; " + AuditWriteException.unwritten(audit, err));
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
                : restartUnlocked(containers, container, start));
    }

    private CompletableFuture<Void> restartUnlocked(io.dutydesk.core.ports.ContainersPort containers, String container, java.time.Instant start) {
        return runner.begin("restart", List.of(container), null).thenCompose(started ->
                containers.restart(container, Duration.ofSeconds(10)).handle((v, e) -> e).thenCompose(e -> runner.complete(
                        new io.dutydesk.core.audit.AuditEntry(started.actionId(), started.actor(), env.name(), "restart", List.of(container), start,
                                clock.instant(), null, null, e == null ? AuditRows.SUCCEEDED : AuditRows.FAILED, null, null,
                                e == null ? "restarted " + container : Errors.describe(e))).handle((v, x) -> {
                    if (e != null) {
                        throw new java.util.concurrent.CompletionException(Errors.unwrap(e));
                    }
                    if (x != null) {
                        throw AuditWriteException.ran("restarted " + container, true, audit, x);
                    }
                    return (Void) null;
                })));
    }

    /** A refusal of bad input before anything ran (e.g. an unknown backup, a bad version), audited as refused. */
    public CompletableFuture<Void> auditRefusal(Verb verb, List<String> args, String why) {
        return runner.refusedBeforeStart(verb.id(), args, null, why);
    }
}
