package io.dutydesk.testing;

import io.dutydesk.adapters.store.SqliteStore;

import java.util.concurrent.TimeUnit;

/**
 * Before a test closes its store: lets the store's thread finish what is queued, and what that queues in turn (a poll
 * in flight when its pane closed goes on through the history: catch-up, comparison). SqliteStore.close() lets a task
 * queued behind it open the file again, which a test's temporary folder then fails to delete.
 */
public final class StoreDrain {
    /** More than the longest chain of store calls one poll makes (last poll, open alerts, record, observe, history). */
    private static final int DEPTH = 12;

    private StoreDrain() {}

    public static void drain(SqliteStore store) {
        for (int i = 0; i < DEPTH; i++) {
            try {
                store.call(c -> null).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the store did not drain", e);
            }
        }
    }
}
