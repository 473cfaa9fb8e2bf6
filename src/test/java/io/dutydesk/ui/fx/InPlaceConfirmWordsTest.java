package io.dutydesk.ui.fx;

import io.dutydesk.core.deploy.SinglePlans;
import io.dutydesk.core.deploy.SinglePlansTest;
import io.dutydesk.core.rollout.Plan;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The single stack's confirmation says what the action does in place, in the plan's own words: the shared dialog's
 * blue-green title read "life: deploy v1.1.0 to v1.1.0?" for a deploy and "life: roll back, traffic v1.0.0 → v1.0.0?"
 * for a typed rollback — slots and traffic that a single stack does not have.
 */
class InPlaceConfirmWordsTest {
    @Test
    void aDeployAndATypedRollbackAreTitledByWhatTheyDoInPlace() {
        Plan deploy = SinglePlans.deploy(SinglePlansTest.env(), stackOf("v1.0.0"), "v1.1.0", "outbox pending 3");
        assertEquals("life: replace production in place: v1.0.0 -> v1.1.0?", ConfirmActionDialog.inPlaceTitle(deploy));
        assertEquals("_Deploy v1.1.0 in place", ConfirmActionDialog.inPlaceButtonText(deploy));
        assertFalse(ConfirmActionDialog.inPlaceTitle(deploy).contains(" to v1.1.0?"));

        Plan typed = SinglePlans.ofType(SinglePlansTest.env(), stackOf("v1.0.0"), "deployment", "./deploy.sh rollback", "outbox pending 3");
        assertEquals("life: rollback of type deployment on production (now v1.0.0)?", ConfirmActionDialog.inPlaceTitle(typed));
        assertEquals("_Run the deployment rollback", ConfirmActionDialog.inPlaceButtonText(typed));
        assertFalse(ConfirmActionDialog.inPlaceTitle(typed).contains("traffic"));
    }

    private static io.dutydesk.core.deploy.StackSnapshot stackOf(String version) {
        return SinglePlansTest.stackFor(version);
    }
}
