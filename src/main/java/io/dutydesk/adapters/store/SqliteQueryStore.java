package io.dutydesk.adapters.store;

import io.dutydesk.core.metrics.QueryStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The Metrics pane's query history and saved queries in the local store (component "metrics"). */
public final class SqliteQueryStore implements QueryStore {
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE metrics_history (env TEXT NOT NULL, expr TEXT NOT NULL, last_run INTEGER NOT NULL, "
                    + "PRIMARY KEY (env, expr))",
            "CREATE TABLE metrics_saved (env TEXT NOT NULL, name TEXT NOT NULL, expr TEXT NOT NULL, saved_at INTEGER NOT NULL, "
                    + "PRIMARY KEY (env, name))");
    static final int HISTORY_KEEP = 200;

    private final SqliteStore.Component store;

    public SqliteQueryStore(SqliteStore store) {
        this.store = store.component("metrics", MIGRATIONS);
    }

    @Override
    public CompletableFuture<List<String>> history(String env, int max) {
        return store.call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT expr FROM metrics_history WHERE env = ? ORDER BY last_run DESC, rowid DESC LIMIT ?")) {
                ps.setString(1, env);
                ps.setInt(2, max);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public CompletableFuture<Void> addHistory(String env, String expr) {
        return store.transaction(c -> {
            // last_run is an order key (a sequence), not a clock: two runs in one millisecond keep their order
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics_history(env, expr, last_run) VALUES (?, ?, "
                    + "(SELECT COALESCE(MAX(last_run), 0) + 1 FROM metrics_history)) "
                    + "ON CONFLICT(env, expr) DO UPDATE SET last_run = excluded.last_run")) {
                ps.setString(1, env);
                ps.setString(2, expr);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM metrics_history WHERE env = ? AND expr NOT IN "
                    + "(SELECT expr FROM metrics_history WHERE env = ? ORDER BY last_run DESC LIMIT ?)")) {
                ps.setString(1, env);
                ps.setString(2, env);
                ps.setInt(3, HISTORY_KEEP);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<Saved>> saved(String env) {
        return store.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, expr FROM metrics_saved WHERE env = ? ORDER BY name")) {
                ps.setString(1, env);
                List<Saved> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Saved(rs.getString(1), rs.getString(2)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public CompletableFuture<Void> save(String env, String name, String expr) {
        return store.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metrics_saved(env, name, expr, saved_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT(env, name) DO UPDATE SET expr = excluded.expr, saved_at = excluded.saved_at")) {
                ps.setString(1, env);
                ps.setString(2, name);
                ps.setString(3, expr);
                ps.setLong(4, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> deleteSaved(String env, String name) {
        return store.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM metrics_saved WHERE env = ? AND name = ?")) {
                ps.setString(1, env);
                ps.setString(2, name);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
