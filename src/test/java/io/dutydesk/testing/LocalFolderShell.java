package io.dutydesk.testing;

import io.dutydesk.core.ports.RemoteShell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A "server" that is this machine: commands run in a real {@code sh}, folders are real local folders
 * (absolute paths), downloads copy real files. For unit tests of what the console sends and how it
 * reads the answers, without the reference host. {@link #unreachable} makes a folder's listing fail
 * as SFTP would for a folder the user may not read.
 */
public final class LocalFolderShell implements RemoteShell {
    /** Every command sent, in order. */
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** Folders whose listing fails ("permission denied"), as the SSH adapter says for a folder the user may not read. */
    public final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    /** What {@link #list} returns instead of reading a folder, by folder (a server that lists odd names). */
    public final java.util.Map<String, List<RemoteFile>> listed = new ConcurrentHashMap<>();

    /** Files whose read fails ("permission denied"), as SFTP says for a file the user may not read. */
    public final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    /** Every file read ({@link #readFile}), in order. */
    public final List<String> reads = new CopyOnWriteArrayList<>();

    /** False: commands are recorded and fail without running (a test of what must never run). */
    public volatile boolean execute = true;

    @Override
    public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
        commands.add(command);
        if (!execute) {
            return CompletableFuture.failedFuture(new IOException("not run in this test"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Process p = new ProcessBuilder("sh", "-c", command).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + command);
                }
                for (String l : out.split("\n")) {
                    if (!l.isEmpty()) {
                        listener.line(false, l);
                    }
                }
                return new ExecResult(p.exitValue(), out, err, Duration.ZERO);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** As the SSH adapter: the command's input open until {@code answerer} answers a line of its output (then end of input). */
    @Override
    public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener, Answerer answerer) {
        commands.add(command);
        if (!execute) {
            return CompletableFuture.failedFuture(new IOException("not run in this test"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                Process p = new ProcessBuilder("sh", "-c", command).start();
                OutputStream in = p.getOutputStream();
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                StringBuilder out = new StringBuilder();
                boolean answered = false;
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        out.append(l).append('\n');
                        listener.line(false, l);
                        if (!answered) {
                            java.util.Optional<String> a;
                            try {
                                a = answerer.answer(l);
                            } catch (RuntimeException e) {
                                in.close();
                                throw e;
                            }
                            if (a.isPresent()) {
                                answered = true;
                                try {
                                    in.write((a.get() + "\n").getBytes(StandardCharsets.UTF_8));
                                    in.close();
                                } catch (IOException gone) {
                                    // as the adapter: the command no longer reads (it ended); its end says the rest
                                }
                            }
                        }
                    }
                } finally {
                    if (!answered) {
                        try {
                            in.close();
                        } catch (IOException gone) {
                            // it ended: its input with it
                        }
                    }
                }
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + command);
                }
                return new ExecResult(p.exitValue(), out.toString(), err.join(), Duration.ZERO);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
        reads.add(path);
        if (unreadable.contains(path)) {
            return CompletableFuture.failedFuture(new java.nio.file.AccessDeniedException(path, null, "permission denied"));
        }
        try {
            byte[] b = Files.readAllBytes(Path.of(path));
            return CompletableFuture.completedFuture(b.length > maxBytes ? java.util.Arrays.copyOf(b, (int) maxBytes) : b);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<RemoteFile>> list(String folder) {
        if (unreachable.contains(folder)) {
            return CompletableFuture.failedFuture(new java.nio.file.AccessDeniedException(folder, null, "permission denied"));
        }
        if (listed.containsKey(folder)) {
            return CompletableFuture.completedFuture(listed.get(folder));
        }
        try (var s = Files.list(Path.of(folder))) {
            List<RemoteFile> out = new ArrayList<>();
            for (Path p : s.toList()) {
                out.add(new RemoteFile(p.getFileName().toString(), Files.size(p), Files.getLastModifiedTime(p).toInstant(),
                        Files.isDirectory(p)));
            }
            return CompletableFuture.completedFuture(out);
        } catch (NoSuchFileException e) {
            return CompletableFuture.failedFuture(new java.nio.file.NoSuchFileException(folder, null, "no such file or folder"));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Resumes: appends to {@code local} from its current size. */
    @Override
    public CompletableFuture<Long> download(String path, Path local, Progress progress) {
        try (InputStream in = Files.newInputStream(Path.of(path));
             OutputStream o = Files.newOutputStream(local, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            long have = Files.size(local);
            in.skipNBytes(have);
            long total = Files.size(Path.of(path));
            o.write(in.readAllBytes());
            progress.update(total, total);
            return CompletableFuture.completedFuture(total);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
