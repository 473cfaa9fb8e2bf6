package io.dutydesk.core.metrics;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus-style durations: {@code 90s}, {@code 15m}, {@code 1h30m}, {@code 7d}, {@code 2w}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

    private Durations() {}

    public static Duration parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("a duration is needed (e.g. 15m, 1h, 7d)");
        }
        Matcher m = PART.matcher(s.strip());
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                default -> Duration.ofDays(365 * n);
            });
            end = m.end();
        }
        if (end != s.strip().length() || d.isZero()) {
            throw new IllegalArgumentException("not a duration: '" + s + "' (e.g. 15s, 5m, 1h, 7d)");
        }
        return d;
    }

    /** The shortest form: 1h, 15m, 90s → 90s, 1d. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 604800 == 0 && s >= 604800) {
            return s / 604800 + "w";
        }
        if (s % 86400 == 0 && s >= 86400) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s >= 3600) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s >= 60) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
