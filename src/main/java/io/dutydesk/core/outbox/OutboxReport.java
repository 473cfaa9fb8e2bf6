package io.dutydesk.core.outbox;

import java.time.Instant;
import java.util.Optional;

/**
 * One reading of both sources, each on its own: a source that is down has its error and no value,
 * and does not take the other with it.
 */
public record OutboxReport(String environment, Instant takenAt, Optional<OutboxBacklog> backlog,
                           Optional<String> backlogError, Optional<StreamInfo> stream, Optional<String> streamError,
                           BacklogLevel.Verdict verdict) {

    public BacklogLevel level() {
        return verdict.level();
    }

    public boolean anySourceDown() {
        return backlogError.isPresent() || streamError.isPresent();
    }
}
