package io.dutydesk.core.rollout;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The audit entries of an environment that a console left open — closed, killed (SIGKILL), or cut off from the server
 * before it knew the end — completed from what the server's job folder says of each ({@link ActionScripts#states}),
 * once, whoever else completes them at the same time ({@link AuditLog#appendIfAwaited}).
 *
 * <p>A detached job whose request left no trace at all in the job folder (its started entry says only that it was
 * requested: {@link DetachedActions#REQUESTED}) never started: the folder is marked so under the action lock
 * ({@link ActionScripts#EXIT_NEVER}; a start still on its way finds the mark and runs nothing) and the entry completed
 * as not run. Without that certainty — the folder missing or not writable, the lock held, no flock — or for an entry
 * that was never a server-side job (a container restart), "no trace" stays unknown.
 */
final class OpenEntries {
    private final Environment env;
    private final RemoteShell shell;
    private final AuditLog audit;
    private final Clock clock;

    OpenEntries(Environment env, RemoteShell shell, AuditLog audit, Clock clock) {
        this.env = env;
        this.shell = shell;
        this.audit = audit;
        this.clock = clock;
    }

    /** Completes what is open and not {@code followedHere} (this console follows it); how many it completed, of which kind. */
    CompletableFuture<Reconciled> complete(Predicate<String> followedHere) {
        return audit.awaitingEnd().thenCompose(all -> {
            Map<String, AuditEntry> first = new LinkedHashMap<>();
            for (AuditEntry e : all) {
                if (e.actionId() != null && env.name().equals(e.environment())) {
                    first.putIfAbsent(e.actionId(), e);
                }
            }
            List<AuditEntry> open = open(all, followedHere).stream()
                    .filter(e -> env.name().equals(e.environment()))
                    .limit(50).toList();
            if (open.isEmpty()) {
                return CompletableFuture.completedFuture(Reconciled.NONE);
            }
            List<String> ids = open.stream().map(AuditEntry::actionId).toList();
            List<String> withLog = ids.stream().filter(i -> io.dutydesk.core.backups.BackupsService.backupAction(i).isPresent()).toList();
            List<String> requested = ids.stream().filter(i -> DetachedActions.requested(first.get(i))).toList();
            return shell.exec(ActionScripts.states(env.deploy().stateDir(), ids, withLog, requested),
                    Duration.ofSeconds(30), RemoteShell.OutputListener.NONE).thenCompose(r -> {
                Map<String, String> state = new LinkedHashMap<>();
                Map<String, List<String>> logs = new LinkedHashMap<>();
                for (String line : r.stdout().split("\n")) {
                    if (line.startsWith(ActionScripts.LOG)) {
                        String[] w = line.substring(ActionScripts.LOG.length()).split(" ", 2);
                        logs.computeIfAbsent(w[0], k -> new ArrayList<>()).add(w.length > 1 ? w[1] : "");
                    } else if (line.startsWith(ActionScripts.STATE)) {
                        String[] w = line.substring(ActionScripts.STATE.length()).strip().split(" ", 2);
                        if (w.length == 2) {
                            state.put(w[0], w[1]);
                        }
                    }
                }
                List<CompletableFuture<Boolean>> writes = new ArrayList<>();
                List<Integer> kinds = new ArrayList<>(); // 0 from an exit file, 1 never started, 2 unknown
                for (AuditEntry e : open) {
                    String st = state.getOrDefault(e.actionId(), "");
                    AuditEntry done = reconciled(e, st, logs.get(e.actionId()), requested.contains(e.actionId()));
                    if (done != null) {
                        writes.add(audit.appendIfAwaited(done)); // another console reconciling at once: completed once
                        kinds.add(st.equals("exit " + ActionScripts.EXIT_NEVER) ? 1 : AuditRows.UNKNOWN.equals(done.result()) ? 2 : 0);
                    }
                }
                return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(v -> {
                    int[] n = new int[3];
                    for (int i = 0; i < writes.size(); i++) {
                        n[kinds.get(i)] += writes.get(i).join() ? 1 : 0;
                    }
                    return new Reconciled(n[0], n[1], n[2]);
                });
            });
        });
    }

    /**
     * Of {@code all} (oldest first), the newest entry of each action — of every environment — that awaits its end, is a job
     * of the server (a valid id) and is not {@code followedHere}: what {@link #complete} asks the server about.
     */
    static List<AuditEntry> open(List<AuditEntry> all, Predicate<String> followedHere) {
        return AuditRows.newestAwaitingEnd(all).stream()
                .filter(e -> !followedHere.test(e.actionId()))
                .filter(e -> ActionScripts.validId(e.actionId()).isPresent())
                .toList();
    }

    private AuditEntry reconciled(AuditEntry e, String state, List<String> log, boolean requested) {
        String why = " (read from the server after the console that started it stopped following"
                + (AuditRows.INTERRUPTED.equals(e.result()) ? ": interrupted" : "") + "; not verified by a console)";
        Instant now = clock.instant();
        if (state.equals("exit " + ActionScripts.EXIT_NEVER)) {
            return with(e, now, null, AuditRows.REFUSED, AuditRows.SERVER_SAYS + "it never started: its request left no trace in the "
                    + "server's job folder, which now marks it as never started (a late start runs nothing); nothing was run");
        }
        if (log != null && (state.startsWith("exit ") || state.equals("gone"))
                && !state.equals("exit " + ActionScripts.EXIT_REFUSED)) {
            // a backup job: its exit file and its markers judged by the same rules as a live follow
            Integer c = state.equals("gone") ? null : DetachedActions.parse(state.substring(5));
            var judged = io.dutydesk.core.backups.BackupsService.judge(env, e.actionId(),
                    c == null ? DetachedActions.End.UNKNOWN : DetachedActions.End.EXITED, c == null ? -1 : c, log);
            if (judged.isPresent()) {
                String result = judged.get()[0].equals("succeeded") ? AuditRows.ENDED : judged.get()[0];
                return with(e, now, c, result, AuditRows.SERVER_SAYS + judged.get()[1] + why);
            }
        }
        if (state.startsWith("exit ")) {
            String code = state.substring(5).strip();
            if (code.equals(ActionScripts.EXIT_REFUSED)) {
                return with(e, now, null, AuditRows.REFUSED, AuditRows.SERVER_SAYS + "refused inside the lock: the server's state "
                        + "had changed since the plan; nothing was run" + why);
            }
            Integer c = DetachedActions.parse(code);
            return with(e, now, c, c != null && c == 0 ? AuditRows.ENDED : AuditRows.FAILED,
                    AuditRows.SERVER_SAYS + "exited " + code + why);
        }
        if (state.equals("gone")) {
            return with(e, now, null, AuditRows.UNKNOWN, AuditRows.SERVER_SAYS
                    + "the job ended without an exit code (killed on the server?)" + why);
        }
        if (state.equals("unknown") && !AuditRows.UNKNOWN.equals(e.result())) {
            return with(e, now, null, AuditRows.UNKNOWN, AuditRows.SERVER_SAYS + (requested
                    ? "no trace of its request in the server's job folder, but whether it may still start could not be settled "
                    + "(the job folder missing or not writable, the action lock held, or no flock)"
                    : "no trace of it on the server (it did not start, or it was not a server-side job)") + why);
        }
        return null; // running, or the server did not answer for it: left open
    }

    private static AuditEntry with(AuditEntry e, Instant end, Integer exit, String result, String message) {
        return new AuditEntry(e.actionId(), e.actor(), e.environment(), e.action(), e.args(), e.start(), end, exit,
                e.outputSha256(), result, e.liveBefore(), e.liveAfter(), message);
    }
}
