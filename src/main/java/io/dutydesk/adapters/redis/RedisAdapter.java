package io.dutydesk.adapters.redis;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.ChannelSocket;
import io.dutydesk.adapters.support.TunnelCalls;
import io.dutydesk.adapters.support.TunnelErrors;
import io.dutydesk.core.Backend;
import io.dutydesk.core.MisconfiguredException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.StreamInfo;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.StreamPort;
import io.dutydesk.core.ports.Tunnels;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Redis (Jedis) through an in-process SSH channel ({@link ChannelSocket}), authenticated with the
 * resolved password when there is one: no local port, so a Redis without a password is no more
 * reachable from the workstation than one with.
 */
public final class RedisAdapter implements BackendProbe, StreamPort, AutoCloseable {
    private final Environment.Redis config;
    private final Tunnels tunnels;
    private final Supplier<CompletableFuture<Optional<char[]>>> password;
    private final Duration timeout;
    private volatile Runnable onAuthFailure = () -> { };
    private final ExecutorService executor = BoundedExecutors.create("redis", 2, 32);
    private Jedis jedis;

    public RedisAdapter(Environment.Redis config, Tunnels tunnels, Supplier<CompletableFuture<Optional<char[]>>> password,
                        Duration timeout) {
        this.config = config;
        this.tunnels = tunnels;
        this.password = password;
        this.timeout = timeout;
    }

