package io.dutydesk.ui.alerts;

import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertGrouping;

/** One line of the feed's list: a group's header ({@code alert == null}) or one alert of it. */
public record AlertRow(AlertGrouping.Group group, Alert alert, boolean collapsed) {
    public boolean header() {
        return alert == null;
    }
}
