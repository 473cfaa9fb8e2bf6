package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.function.Function;

/**
 * How an alert's state reads, the same wherever it is shown (the pane's row and its details): unknown since T while its
 * truth cannot be checked, else silenced, inhibited, or Alertmanager's word.
 */
public final class AlertWords {
    private AlertWords() {}

    /** "unknown since 12:00:00", "silenced", "inhibited", "active". */
    public static String state(Alert a, Unverified unknown, Function<Instant, String> time) {
        if (unknown != null) {
            return "unknown since " + time.apply(unknown.since());
        }
        if (a.silenced()) {
            return "silenced";
        }
        return a.suppressed() || !a.inhibitedBy().isEmpty() ? "inhibited" : a.state();
    }

    /** {@link #state} with what silences or inhibits it: "silenced by 3f2a…", "inhibited by 9c1d…". */
    public static String stateInFull(Alert a, Unverified unknown, Function<Instant, String> time) {
        String s = state(a, unknown, time);
        if (unknown == null && a.silenced()) {
            return s + " by " + String.join(", ", a.silencedBy());
        }
        if (unknown == null && !a.inhibitedBy().isEmpty()) {
            return s + " by " + String.join(", ", a.inhibitedBy());
        }
        return s;
    }

    /** The start's wording: "firing since" while it is known to fire, "started" while its truth is unknown. */
    public static String since(Unverified unknown) {
        return unknown == null ? "firing since" : "started";
    }
}
