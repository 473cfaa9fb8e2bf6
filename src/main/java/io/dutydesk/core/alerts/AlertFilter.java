package io.dutydesk.core.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the filter box and {@code --filter} take: label matchers ({@code severity="critical"},
 * {@code service=~"analysis.*"}, optionally inside {@code {...}}, separated by commas or spaces) and
 * free-text words, all of which must match. A word matches, case-insensitively, any label value,
 * the alert's name, or its summary or description.
 */
public record AlertFilter(List<Matcher> matchers, List<String> words) {
    public static final AlertFilter ALL = new AlertFilter(List.of(), List.of());

    /** @throws IllegalArgumentException with what is wrong in the text (a bad regex, an unterminated quote) */
    public static AlertFilter parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        List<Matcher> matchers = new ArrayList<>();
        List<String> words = new ArrayList<>();
        for (String token : tokens(text)) {
            if (token.matches("(?s)[A-Za-z_][A-Za-z0-9_]*\\s*(=~|!~|!=|=).*")) {
                matchers.add(Matcher.parse(token));
            } else {
                words.add(token.toLowerCase(Locale.ROOT));
            }
        }
        return new AlertFilter(List.copyOf(matchers), List.copyOf(words));
    }

    /** Splits on commas and blanks outside quotes; drops enclosing braces. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                cur.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    cur.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (c == ',' || c == '{' || c == '}' || Character.isWhitespace(c)) {
                // "name = value" written with blanks around the operator stays one matcher
                boolean opAhead = nextNonBlankIsOperator(text, i);
                boolean opBehind = endsWithOperator(cur);
                if (Character.isWhitespace(c) && (opAhead || opBehind) && cur.length() > 0) {
                    continue;
                }
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated quote in '" + text.strip() + "'");
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    private static boolean nextNonBlankIsOperator(String text, int i) {
        int j = i;
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
        }
        return j < text.length() && (text.startsWith("=", j) || text.startsWith("!=", j) || text.startsWith("!~", j));
    }

    private static boolean endsWithOperator(StringBuilder cur) {
        int n = cur.length();
        return n > 0 && (cur.charAt(n - 1) == '=' || cur.charAt(n - 1) == '~');
    }

    public boolean isEmpty() {
        return matchers.isEmpty() && words.isEmpty();
    }

    public boolean matches(Alert a) {
        for (Matcher m : matchers) {
            if (!m.matches(a.labels())) {
                return false;
            }
        }
        for (String w : words) {
            if (!contains(a, w)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(Alert a, String w) {
        if (a.alertname().toLowerCase(Locale.ROOT).contains(w)) {
            return true;
        }
        for (Map.Entry<String, String> e : a.labels().entrySet()) {
            if (e.getValue().toLowerCase(Locale.ROOT).contains(w)) {
                return true;
            }
        }
        return a.annotation("summary").toLowerCase(Locale.ROOT).contains(w)
                || a.annotation("description").toLowerCase(Locale.ROOT).contains(w);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        matchers.forEach(m -> parts.add(m.toString()));
        parts.addAll(words);
        return String.join(" ", parts);
    }
}
