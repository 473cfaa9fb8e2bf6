package io.dutydesk.core.secrets;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads one key of a dotenv file ({@code .env.production}) as the usual loaders do (docker compose,
 * python-dotenv): {@code KEY=value} lines; blank lines and {@code #} comments skipped; an {@code export }
 * prefix allowed; a value in single quotes is literal, in double quotes {@code \n \" \\} are escapes;
 * an unquoted value ends at {@code " #"} and is trimmed. The last assignment of a key wins.
 *
 * <p>Works on a char array that the caller wipes: the value is copied out, nothing else of the file
 * is kept, and no error ever contains the file's content.
 */
public final class Dotenv {
    private Dotenv() {}

    /** The value of {@code key}, or empty if the file does not assign it. */
    public static Optional<char[]> value(byte[] file, String key) {
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(file));
        char[] text = new char[cb.remaining()];
        cb.get(text);
        Arrays.fill(cb.array(), '\0');
        try {
            return value(text, key);
        } finally {
            Arrays.fill(text, '\0');
        }
    }

    static Optional<char[]> value(char[] t, String key) {
        char[] found = null;
        int i = 0;
        int n = t.length;
        while (i < n) {
            int lineEnd = i;
            while (lineEnd < n && t[lineEnd] != '\n') {
                lineEnd++;
            }
            int p = skipSpaces(t, i, lineEnd);
            if (p < lineEnd && t[p] != '#') {
                if (startsWith(t, p, lineEnd, "export") && p + 6 < lineEnd && (t[p + 6] == ' ' || t[p + 6] == '\t')) {
                    p = skipSpaces(t, p + 6, lineEnd);
                }
                int nameEnd = p;
                while (nameEnd < lineEnd && t[nameEnd] != '=' && t[nameEnd] != ' ' && t[nameEnd] != '\t') {
                    nameEnd++;
                }
                int eq = skipSpaces(t, nameEnd, lineEnd);
                if (eq < lineEnd && t[eq] == '=' && nameEquals(t, p, nameEnd, key)) {
                    int[] end = new int[1];
                    char[] v = parseValue(t, skipSpaces(t, eq + 1, lineEnd), n, lineEnd, end);
                    if (found != null) {
                        Arrays.fill(found, '\0');
                    }
                    found = v;
                    lineEnd = Math.max(lineEnd, end[0]);
                }
            }
            i = lineEnd + 1;
        }
        return Optional.ofNullable(found);
    }

    /** A quoted value may run over several lines; {@code end[0]} is where its line ends. */
    private static char[] parseValue(char[] t, int p, int n, int lineEnd, int[] end) {
        end[0] = lineEnd;
        if (p < n && (t[p] == '\'' || t[p] == '"')) {
            char q = t[p];
            int close = p + 1;
            while (close < n && t[close] != q) {
                if (q == '"' && t[close] == '\\' && close + 1 < n) {
                    close++;
                }
                close++;
            }
            if (close < n) { // closed: the value is what is between the quotes
                int e = close;
                while (e < n && t[e] != '\n') {
                    e++;
                }
                end[0] = e;
                return q == '\'' ? Arrays.copyOfRange(t, p + 1, close) : unescape(t, p + 1, close);
            }
            // an unclosed quote: taken as written, to the end of the line
        }
        int e = lineEnd;
        for (int k = p; k < lineEnd; k++) {
            if (t[k] == '#' && k > p && (t[k - 1] == ' ' || t[k - 1] == '\t')) {
                e = k;
                break;
            }
        }
        while (e > p && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\r')) {
            e--;
        }
        return Arrays.copyOfRange(t, p, e);
    }

    private static char[] unescape(char[] t, int from, int to) {
        char[] out = new char[to - from];
        int o = 0;
        for (int k = from; k < to; k++) {
            char c = t[k];
            if (c == '\\' && k + 1 < to) {
                char x = t[++k];
                c = switch (x) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> x;
                };
            }
            out[o++] = c;
        }
        char[] r = Arrays.copyOf(out, o);
        Arrays.fill(out, '\0');
        return r;
    }

    private static int skipSpaces(char[] t, int p, int end) {
        while (p < end && (t[p] == ' ' || t[p] == '\t' || t[p] == '\r')) {
            p++;
        }
        return p;
    }

    private static boolean startsWith(char[] t, int p, int end, String s) {
        if (end - p < s.length()) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (t[p + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean nameEquals(char[] t, int from, int to, String key) {
        return to - from == key.length() && startsWith(t, from, to, key);
    }
}
