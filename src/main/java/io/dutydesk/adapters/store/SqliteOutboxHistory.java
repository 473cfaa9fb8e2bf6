package io.dutydesk.adapters.store;

import io.dutydesk.core.outbox.BacklogSample;
import io.dutydesk.core.ports.OutboxHistory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The backlog's history in the console's one local store (component {@code outbox}): one row per
 * sample and environment, what this console polled ({@code console}) or what Prometheus filled in
 * for the time it was closed ({@code prometheus}).
 */
public final class SqliteOutboxHistory implements OutboxHistory {
    static final String COMPONENT = "outbox";
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE outbox_samples (environment TEXT NOT NULL, at_ms INTEGER NOT NULL, source TEXT NOT NULL,"
                    + " pending INTEGER, oldest_pending_age_s INTEGER, stream_length INTEGER, group_lag INTEGER,"
                    + " PRIMARY KEY (environment, at_ms, source)) WITHOUT ROWID",
            "CREATE INDEX outbox_samples_at ON outbox_samples (at_ms)");

    private final SqliteStore.Component store;

    /** Nothing is read or written before the first call (which brings the schema up). */
    public SqliteOutboxHistory(SqliteStore store) {
        this.store = store.component(COMPONENT, MIGRATIONS);
    }

    @Override
    public CompletableFuture<Void> append(String environment, List<BacklogSample> samples) {
        return store.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO outbox_samples(environment, at_ms, source,"
                    + " pending, oldest_pending_age_s, stream_length, group_lag) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (BacklogSample s : samples) {
                    ps.setString(1, environment);
                    ps.setLong(2, s.at().toEpochMilli());
                    ps.setString(3, s.source().id());
                    set(ps, 4, s.pending());
                    set(ps, 5, s.oldestPendingAgeSeconds());
                    set(ps, 6, s.streamLength());
                    set(ps, 7, s.groupLag());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<BacklogSample>> since(String environment, Instant from) {
        return store.call(c -> read(c, environment, from));
    }

    private static List<BacklogSample> read(Connection c, String environment, Instant from) throws SQLException {
        List<BacklogSample> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT at_ms, source, pending, oldest_pending_age_s, stream_length,"
                + " group_lag FROM outbox_samples WHERE environment = ? AND at_ms >= ? ORDER BY at_ms")) {
            ps.setString(1, environment);
            ps.setLong(2, from.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new BacklogSample(Instant.ofEpochMilli(rs.getLong(1)), get(rs, 3), get(rs, 4), get(rs, 5), get(rs, 6),
                            "prometheus".equals(rs.getString(2)) ? BacklogSample.Source.PROMETHEUS : BacklogSample.Source.CONSOLE));
                }
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Integer> prune(Instant before) {
        return store.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox_samples WHERE at_ms < ?")) {
                ps.setLong(1, before.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    private static void set(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Long get(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
