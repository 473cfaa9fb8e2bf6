package io.dutydesk.core.outbox;

import io.dutydesk.core.config.Environment;

/** The backlog against the environment's thresholds (runbook: fine below 100, act above 1000). */
public enum BacklogLevel {
    OK, WARN, CRITICAL;

    public static BacklogLevel of(long pending, Environment.Thresholds t) {
        if (pending >= t.outboxPendingCritical()) {
            return CRITICAL;
        }
        return pending >= t.outboxPendingWarn() ? WARN : OK;
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
