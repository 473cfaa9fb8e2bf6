package io.dutydesk.core.ports;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The transactional outbox table. */
public interface OutboxPort {
    /** Rows per status, keyed by the console's status names (pending, processing, published, failed). */
    CompletableFuture<Map<String, Long>> countsByStatus();

    /**
     * What a restore of a backup taken at {@code since} would lose: the rows written after it, and the newest row's time.
     *
     * @param newest the newest row's creation time (empty: the table is empty)
     * @param count  rows created after {@code since}
     */
    record RowsSince(Instant since, Optional<Instant> newest, long count) {}

    /** {@link RowsSince} read in one read-only statement; an outbox that cannot say fails (the confirmation then says "unknown"). */
    default CompletableFuture<RowsSince> rowsSince(Instant since) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this outbox cannot count the rows written since a time"));
    }
}
