package io.dutydesk.core.doctor;

import io.dutydesk.core.ShellQuote;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The program a configured command template runs: its first word after variable assignments and a few wrappers
 * ({@code exec}, {@code env}, {@code nohup}, {@code command}), with the shell's quotes removed. Empty when the command
 * starts with a shell construct ({@code (}, {@code {}, {@code if}, {@code for} …) or an expansion ({@code $X}): that
 * cannot be checked without running it.
 */
public final class ProgramWord {
    private static final Set<String> WRAPPERS = Set.of("exec", "env", "nohup", "command");
    private static final Set<String> KEYWORDS = Set.of("if", "for", "while", "until", "case", "!", "{", "(", "[[", "function",
            "select", "time");
    private static final String OPERATORS = ";&|()<>";

    private ProgramWord() {}

    public static Optional<String> of(String template) {
        List<String> words = firstWords(template);
        int i = 0;
        while (i < words.size()) {
            String w = words.get(i);
            if (w.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                i++;
            } else if (WRAPPERS.contains(w) && i + 1 < words.size()) {
                i++;
                while (i < words.size() && words.get(i).startsWith("-")) {
                    i++;
                }
            } else {
                break;
            }
        }
        if (i >= words.size()) {
            return Optional.empty();
        }
        String w = words.get(i);
        if (w.isEmpty() || KEYWORDS.contains(w) || w.startsWith("\u0000")) {
            return Optional.empty();
        }
        return Optional.of(w);
    }

    /**
     * The shell test that says whether {@code word} runs on the server, quoted ({@link ShellQuote#path}: a leading
     * {@code ~/} still expands): a path must be a file that is executable, a bare name must be found by
     * {@code command -v} (a program on PATH, a builtin or a function).
     */
    public static String test(String word) {
        if (word.contains("/")) {
            String q = ShellQuote.path(word);
            return "[ -f " + q + " ] && [ -x " + q + " ]";
        }
        return "command -v " + ShellQuote.quote(word) + " >/dev/null 2>&1";
    }

    /** The words of the first simple command, unquoted; a word that began with an expansion is marked by NUL. */
    static List<String> firstWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (quote == '"' && c == '\\' && i + 1 < s.length()) {
                    w.append(s.charAt(++i));
                } else {
                    w.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                if (w == null) {
                    w = new StringBuilder();
                }
                quote = c;
            } else if (c == '\\' && i + 1 < s.length()) {
                if (w == null) {
                    w = new StringBuilder();
                }
                w.append(s.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
                if (c == '\n' && !out.isEmpty()) {
                    return out;
                }
            } else if (OPERATORS.indexOf(c) >= 0) {
                if (w != null) {
                    out.add(w.toString());
                } else if (out.isEmpty() && c == '(') {
                    out.add("(");
                }
                return out;
            } else if (c == '#' && w == null) {
                if (!out.isEmpty()) {
                    return out;
                }
                int nl = s.indexOf('\n', i);
                if (nl < 0) {
                    return out;
                }
                i = nl;
            } else {
                if (w == null) {
                    w = new StringBuilder();
                    if (c == '$' || c == '`') {
                        w.append('\u0000');
                    }
                }
                w.append(c);
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }
}