    static boolean refusedPassword(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("NOPERM")) {
                return false; // the user may not run a command (ACL): its password was fine
            }
            if (c instanceof redis.clients.jedis.exceptions.JedisAccessControlException || m.contains("WRONGPASS")
                    || m.contains("NOAUTH") || m.contains("invalid password")) {
                return true;
            }
        }
        return false;
    }

    /** Run when the server refuses the password (e.g. to forget it, so it is asked for again). */
    public void onAuthFailure(Runnable r) {
        this.onAuthFailure = r;
    }

    @Override
    public Backend backend() {
        return Backend.REDIS;
    }

    /**
     * PING, and whether the configured stream is there: a Redis that answers without it is
     * misconfigured (the stream is what the console reads from it), not down.
     */
    @Override
    public CompletableFuture<Void> ping() {
        return TunnelCalls.withPassword(password, executor, pw -> {
            try {
                String pong = onLiveConnection(pw, j -> {
                    synchronized (this) { // one Jedis connection: one command at a time
                        String p = j.ping();
                        requireStream(j, config.stream());
                        return p;
                    }
                });
                if (!"PONG".equals(pong)) {
                    throw new IllegalStateException("PING answered " + pong);
                }
            } catch (RuntimeException e) {
                throw failure("Redis " + config.host() + ":" + config.port(), e);
            }
            return null;
        });
    }

    /** The error of a call; the connection is dropped unless Redis answered (misconfigured). */
    private java.util.concurrent.CompletionException failure(String where, RuntimeException e) {
        RuntimeException why = e;
        if (refusedPassword(e)) {
            onAuthFailure.run(); // a wrong password is forgotten: the next poll asks (or reads) again
        } else if (!MisconfiguredException.in(e) && String.valueOf(e.getMessage()).contains("NOPERM")) {
            why = new MisconfiguredException(e.getMessage() + " (redis.user in the environments file)", e);
        }
        if (!MisconfiguredException.in(why)) {
            drop();
        }
        return TunnelErrors.wrap(where, why);
    }

    /** The stream the environments file names, or why it is not one: misconfigured. */
    private static void requireStream(Jedis j, String key) {
        String t = j.type(key);
        if (!"stream".equals(t)) {
            throw new MisconfiguredException("none".equals(t)
                    ? "no stream '" + key + "' (redis.stream in the environments file)"
                    : "'" + key + "' is a " + t + ", not a stream (redis.stream in the environments file)");
        }
    }

    /**
     * XLEN, XINFO GROUPS and, per group, XINFO CONSUMERS of the environment's stream, through the
     * tunnel with AUTH. Read-only commands; only the configured groups when the file names some.
     */
    @Override
    public CompletableFuture<StreamInfo> stream() {
        String key = config.stream();
        return TunnelCalls.withPassword(password, executor, pw -> {
            try {
                return onLiveConnection(pw, j -> readStream(j, key));
            } catch (RuntimeException e) {
                throw failure("Redis " + config.host() + ":" + config.port() + " (stream " + key + ")", e);
            }
        });
    }

    private synchronized StreamInfo readStream(Jedis j, String key) {
        Instant at = Instant.now();
        requireStream(j, key);
        long length = j.xlen(key);
        List<StreamInfo.Group> groups = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>(config.groups());
        Set<String> seen = new LinkedHashSet<>();
        for (Object g : (List<?>) j.sendCommand(Command.XINFO, "GROUPS", key)) {
            Map<String, Object> m = pairs(g);
            String name = text(m.get("name"));
            seen.add(name);
            if (!wanted.isEmpty() && !wanted.contains(name)) {
                continue;
            }
            List<StreamInfo.Consumer> consumers = new ArrayList<>();
            for (Object c : (List<?>) j.sendCommand(Command.XINFO, "CONSUMERS", key, name)) {
                Map<String, Object> cm = pairs(c);
                consumers.add(new StreamInfo.Consumer(text(cm.get("name")), number(cm.get("pending")), number(cm.get("idle"))));
            }
            Object lag = m.get("lag");
            groups.add(new StreamInfo.Group(name, number(m.get("consumers")), number(m.get("pending")),
                    lag == null ? null : number(lag), text(m.get("last-delivered-id")), consumers));
        }
        List<String> missing = wanted.stream().filter(w -> !seen.contains(w)).toList();
        return new StreamInfo(at, key, length, groups, missing);
    }

    /** A RESP2 flat list of field, value, field, value … */
    private static Map<String, Object> pairs(Object o) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<?> l = (List<?>) o;
        for (int i = 0; i + 1 < l.size(); i += 2) {
            out.put(text(l.get(i)), l.get(i + 1));
        }
        return out;
    }

    private static String text(Object o) {
        return o == null ? null : o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : o.toString();
    }

    private static long number(Object o) {
        if (o == null) {
            return 0;
        }
        return o instanceof Long l ? l : Long.parseLong(text(o));
    }

    /**
     * {@code call} on the kept connection; if that connection was opened before and turns out dead
     * (the SSH connection was cut and came back since), once more on a new one: the first poll after
     * a reconnect answers, it does not report the corpse of the old connection.
     */
    <T> T onLiveConnection(Optional<char[]> pw, java.util.function.Function<Jedis, T> call) {
        boolean reused;
        synchronized (this) {
            reused = jedis != null;
        }
        try {
            return call.apply(jedis(pw));
        } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
            if (!reused) {
                throw e;
            }
            drop();
            return call.apply(jedis(pw));
        }
    }

    synchronized Jedis jedis(Optional<char[]> pw) {
        if (jedis != null && jedis.isConnected() && !jedis.isBroken()) {
            return jedis;
        }
        drop();
        io.dutydesk.adapters.support.NetworkClients.creating(io.dutydesk.adapters.support.NetworkClients.JEDIS);
        int ms = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(ms).socketTimeoutMillis(ms).clientName("dutydesk");
        config.user().ifPresent(b::user);
        pw.ifPresent(p -> b.password(new String(p)));
        Jedis j = new Jedis(() -> {
            try {
                return ChannelSocket.open(tunnels, config.host(), config.port(), ms);
            } catch (java.io.IOException e) {
                throw new redis.clients.jedis.exceptions.JedisConnectionException(e);
            }
        }, b.build());
        try {
            j.connect();
        } catch (RuntimeException e) {
            j.close();
            throw e;
        }
        jedis = j;
        return j;
    }

    private synchronized void drop() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
            jedis = null;
        }
    }

    @Override
    public void close() {
        drop();
        executor.shutdownNow();
    }
}
