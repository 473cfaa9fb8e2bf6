package io.dutydesk.core.alerts;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alertmanager's fingerprint of a label set (Prometheus common/model {@code LabelSet.Fingerprint}):
 * FNV-1a 64 over the names in order, each name and value followed by the byte 0xff, in hex.
 * Lets Prometheus's ALERTS series be matched with the alerts Alertmanager reported.
 */
public final class Fingerprints {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fingerprints() {}

    public static String of(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return String.format("%016x", OFFSET);
        }
        long h = OFFSET;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            h = add(h, e.getKey());
            h = addByte(h, (byte) 0xff);
            h = add(h, e.getValue());
            h = addByte(h, (byte) 0xff);
        }
        return String.format("%016x", h);
    }

    /**
     * The labels as Alertmanager receives them from Prometheus: Prometheus adds each of its external labels the
     * alert does not have (never to its ALERTS series or its rules API), so one alert has one fingerprint.
     */
    public static Map<String, String> asSent(Map<String, String> labels, Map<String, String> external) {
        if (external.isEmpty()) {
            return labels;
        }
        Map<String, String> out = new TreeMap<>(labels);
        external.forEach(out::putIfAbsent);
        return java.util.Collections.unmodifiableMap(out);
    }

    private static long add(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = addByte(h, b);
        }
        return h;
    }

    private static long addByte(long h, byte b) {
        h ^= (b & 0xff);
        return h * PRIME;
    }
}
