package io.dutydesk.adapters.store;

import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.ports.CheckHistory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The morning checklist's runs in the console's one local store (component {@code checks}): one row per run and
 * environment, one per check of it, so that yesterday's and last week's runs are read back as they were shown.
 */
public final class SqliteCheckHistory implements CheckHistory {
    static final String COMPONENT = "checks";
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE check_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, environment TEXT NOT NULL, at_ms INTEGER NOT NULL,"
                    + " actor TEXT NOT NULL, previous_at_ms INTEGER)",
            "CREATE INDEX check_runs_env_at ON check_runs (environment, at_ms)",
            "CREATE TABLE check_results (run_id INTEGER NOT NULL REFERENCES check_runs(id) ON DELETE CASCADE,"
                    + " position INTEGER NOT NULL, check_id TEXT NOT NULL, title TEXT NOT NULL, source TEXT NOT NULL,"
                    + " status TEXT NOT NULL, evidence TEXT NOT NULL, details TEXT NOT NULL, pane TEXT NOT NULL,"
                    + " previous_status TEXT, took_ms INTEGER NOT NULL, PRIMARY KEY (run_id, position)) WITHOUT ROWID");

    private final SqliteStore.Component store;

    /** Nothing is read or written before the first call (which brings the schema up). */
    public SqliteCheckHistory(SqliteStore store) {
        this.store = store.component(COMPONENT, MIGRATIONS);
    }

    @Override
    public CompletableFuture<Long> save(CheckRun run) {
        return store.transaction(c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO check_runs(environment, at_ms, actor, previous_at_ms)"
                    + " VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, run.env());
                ps.setLong(2, run.at().toEpochMilli());
                ps.setString(3, run.actor());
                if (run.previousAt().isPresent()) {
                    ps.setLong(4, run.previousAt().get().toEpochMilli());
                } else {
                    ps.setNull(4, Types.INTEGER);
                }
                ps.executeUpdate();
                try (ResultSet k = ps.getGeneratedKeys()) {
                    k.next();
                    id = k.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO check_results(run_id, position, check_id, title, source,"
                    + " status, evidence, details, pane, previous_status, took_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int pos = 0;
                for (CheckResult r : run.checks()) {
                    ps.setLong(1, id);
                    ps.setInt(2, pos++);
                    ps.setString(3, r.id());
                    ps.setString(4, r.title());
                    ps.setString(5, r.source().id());
                    ps.setString(6, r.status().id());
                    ps.setString(7, r.evidence());
                    ps.setString(8, String.join("\n", r.details().stream().map(d -> d.replace('\n', ' ')).toList()));
                    ps.setString(9, r.pane());
                    ps.setString(10, r.previous().map(CheckStatus::id).orElse(null));
                    ps.setLong(11, r.took().toMillis());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return id;
        });
    }

    @Override
    public CompletableFuture<Optional<CheckRun>> latestAtOrBefore(String env, Instant at) {
        return store.call(c -> runs(c, "SELECT id, environment, at_ms, actor, previous_at_ms FROM check_runs"
                + " WHERE environment = ? AND at_ms <= ? ORDER BY at_ms DESC, id DESC LIMIT 1", env, at.toEpochMilli())
                .stream().findFirst());
    }

    @Override
    public CompletableFuture<List<CheckRun>> between(String env, Instant from, Instant to) {
        return store.call(c -> runs(c, "SELECT id, environment, at_ms, actor, previous_at_ms FROM check_runs"
                + " WHERE environment = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms DESC, id DESC", env, from.toEpochMilli(),
                to.toEpochMilli()));
    }

    @Override
    public CompletableFuture<Integer> prune(Instant before) {
        return store.transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM check_results WHERE run_id IN"
                    + " (SELECT id FROM check_runs WHERE at_ms < ?)");
                 PreparedStatement r = c.prepareStatement("DELETE FROM check_runs WHERE at_ms < ?")) {
                d.setLong(1, before.toEpochMilli());
                d.executeUpdate();
                r.setLong(1, before.toEpochMilli());
                return r.executeUpdate();
            }
        });
    }

    private static List<CheckRun> runs(Connection c, String sql, String env, long... times) throws SQLException {
        List<CheckRun> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, env);
            for (int i = 0; i < times.length; i++) {
                ps.setLong(2 + i, times[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long prev = rs.getLong(5);
                    Optional<Instant> previousAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(prev));
                    out.add(new CheckRun(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                            List.of(), previousAt));
                }
            }
        }
        List<CheckRun> full = new ArrayList<>();
        for (CheckRun r : out) {
            full.add(new CheckRun(r.id(), r.env(), r.at(), r.actor(), results(c, r.id()), r.previousAt()));
        }
        return full;
    }

    private static List<CheckResult> results(Connection c, long runId) throws SQLException {
        List<CheckResult> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT check_id, title, source, status, evidence, details, pane,"
                + " previous_status, took_ms FROM check_results WHERE run_id = ? ORDER BY position")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String details = rs.getString(6);
                    String prev = rs.getString(8);
                    out.add(new CheckResult(rs.getString(1), rs.getString(2), CheckSource.of(rs.getString(3)),
                            CheckStatus.parse(rs.getString(4)), rs.getString(5),
                            details.isEmpty() ? List.of() : Arrays.asList(details.split("\n", -1)), rs.getString(7),
                            Optional.ofNullable(prev).map(CheckStatus::parse), Duration.ofMillis(rs.getLong(9))));
                }
            }
        }
        return out;
    }
}
