package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.List;

/** Every alert Alertmanager holds at one moment (active, suppressed, unprocessed), immutable. */
public record AlertsFeed(String environment, Instant takenAt, List<Alert> alerts) {
    public long active() {
        return alerts.stream().filter(a -> !a.suppressed()).count();
    }
}
