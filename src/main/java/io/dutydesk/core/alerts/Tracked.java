package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * What the history knows of an alert that has not resolved: whether it is silenced, since when it fires, and
 * since when its truth is unknown (its source stopped and Alertmanager dropped it; null while known).
 */
public record Tracked(String fingerprint, String alertname, boolean silenced, Instant since, Map<String, String> labels,
                      Instant unknownSince) {
    public Tracked(String fingerprint, String alertname, boolean silenced, Instant since, Map<String, String> labels) {
        this(fingerprint, alertname, silenced, since, labels, null);
    }

    public boolean unknown() {
        return unknownSince != null;
    }
}
