package io.dutydesk.adapters.store;

import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.ports.VerificationResults;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Backup verification results in the one local store, component "backups". */
public final class SqliteVerificationResults implements VerificationResults {
    static final String COMPONENT = "backups";
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE backup_verification (env TEXT NOT NULL, path TEXT NOT NULL, size_bytes INTEGER NOT NULL, "
                    + "modified_at INTEGER NOT NULL, ok INTEGER NOT NULL, detail TEXT NOT NULL, checked_at INTEGER NOT NULL, "
                    + "PRIMARY KEY (env, path))");

    private final SqliteStore.Component store;

    public SqliteVerificationResults(SqliteStore store) {
        this.store = store.component(COMPONENT, MIGRATIONS);
    }

    @Override
    public CompletableFuture<Void> save(String env, Verification v) {
        return store.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO backup_verification"
                    + "(env, path, size_bytes, modified_at, ok, detail, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT(env, path) DO UPDATE SET size_bytes = excluded.size_bytes, modified_at = excluded.modified_at, "
                    + "ok = excluded.ok, detail = excluded.detail, checked_at = excluded.checked_at")) {
                ps.setString(1, env);
                ps.setString(2, v.path());
                ps.setLong(3, v.sizeBytes());
                ps.setLong(4, v.modifiedAt().getEpochSecond());
                ps.setInt(5, v.ok() ? 1 : 0);
                ps.setString(6, v.detail());
                ps.setLong(7, v.checkedAt().toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> forgetPassed(String env, String path) {
        return store.call(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM backup_verification WHERE env = ? AND path = ? AND ok = 1")) {
                ps.setString(1, env);
                ps.setString(2, path);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Map<String, Verification>> load(String env) {
        return store.call(c -> {
            Map<String, Verification> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT path, size_bytes, modified_at, ok, detail, checked_at "
                    + "FROM backup_verification WHERE env = ?")) {
                ps.setString(1, env);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new Verification(rs.getString(1), rs.getLong(2),
                                Instant.ofEpochSecond(rs.getLong(3)), rs.getInt(4) == 1, rs.getString(5),
                                Instant.ofEpochMilli(rs.getLong(6))));
                    }
                }
            }
            return Map.copyOf(out);
        });
    }
}
