package io.dutydesk.ui.alerts;

import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertGrouping;

import io.dutydesk.core.alerts.Unverified;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the feed's list: a group's header ({@code alert == null}) or one alert of it, with why its truth is
 * unknown now ({@code unverified}, else null) and until when what it shows was checked ({@code asOf}: its source
 * stopped, or the feed is stale; else null).
 * Equality is what the line shows (cheap: never the group's whole alert list), so the list keeps its
 * selection across polls and redraws a line only when what it shows changed.
 */
public record AlertRow(AlertGrouping.Group group, Alert alert, boolean collapsed, Unverified unverified, Instant asOf) {
    public AlertRow(AlertGrouping.Group group, Alert alert, boolean collapsed) {
        this(group, alert, collapsed, null, null);
    }

    public boolean header() {
        return alert == null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AlertRow r) || collapsed != r.collapsed || !group.key().equals(r.group.key())) {
            return false;
        }
        if (alert == null || r.alert == null) {
            return alert == r.alert && group.alerts().size() == r.group.alerts().size() && group.active() == r.group.active()
                    && Objects.equals(group.severity(), r.group.severity());
        }
        return alert.fingerprint().equals(r.alert.fingerprint()) && alert.state().equals(r.alert.state())
                && alert.silencedBy().equals(r.alert.silencedBy()) && Objects.equals(alert.startsAt(), r.alert.startsAt())
                && alert.annotations().equals(r.alert.annotations()) && Objects.equals(unverified, r.unverified)
                && Objects.equals(asOf, r.asOf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(group.key(), alert == null ? null : alert.fingerprint(), collapsed);
    }
}
