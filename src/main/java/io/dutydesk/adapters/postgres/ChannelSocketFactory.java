package io.dutydesk.adapters.postgres;

import io.dutydesk.adapters.support.ChannelSocket;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pgjdbc's {@code socketFactory}: the driver names a class and passes one string
 * ({@code socketFactoryArg}), so an adapter registers how to make its sockets under a token of this
 * process and gives the driver that token. Every socket is a {@link ChannelSocket}: an SSH channel,
 * never a local port (the cancel requests the driver sends on a statement timeout included).
 */
public final class ChannelSocketFactory extends SocketFactory {
    /** Opens a connected socket (the channel open, bounded by the adapter's timeout). */
    @FunctionalInterface
    interface Opener {
        ChannelSocket open() throws IOException;
    }

    private static final Map<String, Opener> REGISTERED = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    private final Opener sockets;

    /** Called by pgjdbc with the connection's {@code socketFactoryArg}. */
    public ChannelSocketFactory(String token) {
        Opener s = REGISTERED.get(token);
        if (s == null) {
            throw new IllegalStateException("no SSH channel registered as " + token + " (the adapter is closed)");
        }
        this.sockets = s;
    }

    /** Registers {@code sockets} and returns the token for {@code socketFactoryArg}. */
    static String register(Opener sockets) {
        String token = "dutydesk-pg-" + NEXT.incrementAndGet();
        REGISTERED.put(token, sockets);
        return token;
    }

    static void unregister(String token) {
        REGISTERED.remove(token);
    }

    /**
     * Connected already: the driver then leaves it as it is, rather than resolving the URL's host
     * (a name that means something on the server only) on this machine to connect it.
     */
    @Override
    public Socket createSocket() throws IOException {
        return sockets.open();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected();
    }

    private Socket connected() throws IOException {
        return sockets.open();
    }
}
