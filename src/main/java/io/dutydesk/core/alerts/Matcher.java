package io.dutydesk.core.alerts;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher as Prometheus and Alertmanager write it: {@code name="value"}, {@code name!="value"},
 * {@code name=~"regex"}, {@code name!~"regex"}. Regular expressions are anchored (they match the whole value).
 * Values may be quoted ("...", with \" and \\ escapes) or bare.
 */
public record Matcher(String name, Op op, String value) {
    public enum Op {
        EQ("="), NE("!="), RE("=~"), NRE("!~");

        private final String text;

        Op(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public boolean regex() {
            return this == RE || this == NRE;
        }

        public boolean equal() {
            return this == EQ || this == RE;
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Matcher {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a label name");
        }
        if (op.regex()) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(name + op.text() + "\"" + value + "\": not a valid regular expression: "
                        + e.getDescription());
            }
        }
    }

    public static Matcher eq(String name, String value) {
        return new Matcher(name, Op.EQ, value);
    }

    /** {@code k=v}, {@code k="v"}, {@code k=~"re"}, {@code k!="v"}, {@code k!~re}. */
    public static Matcher parse(String text) {
        String s = text.strip();
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        String name = s.substring(0, i);
        String rest = s.substring(i).stripLeading();
        Op op;
        if (rest.startsWith("=~")) {
            op = Op.RE;
        } else if (rest.startsWith("!~")) {
            op = Op.NRE;
        } else if (rest.startsWith("!=")) {
            op = Op.NE;
        } else if (rest.startsWith("=")) {
            op = Op.EQ;
        } else {
            throw new IllegalArgumentException("'" + text + "' is not a matcher (name=\"value\", name!=\"value\", name=~\"regex\", name!~\"regex\")");
        }
        String v = rest.substring(op.text().length()).strip();
        return new Matcher(name, op, unquote(v, text));
    }

    static String unquote(String v, String whole) {
        if (v.length() >= 1 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            char q = v.charAt(0);
            if (v.length() < 2 || v.charAt(v.length() - 1) != q) {
                throw new IllegalArgumentException("'" + whole + "': unterminated quote");
            }
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length() - 1) {
                    c = v.charAt(++i);
                }
                b.append(c);
            }
            return b.toString();
        }
        return v;
    }

    /**
     * Values no matcher written for real alerts matches: a regex that matches one of them matches any value
     * ({@code =~".+"}, {@code =~"\S*"}, {@code =~"[^x]*"}).
     */
    private static final java.util.List<String> PROBES = java.util.List.of("", "x", "0", "-", "dutydesk-probe",
            "ZZ_9 probe:value/1%");

    /**
     * Whether this matcher selects alerts by a value of their label: {@code name="value"}, or {@code name=~"regex"}
     * matching only some values. Not: a regex that matches any value ({@code =~".+"}, {@code =~".*"}), a negative
     * matcher ({@code !~"x"}, {@code !="x"}: every value but the ones it names), {@code name=""} (the label's absence).
     */
    public boolean selects() {
        return switch (op) {
            case EQ -> !value.isEmpty();
            case RE -> PROBES.stream().noneMatch(p -> Pattern.compile(value).matcher(p).matches());
            default -> false;
        };
    }

    /** Why this matcher does not select alerts by value ({@link #selects()} is false), in the user's words. */
    public String breadth() {
        return switch (op) {
            case EQ -> this + " matches only the alerts without the label " + name;
            case RE -> this + " matches any value";
            default -> this + " matches every value but the ones it names";
        };
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        boolean hit = op.regex() ? Pattern.compile(value).matcher(actual).matches() : actual.equals(value);
        return op.equal() == hit;
    }

    /** As Alertmanager and PromQL write it: {@code severity="critical"}. */
    @Override
    public String toString() {
        return name + op.text() + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
