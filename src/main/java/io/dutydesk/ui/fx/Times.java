package io.dutydesk.ui.fx;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The one way the panes and the header say a time: {@code HH:mm:ss} in the zone of the injected clock ("last answer at
 * 12:00:05"); {@link #since} adds the date for a time of another day (by the clock's date, so a test with a fixed
 * clock never depends on the day it runs).
 */
public final class Times {
    public static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", java.util.Locale.ROOT);

    private Times() {}

    /** "12:00:05" in the clock's zone. */
    public static String hms(Instant t, Clock clock) {
        return HMS.format(zoned(t, clock));
    }

    /** "12:00:05" today (by the clock), "Nov 21 23:59:58" another day; "?" for no time. */
    public static String since(Instant t, Clock clock) {
        if (t == null) {
            return "?";
        }
        ZonedDateTime z = zoned(t, clock);
        return (z.toLocalDate().equals(LocalDate.now(clock)) ? HMS : DATE_TIME).format(z);
    }

    private static ZonedDateTime zoned(Instant t, Clock clock) {
        return t.atZone(clock.getZone() == null ? ZoneId.systemDefault() : clock.getZone());
    }
}
