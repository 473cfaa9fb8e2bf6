package io.dutydesk.adapters.desktop;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.core.ports.Notifier;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Desktop notifications through freedesktop's {@code notify-send} (libnotify), when it is installed.
 * Runs on its own thread; a missing tool or a failing desktop bus never reaches the caller.
 */
public final class NotifySend implements Notifier, AutoCloseable {
    private final ExecutorService executor = BoundedExecutors.create("notify-send", 1, 16);
    private final Optional<Path> tool;

    public NotifySend() {
        this(find(System.getenv("PATH")));
    }

    NotifySend(Optional<Path> tool) {
        this.tool = tool;
    }

    static Optional<Path> find(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "notify-send");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public boolean available() {
        return tool.isPresent();
    }

    /** The command line for a notice (no shell: arguments are passed as they are). */
    static List<String> command(Path tool, Notice n) {
        List<String> cmd = new ArrayList<>(List.of(tool.toString(), "--app-name=Dutydesk",
                "--urgency=" + switch (n.level()) {
                    case CRITICAL -> "critical";
                    case WARNING -> "normal";
                    default -> "low";
                },
                "--icon=" + (n.level() == Level.INFO ? "dialog-information" : "dialog-warning")));
        if (n.sound()) {
            cmd.add("--hint=string:sound-name:dialog-warning");
        }
        cmd.add("--");
        cmd.add(n.title());
        cmd.add(n.text());
        return cmd;
    }

    @Override
    public void notify(Notice n) {
        if (tool.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    Process p = new ProcessBuilder(command(tool.get(), n)).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    p.getOutputStream().close();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (Exception ignored) {
                    // no desktop bus: the in-window notification is still there
                } 
            });
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // a burst: the in-window notifications carry it
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
