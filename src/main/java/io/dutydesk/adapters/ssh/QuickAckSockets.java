package io.dutydesk.adapters.ssh;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The SSH connection's TCP socket, acknowledging what it reads at once (Linux's TCP_QUICKACK, set again after each read:
 * the kernel drops it by itself).
 *
 * <p>Why: sshd sets TCP_NODELAY only for a session with a terminal, so on an exec session the server's Nagle holds a
 * small packet back until its previous one is acknowledged — and a client that has just sent (a channel open, a request)
 * acknowledges late: Linux delays that ACK by 40 ms. On the reference host the channel open of every session's first
 * exec waited so: 57-63 ms from the open to the exec's reply, 9-16 ms with this (OpenSSH's own client waits the same
 * 40 ms: strace shows it twice in one {@code ssh host true}). Where the option is missing (not Linux) the socket is an
 * ordinary one. The connection is made as JSch makes its own: a bounded connect, the socket closed when it fails.
 */
final class QuickAckSockets implements com.jcraft.jsch.SocketFactory {
    private final int connectTimeoutMs;

    QuickAckSockets(int connectTimeoutMs) {
        this.connectTimeoutMs = Math.max(0, connectTimeoutMs);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
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
