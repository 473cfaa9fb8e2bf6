package io.dutydesk.core.rollout;

/**
 * How an action ended, checked on the server afterwards.
 *
 * @param verified     true only when the server's state after the action is what the action promised
 * @param auditWarning present when its completion could not be written to the audit log: "succeeded on the server;
 *                     the audit log FILE could not be written (…)" — said beside the outcome, which stands
 */
public record ActionResult(String actionId, Verb verb, int exitCode, boolean verified, String liveBefore,
                           String liveAfter, long elapsedMs, String message, String outputSha256,
                           java.util.Optional<String> auditWarning) {

    public ActionResult(String actionId, Verb verb, int exitCode, boolean verified, String liveBefore,
                        String liveAfter, long elapsedMs, String message, String outputSha256) {
        this(actionId, verb, exitCode, verified, liveBefore, liveAfter, elapsedMs, message, outputSha256, java.util.Optional.empty());
    }

    public ActionResult withAuditWarning(java.util.Optional<String> warning) {
        return new ActionResult(actionId, verb, exitCode, verified, liveBefore, liveAfter, elapsedMs, message, outputSha256, warning);
    }

    public boolean succeeded() {
        return exitCode == 0 && verified;
    }
}
