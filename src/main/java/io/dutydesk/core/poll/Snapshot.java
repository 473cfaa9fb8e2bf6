package io.dutydesk.core.poll;

import java.time.Instant;
import java.util.Optional;

/**
 * What a poller knows at one moment, immutable. After a failure the last good value is kept
 * (so a view can say "down; last answer at T") and never replaced by an empty one.
 *
 * @param value            last successfully polled value, null before the first success
 * @param takenAt          when this snapshot was made
 * @param lastSuccessAt    when {@code value} was obtained, null before the first success
 * @param error            the last failure's message, null when the last poll succeeded
 * @param failingSince     when the current run of failures started, null when healthy
 * @param consecutiveFailures how many polls in a row failed
 * @param misconfigured    the last failure was the source answering without what the environments
 *                         file names ({@link io.dutydesk.core.MisconfiguredException}), not an outage
 * @param seq              0 for the initial snapshot, one more for each later one: a receiver that
 *                         hops threads drops a snapshot older than the one it shows
 */
public record Snapshot<T>(T value, Instant takenAt, Instant lastSuccessAt, String error,
                          Instant failingSince, int consecutiveFailures, long seq, boolean misconfigured) {

    /** Not about a misconfiguration. */
    public Snapshot(T value, Instant takenAt, Instant lastSuccessAt, String error, Instant failingSince,
                    int consecutiveFailures, long seq) {
        this(value, takenAt, lastSuccessAt, error, failingSince, consecutiveFailures, seq, false);
    }

    public static <T> Snapshot<T> initial(Instant now) {
        return new Snapshot<>(null, now, null, null, null, 0, 0, false);
    }

    public boolean ok() {
        return error == null && lastSuccessAt != null;
    }

    public boolean pending() {
        return error == null && lastSuccessAt == null;
    }

    public Optional<T> lastValue() {
        return Optional.ofNullable(value);
    }

    Snapshot<T> success(T newValue, Instant now) {
        return new Snapshot<>(newValue, now, now, null, null, 0, seq + 1, false);
    }

    Snapshot<T> failure(String message, boolean misconfigured, Instant now) {
        return new Snapshot<>(value, now, lastSuccessAt, message,
                failingSince != null ? failingSince : now, consecutiveFailures + 1, seq + 1, misconfigured);
    }
}
