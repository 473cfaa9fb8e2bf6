package io.dutydesk.adapters.postgres;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelCalls;
import io.dutydesk.adapters.support.TunnelErrors;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.Tunnels;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/** PostgreSQL through an SSH TCP forward, with the password from the secret resolver. */
public final class PostgresAdapter implements BackendProbe, OutboxPort, AutoCloseable {
    private final Environment.Postgres config;
    private final Environment.Outbox outbox;
    private final Tunnels tunnels;
    private final Supplier<CompletableFuture<Optional<char[]>>> password;
    private final Duration timeout;
    private volatile Runnable onAuthFailure = () -> { };
    private final ExecutorService executor = BoundedExecutors.create("postgres", 2, 32);
    private Connection connection;
    private InetSocketAddress connectionAddress;

    public PostgresAdapter(Environment.Postgres config, Environment.Outbox outbox, Tunnels tunnels,
                           Supplier<CompletableFuture<Optional<char[]>>> password, Duration timeout) {
        this.config = config;
        this.outbox = outbox;
        this.tunnels = tunnels;
        this.password = password;
        this.timeout = timeout;
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
        return TunnelCalls.withPassword(tunnels.forwardTcp(config.host(), config.port()), password, executor, (addr, pw) -> {
            try (Statement st = connection(addr, pw).createStatement()) {
                st.setQueryTimeout(seconds());
                try (ResultSet rs = st.executeQuery("SELECT 1")) {
                    rs.next();
                }
            } catch (SQLException e) {
                dropConnection();
                throw TunnelErrors.wrap("PostgreSQL " + config.host() + ":" + config.port(), e);
            }
            return null;
        });
    }

    /**
     * SELECT status, count(*) FROM the outbox GROUP BY status. Table and column names come from
     * the environments file, where they are checked to be plain identifiers; statuses are mapped
     * back to the console's names.
     */
    @Override
    public CompletableFuture<Map<String, Long>> countsByStatus() {
        String status = outbox.columns().get("status");
        String sql = "SELECT " + status + ", count(*) FROM " + outbox.table() + " GROUP BY " + status;
        return TunnelCalls.withPassword(tunnels.forwardTcp(config.host(), config.port()), password, executor, (addr, pw) -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String s : outbox.statuses().keySet()) {
                out.put(s, 0L);
            }
            try (Statement st = connection(addr, pw).createStatement()) {
                st.setQueryTimeout(seconds());
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        String theirs = rs.getString(1);
                        String ours = outbox.statuses().entrySet().stream().filter(e -> e.getValue().equals(theirs))
                                .map(Map.Entry::getKey).findFirst().orElse(theirs);
                        out.merge(ours, rs.getLong(2), Long::sum);
                    }
                }
            } catch (SQLException e) {
                dropConnection();
                throw TunnelErrors.wrap("PostgreSQL " + config.host() + ":" + config.port() + " (" + outbox.table() + ")", e);
            }
            return Map.copyOf(out);
        });
    }

    private int seconds() {
        return (int) Math.max(1, timeout.toSeconds());
    }

    /** A kept connection, re-opened when the tunnel moved or the old one is broken. */
    synchronized Connection connection(InetSocketAddress addr, Optional<char[]> pw) throws SQLException {
        if (connection != null && addr.equals(connectionAddress) && connection.isValid(seconds())) {
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
        p.setProperty("tcpKeepAlive", "true");
        String url = "jdbc:postgresql://127.0.0.1:" + addr.getPort() + "/" + config.database();
        try {
            connection = DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            if ("28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())) {
                onAuthFailure.run(); // a wrong password is forgotten: the next poll asks (or reads) again
            }
            throw e;
        } finally {
            p.remove("password");
        }
        connectionAddress = addr;
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
        executor.shutdownNow();
    }

}
