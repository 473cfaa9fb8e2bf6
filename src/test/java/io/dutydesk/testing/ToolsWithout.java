package io.dutydesk.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** A PATH for a server without some commands (timeout(1), flock, mv are not on every server; the scripts detect them). */
public final class ToolsWithout {
    private ToolsWithout() {
    }

    /**
     * A folder under {@code tmp} of links to every command on this machine's PATH but {@code left} (made once per set;
     * the first of a name on the PATH wins, as the shell finds it).
     */
    public static Path in(Path tmp, String... left) throws IOException {
        Path bin = tmp.resolve("bin-without-" + String.join("-", left));
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        for (String dir : System.getenv("PATH").split(":")) {
            if (dir.isEmpty() || !Files.isDirectory(Path.of(dir))) {
                continue;
            }
            try (var tools = Files.list(Path.of(dir))) {
                for (Path t : tools.toList()) {
                    String name = t.getFileName().toString();
                    if (!List.of(left).contains(name) && Files.isExecutable(t) && !Files.isDirectory(t)
                            && !Files.exists(bin.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(bin.resolve(name), t);
                    }
                }
            }
        }
        return bin;
    }
}
