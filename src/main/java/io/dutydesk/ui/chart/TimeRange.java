package io.dutydesk.ui.chart;

import java.time.Duration;
import java.time.Instant;

/** A half-open span of time in epoch milliseconds, {@code from < to}. */
public record TimeRange(long fromMillis, long toMillis) {
    public TimeRange {
        if (toMillis <= fromMillis) {
            throw new IllegalArgumentException("empty time range: " + fromMillis + ".." + toMillis);
        }
    }

    public static TimeRange of(Instant from, Instant to) {
        return new TimeRange(from.toEpochMilli(), to.toEpochMilli());
    }

    /** The last {@code span} up to {@code end}. */
    public static TimeRange last(Duration span, Instant end) {
        return new TimeRange(end.toEpochMilli() - span.toMillis(), end.toEpochMilli());
    }

    public long spanMillis() {
        return toMillis - fromMillis;
    }

    public Instant from() {
        return Instant.ofEpochMilli(fromMillis);
    }

    public Instant to() {
        return Instant.ofEpochMilli(toMillis);
    }

    public boolean contains(long t) {
        return t >= fromMillis && t <= toMillis;
    }

    /** Moved by {@code deltaMillis}, same span. */
    public TimeRange shift(long deltaMillis) {
        return new TimeRange(fromMillis + deltaMillis, toMillis + deltaMillis);
    }

    /** Scaled by {@code factor} around {@code centerMillis} (factor < 1 zooms in); never below 1 s. */
    public TimeRange zoom(double factor, long centerMillis) {
        long from = centerMillis - Math.round((centerMillis - fromMillis) * factor);
        long to = centerMillis + Math.round((toMillis - centerMillis) * factor);
        if (to - from < 1000) {
            return this;
        }
        return new TimeRange(from, to);
    }
}
