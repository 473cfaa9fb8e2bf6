package io.dutydesk.core.deploy;

import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.RolloutRules;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The team's own sidecars of backups: {@code FILE.version}, one line naming the version deployed when FILE was taken
 * (LifeOS's deploy.sh writes it before each deploy). Read for many backups in one exec; shown in the backup listing and
 * used by "rollback to this backup".
 */
public final class RecordedVersions {
    private RecordedVersions() {}

    /** The command: for the i-th path with a readable sidecar, a line "i&lt;TAB&gt;its first line" (at most 200 bytes). */
    static String command(List<String> paths) {
        return command(paths, io.dutydesk.core.config.Environment.Backups.VERSION_SIDECAR);
    }

    /** As above, for the sidecar suffix {@code suffix} ({@code backups.versionSidecar}). */
    static String command(List<String> paths, String suffix) {
        StringBuilder b = new StringBuilder("s_=" + ShellQuote.quote(suffix) + "; i_=0; for f_ in");
        paths.forEach(p -> b.append(' ').append(ShellQuote.path(p)));
        b.append("; do if [ -f \"$f_$s_\" ]; then printf '%s\\t%s\\n' \"$i_\" \"$(head -c 200 \"$f_$s_\" | head -n 1)\"; fi; i_=$((i_ + 1)); done");
        return b.toString();
    }

    static Map<String, String> parse(List<String> paths, String out) {
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                continue;
            }
            try {
                int i = Integer.parseInt(line.substring(0, tab));
                String v = RolloutRules.printable(line.substring(tab + 1).strip());
                if (i >= 0 && i < paths.size() && !v.isEmpty()) {
                    m.put(paths.get(i), v);
                }
            } catch (NumberFormatException ignored) {
                // not one of ours
            }
        }
        return m;
    }

    /** Backup path → the version recorded with it, for the paths that have a {@code .version} sidecar. */
    public static CompletableFuture<Map<String, String>> read(RemoteShell shell, List<String> paths, Duration timeout) {
        return read(shell, paths, io.dutydesk.core.config.Environment.Backups.VERSION_SIDECAR, timeout);
    }

    /** As above, for the sidecar suffix {@code suffix} ({@code backups.versionSidecar}). */
    public static CompletableFuture<Map<String, String>> read(RemoteShell shell, List<String> paths, String suffix, Duration timeout) {
        if (paths.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return shell.exec(command(paths, suffix), timeout, RemoteShell.OutputListener.NONE).thenApply(r -> parse(paths, r.stdout()));
    }
}
