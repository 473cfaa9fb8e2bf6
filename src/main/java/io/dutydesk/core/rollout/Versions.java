package io.dutydesk.core.rollout;

import java.math.BigInteger;
import java.util.Comparator;

/**
 * Version order, numeric-aware: runs of digits compare as numbers ("v10" after "v9", "v1.10.0" after "v1.9.3"), the rest
 * as text. Used only where nothing better is known (when a release was deployed, when its image was built).
 */
public final class Versions {
    /** Ascending: "v9" before "v10". */
    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {}

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                int c = new BigInteger(a.substring(i, ei)).compareTo(new BigInteger(b.substring(j, ej)));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
