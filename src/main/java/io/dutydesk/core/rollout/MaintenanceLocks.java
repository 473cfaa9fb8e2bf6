package io.dutydesk.core.rollout;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.audit.AuditWriteException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The maintenance lock of an environment, for the window and the CLI alike: read, take ({@code lock --message}),
 * release ({@code unlock}). It is the server's action lock ({@link ActionScripts#maintenanceLock}): taken only while no
 * action runs, and while held every start of every console is refused inside the lock, before anything runs, with
 * its holder, message and since when. Taking and releasing it are audited (refused ones too); releasing someone
 * else's lock needs {@code confirmedOthers} (the user typed the environment's name).
 */
public final class MaintenanceLocks {
    private static final Duration CALL = Duration.ofSeconds(30);

    private final Environment env;
    private final RemoteShell shell;
    private final DetachedActions runner;
    private final String actor;
    private final Clock clock;

    public MaintenanceLocks(Environment env, RemoteShell shell, DetachedActions runner, String actor, Clock clock) {
        this.env = env;
        this.shell = shell;
        this.runner = runner;
        this.actor = actor;
        this.clock = clock;
    }

    public String actor() {
        return actor;
    }

    /** The maintenance lock held on the server, or empty. */
    public CompletableFuture<Optional<MaintenanceLock>> read() {
        // over the connection's kept SFTP channel: no session on the server (a poll reads it every few seconds); a server
        // without SFTP, or an answer that is not "no such file", is asked by the shell
        String file = env.deploy().stateDir() + "/maintenance";
        CompletableFuture<byte[]> bytes;
        try {
            bytes = shell.readFile(file, 64 * 1024);
        } catch (RuntimeException unsupported) {
            return readByShell();
        }
        return bytes.handle((b, e) -> {
            if (e == null) {
                String[] lines = new String(b, java.nio.charset.StandardCharsets.UTF_8).split("\n", 3);
                if (lines.length >= 2) {
                    return CompletableFuture.completedFuture(MaintenanceLock.in(ActionScripts.BUSY + lines[0] + "\n"
                            + ActionScripts.MAINTENANCE + lines[1] + "\n"));
                }
                return readByShell(); // being written (the rename makes it whole): the shell's read is the judge
            }
            if (io.dutydesk.core.MisconfiguredException.pathNotThere(io.dutydesk.core.Errors.unwrap(e))
                    && io.dutydesk.core.Errors.unwrap(e) instanceof java.nio.file.NoSuchFileException) {
                return CompletableFuture.completedFuture(Optional.<MaintenanceLock>empty());
            }
            return readByShell();
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Optional<MaintenanceLock>> readByShell() {
        return shell.exec(ActionScripts.maintenanceRead(env.deploy().stateDir()), CALL, RemoteShell.OutputListener.NONE)
                .thenApply(r -> {
                    if (r.stdout().contains(ActionScripts.NOT_LOCKED)) {
                        return Optional.<MaintenanceLock>empty();
                    }
                    Optional<MaintenanceLock> l = MaintenanceLock.in(r.stdout());
                    if (l.isEmpty()) {
                        throw new IllegalStateException("could not read the maintenance lock: " + RolloutRules.printable(
                                (r.stdout() + " " + r.stderr()).strip()));
                    }
                    return l;
                });
    }

    /** The refusal of an action the console itself refuses while the lock is held (one that does not take the server lock). */
    public CompletableFuture<Optional<String>> refusalIfLocked() {
        return read().thenApply(l -> l.map(x -> x.refusal(env.name())));
    }

    /**
     * Takes the lock with {@code message}. Refused (audited, nothing written on the server) when the message is not one
     * line of printable text, while an action runs or a maintenance lock is already held.
     */
    public CompletableFuture<MaintenanceLock> lock(String message) {
        Optional<String> bad = MaintenanceLock.messageProblem(message);
        if (bad.isPresent()) {
            return refused("lock", List.of(message == null ? "" : RolloutRules.printable(message)), RolloutException.Kind.INVALID_INPUT,
                    "refused: " + bad.get() + "; nothing was run");
        }
        return runner.begin("lock", List.of(message), null).thenCompose(started -> {
            Instant at = started.start();
            String meta = MaintenanceLock.meta(started.actionId(), env.name(), actor, message, at);
            return shell.exec(ActionScripts.maintenanceLock(env.deploy().stateDir(), started.actionId(), meta), CALL,
                    RemoteShell.OutputListener.NONE).handle((r, e) -> {
                if (e == null && r.stdout().contains(ActionScripts.LOCKED + started.actionId())) {
                    MaintenanceLock l = new MaintenanceLock(started.actionId(), actor, message, at);
                    return finish(started, AuditRows.SUCCEEDED, 0, "locked for maintenance: " + message).thenApply(v -> l);
                }
                if (e == null && r.stdout().contains(ActionScripts.BUSY)) {
                    Optional<MaintenanceLock> other = MaintenanceLock.in(r.stdout());
                    String why = other.map(o -> "refused: " + env.name() + " is already " + o.describe(java.time.ZoneId.of("UTC"))
                                    + " (lock " + o.id() + "); nothing was changed")
                            .orElse("refused: an action is running on " + env.name() + " ("
                                    + RolloutRules.printable(DetachedActions.busy(r.stdout()).id()) + "); lock once it has ended");
                    return finish(started, AuditRows.REFUSED, null, why).<MaintenanceLock>thenApply(v -> {
                        throw new RolloutException(RolloutException.Kind.BUSY, why);
                    });
                }
                String why = e != null ? "could not lock: " + Errors.describe(e)
                        : "could not lock (exit " + r.exitCode() + "): " + RolloutRules.printable((r.stdout() + " " + r.stderr()).strip());
                return finish(started, e != null ? AuditRows.UNKNOWN : AuditRows.FAILED, e != null ? null : r.exitCode(), why)
                        .<MaintenanceLock>thenApply(v -> {
                            throw new IllegalStateException(why);
                        });
            }).thenCompose(x -> x);
        });
    }

    /**
     * Releases {@code expected} — the lock the user saw and confirmed. Someone else's lock only with {@code confirmedOthers}
     * (else refused before anything runs). Refused on the server (nothing removed) when the lock held now is another.
     */
    public CompletableFuture<Void> unlock(MaintenanceLock expected, boolean confirmedOthers) {
        List<String> args = List.of(expected.id());
        if (!expected.heldBy(actor) && !confirmedOthers) {
            return refused("unlock", args, RolloutException.Kind.BLOCKED, "refused: the maintenance lock is " + expected.actor()
                    + "'s, not yours (" + actor + "): releasing it needs an explicit confirmation (type the environment's name); "
                    + "nothing was run");
        }
        return runner.begin("unlock", args, null).thenCompose(started -> {
            String meta = "{\"id\":\"" + started.actionId() + "\",\"action\":\"unlock\",\"env\":\"" + DetachedActions.jsonText(env.name())
                    + "\",\"args\":\"" + expected.id() + "\",\"actor\":\"" + DetachedActions.jsonText(actor) + "\",\"start\":\""
                    + started.start() + "\"}";
            return shell.exec(ActionScripts.maintenanceUnlock(env.deploy().stateDir(), expected.id(), started.actionId(), meta), CALL,
                    RemoteShell.OutputListener.NONE).handle((r, e) -> {
                String whose = expected.heldBy(actor) ? "" : " (" + expected.actor() + "'s lock, released by " + actor
                        + " after typing the environment's name)";
                if (e == null && r.stdout().contains(ActionScripts.UNLOCKED + expected.id())) {
                    return finish(started, AuditRows.SUCCEEDED, 0, "released the maintenance lock " + expected.id()
                            + " (\"" + expected.message() + "\")" + whose);
                }
                if (e == null && (r.stdout().contains(ActionScripts.NOT_LOCKED) || r.stdout().contains(ActionScripts.CHANGED)
                        || r.stdout().contains(ActionScripts.BUSY))) {
                    Optional<MaintenanceLock> now = MaintenanceLock.in(r.stdout());
                    String why = r.stdout().contains(ActionScripts.NOT_LOCKED) ? "refused: " + env.name() + " is no longer locked; nothing was changed"
                            : now.map(n -> RolloutRules.refusal("the maintenance lock is now " + n.id() + ", " + n.describe(java.time.ZoneId.of("UTC"))))
                            .orElse("refused: an action is running on " + env.name() + "; nothing was changed");
                    return finish(started, AuditRows.REFUSED, null, why).<Void>thenApply(v -> {
                        throw new RolloutException(RolloutException.Kind.STALE, why);
                    });
                }
                String why = e != null ? "could not unlock: " + Errors.describe(e)
                        : "could not unlock (exit " + r.exitCode() + "): " + RolloutRules.printable((r.stdout() + " " + r.stderr()).strip());
                return finish(started, e != null ? AuditRows.UNKNOWN : AuditRows.FAILED, e != null ? null : r.exitCode(), why)
                        .<Void>thenApply(v -> {
                            throw new IllegalStateException(why);
                        });
            }).thenCompose(x -> x);
        });
    }

    private CompletableFuture<Void> finish(AuditEntry started, String result, Integer exit, String message) {
        return runner.complete(new AuditEntry(started.actionId(), actor, env.name(), started.action(), started.args(), started.start(),
                clock.instant(), exit, null, result, null, null, message)).handle((v, err) -> {
            if (err != null) {
                throw new CompletionException(AuditWriteException.ran(message, AuditRows.SUCCEEDED.equals(result), runner.auditLog(), err));
            }
            return null;
        });
    }

    private <T> CompletableFuture<T> refused(String action, List<String> args, RolloutException.Kind kind, String why) {
        return runner.refusedBeforeStart(action, args, null, why).handle((v, err) -> {
            throw new RolloutException(kind, err == null ? why : why + "; " + AuditWriteException.unwritten(runner.auditLog(), err));
        });
    }
}
