package io.dutydesk.testing;

import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ActionScripts;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server whose backup folder lists {@link #files} and whose detached jobs (the runner's start + follow) print
 * {@link #jobLines} and exit {@link #jobExit}; every command sent is kept in {@link #commands}.
 */
public final class ScriptedJobShell implements RemoteShell {
    public final List<String> commands = new CopyOnWriteArrayList<>();
    public volatile List<RemoteFile> files = List.of(new RemoteFile("selfology_full_20261122_020000.sql.gz", 500,
            Instant.parse("2026-11-22T02:00:04Z"), false));
    public volatile List<String> jobLines = List.of("Backup written.");
    public volatile String jobExit = "0";
    /** The backup a job that exits 0 writes into the folder (the next listing has it); null: none. */
    public volatile RemoteFile produces = new RemoteFile("selfology_full_20261122_120000.sql.gz", 600,
            Instant.parse("2026-11-22T12:00:04Z"), false);

    @Override
    public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
        return exec(command, null, timeout, l);
    }

    @Override
    public CompletableFuture<ExecResult> exec(String command, byte[] stdin, Duration timeout, OutputListener l) {
        commands.add(command);
        if (command.contains("flock -n 9") && command.contains("setsid")) {
            String id = command.substring(command.indexOf(ActionScripts.STARTED) + ActionScripts.STARTED.length()).split("\"")[0];
            l.line(false, ActionScripts.STARTED + id);
            jobLines.forEach(x -> l.line(false, x));
            l.line(false, ActionScripts.EXIT + jobExit);
            if ("0".equals(jobExit) && produces != null) {
                List<RemoteFile> more = new java.util.ArrayList<>(files);
                more.add(produces);
                files = List.copyOf(more);
            }
            return done("");
        }
        return done("@@FREE 0 1073741824\n");
    }

    /** Whether a job was started (the runner's start script was sent). */
    public boolean started() {
        return commands.stream().anyMatch(c -> c.contains("setsid"));
    }

    private static CompletableFuture<ExecResult> done(String out) {
        return CompletableFuture.completedFuture(new ExecResult(0, out, "", Duration.ofMillis(1)));
    }

    @Override
    public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
        return CompletableFuture.failedFuture(new IOException("unused"));
    }

    @Override
    public CompletableFuture<List<RemoteFile>> list(String folder) {
        return CompletableFuture.completedFuture(files);
    }
}
