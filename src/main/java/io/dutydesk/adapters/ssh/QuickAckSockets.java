package io.dutydesk.adapters.ssh;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The SSH connection's TCP socket, acknowledging what it reads at once (Linux's TCP_QUICKACK, set again after each read:
 * the kernel drops it by itself).
 *
 * <p>Why: sshd sets TCP_NODELAY only for a session with a terminal, so on an exec session the server's Nagle holds a
 * small packet back until its previous one is acknowledged — and a client that has just sent (a channel open, a request)
 * acknowledges late: Linux delays that ACK by 40 ms. On the reference host the channel open of every session's first
 * exec waited so: 57-63 ms from the open to the exec's reply, 9-16 ms with this (OpenSSH's own client waits the same
 * 40 ms: strace shows it twice in one {@code ssh host true}). Where the option is missing (not Linux) the socket is an
 * ordinary one. The connection is made as JSch makes its own: a bounded connect, the socket closed when it fails —
 * and the host's name looked up within the same bound (JSch's and Java's lookups wait as long as the name service does:
 * glibc's resolver tries each name server for 5 s, twice, before it gives up).
 */
final class QuickAckSockets implements com.jcraft.jsch.SocketFactory {
    /** Looks a host name up (InetAddress::getByName; a test's stand-in). */
    interface Resolver {
        InetAddress resolve(String host) throws IOException;
    }

    // one lookup thread per lookup under way; a lookup the name service never answers ends with the resolver's own timeout
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dutydesk-ssh-lookup");
        t.setDaemon(true);
        return t;
    });

    private final int connectTimeoutMs;
    private final Resolver resolver;

    QuickAckSockets(int connectTimeoutMs) {
        this(connectTimeoutMs, QuickAckSockets::byName);
    }

    /** InetAddress.getByName, failing with the bare name as the JDK's connect does ("h", not "h: Name or service not known"). */
    static InetAddress byName(String host) throws java.net.UnknownHostException {
        try {
            return InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            java.net.UnknownHostException bare = new java.net.UnknownHostException(host);
            bare.initCause(e);
            throw bare;
        }
    }

    QuickAckSockets(int connectTimeoutMs, Resolver resolver) {
        this.connectTimeoutMs = Math.max(0, connectTimeoutMs);
        this.resolver = resolver;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            InetSocketAddress.createUnresolved(host, port); // the port's range checked first, as the JDK's own connect does
            socket.connect(new InetSocketAddress(lookUp(host), port), connectTimeoutMs);
            return socket;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the connect's failure is what is said
            }
            // JSch wraps an IOException as its own connection failure (SessionFactory says "ssh USER@HOST:PORT: why");
            // a RuntimeException (a port out of range from ~/.ssh/config) it would let through bare, unattributed
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** The host's address, looked up within the connect's bound (none when it has none). */
    InetAddress lookUp(String host) throws IOException {
        if (connectTimeoutMs == 0) {
            return resolver.resolve(host);
        }
        Future<InetAddress> f = LOOKUPS.submit(() -> resolver.resolve(host));
        try {
            return f.get(connectTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("the name " + host + " did not resolve within " + Math.max(1, connectTimeoutMs / 1000)
                    + " s (the name service did not answer)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io; // UnknownHostException among them: SessionFactory says "unknown host h (the name does not resolve)"
            }
            throw new IOException(String.valueOf(c.getMessage()), c);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while looking up " + host);
        }
    }

    @Override
    public InputStream getInputStream(Socket socket) throws IOException {
        return new Acking(socket.getInputStream(), socket);
    }

    @Override
    public OutputStream getOutputStream(Socket socket) throws IOException {
        return socket.getOutputStream();
    }

    /** Reads the socket's stream; after every read that got bytes, asks the kernel to acknowledge now. */
    static final class Acking extends FilterInputStream {
        private final Socket socket;
        private volatile boolean supported = true;

        Acking(InputStream in, Socket socket) {
            super(in);
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                ack();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                ack();
            }
            return n;
        }

        private void ack() {
            if (!supported) {
                return;
            }
            try {
                socket.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
            } catch (UnsupportedOperationException | LinkageError notHere) { // not Linux, or a runtime without jdk.net
                supported = false;
            } catch (IOException closed) {
                // the socket closed under the read (the session ending): its next read says so
            }
        }

        /** Whether it still sets the option (false once this platform said it has none). */
        boolean acking() {
            return supported;
        }
    }
}
