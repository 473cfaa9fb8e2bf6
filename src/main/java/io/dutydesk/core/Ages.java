package io.dutydesk.core;

import java.time.Duration;
import java.util.Locale;

/** How old something is, in the one wording every pane and command uses. */
public final class Ages {
    private Ages() {}

    /** "45 s", "12 min", "2 h 3 min", "3 d 4 h" (negative counts as 0). */
    public static String of(long seconds) {
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86_400) {
            return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
        }
        return s / 86_400 + " d" + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + " h");
    }

    public static String of(Duration d) {
        return of(d.toSeconds());
    }

    /** The terse form for tables on a terminal: "45s", "12m", "2h3m", "3d4h". */
    public static String compact(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return s / 3600 + "h" + (s % 3600 / 60 > 0 ? s % 3600 / 60 + "m" : "");
        }
        return s / 86_400 + "d" + (s % 86_400 / 3600 > 0 ? s % 86_400 / 3600 + "h" : "");
    }

    /** Backup ages: "5.0 h" below two days, "3.5 d" from there. */
    public static String hours(double hours) {
        return hours < 48 ? String.format(Locale.ROOT, "%.1f h", hours) : String.format(Locale.ROOT, "%.1f d", hours / 24);
    }
}
