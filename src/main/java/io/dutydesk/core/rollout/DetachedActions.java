package io.dutydesk.core.rollout;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.audit.AuditWriteException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one detached-action runner of the product: runs a configured command detached on the
 * server (setsid + nohup) under the one server-side lock, with an optional precondition checked
 * inside the lock, streams its output, re-attaches after a dropped connection (with backoff,
 * until the end is known — it never starts it twice), and keeps the audit trail of it.
 *
 * <p>Audit: an entry with result {@code started} is written (fsync) before anything is sent to
 * the server; the caller completes it with {@link #complete} once it knows the end. An action
 * still open when the JVM stops (window closed, SIGTERM, Ctrl+C) is completed as
 * {@code interrupted} by a shutdown hook; one left open by a SIGKILL is completed by
 * {@link #reconcile} on the next start, from the server's exit file. The JSONL stays append-only:
 * a completion is a second entry with the same action id ({@link AuditRows} folds them).
 *
 * <p>Used by rollouts ({@link RolloutService}) and meant for every long server-side job
 * (restore, backup now): build a {@link Request}, {@link #run} it, then {@link #complete} it.
 */
public final class DetachedActions {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Open actions of this JVM (id → its log and started entry), completed as interrupted on shutdown. */
    private static final Map<String, Open> OPEN = new ConcurrentHashMap<>();
    private static final AtomicReference<Thread> HOOK = new AtomicReference<>();

    /** {@code confirmed}: whether the server confirmed the start (what an interrupted entry may say). */
    private record Open(AuditLog audit, AuditEntry started, java.util.function.BooleanSupplier confirmed) {}

    /**
     * How a detached job's started entry begins: written before anything is sent, it says only what is known then — the
     * job was requested. Whether it started is the server's to say: its end (from the follow, or {@link #reconcile} from
     * the job folder), or that it never started.
     */
    public static final String REQUESTED = "requested; not confirmed started on the server";

    /** Whether {@code started} is the started entry of a detached job's request ({@link #REQUESTED}). */
    static boolean requested(AuditEntry started) {
        return started != null && AuditRows.STARTED.equals(started.result()) && started.message() != null
                && started.message().startsWith(REQUESTED);
    }

    private final Environment env;
    private final RemoteShell shell;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;

    public DetachedActions(Environment env, RemoteShell shell, AuditLog audit, String actor, Clock clock) {
        this.env = env;
        this.shell = shell;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
        installHook();
    }

    /**
     * One action to run.
     *
     * @param action       its name, e.g. "rollback", "restore" ({@link ActionScripts#ACTION}); part of the id
     * @param args         what the user gave (audited), e.g. the version
     * @param command      the configured command, with any user value already quoted ({@link io.dutydesk.core.ShellQuote})
     * @param precondition checked on the server inside the lock before the command; empty for none
     * @param liveBefore   the live slot the action was planned against (audited), or null
     * @param bound        how long the job may run ({@link JobBound}); null: the deploy's {@code actionTimeoutSeconds}
     */
    public record Request(String action, List<String> args, String command, Optional<ActionScripts.Precondition> precondition,
                          String liveBefore, JobBound bound, Optional<String> after) {
        public Request {
            if (!ActionScripts.ACTION.matcher(action).matches()) {
                throw new IllegalArgumentException("not an action name: " + action);
            }
            args = List.copyOf(args);
            after = after == null ? Optional.empty() : after;
        }

        public Request(String action, List<String> args, String command, Optional<ActionScripts.Precondition> precondition,
                       String liveBefore, JobBound bound) {
            this(action, args, command, precondition, liveBefore, bound, Optional.empty());
        }

        /**
         * This request with {@code script} run in the same exec once the job's exit is known (e.g. the state read that
         * verifies it): its output comes back as {@link Outcome#after()}, not as the job's. Not run when the exec is
         * cut before the end (a re-attach reads the state itself).
         */
        public Request withAfter(String script) {
            return new Request(action, args, command, precondition, liveBefore, bound, Optional.of(script));
        }

        /** A deploy-kind action: bounded by {@code deploy.actionTimeoutSeconds}. */
        public Request(String action, List<String> args, String command, Optional<ActionScripts.Precondition> precondition,
                       String liveBefore) {
            this(action, args, command, precondition, liveBefore, null);
        }
    }

    /**
     * A secret for the job's environment only ({@link ActionScripts#start(String, String, String, String, Optional)}):
     * sent on the exec's input, never in a file or on a command line. The runner zeroes {@code value} once sent.
     */
    public record JobSecret(String variable, char[] value) {
        public JobSecret {
            if (!ActionScripts.SECRET_VARIABLE.matcher(variable).matches()) {
                throw new IllegalArgumentException("not a secret variable name: " + variable);
            }
            for (char c : value) {
                if (c == '\n' || c == '\r' || c == 0) {
                    throw new IllegalArgumentException("a secret with a line break or NUL cannot be sent to the job");
                }
            }
        }

        @Override
        public String toString() {
            return "JobSecret[" + variable + "]";
        }
    }

    /** A job that cannot be followed for this long (the server unreachable) is given up, when it has no bound. */
    static final Duration UNREACHABLE_GIVE_UP = Duration.ofMinutes(15);
    /** One follow call of an unbounded job: when it ends with the job still running, the log is followed again. */
    static final Duration UNBOUNDED_FOLLOW_CALL = Duration.ofHours(1);

    /** The request's bound, the deploy's when it names none. */
    JobBound bound(Request req) {
        return req.bound() == null ? JobBound.deploy(env) : req.bound();
    }

    /** How long one exec that follows the log may take. */
    static Duration followCall(JobBound b) {
        return b.limit().map(d -> ActionScripts.longestHold(d).plusSeconds(60)).orElse(UNBOUNDED_FOLLOW_CALL);
    }

    /** How a run ended, as far as the server says. */
    public enum End {
        /** The command ran and exited ({@link Outcome#exitCode()}). */
        EXITED,
        /** The precondition failed inside the lock: the command was not run ({@link Outcome#refusal()}). */
        REFUSED,
        /** Another action holds the lock: nothing was started ({@link Outcome#refusal()} names it). */
        BUSY,
        /** The job ended without an exit code (killed on the server). */
        UNKNOWN
    }

    /**
     * @param after  what the request's {@link Request#after} script printed in the same exec, when it ran
     * @param holder {@link End#BUSY}: the action holding the server lock, as its job's meta says (empty for a maintenance lock)
     */
    public record Outcome(String id, End end, int exitCode, String refusal, String lastLine, String outputSha256,
                          Instant start, int lines, Optional<RemoteShell.ExecResult> after, Optional<Running> holder) {
        public Outcome(String id, End end, int exitCode, String refusal, String lastLine, String outputSha256, Instant start, int lines) {
            this(id, end, exitCode, refusal, lastLine, outputSha256, start, lines, Optional.empty(), Optional.empty());
        }

        Outcome with(Optional<RemoteShell.ExecResult> after, Optional<Running> holder) {
            return new Outcome(id, end, exitCode, refusal, lastLine, outputSha256, start, lines, after, holder);
        }
    }

    /** A BUSY answer: the holder's id (its line only), what still runs of it when its shell is gone, the lines after. */
    record Busy(String id, Optional<String> held, String rest) {}

    /** Reads BUSY, the holder's id on its line, an optional {@link ActionScripts#HELD} line, and what follows (the meta). */
    static Busy busy(String out) {
        int i = out.indexOf(ActionScripts.BUSY);
        String after = i < 0 ? "" : out.substring(i + ActionScripts.BUSY.length());
        int nl = after.indexOf('\n');
        String id = (nl < 0 ? after : after.substring(0, nl)).strip();
        StringBuilder rest = new StringBuilder();
        Optional<String> held = Optional.empty();
        for (String line : (nl < 0 ? "" : after.substring(nl + 1)).split("\n")) {
            if (line.startsWith(ActionScripts.HELD)) {
                held = Optional.of(RolloutRules.printable(line.substring(ActionScripts.HELD.length()).strip()));
            } else if (!line.isBlank()) {
                rest.append(rest.length() == 0 ? "" : "\n").append(line.strip());
            }
        }
        return new Busy(id, held, rest.toString());
    }

    /**
     * Someone's action holding the server lock right now: its id (null when the server's was not a valid id) and its job's
     * meta, one JSON line ({@code {"id":…,"action":…,"env":…,"args":…,"actor":"user@host","start":…,"console":…,"pid":…,
     * "pstart":…}}, {@link ConsoleProcess}) as the server keeps it.
     */
    public record Running(String id, String meta) {
        /**
         * In words — what it is, who started it from which host and which of their consoles, since when, its job id: "restore of
         * /srv/backups/x.sql.gz by alice from host ws (the CLI, pid 4242, started 2026-11-22 12:02:51 UTC) since 2026-11-22
         * 12:03:00 UTC (job 20261122-120300-restore-0a1b2c3d)"
         * (what the meta lacks is left out; the id alone when it says nothing). The lock's holder of a BUSY refusal,
         * and what a console that re-attaches resumes.
         */
        public String describe(java.time.ZoneId zone) {
            String action = field("action");
            String args = field("args");
            String actor = field("actor");
            StringBuilder b = new StringBuilder(action.isEmpty() ? (id == null ? "an unknown job" : id)
                    : action + (args.isEmpty() ? "" : " of " + args));
            if (!actor.isEmpty()) {
                int at = actor.lastIndexOf('@');
                b.append(" by ").append(at > 0 && at < actor.length() - 1
                        ? actor.substring(0, at) + " from host " + actor.substring(at + 1) : actor);
            }
            console().ifPresent(c -> b.append(" (").append(c.describe(zone)).append(")"));
            since().ifPresent(t -> b.append(" since ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", java.util.Locale.ROOT).withZone(zone).format(t)));
            return b + (action.isEmpty() || id == null ? "" : " (job " + id + ")");
        }

        /** A text field of the meta ("action", "env", "args", "actor", "start"), printable; empty when it has none. */
        public String field(String name) {
            return MaintenanceLock.field(meta, name);
        }

        /** The console process that started it (window or CLI, pid, start time); empty when the meta does not say. */
        public Optional<ConsoleProcess> console() {
            return ConsoleProcess.in(meta);
        }

        /** When it started, by the clock of the console that started it; empty when the meta does not say. */
        public Optional<Instant> since() {
            try {
                String at = field("start");
                return at.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(at));
            } catch (java.time.format.DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    /** When action {@code id} was started, by the clock of the console that started it (the id's own time). */
    public static Optional<Instant> startedAt(String id) {
        try {
            return Optional.of(Instant.from(ID_TIME.parse(id.substring(0, 15))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A new action id: "20260101-120000-rollback-0a1b2c3d". */
    String newId(String action, Instant at) {
        return ID_TIME.format(at) + "-" + action + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
    }

    /**
     * Audits "started", takes the lock and starts the job, follows it to its end (re-attaching
     * as needed), and reports how it ended. BUSY and REFUSED are outcomes, not failures: the
     * caller completes the audit entry either way. Fails only when it cannot even tell whether
     * the action started.
     *
     * @param status short progress for the user: "running on the server, re-attaching (…)"
     */
    public CompletableFuture<Outcome> run(Request req, RemoteShell.OutputListener out, Consumer<String> status) {
        return run(req, Optional.empty(), out, status);
    }

    /**
     * {@link #run(Request, RemoteShell.OutputListener, Consumer)} with a secret exported into the job's environment
     * only (sent on the exec's input, zeroed once sent).
     */
    public CompletableFuture<Outcome> run(Request req, Optional<JobSecret> secret, RemoteShell.OutputListener out,
                                          Consumer<String> status) {
        Instant start = clock.instant();
        String id = newId(req.action(), start);
        String meta = meta(id, req, start);
        JobBound bound = bound(req);
        String job = ActionScripts.job(env.deploy().workdir(), req.command(), req.precondition(), bound.limit().orElse(null));
        String script = ActionScripts.start(env.deploy().stateDir(), id, job, meta, secret.map(JobSecret::variable)) + " && "
                + ActionScripts.follow(env.deploy().stateDir(), id, 1) + req.after().map(a -> " && " + ActionScripts.after(a)).orElse("");
        byte[] input = secret.map(DetachedActions::line).orElse(null);
        secret.ifPresent(x -> java.util.Arrays.fill(x.value(), '\0'));
        AuditEntry started = new AuditEntry(id, actor, env.name(), req.action(), req.args(), start, null, null, null,
                AuditRows.STARTED, req.liveBefore(), null, REQUESTED + " (a detached job, under the lock); bound: " + bound.describe());
        Follow f = new Follow(out);
        io.dutydesk.core.Phase.mark("action-script-built");
        return appendStarted(started).thenCompose(v -> {
            OPEN.put(id, new Open(audit, started, () -> f.started));
            io.dutydesk.core.Phase.mark("audit-started-written");
            return shell.exec(script, input, followCall(bound), f.listener());
        }).whenComplete((r, e) -> {
            if (input != null) {
                java.util.Arrays.fill(input, (byte) 0);
            }
        }).<CompletableFuture<Outcome>>handle((r, e) -> ended(req, id, f, bound, start, r, e, status))
                .thenCompose(x -> x).exceptionallyCompose(e -> completeUnended(req, id, f, start, e));
    }

    /**
     * What the console decides from the state {@link #runAnswered} read inside the lock: the live slot before (for the
     * audit entry), and the refusal when nothing may run (a plan blocked by the rules: audited as refused, the lock let go).
     */
    public record Answer(String liveBefore, Optional<RolloutException> refusal) {
        public static Answer go(String liveBefore) {
            return new Answer(liveBefore, Optional.empty());
        }

        public static Answer refuse(String liveBefore, RolloutException why) {
            return new Answer(liveBefore, Optional.of(why));
        }
    }

    /**
     * {@link #run(Request, RemoteShell.OutputListener, Consumer)} with the plan made inside the lock, in one exec: the
     * server takes the lock and prints {@code stateScript}'s output; {@code decide} makes the plan from it (on the
     * adapter's thread); the started entry is written and the server told to go on — or, refused, the refusal audited
     * and the server told not to (it lets the lock go, nothing run). No check inside the job is needed (no other action
     * can come between the read and the start), and the plan's read and the start are one round trip. {@code req}'s
     * liveBefore is the answer's; it carries no precondition. A BUSY server or a refusal fails with {@link RolloutException}
     * (audited); nothing was run before {@code decide} answered. Every attempt is audited, as the two-exec path's started
     * and completion entries audit it: one that ends before the server was told to go — the exec failed or was cut (the
     * connection), the server ended it (the state folder, exit 90), or {@code decide} threw (its exception kept, "cannot
     * plan") — is one {@link AuditRows#FAILED} entry saying nothing was run (certain: the job starts only on the go) and
     * that the live slot is unknown ({@link #LIVE_UNKNOWN}); an entry that cannot be written is said in the failure (a
     * {@code decide} exception gets it as a suppressed {@link AuditWriteException}).
     */
    public CompletableFuture<Outcome> runAnswered(Request req, String stateScript, java.util.function.Function<String, Answer> decide,
                                                  RemoteShell.OutputListener out, Consumer<String> status) {
        if (req.precondition().isPresent()) {
            throw new IllegalArgumentException("a plan made inside the lock needs no check inside the job");
        }
        Instant start = clock.instant();
        String id = newId(req.action(), start);
        JobBound bound = bound(req);
        String job = ActionScripts.job(env.deploy().workdir(), req.command(), Optional.empty(), bound.limit().orElse(null));
        String script = ActionScripts.startAnswered(env.deploy().stateDir(), id, job, meta(id, req, start), stateScript) + " && "
                + ActionScripts.follow(env.deploy().stateDir(), id, 1) + req.after().map(a -> " && " + ActionScripts.after(a)).orElse("");
        Follow f = new Follow(out);
        AtomicReference<Answer> answered = new AtomicReference<>();
        AtomicReference<Throwable> notRun = new AtomicReference<>();
        AtomicReference<RuntimeException> undecided = new AtomicReference<>();
        StringBuilder state = new StringBuilder();
        // the exec's standard output but the state and NOT_GO: what its end is read from (BUSY, the follow's lines) and said
        StringBuilder rest = new StringBuilder();
        java.util.concurrent.atomic.AtomicBoolean notGo = new java.util.concurrent.atomic.AtomicBoolean();
        String end = ActionScripts.stateEnd(id);
        AtomicInteger part = new AtomicInteger(); // 0 before the state, 1 in it, 2 after it
        RemoteShell.OutputListener follow = f.listener();
        RemoteShell.OutputListener lines = (stderr, line) -> {
            if (!stderr && part.get() == 0 && line.equals(ActionScripts.STATE_BEGIN)) {
                part.set(1);
            } else if (!stderr && part.get() == 1 && line.equals(end)) {
                part.set(2);
            } else if (part.get() == 1) {
                if (!stderr) {
                    state.append(line).append('\n');
                }
            } else if (!stderr && line.equals(ActionScripts.NOT_GO)) {
                notGo.set(true);
            } else {
                if (!stderr && rest.length() < 1 << 20) { // kept as the adapter keeps an exec's output
                    rest.append(line).append('\n');
                }
                follow.line(stderr, line);
            }
        };
        io.dutydesk.core.Phase.mark("action-script-built");
        return shell.exec(script, followCall(bound), lines, line -> {
            if (part.get() != 2 || !line.equals(end)) {
                return Optional.empty();
            }
            Answer a;
            try {
                a = decide.apply(state.toString());
            } catch (RuntimeException e) {
                undecided.set(e);
                return Optional.of("no");
            }
            answered.set(a);
            if (a.refusal().isPresent()) {
                return Optional.of("no");
            }
            AuditEntry started = new AuditEntry(id, actor, env.name(), req.action(), req.args(), start, null, null, null,
                    AuditRows.STARTED, a.liveBefore(), null, REQUESTED + " (a detached job, under the lock; planned inside it); bound: "
                    + bound.describe());
            try {
                appendStarted(started).join();
            } catch (java.util.concurrent.CompletionException e) {
                notRun.set(Errors.unwrap(e));
                return Optional.of("no");
            }
            OPEN.put(id, new Open(audit, started, () -> f.started));
            io.dutydesk.core.Phase.mark("audit-started-written");
            return Optional.of(ActionScripts.GO);
        }).<CompletableFuture<Outcome>>handle((all, e) -> {
            // the exec's answer without the state's lines: what its end is read from and what a failure says (never the
            // protocol's lines, nor the state, in a message or an audit entry)
            RemoteShell.ExecResult r = all == null ? null : new RemoteShell.ExecResult(all.exitCode(), rest.toString(), all.stderr(),
                    all.elapsed());
            Answer a = answered.get();
            Request decided = new Request(req.action(), req.args(), req.command(), Optional.empty(),
                    a == null ? null : a.liveBefore(), req.bound(), req.after());
            if (notRun.get() != null) { // the started entry unwritten: nothing was run, and no entry can say it
                return CompletableFuture.failedFuture(notRun.get());
            }
            if (undecided.get() != null) { // no plan from the state read (unreadable): nothing was run
                RuntimeException why = undecided.get();
                // the live slot when the read got it (Docker, read beside it, did not answer): said, not "unknown"
                String live = liveRead(why).orElse(null);
                return failedBeforeStart(req.action(), req.args(), start, live, "cannot plan: " + Errors.describe(why) + "; nothing was run"
                        + (live == null ? "; " + LIVE_UNKNOWN : "")).<Outcome>handle((v, err) -> {
                    if (err != null) {
                        why.addSuppressed(AuditWriteException.nothingRun(audit, err));
                    }
                    throw why;
                });
            }
            if (a != null && a.refusal().isPresent()) {
                RolloutException why = a.refusal().get();
                return refusedBeforeStart(req.action(), req.args(), a.liveBefore(), why.getMessage()).<Outcome>handle((v, err) -> {
                    throw err == null ? why : new RolloutException(why.kind(), why.getMessage() + "; "
                            + AuditWriteException.unwritten(audit, err));
                });
            }
            if (!OPEN.containsKey(id)) { // never told to go: BUSY, a maintenance lock, or the exec cut before the answer
                if (e == null && r.stdout().contains(ActionScripts.BUSY)) {
                    // refused at the lock, before the state was read: the live slot is not known, and the entry says so
                    return ended(decided, id, f, bound, start, r, null, status).thenCompose(o -> refusedBeforeStart(req.action(),
                            req.args(), null, o.refusal() + "; " + LIVE_UNKNOWN).<Outcome>handle((v, err) -> {
                        throw new RolloutException(RolloutException.Kind.BUSY, err == null ? o.refusal()
                                : o.refusal() + "; " + AuditWriteException.unwritten(audit, err), o.holder().orElse(null));
                    }));
                }
                String why = e != null ? Errors.describe(e) : (r.stderr() + " " + r.stdout()).strip();
                String said = "the action did not start (nothing was run" + (e == null ? ", exit " + r.exitCode() : "") + ")"
                        + (why.isEmpty() ? "" : ": " + why);
                return failedBeforeStart(req.action(), req.args(), start, said + "; " + LIVE_UNKNOWN).<Outcome>handle((v, err) -> {
                    throw new IllegalStateException(err == null ? said : said + "; " + AuditWriteException.unwritten(audit, err));
                });
            }
            if (e == null && notGo.get() && !f.started) {
                // the server said it: it had stopped waiting (no answer within its time) when the go came, ran nothing and
                // left no trace of it — no question to ask it, and not "connection lost"
                return completeUnended(decided, id, f, start, new IllegalStateException("the action did not start: the server "
                        + "had stopped waiting for this console's go (it waits " + ActionScripts.ANSWER_SECONDS + " s with the lock "
                        + "held) when it came; nothing was run"));
            }
            return ended(decided, id, f, bound, start, r, e, status).exceptionallyCompose(x -> completeUnended(decided, id, f, start, x));
        }).thenCompose(x -> x);
    }

    /**
     * How an action's exec ended: BUSY (before anything ran), its exit read in the exec, or — the exec cut or ended early
     * with its audit entry started — asked of the server and followed again.
     */
    private CompletableFuture<Outcome> ended(Request req, String id, Follow f, JobBound bound, Instant start,
                                             RemoteShell.ExecResult r, Throwable e, Consumer<String> status) {
        if (e == null && !f.started && r.stdout().contains(ActionScripts.BUSY)) {
            Optional<MaintenanceLock> held = MaintenanceLock.in(r.stdout());
            if (held.isPresent()) { // refused before anything ran: the maintenance lock's holder, message and since when
                return CompletableFuture.completedFuture(f.outcome(id, End.BUSY, held.get().refusal(env.name()), start));
            }
            Busy b = busy(r.stdout());
            return holder(b.id()).thenApply(h -> f.outcome(id, End.BUSY, "another action is running on this host: "
                    + h.describe(java.time.ZoneId.of("UTC")) + b.held().map(x -> " — " + x).orElse("") + "; nothing was run", start)
                    .with(Optional.empty(), Optional.of(h)));
        }
        if (e == null && f.exit.get() != null) {
            Outcome o = f.outcome(id, start);
            return CompletableFuture.completedFuture(req.after().isEmpty() ? o : o.with(Optional.of(new RemoteShell.ExecResult(
                    r.exitCode(), f.after.toString(), f.afterErr.toString(), r.elapsed())), Optional.empty()));
        }
        if (!OPEN.containsKey(id)) { // the audit entry could not be written: nothing was sent
            return CompletableFuture.failedFuture(Errors.unwrap(e));
        }
        String why = e == null ? "the follow ended early" : Errors.describe(e);
        status.accept(f.started ? "running on the server, re-attaching… (" + why + ")"
                : "connection lost before the server confirmed the start (" + why + "); asking whether it started…");
        return startedOrNot(id, bound, start, 0, status).thenCompose(yes -> {
            f.started |= yes;
            if (!yes) {
                String said = e == null ? (r.stderr() + " " + r.stdout()).strip() : "";
                return CompletableFuture.failedFuture(new IllegalStateException("the action did not start"
                        + (e == null ? " (exit " + r.exitCode() + ")" + (said.isEmpty() ? "" : ": " + said) : ": " + Errors.describe(e))));
            }
            return followUntilDone(id, f, bound, start, null, 0, status).thenApply(x -> f.outcome(id, start));
        });
    }

    /** It did not start, or the server could not be asked: the started entry is completed all the same. */
    private CompletableFuture<Outcome> completeUnended(Request req, String id, Follow f, Instant start, Throwable e) {
        Open o = OPEN.get(id);
        if (o == null) {
            return CompletableFuture.failedFuture(e);
        }
        boolean notStarted = Errors.describe(e).startsWith("the action did not start");
        return complete(new AuditEntry(id, actor, env.name(), req.action(), req.args(), start, clock.instant(), null, f.sha(),
                notStarted ? AuditRows.FAILED : AuditRows.UNKNOWN, req.liveBefore(), null, Errors.describe(e)))
                .handle((v, x) -> {
                    throw new java.util.concurrent.CompletionException(Errors.unwrap(e));
                });
    }

    /** Follows an action started elsewhere (another console, or this one before a restart) to its end. Runs nothing. */
    public CompletableFuture<Outcome> attach(String id, RemoteShell.OutputListener out, Consumer<String> status) {
        return attach(id, JobBound.deploy(env), out, status);
    }

    /** {@link #attach(String, RemoteShell.OutputListener, Consumer)} of a job of a kind with this bound. */
    public CompletableFuture<Outcome> attach(String id, JobBound bound, RemoteShell.OutputListener out, Consumer<String> status) {
        ActionScripts.requireId(id);
        Follow f = new Follow(out);
        Instant start = clock.instant();
        return followUntilDone(id, f, bound, start, null, 0, status).thenCompose(x -> {
            Outcome o = f.outcome(id, start);
            // a job that ended while its console was away (or another console of this log): its started entry gets its end
            // now, read from the server by the same rules as reconcile — once, whoever else learns it at the same time
            return reconcile().handle((n, e) -> o);
        });
    }

    /** Appends the completion of an action this runner started (same id as its started entry). */
    public CompletableFuture<Void> complete(AuditEntry end) {
        return audit.append(end).whenComplete((v, e) -> OPEN.remove(end.actionId()));
    }

    /**
     * {@link #complete} for an action that ran: a completion that cannot be written never turns the action's outcome
     * into a failure. Completes with empty once written, else with the sentence to show beside the real outcome —
     * "succeeded on the server; the audit log FILE could not be written (No space left on device)" — its started
     * entry is in the log, and {@link #reconcile} completes it from the server's exit file at the next start.
     */
    public CompletableFuture<Optional<String>> completeAfterRun(AuditEntry end) {
        CompletableFuture<Void> f;
        try {
            f = complete(end);
        } catch (RuntimeException e) {
            OPEN.remove(end.actionId());
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((v, e) -> e == null ? Optional.<String>empty()
                : Optional.of(AuditWriteException.afterRun(outcome(end), audit, e)));
    }

    /** "succeeded on the server", "failed on the server (exit 2)", "refused on the server". */
    static String outcome(AuditEntry end) {
        return end.result() + " on the server" + (end.exitCode() != null && end.exitCode() != 0 ? " (exit " + end.exitCode() + ")" : "");
    }

    /** The audit log this runner writes (for its messages). */
    public AuditLog auditLog() {
        return audit;
    }

    /** The started entry, or a failure saying that nothing was run and which file could not be written. */
    private CompletableFuture<Void> appendStarted(AuditEntry started) {
        CompletableFuture<Void> f;
        try {
            f = audit.append(started);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.exceptionallyCompose(e -> CompletableFuture.failedFuture(AuditWriteException.nothingRun(audit, e)));
    }

    /**
     * A {@link End#BUSY} or {@link End#REFUSED} outcome: its entry completed as refused (the refusal its message), then a
     * {@link RolloutException} of {@code kind} with the refusal — naming the lock's holder ({@link Outcome#holder}) when
     * the server did — and, when the entry could not be written, which file.
     */
    public <T> CompletableFuture<T> refusedOnServer(Request req, Outcome o, RolloutException.Kind kind) {
        String why = o.refusal();
        return complete(completion(req, o, AuditRows.REFUSED, null, null, why)).handle((v, err) -> {
            throw new RolloutException(kind, err == null ? why : why + "; " + AuditWriteException.unwritten(audit, err),
                    o.holder().orElse(null));
        });
    }

    /** The completion entry of {@code o} with this result and message (start, args, liveBefore from the request). */
    public AuditEntry completion(Request req, Outcome o, String result, Integer exitCode, String liveAfter, String message) {
        // unknown because the job was followed to an end without an exit code: that end is the server's word, not a question
        // left open (else the next console would complete the entry again, as left open by a console that stopped)
        String m = AuditRows.UNKNOWN.equals(result) && o.end() == End.UNKNOWN && message != null
                && !message.startsWith(AuditRows.SERVER_SAYS) ? AuditRows.SERVER_SAYS + message : message;
        return new AuditEntry(o.id(), actor, env.name(), req.action(), req.args(), o.start(), clock.instant(), exitCode,
                o.outputSha256(), result, req.liveBefore(), liveAfter, m);
    }

    /**
     * Audits the start of a short action that does not need the detached job (e.g. a container
     * restart through the Docker API): a started entry now, {@link #complete} later with its id.
     */
    public CompletableFuture<AuditEntry> begin(String action, List<String> args, String liveBefore) {
        Instant now = clock.instant();
        AuditEntry started = new AuditEntry(newId(action, now), actor, env.name(), action, args, now, null, null, null,
                AuditRows.STARTED, liveBefore, null, "started");
        return appendStarted(started).thenApply(v -> {
            OPEN.put(started.actionId(), new Open(audit, started, () -> true));
            return started;
        });
    }

    /**
     * What an entry of an action refused or failed before its state was read inside the lock says of the live slot (the
     * entry's liveBefore is null, shown "?" by the Audit tab and {@code dutydesk audit}, null in its JSON): that it is not
     * known, not that it was none.
     */
    public static final String LIVE_UNKNOWN = "live slot unknown (not read)";

    /**
     * A failure before anything was run (the exec failed or ended before the server was told to go, or no plan could be
     * made): one {@link AuditRows#FAILED} entry, no id, from the attempt's {@code start} to now.
     */
    public CompletableFuture<Void> failedBeforeStart(String action, List<String> args, Instant start, String why) {
        return failedBeforeStart(action, args, start, null, why);
    }

    /** {@link #failedBeforeStart(String, List, Instant, String)}, with the live slot when the attempt read it. */
    public CompletableFuture<Void> failedBeforeStart(String action, List<String> args, Instant start, String liveBefore, String why) {
        try {
            return audit.append(new AuditEntry(null, actor, env.name(), action, args, start, clock.instant(), null, null,
                    AuditRows.FAILED, liveBefore, null, why));
        } catch (RuntimeException e) { // a log that refuses at once (closed) fails the entry as a write would
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The live slot a state read that did not end got before it was cut ({@link SlotsReader.Unanswered}), in {@code e}'s causes. */
    static Optional<String> liveRead(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SlotsReader.Unanswered u) {
                return u.liveSlot();
            }
        }
        return Optional.empty();
    }

    /** A refusal before anything was sent (blocked plan, bad input): one entry, no id. */
    public CompletableFuture<Void> refusedBeforeStart(String action, List<String> args, String liveBefore, String why) {
        Instant now = clock.instant();
        return audit.append(new AuditEntry(null, actor, env.name(), action, args, now, now, null, null, AuditRows.REFUSED,
                liveBefore, null, why));
    }

    /** The action holding the server lock right now, if any (its id checked against {@link ActionScripts#ID}). */
    public CompletableFuture<Optional<Running>> current() {
        return shell.exec(ActionScripts.current(env.deploy().stateDir()), Duration.ofSeconds(20), RemoteShell.OutputListener.NONE)
                .thenApply(r -> {
                    String out = r.stdout();
                    int i = out.indexOf(ActionScripts.BUSY);
                    if (i < 0) {
                        return Optional.<Running>empty();
                    }
                    Busy b = busy(out);
                    String meta = b.rest();
                    return Optional.of(new Running(ActionScripts.validId(b.id()).orElse(null), RolloutRules.printable(
                            meta + b.held().map(h -> (meta.isEmpty() ? "" : " — ") + h).orElse(""))));
                });
    }

    /**
     * Completes the audit entries of this environment left open by a console that stopped
     * (closed, killed): asks the server for each one's exit file ({@link OpenEntries}). Returns how many it completed.
     */
    public CompletableFuture<Reconciled> reconcile() {
        return new OpenEntries(env, shell, audit, clock).complete(OPEN::containsKey);
    }

    /**
     * The environments whose entries in the local log {@link #reconcile} would ask the server about (open, not followed by
     * this process): a read of the log only, so that a console connects for them only when there are some.
     */
    public static CompletableFuture<java.util.Set<String>> openEnvironments(AuditLog audit) {
        return audit.awaitingEnd().thenApply(all -> OpenEntries.open(all, OPEN::containsKey).stream()
                .map(AuditEntry::environment).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
    }

    // ---------------------------------------------------------------------------------------------

    private String meta(String id, Request req, Instant start) {
        var json = new StringBuilder("{\"id\":\"").append(id).append("\",\"action\":\"").append(req.action())
                .append("\",\"env\":\"").append(jsonText(env.name())).append("\",\"args\":\"")
                .append(jsonText(String.join(" ", req.args()))).append("\",\"actor\":\"").append(jsonText(actor))
                .append("\",\"start\":\"").append(start).append('"').append(ConsoleProcess.current().json()).append('}');
        return json.toString();
    }

    static String jsonText(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The lock's holder {@code otherId} with its job's meta (none when the server cannot say). */
    private CompletableFuture<Running> holder(String otherId) {
        Optional<String> id = ActionScripts.validId(otherId);
        if (id.isEmpty()) {
            return CompletableFuture.completedFuture(new Running(null, ""));
        }
        return shell.exec(ActionScripts.meta(env.deploy().stateDir(), id.get()), Duration.ofSeconds(10), RemoteShell.OutputListener.NONE)
                .thenApply(r -> new Running(id.get(), r.stdout().strip()))
                .exceptionally(e -> new Running(id.get(), ""));
    }

    private static long backoffMs(int attempt) {
        return Math.min(30_000, 500L << Math.min(attempt, 6));
    }

    private static <T> CompletableFuture<T> later(long ms, Supplier<CompletableFuture<T>> call) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS))
                .thenCompose(v -> call.get());
    }

    /**
     * Whether following must stop: a bounded job must have ended {@code margin} after its bound (and the kill's
     * grace) from {@code since}; an unbounded one is followed for as long as the server answers, and given up
     * only when it could not be reached for {@link #UNREACHABLE_GIVE_UP} ({@code failingSince}: since when).
     */
    private boolean givenUp(JobBound bound, Instant since, Instant failingSince, int margin) {
        Instant now = clock.instant();
        if (bound.limit().isPresent()) {
            return Duration.between(since, now).compareTo(ActionScripts.longestHold(bound.limit().get()).plusSeconds(margin)) > 0;
        }
        return failingSince != null && Duration.between(failingSince, now).compareTo(UNREACHABLE_GIVE_UP) > 0;
    }

    /** Whether the job started, asked again with backoff while the server cannot be reached. */
    private CompletableFuture<Boolean> startedOrNot(String id, JobBound bound, Instant since, int attempt, Consumer<String> status) {
        return shell.exec(ActionScripts.wasStarted(env.deploy().stateDir(), id), Duration.ofSeconds(30), RemoteShell.OutputListener.NONE)
                .thenApply(w -> w.stdout().contains(ActionScripts.STARTED + id))
                .handle((yes, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(yes);
                    }
                    if (givenUp(bound, since, since, 60)) {
                        return CompletableFuture.<Boolean>failedFuture(new IllegalStateException("could not reach the server to "
                                + "learn whether action " + id + " started: " + Errors.describe(e)));
                    }
                    long wait = backoffMs(attempt);
                    status.accept("cannot reach the server to learn whether it started; trying again (attempt " + (attempt + 1)
                            + ", next in " + wait / 1000 + " s): " + Errors.describe(e));
                    return later(wait, () -> startedOrNot(id, bound, since, attempt + 1, status));
                }).thenCompose(x -> x);
    }

    /**
     * Follows the log until the exit is known; on a drop, waits (backoff) and follows again from
     * the next unseen line — until the job must have ended (a bounded job: its bound, the 30 s kill grace
     * and a minute's margin after {@code since}; an unbounded one: the server unreachable for
     * {@link #UNREACHABLE_GIVE_UP}): then it fails, so the caller completes the audit entry (as unknown,
     * read from the server by {@link #reconcile} later) instead of retrying forever against a server that
     * is gone or a connection that was closed by an environment switch. A follow call that merely ran out
     * of time while the job still runs (an unbounded job's hour) is followed again at once.
     */
    private CompletableFuture<Void> followUntilDone(String id, Follow f, JobBound bound, Instant since, Instant failingSince,
                                                    int attempt, Consumer<String> status) {
        return shell.exec(ActionScripts.follow(env.deploy().stateDir(), id, f.seen.get() + 1), followCall(bound), f.listener())
                .handle((r, e) -> {
                    if (f.exit.get() != null) {
                        if (attempt > 0) {
                            status.accept("re-attached: following " + id);
                        }
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    boolean reached = e == null || Errors.unwrap(e) instanceof java.util.concurrent.TimeoutException;
                    Instant failing = reached ? null : failingSince == null ? clock.instant() : failingSince;
                    if (givenUp(bound, since, failing, 90)) {
                        return CompletableFuture.<Void>failedFuture(new IllegalStateException("lost action " + id
                                + ": could not follow it to its end " + (bound.limit().isPresent() ? "within its bound"
                                : "(the server unreachable for " + UNREACHABLE_GIVE_UP.toMinutes() + " min)")
                                + (e == null ? "" : " (" + Errors.describe(e) + ")")
                                + "; its end is read from the server on the next start"));
                    }
                    if (reached && e != null && bound.limit().isEmpty()) {
                        return followUntilDone(id, f, bound, since, null, 0, status); // still running: follow on
                    }
                    long wait = backoffMs(attempt);
                    status.accept("running on the server, re-attaching (attempt " + (attempt + 1) + ", next in " + wait / 1000
                            + " s)" + (e == null ? "" : ": " + Errors.describe(e)));
                    return later(wait, () -> followUntilDone(id, f, bound, since, failing, attempt + 1, status));
                }).thenCompose(x -> x);
    }

    /** The secret and a line break, as bytes (the caller zeroes them). */
    private static byte[] line(JobSecret s) {
        java.nio.ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(s.value()));
        byte[] out = new byte[b.remaining() + 1];
        b.get(out, 0, out.length - 1);
        out[out.length - 1] = '\n';
        if (b.hasArray()) {
            java.util.Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }

    /**
     * Output of one action: counted (to resume after a drop), digested, markers taken out.
     *
     * <p>Only the exec's stdout is the log file ({@code tail} of it; the job writes its own stdout and
     * stderr into it): {@link #seen} counts those lines and nothing else, so that a re-attach asks for
     * the log's next line number. What the follow's stderr carries (a login banner, a warning of
     * {@code tail} or of the server's shell) is passed on, but neither counted, digested nor read for
     * markers: counting it skipped as many log lines after a reconnect (a lost {@code @@SAFETY}
     * line made a good restore look failed).
     */
    private static final class Follow {
        final RemoteShell.OutputListener out;
        final MessageDigest digest = sha256();
        final AtomicInteger seen = new AtomicInteger();
        final AtomicReference<String> exit = new AtomicReference<>();
        final AtomicReference<String> lastLine = new AtomicReference<>("");
        final AtomicReference<String> refusal = new AtomicReference<>();
        final StringBuilder after = new StringBuilder();
        final StringBuilder afterErr = new StringBuilder();
        volatile boolean started;

        Follow(RemoteShell.OutputListener out) {
            this.out = out;
        }

        RemoteShell.OutputListener listener() {
            return (stderr, line) -> {
                if (exit.get() != null) { // the request's after script, run once the exit is known: not the job's output
                    synchronized (after) {
                        (stderr ? afterErr : after).append(line).append('\n');
                    }
                    return;
                }
                if (stderr) { // not a line of the log file: shown, never counted (see the class comment)
                    out.line(true, line);
                    return;
                }
                if (line.startsWith(ActionScripts.STARTED)) {
                    started = true;
                    return;
                }
                if (line.startsWith(ActionScripts.EXIT)) {
                    exit.set(line.substring(ActionScripts.EXIT.length()).strip());
                    return;
                }
                if (line.startsWith(ActionScripts.BUSY) || line.startsWith(ActionScripts.MAINTENANCE)) {
                    return; // the refusal's protocol: read from the exec's answer and said in words, never shown raw
                }
                seen.incrementAndGet(); // the log file's line number: a re-attach follows from the next one
                Optional<String> why = ActionScripts.refusal(line);
                if (why.isPresent()) {
                    refusal.set(RolloutRules.printable(why.get()));
                    out.line(stderr, "✖ " + refusal.get());
                    return;
                }
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

        Outcome outcome(String id, End end, String why, Instant start) {
            return new Outcome(id, end, -1, why, lastLine.get(), sha(), start, seen.get());
        }

        Outcome outcome(String id, Instant start) {
            String x = exit.get();
            if (ActionScripts.EXIT_REFUSED.equals(x)) {
                return new Outcome(id, End.REFUSED, -1, refusal.get() == null ? "refused on the server; nothing was run"
                        : refusal.get(), lastLine.get(), sha(), start, seen.get());
            }
            Integer code = parse(x);
            return code == null ? new Outcome(id, End.UNKNOWN, -1, null, lastLine.get(), sha(), start, seen.get())
                    : new Outcome(id, End.EXITED, code, null, lastLine.get(), sha(), start, seen.get());
        }
    }

    static Integer parse(String s) {
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Open actions of this JVM; for tests and the window's close. */
    public static List<String> openActions() {
        return List.copyOf(OPEN.keySet());
    }

    /** Whether this console follows action {@code id} right now (for {@code AuditRows.fold}). */
    public static boolean isOpen(String id) {
        return OPEN.containsKey(id);
    }

    /**
     * Completes every open action of this JVM as interrupted (the console stops following; the
     * action itself goes on on the server). Called by the shutdown hook; waits at most {@code max}.
     */
    public static void interruptAll(Clock clock, Duration max) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (var it = OPEN.entrySet().iterator(); it.hasNext(); ) {
            Open o = it.next().getValue();
            it.remove();
            AuditEntry s = o.started();
            writes.add(o.audit().append(new AuditEntry(s.actionId(), s.actor(), s.environment(), s.action(), s.args(), s.start(),
                    clock.instant(), null, null, AuditRows.INTERRUPTED, s.liveBefore(), null, o.confirmed().getAsBoolean()
                    ? "the console stopped following (closed or killed) while the action ran on the server; its end is read "
                            + "from the server on the next start"
                    : "the console stopped (closed or killed) before the server confirmed the start; whether it started is read "
                            + "from the server on the next start")));
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // best effort at shutdown: what was not written is completed by reconcile() later
        }
    }

    private static void installHook() {
        if (HOOK.get() != null) {
            return;
        }
        Thread t = new Thread(() -> interruptAll(Clock.systemUTC(), Duration.ofSeconds(3)), "dutydesk-audit-interrupted");
        if (HOOK.compareAndSet(null, t)) {
            try {
                Runtime.getRuntime().addShutdownHook(t);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }
}
