package io.dutydesk.adapters.postgres;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.ChannelSocket;
import io.dutydesk.adapters.support.TunnelCalls;
import io.dutydesk.adapters.support.TunnelErrors;
import io.dutydesk.core.Backend;
import io.dutydesk.core.MisconfiguredException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.BacklogPort;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.Tunnels;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * PostgreSQL through in-process SSH channels (pgjdbc's {@code socketFactory}: {@link ChannelSocketFactory}),
 * with the password from the secret resolver: no local port, so nothing else on the workstation can
 * reach the database through the console, whatever the server's own authentication.
 */
public final class PostgresAdapter implements BackendProbe, OutboxPort, BacklogPort, io.dutydesk.core.ports.OutboxSchemaPort,
        AutoCloseable {
    private final Environment.Postgres config;
    private final Environment.Outbox outbox;
    private final Tunnels tunnels;
    private final Supplier<CompletableFuture<Optional<char[]>>> password;
    private final Duration timeout;
    private final BacklogQueries sql;
    private volatile Runnable onAuthFailure = () -> { };
    private final ExecutorService executor = BoundedExecutors.create("postgres", 2, 32);
    private final String channels;
    private Connection connection;

    public PostgresAdapter(Environment.Postgres config, Environment.Outbox outbox, Tunnels tunnels,
                           Supplier<CompletableFuture<Optional<char[]>>> password, Duration timeout) {
        this.config = config;
        this.outbox = outbox;
        this.tunnels = tunnels;
        this.password = password;
        this.timeout = timeout;
        this.sql = new BacklogQueries(outbox);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.channels = ChannelSocketFactory.register(() -> ChannelSocket.open(tunnels, config.host(), config.port(), ms));
    }

    /** Run when the server refuses the password (e.g. to forget it, so it is asked for again). */
    public void onAuthFailure(Runnable r) {
        this.onAuthFailure = r;
    }

    @Override
    public Backend backend() {
        return Backend.POSTGRES;
    }

    @Override
    public CompletableFuture<Void> ping() {
        return TunnelCalls.withPassword(password, executor, pw -> {
            try {
                readOnly(pw, c -> {
                    try (Statement st = c.createStatement()) {
                        st.setQueryTimeout(seconds());
                        // the outbox table and its columns, planned only (WHERE false reads no row)
                        try (ResultSet rs = st.executeQuery(sql.shape())) {
                            rs.next();
                        }
                    }
                    return null;
                });
            } catch (SQLException e) {
                throw failure("PostgreSQL " + config.host() + ":" + config.port(), e);
            }
            return null;
        });
    }

    /**
     * Rows per status by the console's names: the open statuses counted exactly (index-served), the
     * published total the planner's estimate. Never a full count of the table.
     */
    @Override
    public CompletableFuture<Map<String, Long>> countsByStatus() {
        return backlog().thenApply(b -> {
            Map<String, Long> out = new LinkedHashMap<>();
            out.put("pending", b.pending());
            if (sql.processing != null) { // an outbox without an in-flight state has no processing count, not 0
                out.put("processing", b.processing());
            }
            out.put("published", b.publishedEstimate() == null ? 0L : b.publishedEstimate());
            out.put("failed", b.failed());
            return java.util.Collections.unmodifiableMap(out);
        });
    }

    @Override
    public CompletableFuture<RowsSince> rowsSince(java.time.Instant since) {
        return TunnelCalls.withPassword(password, executor, pw -> {
            try {
                return readOnly(pw, c -> {
                    try (java.sql.PreparedStatement st = c.prepareStatement(sql.rowsSince())) {
                        st.setQueryTimeout(seconds());
                        st.setObject(1, java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
                        try (java.sql.ResultSet rs = st.executeQuery()) {
                            rs.next();
                            java.time.OffsetDateTime newest = rs.getObject(1, java.time.OffsetDateTime.class);
                            return new RowsSince(since, java.util.Optional.ofNullable(newest).map(java.time.OffsetDateTime::toInstant), rs.getLong(2));
                        }
                    }
                });
            } catch (SQLException e) {
                throw failure("PostgreSQL " + config.host() + ":" + config.port() + " (" + outbox.table() + ")", e);
            }
        });
    }

    /**
     * One gentle poll of the outbox, in one read-only transaction with a statement timeout: the
     * counts of the open statuses, the 10 oldest pending events, the published estimate, and
     * whether an index serves these queries. Nothing is ever written.
     */
    @Override
    public CompletableFuture<OutboxBacklog> backlog() {
        return TunnelCalls.withPassword(password, executor, pw -> {
            try {
                return readOnly(pw, c -> readBacklog(c));
            } catch (SQLException e) {
                throw failure("PostgreSQL " + config.host() + ":" + config.port() + " (" + outbox.table() + ")", e);
            }
        });
    }

    /**
     * What the database has of the configured outbox ({@code dutydesk doctor}): the table, whether the role may read
     * it, its columns, the status values a CHECK constraint on the status column (its string literals) or the
     * column's enum type allow, and, for the values in {@code statusValues} those do not allow, whether a row has one
     * (index-served where the open statuses' index exists; bounded by the statement timeout). Read-only.
     */
    @Override
    public CompletableFuture<io.dutydesk.core.doctor.OutboxSchema> schema(java.util.Collection<String> statusValues) {
        List<String> values = List.copyOf(statusValues);
        return TunnelCalls.withPassword(password, executor, pw -> {
            try {
                return readOnly(pw, c -> readSchema(c, values));
            } catch (SQLException e) {
                throw failure("PostgreSQL " + config.host() + ":" + config.port() + " (" + outbox.table() + ")", e);
            }
        });
    }

    private io.dutydesk.core.doctor.OutboxSchema readSchema(Connection c, List<String> values) throws SQLException {
        long oid;
        try (var st = c.prepareStatement("SELECT to_regclass(?)::oid")) {
            st.setQueryTimeout(seconds());
            st.setString(1, outbox.table());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                oid = rs.getLong(1);
                if (rs.wasNull()) {
                    return io.dutydesk.core.doctor.OutboxSchema.noTable();
                }
            }
        }
        boolean canSelect;
        try (var st = c.prepareStatement("SELECT has_table_privilege(?::oid, 'SELECT')")) {
            st.setQueryTimeout(seconds());
            st.setLong(1, oid);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                canSelect = rs.getBoolean(1);
            }
        }
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, long[]> attrs = new LinkedHashMap<>(); // name -> attnum, type oid, is enum
        try (var st = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnum, a.atttypid,"
                + " t.typtype = 'e' FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            st.setQueryTimeout(seconds());
            st.setLong(1, oid);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                    attrs.put(rs.getString(1), new long[] {rs.getLong(3), rs.getLong(4), rs.getBoolean(5) ? 1 : 0});
                }
            }
        }
        String statusColumn = outbox.columns().get("status");
        long[] status = attrs.get(statusColumn);
        if (status == null || !canSelect) {
            return new io.dutydesk.core.doctor.OutboxSchema(true, canSelect, columns, Optional.empty(), Map.of());
        }
        List<String> allowed = new ArrayList<>();
        boolean declared = false;
        if (status[2] == 1) {
            declared = true;
            try (var st = c.prepareStatement("SELECT enumlabel FROM pg_enum WHERE enumtypid = ?::oid ORDER BY enumsortorder")) {
                st.setQueryTimeout(seconds());
                st.setLong(1, status[1]);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        allowed.add(rs.getString(1));
                    }
                }
            }
        } else {
            try (var st = c.prepareStatement("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                    + " WHERE conrelid = ?::oid AND contype = 'c' AND conkey = ARRAY[?::smallint]")) {
                st.setQueryTimeout(seconds());
                st.setLong(1, oid);
                st.setInt(2, (int) status[0]);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        declared = true;
                        for (String v : literals(rs.getString(1))) {
                            if (!allowed.contains(v)) {
                                allowed.add(v);
                            }
                        }
                    }
                }
            }
        }
        Map<String, Boolean> rows = new LinkedHashMap<>();
        for (String v : values) {
            if (allowed.contains(v) || status[2] == 1) {
                continue; // declared; an enum column cannot hold a value that is not one of its labels
            }
            try (var st = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + outbox.table() + " WHERE " + statusColumn + " = ?)")) {
                st.setQueryTimeout(seconds());
                st.setString(1, v);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    rows.put(v, rs.getBoolean(1));
                }
            }
        }
        return new io.dutydesk.core.doctor.OutboxSchema(true, true, columns, declared ? Optional.of(allowed) : Optional.empty(), rows);
    }

    /** The string literals of a constraint's definition ({@code CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))}). */
    static List<String> literals(String definition) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'((?:[^']|'')*)'").matcher(definition);
        while (m.find()) {
            out.add(m.group(1).replace("''", "'"));
        }
        return out;
    }

    private OutboxBacklog readBacklog(Connection c) throws SQLException {
        Instant takenAt = Instant.now();
        long pending = 0;
        long processing = 0;
        long failed = 0;
        boolean indexOk;
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(seconds());
            try (ResultSet rs = st.executeQuery(sql.servingIndexes())) {
                indexOk = rs.next();
            }
            try (ResultSet rs = st.executeQuery(sql.counts())) {
                while (rs.next()) {
                    String v = rs.getString(1);
                    long n = rs.getLong(2);
                    if (v.equals(sql.pending)) {
                        pending = n;
                    } else if (v.equals(sql.processing)) {
                        processing = n;
                    } else if (v.equals(sql.failed)) {
                        failed = n;
                    }
                }
            }
            List<OutboxBacklog.OldEvent> oldest = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(sql.oldest(10))) {
                while (rs.next()) {
                    oldest.add(new OutboxBacklog.OldEvent(rs.getString(1), rs.getString(2), Math.max(0, rs.getLong(3))));
                }
            }
            Long published = null;
            try (ResultSet rs = st.executeQuery(sql.estimate())) {
                if (!rs.next()) {
                    throw new SQLException("relation \"" + outbox.table() + "\" does not exist", "42P01");
                }
                double rows = rs.getDouble(1);
                boolean known = !rs.wasNull();
                double freq = rs.getDouble(2);
                boolean hasFreq = !rs.wasNull();
                if (known) {
                    published = Math.max(0L, hasFreq ? Math.round(rows * freq) : Math.round(rows) - pending - processing - failed);
                }
            }
            Long age = oldest.isEmpty() ? null : oldest.get(0).ageSeconds();
            return new OutboxBacklog(takenAt, pending, processing, failed, published, age, oldest, indexOk,
                    sql.recommendedIndex());
        }
    }

    /**
     * The error of a call: a database that answers but lacks what the environments file names (the
     * outbox table, a column, the database; a role without the right) is misconfigured, and its
     * connection is kept; anything else drops the connection (a new one is opened next time).
     */
    private java.util.concurrent.CompletionException failure(String where, SQLException e) {
        String setting = misconfiguredSetting(e.getSQLState());
        if (setting == null) {
            dropConnection();
            return TunnelErrors.wrap(where, e);
        }
        return TunnelErrors.wrap(where, new MisconfiguredException(serverMessage(e) + " (" + setting
                + " in the environments file)", e));
    }

    /** The setting that names what the server lacks, for the SQLSTATEs that mean "it answers, but not that". */
    static String misconfiguredSetting(String sqlState) {
        return switch (String.valueOf(sqlState)) {
            case "42P01", "3F000" -> "outbox.table"; // undefined table, schema
            case "42703" -> "outbox.columns"; // undefined column
            case "42883", "22P02" -> "outbox.columns and outbox.statuses"; // a column of another type than its values
            case "3D000" -> "postgres.database"; // no such database
            case "42501" -> "postgres.user"; // the role may not read it
            default -> null;
        };
    }

    /** The server's words without the driver's "ERROR: " and position lines. */
    static String serverMessage(SQLException e) {
        String m = String.valueOf(e.getMessage()).strip();
        if (m.startsWith("ERROR: ") || m.startsWith("FATAL: ")) {
            m = m.substring(7);
        }
        int nl = m.indexOf('\n');
        return (nl > 0 ? m.substring(0, nl) : m).strip();
    }

    /** The runbook's GROUP BY, for the benchmark only (it reads the whole table). */
    public static String runbookQuery(Environment.Outbox outbox) {
        return new BacklogQueries(outbox).runbookGroupBy();
    }

    /** The queries of one poll, in order, for the benchmark and the README. */
    public static List<String> pollQueries(Environment.Outbox outbox) {
        BacklogQueries q = new BacklogQueries(outbox);
        return List.of(q.servingIndexes(), q.counts(), q.oldest(10), q.estimate());
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in a READ ONLY transaction with statement_timeout set to the poll timeout,
     * then rolls back: the console sends no write, and a slow query is cancelled by the server.
     */
    synchronized <T> T readOnly(Optional<char[]> pw, SqlWork<T> work) throws SQLException {
        Connection c = connection(pw);
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(seconds());
                st.execute("SET TRANSACTION READ ONLY");
                st.execute("SET LOCAL statement_timeout = " + timeout.toMillis());
            }
            return work.run(c);
        } finally {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped by the caller on failure
            }
        }
    }

    private int seconds() {
        return (int) Math.max(1, timeout.toSeconds());
    }

    /** A kept connection, re-opened when the old one is broken (its channel went with a lost SSH connection). */
    synchronized Connection connection(Optional<char[]> pw) throws SQLException {
        if (connection != null && connection.isValid(seconds())) {
            return connection;
        }
        dropConnection();
        Properties p = new Properties();
        p.setProperty("user", config.user());
        pw.ifPresent(chars -> p.setProperty("password", new String(chars)));
        p.setProperty("connectTimeout", String.valueOf(seconds()));
        p.setProperty("socketTimeout", String.valueOf(seconds() * 3));
        p.setProperty("loginTimeout", String.valueOf(seconds()));
        p.setProperty("ApplicationName", "dutydesk");
        // every socket, the cancel requests' included, is an SSH channel: no local port at all
        p.setProperty("socketFactory", ChannelSocketFactory.class.getName());
        p.setProperty("socketFactoryArg", channels);
        // the console only reads: the driver marks every transaction READ ONLY, autocommit or not
        p.setProperty("readOnly", "true");
        p.setProperty("readOnlyMode", "always");
        // the address is the server's own view (the channel's target); nothing on this machine is dialled
        String url = "jdbc:postgresql://" + config.host() + ":" + config.port() + "/" + config.database();
        try {
            io.dutydesk.adapters.support.NetworkClients.creating(io.dutydesk.adapters.support.NetworkClients.JDBC);
            connection = DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
                onAuthFailure.run(); // a wrong password is forgotten: the next poll asks (or reads) again
            }
            throw e;
        } finally {
            p.remove("password");
        }
        return connection;
    }

    private synchronized void dropConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        dropConnection();
        ChannelSocketFactory.unregister(channels);
        executor.shutdownNow();
    }

}
