package io.dutydesk.core.alerts;

import java.time.Instant;

/**
 * What became of an open alert Alertmanager no longer has, as far as the console can tell: it resolved; it still fires
 * (Prometheus, its source, holds it firing: Alertmanager lost it, e.g. in a restart, and has not been sent it again yet);
 * or its truth is unknown ({@code since} the last moment it was known, and why).
 *
 * @param since  for {@link Fate#UNKNOWN}: when it became unknown; null otherwise
 * @param reason for {@link Fate#UNKNOWN} and {@link Fate#FIRING}: why; null for {@link Fate#RESOLVED}
 */
public record Missing(Fate fate, Instant since, String reason) {
    public enum Fate { RESOLVED, FIRING, UNKNOWN }

    public static final Missing RESOLVED = new Missing(Fate.RESOLVED, null, null);

    public static Missing unknown(Unverified u) {
        return new Missing(Fate.UNKNOWN, u.since(), u.reason());
    }

    public static Missing firing(String reason) {
        return new Missing(Fate.FIRING, null, reason);
    }

    public boolean resolved() {
        return fate == Fate.RESOLVED;
    }

    /** The unknown alert's mark (since, reason); only for {@link Fate#UNKNOWN}. */
    public Unverified unverified() {
        return new Unverified(since, reason);
    }
}
