package io.dutydesk.core.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Commands and files on the server, over the environment's SSH connection. */
public interface RemoteShell {

    /** Receives output as it arrives, line by line, on the adapter's thread. */
    interface OutputListener {
        OutputListener NONE = (stderr, line) -> { };

        void line(boolean stderr, String line);
    }

    record ExecResult(int exitCode, String stdout, String stderr, Duration elapsed) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    record RemoteFile(String name, long size, Instant modified, boolean directory) {}

    /**
     * Runs {@code command} (already quoted: see {@link io.dutydesk.core.ShellQuote}) and
     * completes with its exit code and output; fails if it runs longer than {@code timeout}.
     */
    CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener);

    /**
     * The same with {@code stdin} sent to the command (then end of input): how a secret reaches a server-side
     * job without being written to a file or put on a command line. The caller zeroes {@code stdin} when the
     * future completes. Only an implementation that can send input overrides this; the default refuses any.
     */
    default CompletableFuture<ExecResult> exec(String command, byte[] stdin, Duration timeout, OutputListener listener) {
        if (stdin == null || stdin.length == 0) {
            return exec(command, timeout, listener);
        }
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this shell cannot send input to a command"));
    }

    /**
     * Answers one line of a command's standard output: the line to send on its input (then end of input), or empty to
     * wait for the next. Called on the adapter's thread, in order, until it answers once; a throw sends end of input.
     */
    interface Answerer {
        Optional<String> answer(String stdoutLine);
    }

    /**
     * {@link #exec(String, Duration, OutputListener)} whose input stays open until {@code answerer} answers a line of its
     * output (then that line and end of input are sent): a server script that reads state under a lock and waits for the
     * console's word before it goes on. The exec's end or failure without an answer closes the input (the script reads
     * end of input). Only an implementation that can send input overrides this; the default refuses.
     */
    default CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener, Answerer answerer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this shell cannot answer a command"));
    }

    /**
     * Starts connecting now, in the background, if not connected: a caller whose first command is still being prepared
     * (the CLI: its plan's script, the local audit read) overlaps the handshake with that work. A failure is not thrown
     * here: the first command fails with it (or connects again). The default does nothing.
     */
    default void connectAhead() {
    }

    /** Reads a server file over SFTP, at most {@code maxBytes}. */
    CompletableFuture<byte[]> readFile(String path, long maxBytes);

    /** Lists a server folder over SFTP (no "." and ".."). */
    CompletableFuture<List<RemoteFile>> list(String folder);

    /** Bytes copied so far out of the total; return false to stop the copy. */
    interface Progress {
        Progress NONE = (done, total) -> true;

        boolean update(long done, long total);
    }

    /**
     * Copies a server file over SFTP into {@code local}, resuming after the bytes {@code local} already
     * holds (a partial copy), and completes with the file's size. No overall timeout: a stalled server
     * fails the copy through the session's read timeout; {@code progress} may stop it.
     */
    default CompletableFuture<Long> download(String path, java.nio.file.Path local, Progress progress) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("download is not supported here"));
    }
}
