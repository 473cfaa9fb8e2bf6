package io.dutydesk.adapters.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteStoreTest {
    @TempDir
    Path tmp;

    @Test
    void migratesEachComponentOnceAndKeepsDataAcrossOpens() throws Exception {
        Path file = tmp.resolve("d/dutydesk.db");
        List<String> v1 = List.of("CREATE TABLE t (x INTEGER)");
        List<String> v2 = List.of("CREATE TABLE t (x INTEGER)", "ALTER TABLE t ADD COLUMN y TEXT");
        try (SqliteStore s = SqliteStore.open(file)) {
            assertEquals(0, s.migrate("a", v1).get(5, TimeUnit.SECONDS));
            assertEquals(1, s.migrate("a", v1).get(5, TimeUnit.SECONDS));
            assertEquals(0, s.migrate("b", List.of("CREATE TABLE u (z INTEGER)")).get(5, TimeUnit.SECONDS));
            s.call(c -> c.createStatement().executeUpdate("INSERT INTO t(x) VALUES (7)")).get(5, TimeUnit.SECONDS);
        }
        try (SqliteStore s = SqliteStore.open(file)) {
            assertEquals(1, s.migrate("a", v2).get(5, TimeUnit.SECONDS));
            assertEquals(2, s.version("a").get(5, TimeUnit.SECONDS));
            assertEquals(1, s.version("b").get(5, TimeUnit.SECONDS));
            int x = s.call(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT x FROM t WHERE y IS NULL")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).get(5, TimeUnit.SECONDS);
            assertEquals(7, x);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aFailedStepLeavesTheVersionWhereItWas() throws Exception {
        try (SqliteStore s = SqliteStore.open(tmp.resolve("x.db"))) {
            s.migrate("a", List.of("CREATE TABLE t (x INTEGER)")).get(5, TimeUnit.SECONDS);
            assertThrows(Exception.class, () -> s.migrate("a", List.of("CREATE TABLE t (x INTEGER)", "THIS IS NOT SQL"))
                    .get(5, TimeUnit.SECONDS));
            assertEquals(1, s.version("a").get(5, TimeUnit.SECONDS));
        }
    }

    /** A component whose migration failed tries again at its next use: it is not kept failed for the session. */
    @Test
    void aFailedMigrationIsRetriedByTheNextUse() throws Exception {
        Path file = tmp.resolve("r.db");
        try (SqliteStore s = SqliteStore.open(file)) {
            // a table of that name already there (a leftover, another tool): the component's first step fails
            s.call(c -> c.createStatement().executeUpdate("CREATE TABLE outbox_samples (x INTEGER)")).get(5, TimeUnit.SECONDS);
            SqliteOutboxHistory history = new SqliteOutboxHistory(s);
            ExecutionException first = assertThrows(ExecutionException.class,
                    () -> history.since("e", java.time.Instant.EPOCH).get(5, TimeUnit.SECONDS));
            assertTrue(first.getCause().getMessage().contains("already exists"), first.getCause().getMessage());
            s.call(c -> c.createStatement().executeUpdate("DROP TABLE outbox_samples")).get(5, TimeUnit.SECONDS);
            // the same component, the same session: the next use migrates and works
            assertEquals(List.of(), history.since("e", java.time.Instant.EPOCH).get(5, TimeUnit.SECONDS));
            history.append("e", List.of(new io.dutydesk.core.outbox.BacklogSample(java.time.Instant.ofEpochSecond(5), 1L, null,
                    null, null, io.dutydesk.core.outbox.BacklogSample.Source.CONSOLE))).get(5, TimeUnit.SECONDS);
            assertEquals(1, history.since("e", java.time.Instant.EPOCH).get(5, TimeUnit.SECONDS).size());
            assertEquals(SqliteOutboxHistory.MIGRATIONS.size(), s.version(SqliteOutboxHistory.COMPONENT).get(5, TimeUnit.SECONDS));
        }
    }

    /** A failed write transaction is rolled back and leaves the connection usable (no transaction, no write lock held). */
    @Test
    void aFailedTransactionLeavesNoLockBehind() throws Exception {
        Path file = tmp.resolve("t.db");
        try (SqliteStore a = SqliteStore.open(file); SqliteStore b = SqliteStore.open(file)) {
            a.migrate("a", List.of("CREATE TABLE t (x INTEGER PRIMARY KEY)")).get(30, TimeUnit.SECONDS);
            assertThrows(ExecutionException.class, () -> a.transaction(c -> {
                c.createStatement().executeUpdate("INSERT INTO t(x) VALUES (1)");
                return c.createStatement().executeUpdate("INSERT INTO t(x) VALUES (1)"); // the same key again
            }).get(30, TimeUnit.SECONDS));
            // a lock left behind is held for good (a is idle): b's write then fails with SQLITE_BUSY after the busy timeout
            b.transaction(c -> c.createStatement().executeUpdate("INSERT INTO t(x) VALUES (2)")).get(30, TimeUnit.SECONDS);
            a.transaction(c -> c.createStatement().executeUpdate("INSERT INTO t(x) VALUES (3)")).get(30, TimeUnit.SECONDS);
            int rows = a.call(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).get(5, TimeUnit.SECONDS);
            assertEquals(2, rows, "the failed transaction's first insert was rolled back");
        }
    }

    /**
     * Work that work in flight queues after close() (a poll's next step) fails with a clear exception and never opens
     * the file again: no descriptor of the database (.db, -wal, -shm) stays open.
     */
    @Test
    void workQueuedAfterCloseFailsAndNothingReopensTheFile() throws Exception {
        Path file = tmp.resolve("c/dutydesk.db");
        SqliteStore s = SqliteStore.open(file);
        s.migrate("a", List.of("CREATE TABLE t (x INTEGER)")).get(30, TimeUnit.SECONDS);
        assertTrue(openDescriptors(file) > 0, "open while in use");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // in flight when the store closes; its next step is queued from the store thread once it ends
        java.util.concurrent.CompletableFuture<Integer> next = s.call(c -> release.await(30, TimeUnit.SECONDS))
                .thenCompose(x -> s.call(c -> {
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }));
        java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture.runAsync(s::close);
        io.dutydesk.testing.Eventually.await("close() begun", java.time.Duration.ofSeconds(30), s::isClosed);
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> next.get(30, TimeUnit.SECONDS));
        assertInstanceOf(SqliteStore.StoreClosedException.class, e.getCause(), String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("is closed"), e.getCause().getMessage());
        ExecutionException later = assertThrows(ExecutionException.class, () -> s.call(c -> 1).get(30, TimeUnit.SECONDS));
        assertInstanceOf(SqliteStore.StoreClosedException.class, later.getCause());
        assertEquals(0, openDescriptors(file), "no descriptor of the database left open");
        s.close(); // again: nothing happens
    }

    /** This process's open descriptors on {@code file} and its -wal and -shm (the links in /proc/self/fd). */
    static long openDescriptors(Path file) throws java.io.IOException {
        Path real = file.toRealPath();
        List<Path> names = List.of(real, Path.of(real + "-wal"), Path.of(real + "-shm"));
        long n = 0;
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (names.contains(Files.readSymbolicLink(fd))) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        }
        return n;
    }

    @Test
    void defaultFileFollowsXdg() {
        assertEquals(Path.of("/x/dutydesk/dutydesk.db"), SqliteStore.defaultFile(Map.of("XDG_DATA_HOME", "/x")::get));
        assertEquals(Path.of("/y.db"), SqliteStore.defaultFile(Map.of("DUTYDESK_STORE", "/y.db", "XDG_DATA_HOME", "/x")::get));
    }
}
