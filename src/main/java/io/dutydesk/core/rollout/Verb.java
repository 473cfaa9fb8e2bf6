package io.dutydesk.core.rollout;

import java.util.Locale;

/** The deploy script's actions. */
public enum Verb {
    DEPLOY, SWITCH, ROLLBACK, CLEANUP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Verb parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
