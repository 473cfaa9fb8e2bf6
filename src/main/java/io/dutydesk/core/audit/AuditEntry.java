package io.dutydesk.core.audit;

import java.time.Instant;
import java.util.List;

/**
 * One action, as the audit log keeps it.
 *
 * @param result       succeeded, failed, refused, interrupted
 * @param outputSha256 digest of the action's whole output (the output itself stays on the server)
 */
public record AuditEntry(String actionId, String actor, String environment, String action, List<String> args,
                         Instant start, Instant end, Integer exitCode, String outputSha256, String result,
                         String liveBefore, String liveAfter, String message) {}
