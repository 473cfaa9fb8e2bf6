package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One change of an alert the console saw (or reconstructed from Prometheus for the time it was closed).
 *
 * @param event  firing, resolved, silenced, unsilenced; unknown: Alertmanager dropped it while its source could not
 *               fire or resolve it (Prometheus down, Alertmanager just restarted), so it is neither (a later known or
 *               resolved ends that); known: an unknown alert seen firing again — the same incident, still firing
 * @param source console (seen live) or reconstructed (from Prometheus's ALERTS series)
 */
public record Transition(String fingerprint, String alertname, String event, Instant at, String source,
                         Map<String, String> labels) {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    public static final String SILENCED = "silenced";
    public static final String UNSILENCED = "unsilenced";
    public static final String UNKNOWN = "unknown";
    public static final String KNOWN = "known";
    public static final String LIVE = "console";
    public static final String RECONSTRUCTED = "reconstructed";

    public boolean reconstructed() {
        return RECONSTRUCTED.equals(source);
    }
}
