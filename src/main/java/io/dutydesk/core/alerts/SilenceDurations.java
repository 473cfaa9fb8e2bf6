package io.dutydesk.core.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The silence dialog's and the CLI's durations: "2h", "90m", "1d", "1h30m"; "until 09:00 tomorrow". */
public final class SilenceDurations {
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*([smhdw])");

    private SilenceDurations() {}

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        if (s.isEmpty() || !s.matches("(\\d+[smhdw])+")) {
            throw new IllegalArgumentException("'" + (text == null ? "" : text.strip())
                    + "' is not a duration (e.g. 30m, 2h, 1h30m, 1d)");
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
        }
        if (d.isZero()) {
            throw new IllegalArgumentException("a duration must be longer than zero");
        }
        return d;
    }

    /** The next {@code at} (local time) after tomorrow's midnight: "until 09:00 tomorrow". */
    public static Instant tomorrowAt(Instant now, ZoneId zone, LocalTime at) {
        ZonedDateTime t = now.atZone(zone).toLocalDate().plusDays(1).atTime(at).atZone(zone);
        return t.toInstant();
    }

    /** "1h", "4h 30m", "2d 3h". */
    public static String format(Duration d) {
        long m = Math.max(0, d.toMinutes());
        long days = m / 1440;
        long h = (m % 1440) / 60;
        long min = m % 60;
        StringBuilder b = new StringBuilder();
        if (days > 0) {
            b.append(days).append("d ");
        }
        if (h > 0) {
            b.append(h).append("h ");
        }
        if (min > 0 || b.length() == 0) {
            b.append(min).append("m");
        }
        return b.toString().strip();
    }
}
