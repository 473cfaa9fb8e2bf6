package io.dutydesk.core.rollout;

/** An action refused before anything ran (bad version, blocked plan, another action in progress). */
public final class RolloutException extends RuntimeException {
    public enum Kind { INVALID_INPUT, BLOCKED, BUSY }

    private final Kind kind;

    public RolloutException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
