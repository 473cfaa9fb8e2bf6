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

    public Path file() { return file; }

    /** 1-based line, 0 when unknown. */
    public int line() { return line; }

    public String field() { return field; }

    public String problem() { return problem; }
}
