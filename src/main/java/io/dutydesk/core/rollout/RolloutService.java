package io.dutydesk.core.rollout;

import io.dutydesk.core.Errors;
import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsReader;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * deploy / switch / rollback / cleanup, for the window and the CLI alike: plan from the
 * server's state, run the configured command detached on the server under a server-side lock,
 * stream its output (re-attaching after a dropped connection, never running it twice), verify
 * the result on the server, and append the action to the audit log.
 */
public final class RolloutService {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Environment env;
    private final SlotsReader slots;
    private final OutboxPort outbox;
    private final ContainersPort containers;
    private final RemoteShell shell;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

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
    }

    /** Refuses a version that does not match the environment's pattern, before anything runs. */
    public void validateVersion(String version) {
        RolloutRules.checkVersion(env.deploy(), version);
    }

    /** Reads the server and decides what {@code verb} would do. A bad version fails before any IO. */
    public CompletableFuture<Plan> plan(Verb verb, Optional<String> version, boolean force) {
        if (verb == Verb.DEPLOY) {
            try {
                validateVersion(version.orElse(null));
            } catch (RolloutException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<String> pending = outbox.countsByStatus()
                .thenApply(m -> "outbox pending " + m.getOrDefault("pending", 0L))
                .exceptionally(e -> "outbox pending: unknown (" + Errors.describe(e) + ")");
        return slots.read().thenCombine(pending, (s, p) -> RolloutRules.decide(verb, version, force, s, p));
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
            return audit.append(new AuditEntry(null, actor, env.name(), "restart", List.of(container), start, clock.instant(),
                    null, null, "refused", null, null, why)).thenCompose(v -> CompletableFuture.failedFuture(
                    new RolloutException(RolloutException.Kind.INVALID_INPUT, why)));
        }
        return containers.restart(container, Duration.ofSeconds(10)).handle((v, e) -> e)
                .thenCompose(e -> audit.append(new AuditEntry(null, actor, env.name(), "restart", List.of(container), start,
                        clock.instant(), null, null, e == null ? "succeeded" : "failed", null, null,
                        e == null ? "restarted " + container : Errors.describe(e))).thenCompose(v -> e == null
                        ? CompletableFuture.<Void>completedFuture(null) : CompletableFuture.<Void>failedFuture(Errors.unwrap(e))));
    }

    /** Someone's action holding the server lock right now, if any. */
    public record RunningAction(String id, String meta) {}

    public CompletableFuture<Optional<RunningAction>> current() {
        return shell.exec(ActionScripts.current(env.deploy().stateDir()), Duration.ofSeconds(20), RemoteShell.OutputListener.NONE)
                .thenApply(r -> {
                    String out = r.stdout();
                    int i = out.indexOf(ActionScripts.BUSY);
                    if (i < 0) {
                        return Optional.<RunningAction>empty();
                    }
                    String rest = out.substring(i + ActionScripts.BUSY.length());
                    int nl = rest.indexOf('\n');
                    String id = (nl < 0 ? rest : rest.substring(0, nl)).strip();
                    return Optional.of(new RunningAction(id, nl < 0 ? "" : rest.substring(nl + 1).strip()));
                });
    }

    /** Runs a confirmed plan. Fails with {@link RolloutException} when refused before running. */
    public CompletableFuture<ActionResult> run(Plan plan, RemoteShell.OutputListener out) {
        Instant start = clock.instant();
        List<String> args = plan.version().map(List::of).orElse(List.of());
        if (!plan.runnable()) {
            String why = String.join("; ", plan.blocked());
            return refused(plan, args, start, RolloutException.Kind.BLOCKED, why + " (use force to run it anyway)");
        }
        if (plan.verb() == Verb.DEPLOY) {
            try {
                validateVersion(plan.version().orElse(null));
            } catch (RolloutException e) {
                return refused(plan, args, start, e.kind(), e.getMessage());
            }
        }
        if (!running.compareAndSet(false, true)) {
            return refused(plan, args, start, RolloutException.Kind.BUSY, "this console is already running an action on "
                    + env.name());
        }
        String id = ID_TIME.format(start) + "-" + plan.verb().id() + "-" + HexFormat.of().toHexDigits((short) RANDOM.nextInt());
        String command = env.deploy().commands().get(plan.verb().id())
                .replace("{version}", plan.version().map(ShellQuote::quote).orElse(""));
        String meta = "{\"id\":\"" + id + "\",\"action\":\"" + plan.verb().id() + "\",\"args\":\"" + String.join(" ", args)
                + "\",\"actor\":\"" + actor.replace("\"", "") + "\",\"start\":\"" + start + "\"}";
        // one round trip: take the lock and start, then follow the log in the same command
        String script = ActionScripts.start(env.deploy().stateDir(), id, env.deploy().workdir(), command, meta)
                + " && " + ActionScripts.follow(env.deploy().stateDir(), id, 1);
        Follow follow = new Follow(out);
        Instant deadline = start.plus(env.deploy().actionTimeout());
        CompletableFuture<ActionResult> result = shell.exec(script, env.deploy().actionTimeout(), follow.listener(id))
                .<CompletableFuture<ActionResult>>handle((r, e) -> {
                    if (e == null && !follow.started && r.stdout().contains(ActionScripts.BUSY)) {
                        String other = r.stdout().substring(r.stdout().indexOf(ActionScripts.BUSY) + ActionScripts.BUSY.length()).strip();
                        return describeOther(other).thenCompose(d -> this.<ActionResult>refused(plan, args, start, RolloutException.Kind.BUSY,
                                "another action is running on this host: " + d));
                    }
                    if (e == null && follow.exit.get() != null) {
                        return finish(id, plan, args, start, follow);
                    }
                    // the connection dropped (or the follow died): find out whether it started, then re-attach
                    return shell.exec(ActionScripts.wasStarted(env.deploy().stateDir(), id), Duration.ofSeconds(30),
                                    RemoteShell.OutputListener.NONE)
                            .exceptionallyCompose(x -> retryLater(() -> shell.exec(ActionScripts.wasStarted(
                                    env.deploy().stateDir(), id), Duration.ofSeconds(30), RemoteShell.OutputListener.NONE)))
                            .thenCompose(w -> {
                                if (!w.stdout().contains(ActionScripts.STARTED + id)) {
                                    throw new IllegalStateException("the action did not start"
                                            + (e == null ? " (exit " + r.exitCode() + "): " + r.stderr().strip() : ": " + Errors.describe(e)));
                                }
                                return followUntilDone(id, follow.seen, follow.exit, follow.listener(id), deadline, 0)
                                        .thenCompose(v -> finish(id, plan, args, start, follow));
                            });
                }).thenCompose(f -> f);
        return result.whenComplete((r, e) -> running.set(false));
    }

    /** Output of one action: counted (to resume after a drop), digested, markers taken out. */
    private static final class Follow {
        final RemoteShell.OutputListener out;
        final MessageDigest digest = sha256();
        final AtomicInteger seen = new AtomicInteger();
        final AtomicReference<String> exit = new AtomicReference<>();
        final AtomicReference<String> lastLine = new AtomicReference<>("");
        volatile boolean started;

        Follow(RemoteShell.OutputListener out) {
            this.out = out;
        }

        RemoteShell.OutputListener listener(String id) {
            return (stderr, line) -> {
                if (line.startsWith(ActionScripts.STARTED)) {
                    started = true;
                    return;
                }
                if (line.startsWith(ActionScripts.EXIT)) {
                    exit.set(line.substring(ActionScripts.EXIT.length()).strip());
                    return;
                }
                if (line.startsWith(ActionScripts.BUSY)) {
                    return;
                }
                seen.incrementAndGet();
                synchronized (digest) {
                    digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
                if (!line.isBlank()) {
                    lastLine.set(line.strip());
                }
                out.line(stderr, line);
            };
        }

        String sha() {
            synchronized (digest) {
                return HexFormat.of().formatHex(digest.digest());
            }
        }
    }

    private CompletableFuture<ActionResult> finish(String id, Plan plan, List<String> args, Instant start, Follow f) {
        int code = parseExit(f.exit.get());
        return verify(plan, code, f.lastLine.get()).thenCompose(check -> {
            ActionResult res = new ActionResult(id, plan.verb(), code, check.ok, plan.liveBefore(), check.liveAfter,
                    Duration.between(start, clock.instant()).toMillis(), check.message, f.sha());
            return audit.append(new AuditEntry(id, actor, env.name(), plan.verb().id(), args, start, clock.instant(),
                    res.exitCode(), res.outputSha256(), res.succeeded() ? "succeeded" : "failed", res.liveBefore(),
                    res.liveAfter(), res.message())).thenApply(v -> res);
        });
    }

    private static <T> CompletableFuture<T> retryLater(java.util.function.Supplier<CompletableFuture<T>> call) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS))
                .thenCompose(v -> call.get());
    }

    private CompletableFuture<String> describeOther(String id) {
        if (id.isEmpty() || id.equals("?")) {
            return CompletableFuture.completedFuture("(unknown)");
        }
        return shell.exec(ActionScripts.meta(env.deploy().stateDir(), id), Duration.ofSeconds(10), RemoteShell.OutputListener.NONE)
                .thenApply(r -> r.stdout().isBlank() ? id : r.stdout().strip())
                .exceptionally(e -> id);
    }

    private <T> CompletableFuture<T> refused(Plan plan, List<String> args, Instant start, RolloutException.Kind kind,
                                             String why) {
        AuditEntry e = new AuditEntry(null, actor, env.name(), plan.verb().id(), args, start, clock.instant(), null, null,
                "refused", plan.liveBefore(), null, why);
        return audit.append(e).handle((v, err) -> {
            throw new RolloutException(kind, why);
        });
    }

    /**
     * Follows an action someone (another console, or this one before a restart) started, to its
     * end, and reports its exit code and the live slot after it. Runs nothing.
     */
    public CompletableFuture<ActionResult> attach(String id, RemoteShell.OutputListener out) {
        Instant start = clock.instant();
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<String> exit = new AtomicReference<>();
        RemoteShell.OutputListener counting = (stderr, line) -> {
            if (line.startsWith(ActionScripts.EXIT)) {
                exit.set(line.substring(ActionScripts.EXIT.length()).strip());
                return;
            }
            seen.incrementAndGet();
            out.line(stderr, line);
        };
        Verb verb = java.util.Arrays.stream(Verb.values()).filter(v -> id.contains("-" + v.id() + "-")).findFirst()
                .orElse(Verb.SWITCH);
        return followUntilDone(id, seen, exit, counting, start.plus(env.deploy().actionTimeout()), 0)
                .thenCompose(v -> slots.read())
                .thenApply(s -> {
                    int code = parseExit(exit.get());
                    return new ActionResult(id, verb, code, code == 0, null, s.liveSlot(),
                            Duration.between(start, clock.instant()).toMillis(),
                            "the attached action ended with exit " + code + "; live slot is " + s.liveSlot() + " ("
                                    + s.live().summary() + ")", null);
                });
    }

    /** Follows the log; when the connection drops, waits and follows again from the next unseen line. */
    private CompletableFuture<Void> followUntilDone(String id, AtomicInteger seen, AtomicReference<String> exit,
                                                    RemoteShell.OutputListener counting, Instant deadline, int attempt) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative()) {
            return CompletableFuture.failedFuture(new IllegalStateException("action " + id + " did not finish within "
                    + env.deploy().actionTimeout().toSeconds() + " s; it may still be running on the server"));
        }
        return shell.exec(ActionScripts.follow(env.deploy().stateDir(), id, seen.get() + 1), left, counting)
                .handle((r, e) -> {
                    if (e == null && exit.get() != null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    // connection lost (or the follow died): the action goes on on the server; re-attach
                    long wait = Math.min(5000, 250L << Math.min(attempt, 4));
                    return CompletableFuture.runAsync(() -> { },
                                    CompletableFuture.delayedExecutor(wait, java.util.concurrent.TimeUnit.MILLISECONDS))
                            .thenCompose(x -> followUntilDone(id, seen, exit, counting, deadline, attempt + 1));
                }).thenCompose(f -> f);
    }

    private static int parseExit(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException | NullPointerException e) {
            return -1; // ended without an exit code: killed
        }
    }

    private record Check(boolean ok, String liveAfter, String message) {}

    /** How long the server's state may take to settle after an action (e.g. old nginx workers finishing). */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /** Verifies on the server; a state that does not match yet is read again until it settles or SETTLE passes. */
    private CompletableFuture<Check> verify(Plan plan, int exitCode, String lastLine) {
        Instant until = clock.instant().plus(SETTLE);
        return verifyOnce(plan, exitCode, lastLine).thenCompose(c -> settle(plan, exitCode, lastLine, c, until));
    }

    private CompletableFuture<Check> settle(Plan plan, int exitCode, String lastLine, Check c, Instant until) {
        if (c.ok || exitCode != 0 || clock.instant().isAfter(until)) {
            return CompletableFuture.completedFuture(c);
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(150, java.util.concurrent.TimeUnit.MILLISECONDS))
                .thenCompose(v -> verifyOnce(plan, exitCode, lastLine))
                .thenCompose(next -> settle(plan, exitCode, lastLine, next, until));
    }

    private CompletableFuture<Check> verifyOnce(Plan plan, int exitCode, String lastLine) {
        return slots.read().handle((s, e) -> {
            if (e != null) {
                return new Check(false, null, "could not verify on the server: " + Errors.describe(e));
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
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
