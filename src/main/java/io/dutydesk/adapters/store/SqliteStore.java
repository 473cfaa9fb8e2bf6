package io.dutydesk.adapters.store;

import io.dutydesk.adapters.support.BoundedExecutors;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The console's one local store: a SQLite file (default {@code $XDG_DATA_HOME/dutydesk/dutydesk.db},
 * {@code ~/.local/share/dutydesk/dutydesk.db}; {@code $DUTYDESK_STORE} overrides) shared by every feature
 * that keeps history or results (outbox samples, alert transitions, backup verifications).
 *
 * <p>The schema is versioned per component: a feature calls {@link #migrate} with its own component
 * name and its ordered list of statements; the table {@code schema_version(component, version)} records
 * how many of them ran, so a newer console applies only the new ones and an older console never sees a
 * half-applied step (each runs in a transaction). Features keep their own tables, keyed by environment.
 *
 * <p>All work runs on one thread per store with one connection (WAL, busy timeout, write transactions
 * begun IMMEDIATE), so the window and a CLI run side by side on the same file; a process opens one
 * store. The folder is created 0700 and the file 0600: the
 * store holds no secrets, but what the console writes is readable by the user alone.
 *
 * <p>{@link #close} refuses new work at once ({@link StoreClosedException}, also for work that work in
 * flight queues: a poll's next step), lets what was queued before it finish, then closes the connection
 * as the store thread's last task: the file is never opened again by this store.
 */
public final class SqliteStore implements AutoCloseable {
    /** Work on the store's connection, on the store's thread. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws Exception;
    }

    private final Path file;
    private final ExecutorService executor = BoundedExecutors.create("store", 1, 1024);
    private Connection connection; // only touched on the store thread
    private boolean shut;          // the connection was closed for good; store thread only
    private final Object closing = new Object();
    private volatile boolean closed; // set (under closing) by close(): no work is accepted after it
    private final java.util.Set<String> current = new java.util.HashSet<>(); // components migrated; store thread only

    private SqliteStore(Path file) {
        this.file = file;
    }

    /** The store's file from the environment: $DUTYDESK_STORE, else $XDG_DATA_HOME/dutydesk/dutydesk.db. */
    public static Path defaultFile(Function<String, String> env) {
        String explicit = env.apply("DUTYDESK_STORE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String data = env.apply("XDG_DATA_HOME");
        Path base = data != null && !data.isBlank() ? Path.of(data) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("dutydesk").resolve("dutydesk.db");
    }

    /** Opens (creating if needed) the store at {@code file}; the file is opened on first use, off the caller's thread. */
    public static SqliteStore open(Path file) {
        return new SqliteStore(file);
    }

    public Path file() {
        return file;
    }

    /** The store was closed: no more work runs on it. */
    public static final class StoreClosedException extends IllegalStateException {
        StoreClosedException(Path file) {
            super("the local store " + file + " is closed (the console is closing)");
        }
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Runs {@code work} on the store's thread with its connection. Once the store is closed it fails
     * with {@link StoreClosedException} and nothing runs.
     */
    public <T> CompletableFuture<T> call(Work<T> work) {
        synchronized (closing) { // queued before close() queues its own task, or refused: the close is the last task
            if (closed) {
                return CompletableFuture.failedFuture(new StoreClosedException(file));
            }
            return BoundedExecutors.supply(executor, () -> work.run(connection()));
        }
    }

    /** Runs {@code work} in one transaction (committed on success, rolled back on failure). */
    public <T> CompletableFuture<T> transaction(Work<T> work) {
        return call(c -> inTransaction(c, work));
    }

    /**
     * A component's tables (e.g. "outbox"): its schema is brought up to {@code steps} by the first call
     * that uses it, on the store's thread before the call's work; a failed migration fails that call
     * only, and the next call tries again (it is never kept failed for the session).
     */
    public Component component(String name, List<String> steps) {
        return new Component(name, List.copyOf(steps));
    }

    /** Work on one component's tables, its schema made current first. */
    public final class Component {
        private final String name;
        private final List<String> steps;

        private Component(String name, List<String> steps) {
            this.name = name;
            this.steps = steps;
        }

        /** Runs {@code work} on the store's thread once the schema is current. */
        public <T> CompletableFuture<T> call(Work<T> work) {
            return SqliteStore.this.call(c -> {
                ensure(c, name, steps);
                return work.run(c);
            });
        }

        /** Runs {@code work} in one write transaction once the schema is current. */
        public <T> CompletableFuture<T> transaction(Work<T> work) {
            return SqliteStore.this.call(c -> {
                ensure(c, name, steps);
                return inTransaction(c, work);
            });
        }
    }

    /** Migrates {@code component} unless this store did so already (on the store thread only). */
    private void ensure(Connection c, String component, List<String> steps) throws Exception {
        if (!current.contains(component)) {
            migrate(c, component, steps);
            current.add(component); // only once it succeeded: a failure is tried again by the next call
        }
    }

    /**
     * Brings {@code component}'s schema up to {@code steps.size()}: runs the steps not yet recorded,
     * each in its own transaction with its version bump. Returns the version before. A store written
     * by a newer console (more steps than we know) is left alone.
     */
    public CompletableFuture<Integer> migrate(String component, List<String> steps) {
        return call(c -> migrate(c, component, steps));
    }

    private static int migrate(Connection c, String component, List<String> steps) throws Exception {
        int before = version(c, component);
        for (int v = before; v < steps.size(); v++) {
            String sql = steps.get(v);
            int next = v + 1;
            inTransaction(c, tx -> {
                if (version(tx, component) >= next) {
                    return null; // another process got there first
                }
                try (Statement st = tx.createStatement()) {
                    st.executeUpdate(sql);
                }
                try (PreparedStatement ps = tx.prepareStatement(
                        "INSERT INTO schema_version(component, version) VALUES (?, ?) "
                                + "ON CONFLICT(component) DO UPDATE SET version = excluded.version")) {
                    ps.setString(1, component);
                    ps.setInt(2, next);
                    ps.executeUpdate();
                }
                return null;
            });
        }
        return before;
    }

    /** The recorded schema version of {@code component} (0 if none). */
    public CompletableFuture<Integer> version(String component) {
        return call(c -> version(c, component));
    }

    private static int version(Connection c, String component) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM schema_version WHERE component = ?")) {
            ps.setString(1, component);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /**
     * {@code work} in one write transaction. It begins IMMEDIATE: the write lock is taken (waiting up to
     * the busy timeout) before anything is read. A DEFERRED transaction that reads and then writes
     * while another connection writes fails at once with SQLITE_BUSY(_SNAPSHOT): SQLite does not
     * wait there, as waiting could deadlock. Committed by leaving the driver's transaction mode, so
     * no next transaction (and write lock) is begun after the commit.
     */
    private static <T> T inTransaction(Connection c, Work<T> work) throws Exception {
        try {
            c.setAutoCommit(false); // BEGIN IMMEDIATE
        } catch (SQLException e) {
            restoreAutoCommit(c); // the driver set the mode before BEGIN failed: undo it
            throw e;
        }
        boolean committed = false;
        try {
            T r = work.run(c);
            c.setAutoCommit(true); // COMMIT
            committed = true;
            return r;
        } finally {
            if (!committed) {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK"); // not Connection.rollback(): it would BEGIN again at once
                } catch (SQLException ignored) {
                    // no transaction left to roll back
                }
                restoreAutoCommit(c);
            }
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true); // its COMMIT fails when no transaction is open; the mode is set before
        } catch (SQLException ignored) {
            // see above
        }
    }

    private Connection connection() throws SQLException, IOException {
        if (shut) {
            throw new StoreClosedException(file); // never opened again once closed
        }
        if (connection == null) {
            connection = openConnection(file.toAbsolutePath());
        }
        return connection;
    }

    /**
     * The store's connection: the folder (0700) and the file (0600) made if missing, WAL mode, the
     * schema_version table. Several consoles may do this at the same moment on a fresh file.
     */
    static Connection openConnection(Path file) throws SQLException, IOException {
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file)) {
            createFresh(file);
        }
        Connection c = connect(file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL"); // already so: nothing written, no lock taken
            st.execute("PRAGMA synchronous = NORMAL");
            st.execute("PRAGMA foreign_keys = ON");
            st.executeUpdate(SCHEMA_VERSION);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        for (String side : List.of("-wal", "-shm")) {
            Path p = Path.of(file + side);
            if (Files.exists(p)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
            }
        }
        return c;
    }

    private static final String SCHEMA_VERSION =
            "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)";

    /** A connection with the busy timeout set before its first statement, and IMMEDIATE write transactions. */
    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    static final int BUSY_TIMEOUT_MS = 5000;

    /**
     * Makes a new store at {@code file} atomically: built under a temporary name in the same folder
     * (WAL mode, the schema_version table), then hard-linked to its name, which fails if another
     * console made it first (then theirs is used). Switching a file to WAL takes the write lock while
     * holding a read lock, the one step where SQLite returns SQLITE_BUSY without waiting: done on the
     * private file, no console ever races another for it. Where the file system has no hard links,
     * an empty file is made (and switched on open, as before).
     */
    private static void createFresh(Path file) throws IOException, SQLException {
        Path tmp = Files.createTempFile(file.getParent(), ".new-", ".db",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (Connection c = connect(tmp); Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.executeUpdate(SCHEMA_VERSION);
            } // the only connection closed: its WAL is checkpointed into the file and removed
            try {
                Files.createLink(file, tmp);
            } catch (java.nio.file.FileAlreadyExistsException theirs) {
                // another console made it first: that one is used, this one goes
            } catch (UnsupportedOperationException | IOException noLinks) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (java.nio.file.FileAlreadyExistsException theirs) {
                    // another console made it first
                }
            }
        } finally {
            for (String side : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(Path.of(tmp + side));
            }
        }
    }

    /**
     * Refuses new work at once, lets the work queued before it finish and closes the connection as the
     * store thread's last task (waiting for it up to 5 s). Work queued later, by work in flight too,
     * fails with {@link StoreClosedException}: nothing opens the file again.
     */
    @Override
    public void close() {
        CompletableFuture<Void> last = new CompletableFuture<>();
        synchronized (closing) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                executor.execute(() -> {
                    closeConnection();
                    last.complete(null);
                });
            } catch (java.util.concurrent.RejectedExecutionException full) {
                last.completeExceptionally(full); // the queue is full: closed once it has drained, below
            }
            executor.shutdown(); // what is queued still runs; nothing more is accepted
        }
        try {
            if (last.isCompletedExceptionally()) {
                if (executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    closeConnection(); // the store thread is gone: this thread is the only one left
                }
            } else {
                last.get(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // on the way out: the close still runs as the last task
        }
    }

    private void closeConnection() {
        shut = true;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // on the way out
            }
            connection = null;
        }
    }
}
