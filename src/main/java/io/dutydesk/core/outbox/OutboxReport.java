package io.dutydesk.core.outbox;

import java.time.Instant;
import java.util.Optional;

/**
 * One reading of both sources, each on its own: a source that is down has its error and no value,
 * and does not take the other with it. A source that answered without what the environments file
 * names (the table, a column, the stream) is misconfigured rather than down.
 */
public record OutboxReport(String environment, Instant takenAt, Optional<OutboxBacklog> backlog,
                           Optional<String> backlogError, Optional<StreamInfo> stream, Optional<String> streamError,
                           BacklogLevel.Verdict verdict, boolean backlogMisconfigured, boolean streamMisconfigured) {

    public BacklogLevel level() {
        return verdict.level();
    }

    /** "ok", "down" or "misconfigured" for PostgreSQL (the outbox table). */
    public String backlogState() {
        return backlogError.isEmpty() ? "ok" : backlogMisconfigured ? "misconfigured" : "down";
    }

    /** "ok", "down" or "misconfigured" for Redis (the stream); "not configured" when the environment has none (redis: false). */
    public String streamState() {
        if (streamError.isEmpty() && stream.isEmpty()) {
            return "not configured";
        }
        return streamError.isEmpty() ? "ok" : streamMisconfigured ? "misconfigured" : "down";
    }

    public boolean anySourceDown() {
        return backlogError.isPresent() || streamError.isPresent();
    }
}
