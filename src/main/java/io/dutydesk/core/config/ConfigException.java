package io.dutydesk.core.config;

import java.nio.file.Path;

/** A bad environments file: names the file, the line and the field. */
public final class ConfigException extends RuntimeException {
    private final Path file;
    private final int line;
    private final String field;
    private final String problem;

    public ConfigException(Path file, int line, String field, String problem) {
        super(file + ":" + (line > 0 ? line : "?") + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + problem);
        this.file = file;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    private ConfigException(Path file, String problem) {
        super(problem);
        this.file = file;
        this.line = 0;
        this.field = "";
        this.problem = problem;
    }

    /** The file does not exist: {@code help} (the message) says where it is looked for and how to write one. */
    public static ConfigException missing(Path file, String help) {
        return new ConfigException(file, help);
    }

    /**
     * A name the file does not have: "unknown environment 'x'; known: ref, prod (in /home/u/.config/dutydesk/environments.yaml)".
     * No line: the name came from the command line, not from the file.
     */
    public static ConfigException unknownEnvironment(Path file, String name, java.util.List<String> known) {
        String shown = name.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return new ConfigException(file, "unknown environment '" + shown + "'; known: "
                + (known.isEmpty() ? "none" : String.join(", ", known)) + " (in " + file.toAbsolutePath().normalize() + ")");
    }

    /** True when the file does not exist (rather than being wrong). */
    public boolean isMissing() {
        return line == 0 && field.isEmpty() && problem.startsWith("file not found");
    }

    public Path file() { return file; }

    /** 1-based line, 0 when unknown. */
    public int line() { return line; }

    public String field() { return field; }

    public String problem() { return problem; }
}
