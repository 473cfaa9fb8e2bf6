package io.dutydesk.adapters.support;

import io.dutydesk.core.Errors;
import io.dutydesk.core.ports.Tunnels;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Socket} whose bytes travel in an in-process SSH channel ({@link Tunnels#open}) to
 * {@code host:port} as the server sees it: what the PostgreSQL and Redis clients (pgjdbc's
 * {@code socketFactory}, Jedis's {@code JedisSocketFactory}) talk through. It has no file
 * descriptor, no local port and no listener: no other process on the workstation can reach the
 * service through the console, with a password or without.
 *
 * <p>{@link #connect} opens the channel (the address given is ignored: the target is fixed), waiting
 * at most the client's connect timeout. Reads honour {@link #setSoTimeout} (a
 * {@link SocketTimeoutException}, as a TCP socket): a pump thread moves what the channel receives
 * into a buffer the reader waits on, of at most twice the receive buffer size: when it is full the pump
 * waits and a large result never piles up on the heap. The server is then held back by JSch: its
 * channel pipe (32 KiB) fills, and JSch's session thread waits to deliver into it (JSch replenishes a
 * channel's window as it delivers, not as the application reads) — so while a reader that stopped reading
 * holds a full buffer, the other channels of that SSH session wait too. The clients read as they parse
 * (pgjdbc, Jedis), and a closed socket frees the pump at once. A connect that times out (or is
 * interrupted) cancels the open, so one still queued for a thread never runs. Closing the socket (or
 * either of its streams) closes the channel.
 * The TCP options the clients set (no delay, keep-alive, buffer sizes) are kept and mean nothing here.
 */
public final class ChannelSocket extends Socket {
    /** How long {@link #connect} waits for the channel when the client gives no timeout. */
    static final int DEFAULT_OPEN_TIMEOUT_MS = 30_000;

    private final Tunnels tunnels;
    private final String host;
    private final int port;
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private int headOffset;
    private int buffered;
    private boolean eof;
    private IOException failure;
    private volatile Tunnels.Stream stream;
    private volatile boolean closed;
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private volatile int soTimeout;
    private volatile boolean tcpNoDelay;
    private volatile boolean keepAlive;
    private volatile int sendBuffer = 65536;
    private volatile int receiveBuffer = 65536;
    private final InputStream in = new Input();
    private final OutputStream out = new Output();

    /** Not connected yet: {@link #connect} opens the channel. */
    public ChannelSocket(Tunnels tunnels, String host, int port) {
        this.tunnels = tunnels;
        this.host = host;
        this.port = port;
    }

    /** A connected socket, its reads timing out after {@code timeoutMs} (0: never). */
    public static ChannelSocket open(Tunnels tunnels, String host, int port, int timeoutMs) throws IOException {
        ChannelSocket s = new ChannelSocket(tunnels, host, port);
        s.connect(null, timeoutMs);
        s.setSoTimeout(timeoutMs);
        return s;
    }

    /** "host:port" as the server sees it. */
    public String target() {
        return host + ":" + port;
    }

    @Override
    public void connect(SocketAddress ignored) throws IOException {
        connect(ignored, 0);
    }

    @Override
    public void connect(SocketAddress ignored, int timeoutMs) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (stream != null) {
            throw new SocketException("already connected");
        }
        int ms = timeoutMs > 0 ? timeoutMs : DEFAULT_OPEN_TIMEOUT_MS;
        CompletableFuture<Tunnels.Stream> opening = tunnels.open(host, port);
        Tunnels.Stream s;
        try {
            s = opening.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            giveUp(opening);
            throw new SocketTimeoutException("no SSH channel to " + target() + " within " + ms + " ms");
        } catch (InterruptedException e) {
            giveUp(opening);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening the SSH channel to " + target());
        } catch (ExecutionException e) {
            // as a refused TCP connect: the clients say "could not connect" and TunnelErrors finds the reason
            Throwable c = Errors.unwrap(e);
            java.net.ConnectException refused = new java.net.ConnectException(Errors.describe(c));
            refused.initCause(c);
            throw refused;
        }
        synchronized (lock) {
            if (closed) {
                s.close();
                throw new SocketException("Socket is closed");
            }
            stream = s;
        }
        Thread pump = new Thread(() -> pump(s.input()), "dutydesk-channel-" + target());
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Nobody waits for {@code opening} any more: cancelled, so that an open still queued for one of the
     * channel pool's threads never runs ({@link Tunnels#open}: one already opening is closed once open);
     * one that completed meanwhile is closed here.
     */
    private static void giveUp(CompletableFuture<Tunnels.Stream> opening) {
        opening.cancel(false);
        opening.thenAccept(Tunnels.Stream::close);
    }

    /** The most bytes held for the reader: twice the receive buffer size. */
    private int capacity() {
        return 2 * receiveBuffer;
    }

    /**
     * Moves what the channel receives into the buffer until its end (or the socket closes), waiting while
     * the buffer is full: the channel is not read, so the server is not sent more window.
     */
    private void pump(InputStream from) {
        byte[] buf = new byte[16384];
        try {
            while (true) {
                int n = from.read(buf, 0, Math.min(buf.length, capacity()));
                synchronized (lock) {
                    while (n > 0 && buffered > 0 && buffered + n > capacity() && !closed && !inputShut) {
                        lock.wait(); // the reader takes some (or the socket closes) and notifies
                    }
                    if (n < 0) {
                        eof = true;
                    } else if (n > 0 && !inputShut && !closed) {
                        received.add(java.util.Arrays.copyOf(buf, n));
                        buffered += n;
                    }
                    lock.notifyAll();
                }
                if (n < 0) {
                    return;
                }
            }
        } catch (IOException e) {
            synchronized (lock) {
                failure = closed ? null : e;
                eof = true;
                lock.notifyAll();
            }
        } catch (InterruptedException e) {
            synchronized (lock) {
                failure = new InterruptedIOException("the channel to " + target() + " was interrupted");
                eof = true;
                lock.notifyAll();
            }
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int timeout = soTimeout;
            long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
            synchronized (lock) {
                while (buffered == 0) {
                    if (closed) {
                        throw new SocketException("Socket closed");
                    }
                    if (inputShut) {
                        return -1;
                    }
                    if (eof) {
                        if (failure != null) {
                            throw failure;
                        }
                        return -1;
                    }
                    try {
                        if (timeout > 0) {
                            long left = deadline - System.nanoTime();
                            if (left <= 0) {
                                throw new SocketTimeoutException("Read timed out");
                            }
                            TimeUnit.NANOSECONDS.timedWait(lock, left);
                        } else {
                            lock.wait();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading from " + target());
                    }
                }
                int copied = 0;
                while (copied < len && !received.isEmpty()) {
                    byte[] head = received.peek();
                    int n = Math.min(len - copied, head.length - headOffset);
                    System.arraycopy(head, headOffset, b, off + copied, n);
                    copied += n;
                    headOffset += n;
                    if (headOffset == head.length) {
                        received.poll();
                        headOffset = 0;
                    }
                }
                buffered -= copied;
                lock.notifyAll(); // room for the pump
                return copied;
            }
        }

        @Override
        public int available() {
            synchronized (lock) {
                return buffered;
            }
        }

        @Override
        public void close() {
            ChannelSocket.this.close();
        }
    }

    private final class Output extends OutputStream {
        private OutputStream target() throws SocketException {
            Tunnels.Stream s = stream;
            if (closed) {
                throw new SocketException("Socket closed");
            }
            if (s == null) {
                throw new SocketException("Socket is not connected");
            }
            if (outputShut) {
                throw new SocketException("Socket output is shutdown");
            }
            return s.output();
        }

        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (!closed && stream != null && !outputShut) {
                target().flush();
            }
        }

        @Override
        public void close() {
            ChannelSocket.this.close();
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        requireOpen();
        if (inputShut) {
            throw new SocketException("Socket input is shutdown");
        }
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireOpen();
        if (outputShut) {
            throw new SocketException("Socket output is shutdown");
        }
        return out;
    }

    private void requireOpen() throws SocketException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (stream == null) {
            throw new SocketException("Socket is not connected");
        }
    }

    @Override
    public void close() {
        Tunnels.Stream s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = stream;
            lock.notifyAll();
        }
        if (s != null) {
            s.close(); // the pump's read ends with the channel
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        requireOpen();
        synchronized (lock) {
            inputShut = true;
            received.clear();
            buffered = 0;
            headOffset = 0;
            lock.notifyAll();
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        requireOpen();
        if (!outputShut) {
            outputShut = true;
            stream.output().close(); // the channel's EOF: the server side sees the end of what we send
        }
    }

    @Override
    public boolean isConnected() {
        return stream != null;
    }

    @Override
    public boolean isBound() {
        return stream != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShut;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public void bind(SocketAddress local) {
        // nothing to bind: no local address exists
    }

    @Override
    public InetAddress getInetAddress() {
        return null; // the far end is an address on the server, never dialled from here (TLS layered on top works without it)
    }

    @Override
    public int getPort() {
        return stream == null ? 0 : port;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return stream == null ? null : InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public InetAddress getLocalAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public int getLocalPort() {
        return -1;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return null;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
        return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        tcpNoDelay = on;
    }

    @Override
    public boolean getTcpNoDelay() {
        return tcpNoDelay;
    }

    @Override
    public void setKeepAlive(boolean on) {
        keepAlive = on;
    }

    @Override
    public boolean getKeepAlive() {
        return keepAlive;
    }

    @Override
    public void setSendBufferSize(int size) {
        if (size > 0) {
            sendBuffer = size;
        }
    }

    @Override
    public int getSendBufferSize() {
        return sendBuffer;
    }

    @Override
    public void setReceiveBufferSize(int size) {
        if (size > 0) {
            receiveBuffer = size;
        }
    }

    @Override
    public int getReceiveBufferSize() {
        return receiveBuffer;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
        // closing a channel does not linger
    }

    @Override
    public int getSoLinger() {
        return -1;
    }

    @Override
    public String toString() {
        return "ChannelSocket[" + target() + " on the server, over SSH" + (closed ? ", closed" : "") + "]";
    }
}
