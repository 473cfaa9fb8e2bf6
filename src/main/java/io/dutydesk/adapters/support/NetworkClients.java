package io.dutydesk.adapters.support;

import java.util.function.BiConsumer;

/**
 * Where the adapters create their network clients: an SSH session, a JDBC connection, a Jedis client, the Docker
 * HTTP client, an HTTP exchange over a tunnel. Each calls {@link #creating} on the thread that creates it; a
 * listener, if one is set, is told which client and on what thread. Nothing is set in the product: it is the seam a
 * test uses to prove that no network client is created on the FX thread (the window's launch,
 * {@code FirstFrameTest}).
 */
public final class NetworkClients {
    /** The kinds passed to {@link #creating}. */
    public static final String SSH = "ssh-session";
    public static final String JDBC = "jdbc";
    public static final String JEDIS = "jedis";
    public static final String DOCKER = "docker-http";
    public static final String HTTP = "http";

    private static volatile BiConsumer<String, Thread> listener;

    private NetworkClients() {
    }

    /** Tells {@code l} of every client created from now on ({@code null}: nobody). */
    public static void listen(BiConsumer<String, Thread> l) {
        listener = l;
    }

    /** A client of kind {@code kind} is being created by the current thread. */
    public static void creating(String kind) {
        BiConsumer<String, Thread> l = listener;
        if (l != null) {
            l.accept(kind, Thread.currentThread());
        }
    }
}
