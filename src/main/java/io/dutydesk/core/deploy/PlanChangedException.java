package io.dutydesk.core.deploy;

import io.dutydesk.core.rollout.RolloutException;

import java.util.Optional;

/**
 * A single stack's action refused at the click because what its confirmation stated no longer holds (another version live,
 * more rows lost, the backup gone…): nothing ran, the refusal is audited, and {@link #now()} is the same action planned
 * again from the fresh reads (empty when it can no longer be planned), for a new confirmation.
 */
public final class PlanChangedException extends RolloutException {
    private final transient Optional<SingleService.SinglePlan> now;

    public PlanChangedException(Optional<SingleService.SinglePlan> now, String message) {
        super(Kind.STALE, message);
        this.now = now;
    }

    /** The action as the click's reads state it now (to confirm again), or empty. */
    public Optional<SingleService.SinglePlan> now() {
        return now;
    }
}
