package io.dutydesk.adapters.store;

import io.dutydesk.core.metrics.QueryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqliteQueryStoreTest {
    @Test
    void historyIsPerEnvironmentNewestFirstOnceEachAndSavedQueriesReplaceByName(@TempDir Path dir) {
        try (SqliteStore store = SqliteStore.open(dir.resolve("d.db"))) {
            SqliteQueryStore q = new SqliteQueryStore(store);
            q.addHistory("prod", "up").join();
            q.addHistory("prod", "rate(x[5m])").join();
            q.addHistory("staging", "other").join();
            q.addHistory("prod", "up").join();
            assertEquals(List.of("up", "rate(x[5m])"), q.history("prod", 10).join());
            assertEquals(List.of("other"), q.history("staging", 10).join());
            q.save("prod", "errors", "a").join();
            q.save("prod", "errors", "b").join();
            q.save("prod", "backlog", "c").join();
            assertEquals(List.of(new QueryStore.Saved("backlog", "c"), new QueryStore.Saved("errors", "b")), q.saved("prod").join());
            q.deleteSaved("prod", "backlog").join();
            assertEquals(List.of(new QueryStore.Saved("errors", "b")), q.saved("prod").join());
            assertEquals(2, store.version("metrics").join());
        }
        try (SqliteStore again = SqliteStore.open(dir.resolve("d.db"))) {
            assertEquals(List.of("up", "rate(x[5m])"), new SqliteQueryStore(again).history("prod", 10).join(), "kept across runs");
        }
    }
}
