package io.dutydesk.core.backups;

import io.dutydesk.core.Errors;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.RolloutException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Backup jobs on the server through the rollout's detached runner ({@link ActionScripts}): the same
 * server-side lock and state folder as deploy/switch/rollback, so a restore and a rollout never run
 * together; setsid + nohup so a dropped connection does not stop it; re-attached from the first unseen
 * line after a drop, never started twice.
 */
final class ServerJobs {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a finished job printed (markers included, for the caller to parse). */
    record Run(String id, int exitCode, List<String> lines, String lastLine, String outputSha256) {}

    /** A job (or a rollout) holding the lock. */
    public record Running(String id, String meta) {}

    private final Environment env;
    private final RemoteShell shell;
    private final Clock clock;

    ServerJobs(Environment env, RemoteShell shell, Clock clock) {
        this.env = env;
        this.shell = shell;
        this.clock = clock;
    }

    CompletableFuture<Run> run(String action, List<String> args, String command, RemoteShell.OutputListener out) {
        Instant start = clock.instant();
        String id = ID_TIME.format(start) + "-" + action + "-" + HexFormat.of().toHexDigits((short) RANDOM.nextInt());
        String meta = "{\"id\":\"" + id + "\",\"action\":\"" + action + "\",\"args\":\"" + String.join(" ", args).replace("\"", "")
                + "\",\"start\":\"" + start + "\"}";
        String state = env.deploy().stateDir();
        String script = ActionScripts.start(state, id, env.deploy().workdir(), command, meta) + " && " + ActionScripts.follow(state, id, 1);
        Output o = new Output(out);
        Duration timeout = env.deploy().actionTimeout();
        Instant deadline = start.plus(timeout);
        return shell.exec(script, timeout, o).handle((r, e) -> {
            if (e == null && !o.started && r.stdout().contains(ActionScripts.BUSY)) {
                String other = r.stdout().substring(r.stdout().indexOf(ActionScripts.BUSY) + ActionScripts.BUSY.length()).strip();
                return shell.exec(ActionScripts.meta(state, other), Duration.ofSeconds(10), RemoteShell.OutputListener.NONE)
                        .handle((m, x) -> m == null || m.stdout().isBlank() ? other : m.stdout().strip())
                        .thenCompose(d -> CompletableFuture.<Run>failedFuture(new RolloutException(RolloutException.Kind.BUSY,
                                "another action is running on this host: " + d)));
            }
            if (e == null && o.exit.get() != null) {
                return CompletableFuture.completedFuture(o.run(id));
            }
            // the connection dropped: did it start? then follow it again from the first unseen line
            return later(0, () -> shell.exec(ActionScripts.wasStarted(state, id), Duration.ofSeconds(30), RemoteShell.OutputListener.NONE))
                    .exceptionallyCompose(x -> later(1000, () -> shell.exec(ActionScripts.wasStarted(state, id), Duration.ofSeconds(30),
                            RemoteShell.OutputListener.NONE)))
                    .thenCompose(w -> {
                        if (!w.stdout().contains(ActionScripts.STARTED + id)) {
                            throw new IllegalStateException("the " + action + " did not start"
                                    + (e == null ? " (exit " + r.exitCode() + "): " + r.stderr().strip() : ": " + Errors.describe(e)));
                        }
                        return follow(id, o, deadline, 0).thenApply(v -> o.run(id));
                    });
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Void> follow(String id, Output o, Instant deadline, int attempt) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative()) {
            return CompletableFuture.failedFuture(new IllegalStateException("job " + id + " did not finish within "
                    + env.deploy().actionTimeout().toSeconds() + " s; it may still be running on the server"));
        }
        return shell.exec(ActionScripts.follow(env.deploy().stateDir(), id, o.seen.get() + 1), left, o).handle((r, e) -> {
            if (e == null && o.exit.get() != null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            return later(Math.min(5000, 250L << Math.min(attempt, 4)), () -> follow(id, o, deadline, attempt + 1));
        }).thenCompose(f -> f);
    }

    /** Follows a job someone else started (e.g. this console before it lost the connection) to its end. Runs nothing. */
    CompletableFuture<Run> attach(String id, RemoteShell.OutputListener out) {
        Output o = new Output(out);
        return follow(id, o, clock.instant().plus(env.deploy().actionTimeout()), 0).thenApply(v -> o.run(id));
    }

    CompletableFuture<Optional<Running>> current() {
        return shell.exec(ActionScripts.current(env.deploy().stateDir()), Duration.ofSeconds(20), RemoteShell.OutputListener.NONE)
                .thenApply(r -> {
                    String s = r.stdout();
                    int i = s.indexOf(ActionScripts.BUSY);
                    if (i < 0) {
                        return Optional.empty();
                    }
                    String rest = s.substring(i + ActionScripts.BUSY.length());
                    int nl = rest.indexOf('\n');
                    return Optional.of(new Running((nl < 0 ? rest : rest.substring(0, nl)).strip(),
                            nl < 0 ? "" : rest.substring(nl + 1).strip()));
                });
    }

    private static <T> CompletableFuture<T> later(long ms, java.util.function.Supplier<CompletableFuture<T>> call) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS))
                .thenCompose(v -> call.get());
    }

    /** The job's output: counted (to resume after a drop), digested, kept for the markers; markers of the runner taken out. */
    private static final class Output implements RemoteShell.OutputListener {
        final RemoteShell.OutputListener out;
        final AtomicInteger seen = new AtomicInteger();
        final AtomicReference<String> exit = new AtomicReference<>();
        final AtomicReference<String> last = new AtomicReference<>("");
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final MessageDigest digest;
        volatile boolean started;

        Output(RemoteShell.OutputListener out) {
            this.out = out;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void line(boolean stderr, String line) {
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
            lines.add(line);
            synchronized (digest) {
                digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (line.startsWith("@@")) {
                return; // our own markers: parsed, not shown
            }
            String l = line.strip();
            if (!l.isEmpty() && (!last.get().startsWith("❌") && !last.get().contains("ERROR") || l.startsWith("❌") || l.contains("ERROR"))) {
                last.set(l); // the last error wins over later chatter (a trap's cleanup line)
            }
            out.line(stderr, line);
        }

        Run run(String id) {
            int code;
            try {
                code = Integer.parseInt(exit.get());
            } catch (RuntimeException e) {
                code = -1;
            }
            String sha;
            synchronized (digest) {
                sha = HexFormat.of().formatHex(digest.digest());
            }
            return new Run(id, code, List.copyOf(lines), last.get(), sha);
        }
    }
}
