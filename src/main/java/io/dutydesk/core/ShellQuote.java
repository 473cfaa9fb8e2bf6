package io.dutydesk.core;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: nothing from the user or the server reaches a shell unquoted. */
public final class ShellQuote {
    private ShellQuote() {}

    /** {@code abc} stays, anything else is single-quoted with embedded quotes escaped. */
    public static String quote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    public static String join(List<String> words) {
        return words.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    /** A path that may start with ~/ (kept unquoted so the shell expands it). */
    public static String path(String p) {
        if (p.equals("~")) {
            return "~";
        }
        if (p.startsWith("~/")) {
            return "~/" + quote(p.substring(2));
        }
        return quote(p);
    }

    /** {@code s} as a string literal of a Go template (a {@code docker --format}'s {@code index .Config.Labels "…"}). */
    public static String goString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
