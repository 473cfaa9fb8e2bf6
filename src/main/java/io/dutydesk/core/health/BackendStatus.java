package io.dutydesk.core.health;

import io.dutydesk.core.Backend;

import java.time.Instant;

/**
 * One backend's state as the console shows it.
 *
 * @param state      UNKNOWN before the first answer, then OK, DOWN, or MISCONFIGURED (it answers but
 *                   lacks what the environments file names: the outbox table, a column, the stream)
 * @param latencyMs  time of the last check, -1 when none finished
 * @param error      why it is down or misconfigured, null when ok
 * @param downSince  when the current outage (or misconfiguration) was first seen, null when ok
 * @param lastOkAt   when it last answered, null if never: data shown from it is as of then ("down; last answer at T")
 */
public record BackendStatus(Backend backend, State state, long latencyMs, String error, Instant checkedAt,
                            Instant downSince, Instant lastOkAt) {

    /** NOT_CONFIGURED: the environment has none ({@code alertmanager: false}, ...): never polled, never counted as down. */
    public enum State { UNKNOWN, OK, DOWN, MISCONFIGURED, NOT_CONFIGURED }

    public boolean ok() {
        return state == State.OK;
    }

    public static BackendStatus notConfigured(Backend b) {
        return new BackendStatus(b, State.NOT_CONFIGURED, -1, null, null, null, null);
    }

    public static BackendStatus unknown(Backend b) {
        return new BackendStatus(b, State.UNKNOWN, -1, null, null, null, null);
    }
}
