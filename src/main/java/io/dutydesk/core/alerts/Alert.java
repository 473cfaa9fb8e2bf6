package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alert as Alertmanager's API v2 reports it.
 *
 * @param state     Alertmanager's words: active, suppressed, unprocessed
 * @param severity  the value of the environment's severity label ("" when the alert has none)
 * @param labels    sorted by name
 */
public record Alert(String fingerprint, String alertname, String severity, String state, Instant startsAt, Instant updatedAt,
                    Map<String, String> labels, Map<String, String> annotations, List<String> silencedBy,
                    List<String> inhibitedBy, String generatorURL) {

    public boolean silenced() {
        return !silencedBy.isEmpty();
    }

    public boolean suppressed() {
        return "suppressed".equals(state);
    }

    public String annotation(String name) {
        return annotations.getOrDefault(name, "");
    }

    /** Equal to {@code other} but perhaps for {@link #updatedAt}, which Alertmanager sets at each resend of a firing alert. */
    public boolean sameButUpdatedAt(Alert other) {
        return equals(other) || other != null && equals(new Alert(other.fingerprint, other.alertname, other.severity, other.state,
                other.startsAt, updatedAt, other.labels, other.annotations, other.silencedBy, other.inhibitedBy, other.generatorURL));
    }

    /** The PromQL expression of Prometheus's generator URL ({@code /graph?g0.expr=...}), or empty. */
    public java.util.Optional<String> expression() {
        return GeneratorUrls.expression(generatorURL);
    }
}
