package io.dutydesk.core.rollout;

/**
 * An action refused: nothing ran (bad version, blocked plan, another action in progress, or a
 * stale plan — the environment or the server's live slot changed since it was confirmed).
 */
public class RolloutException extends RuntimeException {
    public enum Kind { INVALID_INPUT, BLOCKED, BUSY, STALE }

    private final Kind kind;

    public RolloutException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
