package io.dutydesk.core.ports;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The transactional outbox table. */
public interface OutboxPort {
    /** Rows per status, keyed by the console's status names (pending, processing, published, failed). */
    CompletableFuture<Map<String, Long>> countsByStatus();
}
