package io.dutydesk.adapters.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.PrivateFiles;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The audit log: one JSON object per line, appended and fsync'ed before the action is reported
 * done. Default file: $XDG_STATE_HOME/dutydesk/audit.jsonl (~/.local/state/dutydesk/audit.jsonl).
 * Entries hold no secret: arguments, times, exit codes and a digest of the output. The file is
 * created 0600 and its folders 0700. Append-only: an action's completion is a second entry with
 * its id ({@link io.dutydesk.core.audit.AuditRows} folds them into one row).
 */
public final class JsonlAuditLog implements AuditLog {
    private final Path file;
    private final ExecutorService executor = BoundedExecutors.create("audit", 1, 256);
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public JsonlAuditLog(Path file) {
        this.file = file;
    }

    public static Path defaultFile(Function<String, String> env) {
        String explicit = env.apply("DUTYDESK_AUDIT_LOG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String state = env.apply("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("dutydesk").resolve("audit.jsonl");
    }

    public Path file() {
        return file;
    }

    @Override
    public CompletableFuture<Void> append(AuditEntry entry) {
        return BoundedExecutors.supply(executor, () -> {
            byte[] line = (json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            PrivateFiles.ensureFile(file); // 0600 in a 0700 folder: the log is the user's alone
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<AuditEntry>> recent(int max) {
        return BoundedExecutors.supply(executor, () -> {
            if (!Files.exists(file)) {
                return List.<AuditEntry>of();
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<AuditEntry> out = new ArrayList<>();
            for (String l : lines.subList(Math.max(0, lines.size() - max), lines.size())) {
                if (l.isBlank()) {
                    continue;
                }
                try {
                    out.add(json.readValue(l, AuditEntry.class));
                } catch (IOException e) {
                    // a torn last line (crash mid-write) is skipped, not fatal
                }
            }
            return List.copyOf(out);
        });
    }

    /**
     * Watches the file's folder (inotify through {@link java.nio.file.WatchService}) on a daemon
     * thread: an append by this console or by the CLI calls {@code changed}; a burst of writes is
     * reported once.
     */
    @Override
    public AutoCloseable watch(Runnable changed) {
        Path dir = file.toAbsolutePath().getParent();
        java.nio.file.WatchService ws;
        try {
            Files.createDirectories(dir);
            ws = dir.getFileSystem().newWatchService();
            dir.register(ws, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE,
                    java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY, java.nio.file.StandardWatchEventKinds.OVERFLOW);
        } catch (IOException e) {
            return () -> { }; // no watching here (e.g. a read-only folder): the log still works
        }
        Path name = file.getFileName();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    java.nio.file.WatchKey key = ws.take();
                    boolean ours = false;
                    for (java.nio.file.WatchEvent<?> ev : key.pollEvents()) {
                        ours |= ev.kind() == java.nio.file.StandardWatchEventKinds.OVERFLOW || name.equals(ev.context());
                    }
                    key.reset();
                    if (ours) {
                        // let a burst (write + fsync, several entries) settle into one call
                        for (java.nio.file.WatchKey more; (more = ws.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) != null; ) {
                            more.pollEvents();
                            more.reset();
                        }
                        try {
                            changed.run();
                        } catch (RuntimeException ignored) {
                            // the viewer's fault must not stop the watch
                        }
                    }
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                // closed
            }
        }, "dutydesk-audit-watch");
        t.setDaemon(true);
        t.start();
        return ws::close;
    }
}
