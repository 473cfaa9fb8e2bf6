package io.dutydesk.core.rollout;

/**
 * How an action ended, checked on the server afterwards.
 *
 * @param verified true only when the server's state after the action is what the action promised
 */
public record ActionResult(String actionId, Verb verb, int exitCode, boolean verified, String liveBefore,
                           String liveAfter, long elapsedMs, String message, String outputSha256) {

    public boolean succeeded() {
        return exitCode == 0 && verified;
    }
}
