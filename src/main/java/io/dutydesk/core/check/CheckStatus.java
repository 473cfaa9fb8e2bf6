package io.dutydesk.core.check;

import java.util.Locale;

/** A check's verdict, best first; {@link #value()} is what the Pushgateway gets (0 pass … 3 unknown). */
public enum CheckStatus {
    PASS, WARN, FAIL, UNKNOWN;

    /** pass, warn, fail, unknown: the CLI's JSON and the store. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int value() {
        return ordinal();
    }

    public static CheckStatus parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** How bad, for "the worst of": PASS &lt; UNKNOWN &lt; WARN &lt; FAIL (an unknown is not green, a fail is worse). */
    public int severity() {
        return switch (this) {
            case PASS -> 0;
            case UNKNOWN -> 1;
            case WARN -> 2;
            case FAIL -> 3;
        };
    }

    public static CheckStatus worst(CheckStatus a, CheckStatus b) {
        return a.severity() >= b.severity() ? a : b;
    }
}
