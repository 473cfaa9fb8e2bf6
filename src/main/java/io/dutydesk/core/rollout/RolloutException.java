package io.dutydesk.core.rollout;

import java.util.Optional;

/**
 * An action refused: nothing ran (bad version, blocked plan, another action in progress, or a
 * stale plan — the environment or the server's live slot changed since it was confirmed).
 */
public class RolloutException extends RuntimeException {
    public enum Kind { INVALID_INPUT, BLOCKED, BUSY, STALE }

    private final Kind kind;
    private final transient DetachedActions.Running holder;

    public RolloutException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** @param holder a BUSY refusal's holder of the server lock, as its job's meta says; null when none is known */
    public RolloutException(Kind kind, String message, DetachedActions.Running holder) {
        super(message);
        this.kind = kind;
        this.holder = holder;
    }

    public Kind kind() {
        return kind;
    }

    /** The action holding the server lock that refused this one (BUSY), when the server named it. */
    public Optional<DetachedActions.Running> holder() {
        return Optional.ofNullable(holder);
    }
}
