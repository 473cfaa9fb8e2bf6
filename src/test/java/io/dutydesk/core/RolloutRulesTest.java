package io.dutydesk.core;

import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutRules;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rollout rules from the slots as the server reports them. */
class RolloutRulesTest {
    private static Plan decide(Verb v, Optional<String> version, boolean force, String live, Set<String> unhealthy, Set<String> missing) {
        return RolloutRules.decide(v, version, force, Snapshots.of(live, "v1.1.0", "v1.0.0", unhealthy, missing), "outbox pending 12");
    }

    @Test
    void rollbackToAHealthyIdleSlotStatesTheFacts() {
        Plan p = decide(Verb.ROLLBACK, Optional.empty(), false, "green", Set.of(), Set.of());
        assertEquals("traffic green -> blue", p.headline());
        assertEquals(List.of("blue 4/4 healthy", "blue runs v1.0.0", "outbox pending 12"), p.facts());
        assertEquals("green", p.liveBefore());
        assertEquals("blue", p.target());
        assertTrue(p.runnable());
        assertTrue(p.typedConfirmation().isEmpty());
        assertEquals("ref: traffic green -> blue; blue 4/4 healthy; blue runs v1.0.0; outbox pending 12", p.describe());
        assertEquals("ref", p.environment(), "a plan carries its environment");
        assertEquals("green", p.liveBefore(), "and the live slot it was made against");
        assertEquals(java.util.Optional.empty(), p.destroys());
    }

    @Test
    void rollbackToAnUnhealthyOrMissingSlotIsBlockedWithTheReasonUnlessForced() {
        Plan sick = decide(Verb.ROLLBACK, Optional.empty(), false, "green", Set.of("analysis-worker-blue"), Set.of());
        assertFalse(sick.runnable());
        assertEquals(List.of("rollback to blue refused: selfology-analysis-worker-blue: unhealthy"), sick.blocked());
        assertTrue(sick.facts().get(0).startsWith("blue 3/4 healthy"));
        assertTrue(sick.forcedCopy().runnable(), "force is the user's explicit choice");

        assertEquals(3, sick.facts().size(), "the live slot is healthy: no word about it");

        // the trial: the live slot itself is degraded (3/4 healthy) — the confirmation says so
        Plan liveSick = decide(Verb.ROLLBACK, Optional.empty(), false, "green", Set.of("analysis-worker-green"), Set.of());
        assertEquals(List.of("blue 4/4 healthy", "blue runs v1.0.0", "live green itself only 3/4 healthy "
                + "(selfology-analysis-worker-green: unhealthy)", "outbox pending 12"), liveSick.facts());
        assertTrue(liveSick.runnable(), "the target is healthy");

        Plan gone = decide(Verb.ROLLBACK, Optional.empty(), false, "green", Set.of(), Set.of("blue"));
        assertEquals(List.of("rollback to blue refused: the blue slot has no containers (cleaned up?)"), gone.blocked());
        assertTrue(decide(Verb.ROLLBACK, Optional.empty(), true, "green", Set.of(), Set.of("blue")).runnable());
    }

    @Test
    void switchFollowsTheSameRule() {
        Plan p = decide(Verb.SWITCH, Optional.empty(), false, "blue", Set.of("outbox-relay-green"), Set.of());
        assertEquals("traffic blue -> green", p.headline());
        assertFalse(p.runnable());
        assertTrue(p.blocked().get(0).startsWith("switch to green refused: selfology-outbox-relay-green: unhealthy"));
    }

    @Test
    void deploySaysTheRollbackTargetWillBeReplaced() {
        Plan p = decide(Verb.DEPLOY, Optional.of("v1.2.0"), false, "blue", Set.of(), Set.of());
        assertEquals("deploy v1.2.0 to green (idle)", p.headline());
        assertEquals(List.of("blue stays live (v1.1.0)", "green now runs v1.0.0 and will be replaced", "outbox pending 12"), p.facts());
        assertTrue(p.risk().contains("the rollback target (green, v1.0.0) is replaced"), p.risk());
        Plan empty = decide(Verb.DEPLOY, Optional.of("v1.2.0"), false, "blue", Set.of(), Set.of("green"));
        assertEquals("green is empty", empty.facts().get(1));
    }

    @Test
    void cleanupNeedsTheSlotNameAndIsBlockedWhenThereIsNothing() {
        Plan p = decide(Verb.CLEANUP, Optional.empty(), false, "blue", Set.of(), Set.of());
        assertEquals(Optional.of("green"), p.destroys(), "a cleanup names the slot it destroys");
        assertEquals(Optional.of("green"), p.typedConfirmation());
        assertEquals("4 containers of green (v1.0.0) will be stopped and removed", p.facts().get(0));
        assertTrue(p.risk().startsWith("destroys the rollback target"));
        assertTrue(p.runnable());
        assertFalse(decide(Verb.CLEANUP, Optional.empty(), false, "blue", Set.of(), Set.of("green")).runnable());
    }
    @Test
    void whatAConfirmedPlanStatedIsCheckedAgainstTheSlotsReadNow() {
        Plan rollback = decide(Verb.ROLLBACK, Optional.empty(), false, "green", Set.of(), Set.of());
        assertEquals(Optional.empty(), RolloutRules.changedSince(rollback, Snapshots.of("green", "v1.1.0", "v1.0.0", Set.of(), Set.of())));
        assertEquals(Optional.of("the blue slot is now unhealthy (selfology-analysis-worker-blue: unhealthy)"),
                RolloutRules.changedSince(rollback, Snapshots.of("green", "v1.1.0", "v1.0.0", Set.of("analysis-worker-blue"), Set.of())));
        assertEquals(Optional.of("live is now blue"),
                RolloutRules.changedSince(rollback, Snapshots.of("blue", "v1.1.0", "v1.0.0", Set.of(), Set.of())));
        assertEquals("state changed since you confirmed: live is now blue; nothing was run", RolloutRules.refusal("live is now blue"));
        // a blocked plan forced on purpose runs on the target as it is; a deploy replaces the target anyway
        Plan forced = decide(Verb.ROLLBACK, Optional.empty(), true, "green", Set.of("analysis-worker-blue"), Set.of());
        assertEquals(Optional.empty(), RolloutRules.changedSince(forced,
                Snapshots.of("green", "v1.1.0", "v1.0.0", Set.of("analysis-worker-blue", "outbox-relay-blue"), Set.of())));
        Plan deploy = decide(Verb.DEPLOY, Optional.of("v1.2.0"), false, "green", Set.of(), Set.of());
        assertEquals(Optional.empty(), RolloutRules.changedSince(deploy, Snapshots.of("green", "v1.1.0", "v1.0.0", Set.of(), Set.of("blue"))));
    }
}
