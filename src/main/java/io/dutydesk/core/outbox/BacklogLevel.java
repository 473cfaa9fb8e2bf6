package io.dutydesk.core.outbox;

import io.dutydesk.core.Ages;
import io.dutydesk.core.config.Environment;

import java.util.Locale;

/**
 * The backlog against the environment's thresholds: by count (runbook: fine below 100, act above 1000)
 * and by the age of the oldest pending event — five events stuck for two hours mean the relay is not
 * relaying, whatever the count says.
 */
public enum BacklogLevel {
    OK, WARN, CRITICAL;

    /** A level and why, in the words the header and the CLI show ("act now: oldest pending 2 h 3 min (≥ 30 min)"). */
    public record Verdict(BacklogLevel level, String reason) {}

    public static BacklogLevel of(long pending, Environment.Thresholds t) {
        if (pending >= t.outboxPendingCritical()) {
            return CRITICAL;
        }
        return pending >= t.outboxPendingWarn() ? WARN : OK;
    }

    /** The worse of the count's and the oldest pending event's level. */
    public static Verdict judge(OutboxBacklog b, Environment.Thresholds t) {
        BacklogLevel byCount = of(b.pending(), t);
        Long age = b.pending() > 0 ? b.oldestPendingAgeSeconds() : null;
        BacklogLevel byAge = age == null ? OK
                : age >= t.outboxOldestCriticalSeconds() ? CRITICAL : age >= t.outboxOldestWarnSeconds() ? WARN : OK;
        if (byAge.ordinal() > byCount.ordinal()) {
            long limit = byAge == CRITICAL ? t.outboxOldestCriticalSeconds() : t.outboxOldestWarnSeconds();
            return new Verdict(byAge, (byAge == CRITICAL ? "act now" : "watch it") + ": oldest pending " + Ages.of(age)
                    + " (≥ " + Ages.of(limit) + ")");
        }
        return new Verdict(byCount, switch (byCount) {
            case OK -> "fine";
            case WARN -> "watch it (≥ " + t.outboxPendingWarn() + ")";
            case CRITICAL -> "act now (≥ " + t.outboxPendingCritical() + ")";
        });
    }



    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
