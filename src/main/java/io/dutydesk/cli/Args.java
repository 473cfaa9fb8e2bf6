package io.dutydesk.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Parsed command line: {@code <verb> [positional...] [--env NAME] [--config FILE] [--json] [--yes]}. */
public record Args(String verb, List<String> positional, Optional<String> env, Optional<Path> config, boolean json,
                   boolean yes, boolean force, Optional<Path> to, boolean scratch, Optional<String> message,
                   Optional<String> type) {

    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static Args parse(List<String> argv) {
        String verb = null;
        List<String> pos = new ArrayList<>();
        String env = null;
        Path config = null;
        boolean json = false;
        boolean yes = false;
        boolean force = false;
        Path to = null;
        boolean scratch = false;
        String message = null;
        String type = null;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--yes", "-y" -> yes = true;
                case "--force" -> force = true;
                case "--scratch" -> scratch = true;
                case "--to" -> to = Path.of(value(argv, ++i, a));
                case "--message", "-m" -> message = value(argv, ++i, a);
                case "--type" -> type = value(argv, ++i, a);
                case "--env", "-e" -> env = value(argv, ++i, a);
                case "--config", "-c" -> config = Path.of(value(argv, ++i, a));
                default -> {
                    if (a.startsWith("--env=")) {
                        env = a.substring(6);
                    } else if (a.startsWith("--config=")) {
                        config = Path.of(a.substring(9));
                    } else if (a.startsWith("-") && verb != null && verb.equals("deploy") && pos.isEmpty() && !a.startsWith("--")) {
                        pos.add(a); // a version is never an option, but say so rather than guess
                    } else if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    } else if (verb == null) {
                        verb = a;
                    } else {
                        pos.add(a);
                    }
                }
            }
        }
        return new Args(verb, List.copyOf(pos), Optional.ofNullable(env), Optional.ofNullable(config), json, yes, force,
                Optional.ofNullable(to), scratch, Optional.ofNullable(message), Optional.ofNullable(type));
    }

    private static String value(List<String> argv, int i, String option) {
        if (i >= argv.size() || argv.get(i).startsWith("--")) {
            throw new UsageException(option + " needs a value");
        }
        return argv.get(i);
    }

    public String requireEnv() {
        return env.orElseThrow(() -> new UsageException(verb + " needs --env NAME (see 'dutydesk envs')"));
    }
}
