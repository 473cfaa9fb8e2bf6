package io.dutydesk.adapters.store;

import io.dutydesk.core.backups.Verification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteVerificationResultsTest {
    @TempDir
    Path dir;

    @Test
    void resultsAreKeptPerEnvironmentAndPathAcrossRestarts() {
        Path file = dir.resolve("d/dutydesk.db");
        Verification bad = new Verification("/b/x.sql.gz", 10, Instant.ofEpochSecond(1000), false, "gzip -t: unexpected end of file",
                Instant.ofEpochMilli(5000));
        Verification good = new Verification("/b/x.sql.gz", 20, Instant.ofEpochSecond(2000), true, "gzip -t: intact", Instant.ofEpochMilli(6000));
        try (SqliteStore store = SqliteStore.open(file)) {
            SqliteVerificationResults r = new SqliteVerificationResults(store);
            r.save("prod", bad).join();
            r.save("staging", good).join();
            assertEquals(Map.of("/b/x.sql.gz", bad), r.load("prod").join());
            r.save("prod", good).join();
            assertEquals(Map.of("/b/x.sql.gz", good), r.load("prod").join(), "the latest result replaces the older one");
        }
        try (SqliteStore store = SqliteStore.open(file)) {
            SqliteVerificationResults r = new SqliteVerificationResults(store);
            assertEquals(Map.of("/b/x.sql.gz", good), r.load("staging").join());
            assertEquals(1, store.version("backups").join());
            assertTrue(r.load("nowhere").join().isEmpty());
        }
    }

    /** A failed restore drops the passing result of its file (and only that one); a failing result stays. */
    @Test
    void forgetPassedDropsOnlyAPassingResultOfThatFileAndEnvironment() {
        Verification good = new Verification("/b/x.dump", 20, Instant.ofEpochSecond(2000), true, "pg_restore --list: 4 entries", Instant.ofEpochMilli(6000));
        Verification other = new Verification("/b/y.dump", 20, Instant.ofEpochSecond(2000), true, "ok", Instant.ofEpochMilli(6000));
        Verification bad = new Verification("/b/z.dump", 10, Instant.ofEpochSecond(1000), false, "pg_restore: end of file", Instant.ofEpochMilli(5000));
        try (SqliteStore store = SqliteStore.open(dir.resolve("f.db"))) {
            SqliteVerificationResults r = new SqliteVerificationResults(store);
            r.save("prod", good).join();
            r.save("prod", other).join();
            r.save("prod", bad).join();
            r.save("staging", good).join();
            r.forgetPassed("prod", "/b/x.dump").join();
            r.forgetPassed("prod", "/b/z.dump").join();
            assertEquals(Map.of("/b/y.dump", other, "/b/z.dump", bad), r.load("prod").join());
            assertEquals(Map.of("/b/x.dump", good), r.load("staging").join());
        }
    }
}
