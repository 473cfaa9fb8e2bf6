package io.dutydesk.adapters.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Tracked;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.core.alerts.Transitions;
import io.dutydesk.core.ports.AlertHistory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The alert history in the console's one local store (component "alerts"): every transition, the alerts
 * still open, and the last successful poll, per environment. Every change runs in one transaction that
 * first reads what the store knows, so a window and a CLI on the same file do not record a change twice.
 */
public final class SqliteAlertHistory implements AlertHistory {
    public static final String COMPONENT = "alerts";
    static final List<String> MIGRATIONS = List.of(
            "CREATE TABLE alert_transitions (id INTEGER PRIMARY KEY AUTOINCREMENT, env TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                    + "alertname TEXT NOT NULL, event TEXT NOT NULL, at_ms INTEGER NOT NULL, source TEXT NOT NULL, labels TEXT NOT NULL)",
            "CREATE INDEX alert_transitions_env_at ON alert_transitions(env, at_ms)",
            "CREATE TABLE alert_open (env TEXT NOT NULL, fingerprint TEXT NOT NULL, alertname TEXT NOT NULL, "
                    + "silenced INTEGER NOT NULL, since_ms INTEGER NOT NULL, labels TEXT NOT NULL, PRIMARY KEY (env, fingerprint))",
            "CREATE TABLE alert_polls (env TEXT PRIMARY KEY, last_poll_ms INTEGER NOT NULL)",
            // an open alert Alertmanager dropped while its source could not fire or resolve it: unknown, not resolved
            "ALTER TABLE alert_open ADD COLUMN unknown_since_ms INTEGER",
            // an alert that fires again starts no earlier than its last resolution: found per alert
            "CREATE INDEX alert_transitions_env_fp ON alert_transitions(env, fingerprint, event, at_ms)");
    private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {};

    private final SqliteStore.Component store;

    /** The schema is brought up on first use (a CLI verb that never touches the history never opens the file). */
    public SqliteAlertHistory(SqliteStore store) {
        this.store = store.component(COMPONENT, MIGRATIONS);
    }

    private <T> CompletableFuture<T> tx(SqliteStore.Work<T> work) {
        return store.transaction(work);
    }

    @Override
    public CompletableFuture<Optional<Instant>> lastPoll(String env) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_poll_ms FROM alert_polls WHERE env = ?")) {
                ps.setString(1, env);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public CompletableFuture<Map<String, Tracked>> open(String env) {
        return tx(c -> {
            Map<String, String> raw = new HashMap<>();
            Map<String, Tracked> open = load(c, env, raw);
            Map<String, Tracked> out = new LinkedHashMap<>();
            open.forEach((fp, t) -> out.put(fp, new Tracked(fp, t.alertname(), t.silenced(), t.since(), labels(raw.get(fp)),
                    t.unknownSince())));
            return out;
        });
    }

    /** The open alerts, labels left as JSON in {@code rawLabels} (parsed only for the few that resolve). */
    private static Map<String, Tracked> load(Connection c, String env, Map<String, String> rawLabels) throws SQLException {
        Map<String, Tracked> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT fingerprint, alertname, silenced, since_ms, labels, unknown_since_ms FROM alert_open WHERE env = ?")) {
            ps.setString(1, env);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String fp = rs.getString(1);
                    long unknownMs = rs.getLong(6);
                    Instant unknown = rs.wasNull() ? null : Instant.ofEpochMilli(unknownMs);
                    out.put(fp, new Tracked(fp, rs.getString(2), rs.getInt(3) != 0, Instant.ofEpochMilli(rs.getLong(4)), Map.of(),
                            unknown));
                    rawLabels.put(fp, rs.getString(5));
                }
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<List<Transition>> observe(AlertsFeed feed) {
        return observe(feed, Transitions.Judge.RESOLVED).thenApply(Observation::transitions);
    }

    @Override
    public CompletableFuture<Observation> observe(AlertsFeed feed, Transitions.Judge judge) {
        return tx(c -> {
            Map<String, String> raw = new HashMap<>();
            Map<String, Tracked> open = load(c, feed.environment(), raw);
            Transitions.Diff diff = Transitions.diff(open, feed, judge, lastResolved(c, feed, open));
            List<Transition> recorded = new ArrayList<>(diff.transitions().size());
            for (Transition t : diff.transitions()) {
                recorded.add(t.event().equals(Transition.RESOLVED) || t.event().equals(Transition.UNKNOWN)
                        ? new Transition(t.fingerprint(), t.alertname(), t.event(), t.at(), t.source(), labels(raw.get(t.fingerprint())))
                        : t);
            }
            apply(c, feed.environment(), recorded);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_polls(env, last_poll_ms) VALUES (?, ?) "
                    + "ON CONFLICT(env) DO UPDATE SET last_poll_ms = excluded.last_poll_ms")) {
                ps.setString(1, feed.environment());
                ps.setLong(2, feed.takenAt().toEpochMilli());
                ps.executeUpdate();
            }
            Map<String, Tracked> after = new LinkedHashMap<>();
            diff.open().forEach((fp, t) -> after.put(fp, t.unknown() && t.labels().isEmpty() ? new Tracked(fp, t.alertname(),
                    t.silenced(), t.since(), labels(raw.get(fp)), t.unknownSince()) : t));
            return new Observation(List.copyOf(recorded), after);
        });
    }

    /** When each alert of the feed that is not open last resolved, if it ever did. */
    private static Map<String, Instant> lastResolved(Connection c, AlertsFeed feed, Map<String, Tracked> open) throws SQLException {
        Map<String, Instant> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(at_ms) FROM alert_transitions WHERE env = ? AND fingerprint = ? "
                + "AND event = 'resolved'")) {
            for (io.dutydesk.core.alerts.Alert a : feed.alerts()) {
                if (open.containsKey(a.fingerprint()) || out.containsKey(a.fingerprint())) {
                    continue;
                }
                ps.setString(1, feed.environment());
                ps.setString(2, a.fingerprint());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long ms = rs.getLong(1);
                        if (!rs.wasNull()) {
                            out.put(a.fingerprint(), Instant.ofEpochMilli(ms));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Void> record(String env, List<Transition> transitions) {
        return tx(c -> {
            record(c, env, transitions, load(c, env, new HashMap<>()));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> recordPast(String env, List<Transition> transitions) {
        return tx(c -> {
            Map<String, Tracked> open = load(c, env, new HashMap<>());
            java.util.Set<String> before = java.util.Set.copyOf(open.keySet());
            // an alert open now is the live history's: the past of the same alert is not applied to it
            record(c, env, transitions.stream().filter(t -> !before.contains(t.fingerprint())).toList(), open);
            if (!load(c, env, new HashMap<>()).keySet().equals(before)) {
                throw new IllegalStateException("a late catch-up would change the open alerts: " + transitions);
            }
            return null;
        });
    }

    private static void record(Connection c, String env, List<Transition> transitions, Map<String, Tracked> open) throws Exception {
        List<Transition> changes = new ArrayList<>();
        for (Transition t : transitions) {
            if (recorded(c, env, t)) {
                continue; // the same reconstruction, already recorded (another console, an earlier catch-up)
            }
            boolean isOpen = open.containsKey(t.fingerprint());
            switch (t.event()) {
                case Transition.FIRING -> {
                    if (!isOpen) {
                        changes.add(t);
                        open.put(t.fingerprint(), new Tracked(t.fingerprint(), t.alertname(), false, t.at(), t.labels()));
                    }
                }
                case Transition.RESOLVED -> {
                    if (isOpen) {
                        changes.add(t);
                        open.remove(t.fingerprint());
                    }
                }
                default -> {
                    if (isOpen) {
                        changes.add(t);
                    }
                }
            }
        }
        apply(c, env, changes);
    }

    private static boolean recorded(Connection c, String env, Transition t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM alert_transitions WHERE env = ? AND at_ms = ? "
                + "AND fingerprint = ? AND event = ?")) {
            ps.setString(1, env);
            ps.setLong(2, t.at().toEpochMilli());
            ps.setString(3, t.fingerprint());
            ps.setString(4, t.event());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Inserts the transitions and brings alert_open in line with them. */
    private static void apply(Connection c, String env, List<Transition> ts) throws Exception {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO alert_transitions(env, fingerprint, alertname, event, at_ms, "
                + "source, labels) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement open = c.prepareStatement("INSERT INTO alert_open(env, fingerprint, alertname, silenced, since_ms, labels) "
                     + "VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT(env, fingerprint) DO UPDATE SET unknown_since_ms = NULL");
             PreparedStatement unknown = c.prepareStatement("UPDATE alert_open SET unknown_since_ms = ? WHERE env = ? AND fingerprint = ?");
             PreparedStatement silence = c.prepareStatement("UPDATE alert_open SET silenced = ? WHERE env = ? AND fingerprint = ?");
             PreparedStatement close = c.prepareStatement("DELETE FROM alert_open WHERE env = ? AND fingerprint = ?")) {
            for (Transition t : ts) {
                String labels = io.dutydesk.adapters.support.Jackson.plain().writeValueAsString(new TreeMap<>(t.labels()));
                ins.setString(1, env);
                ins.setString(2, t.fingerprint());
                ins.setString(3, t.alertname());
                ins.setString(4, t.event());
                ins.setLong(5, t.at().toEpochMilli());
                ins.setString(6, t.source());
                ins.setString(7, labels);
                ins.addBatch();
                switch (t.event()) {
                    case Transition.FIRING -> {
                        open.setString(1, env);
                        open.setString(2, t.fingerprint());
                        open.setString(3, t.alertname());
                        open.setLong(4, t.at().toEpochMilli());
                        open.setString(5, labels);
                        open.executeUpdate();
                    }
                    case Transition.SILENCED, Transition.UNSILENCED -> {
                        silence.setInt(1, t.event().equals(Transition.SILENCED) ? 1 : 0);
                        silence.setString(2, env);
                        silence.setString(3, t.fingerprint());
                        silence.executeUpdate();
                    }
                    case Transition.KNOWN -> {
                        unknown.setNull(1, java.sql.Types.INTEGER);
                        unknown.setString(2, env);
                        unknown.setString(3, t.fingerprint());
                        unknown.executeUpdate();
                    }
                    case Transition.UNKNOWN -> {
                        unknown.setLong(1, t.at().toEpochMilli());
                        unknown.setString(2, env);
                        unknown.setString(3, t.fingerprint());
                        unknown.executeUpdate();
                    }
                    case Transition.RESOLVED -> {
                        close.setString(1, env);
                        close.setString(2, t.fingerprint());
                        close.executeUpdate();
                    }
                    default -> { }
                }
            }
            ins.executeBatch();
        }
    }

    @Override
    public CompletableFuture<List<Transition>> since(String env, Instant since) {
        return tx(c -> {
            List<Transition> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, alertname, event, at_ms, source, labels "
                    + "FROM alert_transitions WHERE env = ? AND at_ms >= ? ORDER BY at_ms, id")) {
                ps.setString(1, env);
                ps.setLong(2, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Transition(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                                rs.getString(5), labels(rs.getString(6))));
                    }
                }
            }
            return out;
        });
    }

    private static Map<String, String> labels(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return java.util.Collections.unmodifiableMap(io.dutydesk.adapters.support.Jackson.plain().readValue(json, LABELS));
        } catch (Exception e) {
            return Map.of();
        }
    }
}
