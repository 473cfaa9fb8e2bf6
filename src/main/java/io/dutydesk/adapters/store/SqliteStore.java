package io.dutydesk.adapters.store;

import io.dutydesk.adapters.support.BoundedExecutors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
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
 * <p>All work runs on one thread per process with one connection (WAL, busy timeout), so the window
 * and a CLI run side by side on the same file. The folder is created 0700 and the file 0600: the
 * store holds no secrets, but what the console writes is readable by the user alone.
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

    /** Runs {@code work} on the store's thread with its connection. */
    public <T> CompletableFuture<T> call(Work<T> work) {
        return BoundedExecutors.supply(executor, () -> work.run(connection()));
    }

    /** Runs {@code work} in one transaction (committed on success, rolled back on failure). */
    public <T> CompletableFuture<T> transaction(Work<T> work) {
        return call(c -> inTransaction(c, work));
    }

    /**
     * Brings {@code component}'s schema up to {@code steps.size()}: runs the steps not yet recorded,
     * each in its own transaction with its version bump. Returns the version before. A store written
     * by a newer console (more steps than we know) is left alone.
     */
    public CompletableFuture<Integer> migrate(String component, List<String> steps) {
        return call(c -> {
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
        });
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

    private static <T> T inTransaction(Connection c, Work<T> work) throws Exception {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T r = work.run(c);
            c.commit();
            return r;
        } catch (Exception | Error e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private Connection connection() throws SQLException, IOException {
        if (connection == null) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("PRAGMA foreign_keys = ON");
                st.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
            }
            for (String side : List.of("-wal", "-shm")) {
                Path p = Path.of(file.toAbsolutePath() + side);
                if (Files.exists(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
                }
            }
            connection = c;
        }
        return connection;
    }

    @Override
    public void close() {
        CompletableFuture<Void> closed = BoundedExecutors.supply(executor, () -> {
            if (connection != null) {
                connection.close();
                connection = null;
            }
            return null;
        });
        try {
            closed.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // on the way out
        }
        executor.shutdown();
    }
}
