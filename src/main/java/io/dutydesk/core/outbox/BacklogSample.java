package io.dutydesk.core.outbox;

import java.time.Instant;

/**
 * One point of the backlog's history, as kept in the local store: any of the values may be null
 * (that source was down, or Prometheus knows only the pending count).
 *
 * @param source {@link Source#CONSOLE} for what this console polled, {@link Source#PROMETHEUS} for what
 *               filled the gap while it was closed
 */
public record BacklogSample(Instant at, Long pending, Long oldestPendingAgeSeconds, Long streamLength, Long groupLag,
                            Source source) {
    /** Kept to the millisecond, as the store keeps it. */
    public BacklogSample {
        at = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    public enum Source {
        CONSOLE, PROMETHEUS;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
