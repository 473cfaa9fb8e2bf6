package io.dutydesk.core.backups;

import java.util.Locale;

/** Byte counts for people: the one formatter the Backups pane and the CLI share. */
public final class Sizes {
    private Sizes() {}

    /** "512 B", "1.5 KiB", "2.3 GiB". */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, u[i]);
    }
}
