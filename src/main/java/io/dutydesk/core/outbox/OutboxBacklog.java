package io.dutydesk.core.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The outbox table as one gentle poll sees it: exact counts of the statuses still to be handled,
 * the published total as the planner's estimate, the oldest pending events, and whether an index
 * serves these queries (if not, the index the console recommends).
 *
 * @param publishedEstimate       from planner statistics (pg_class / pg_stats), null when the table was never analysed
 * @param oldestPendingAgeSeconds null when nothing is pending
 * @param recommendedIndex        the {@code CREATE INDEX CONCURRENTLY} to run when {@code indexOk} is false
 */
public record OutboxBacklog(Instant takenAt, long pending, long processing, long failed, Long publishedEstimate,
                            Long oldestPendingAgeSeconds, List<OldEvent> oldest, boolean indexOk,
                            String recommendedIndex) {

    /** One pending event: its id, type and age, as the server's clock sees it. */
    public record OldEvent(String id, String type, long ageSeconds) {}

    public OutboxBacklog {
        oldest = List.copyOf(oldest);
    }

    public Optional<String> indexAdvice() {
        return indexOk ? Optional.empty() : Optional.of(recommendedIndex);
    }
}
