package io.dutydesk.core.health;

import io.dutydesk.core.Backend;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every backend's status at one moment; immutable.
 *
 * @param seq the monitor's count of snapshots made, 0 for the first: a later snapshot has a larger one,
 *            so whoever receives them can drop one that arrives late
 */
public record HealthSnapshot(String environment, long seq, Instant takenAt, Map<Backend, BackendStatus> statuses) {

    public HealthSnapshot {
        EnumMap<Backend, BackendStatus> copy = new EnumMap<>(Backend.class);
        for (Backend b : Backend.values()) {
            copy.put(b, statuses.getOrDefault(b, BackendStatus.unknown(b)));
        }
        statuses = Collections.unmodifiableMap(copy);
    }

    public static HealthSnapshot unknown(String environment, Instant now) {
        return new HealthSnapshot(environment, 0, now, Map.of());
    }

    public BackendStatus get(Backend b) {
        return statuses.get(b);
    }

    public List<BackendStatus> all() {
        return List.copyOf(statuses.values());
    }

    public long okCount() {
        return statuses.values().stream().filter(BackendStatus::ok).count();
    }

    /** Every configured backend answers (one the environment does not have counts neither way). */
    public boolean allOk() {
        return statuses.values().stream().allMatch(s -> s.ok() || s.state() == BackendStatus.State.NOT_CONFIGURED);
    }

    /** Every backend has been heard from (ok, down, misconfigured or not configured): none is still unknown. */
    public boolean allAnswered() {
        return statuses.values().stream().noneMatch(s -> s.state() == BackendStatus.State.UNKNOWN);
    }

    /** The backends the environment has: the ones polled and shown. */
    public long configuredCount() {
        return statuses.values().stream().filter(s -> s.state() != BackendStatus.State.NOT_CONFIGURED).count();
    }

    HealthSnapshot with(BackendStatus s, Instant now) {
        EnumMap<Backend, BackendStatus> m = new EnumMap<>(statuses);
        m.put(s.backend(), s);
        return new HealthSnapshot(environment, seq + 1, now, m);
    }
}
