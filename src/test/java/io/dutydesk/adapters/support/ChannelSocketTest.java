package io.dutydesk.adapters.support;

import io.dutydesk.core.ports.Tunnels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket the database clients use, over an in-memory channel: a TCP socket's timeouts, ends and closes. */
class ChannelSocketTest {

    /** One channel: what the server sends goes into {@code toClient}; what the client sends comes out of {@code fromClient}. */
    static final class Channel implements Tunnels.Stream {
        final PipedOutputStream toClient = new PipedOutputStream();
        final PipedInputStream clientReads;
        final PipedInputStream fromClient = new PipedInputStream(65536);
        final PipedOutputStream clientWrites;
        final AtomicBoolean closed = new AtomicBoolean();

        Channel() throws IOException {
            clientReads = new PipedInputStream(toClient, 65536);
            clientWrites = new PipedOutputStream(fromClient);
        }

        @Override
        public InputStream input() {
            return clientReads;
        }

        @Override
        public OutputStream output() {
            return clientWrites;
        }

        @Override
        public void close() {
            closed.set(true);
            try {
                toClient.close(); // as JSch's channel: the reader sees the end
                clientWrites.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static Tunnels opening(CompletableFuture<Tunnels.Stream> next) {
        return new Tunnels() {
            @Override
            public CompletableFuture<Path> forwardUnixSocket(String socketPath, String fallbackCommand) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<Stream> open(String host, int port) {
                return next;
            }
        };
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a read that never times out fails here instead of hanging the build
    void aReadTimesOutAndTheSocketStaysUsable() throws Exception {
        Channel ch = new Channel();
        try (ChannelSocket s = ChannelSocket.open(opening(CompletableFuture.completedFuture(ch)), "db", 5432, 200)) {
            assertTrue(s.isConnected() && s.isBound() && !s.isClosed() && !s.isInputShutdown() && !s.isOutputShutdown());
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 200, "not before its timeout: after " + ms + " ms"); // no upper bound: a loaded machine is slow
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] sent = new byte[4];
            assertEquals(4, ch.fromClient.read(sent));
            assertEquals("ping", new String(sent, StandardCharsets.US_ASCII));
            ch.toClient.write("pong".getBytes(StandardCharsets.US_ASCII));
            ch.toClient.flush();
            byte[] got = new byte[4];
            assertEquals(4, s.getInputStream().readNBytes(got, 0, 4), "what arrives after a timeout is read");
            assertArrayEquals("pong".getBytes(StandardCharsets.US_ASCII), got);
            assertEquals("db:5432", s.target());
            assertNull(s.getLocalSocketAddress(), "no local address: nothing was bound");
            assertEquals(-1, s.getLocalPort());
        }
        assertTrue(ch.closed.get(), "closing the socket closes the channel");
    }

    @Test
    void whatWasSentBeforeTheEndIsReadThenTheEnd() throws Exception {
        Channel ch = new Channel();
        try (ChannelSocket s = ChannelSocket.open(opening(CompletableFuture.completedFuture(ch)), "db", 5432, 2000)) {
            ch.toClient.write(new byte[100_000 / 2]); // more than one pump read
            ch.toClient.write(new byte[100_000 / 2]);
            ch.toClient.close();
            byte[] all = s.getInputStream().readAllBytes();
            assertEquals(100_000, all.length);
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void closingTheSocketEndsABlockedRead() throws Exception {
        Channel ch = new Channel();
        ChannelSocket s = ChannelSocket.open(opening(CompletableFuture.completedFuture(ch)), "db", 5432, 0);
        CompletableFuture<Object> reading = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                reading.complete(s.getInputStream().read());
            } catch (IOException e) {
                reading.complete(e);
            }
        }, "blocked-reader");
        reader.start();
        // the read is blocked (no timeout, nothing sent): waiting inside the socket's read, only the close can end it
        awaitBlockedIn(reader, ChannelSocket.class.getName() + "$Input", "read");
        assertFalse(reading.isDone());
        s.close();
        assertInstanceOf(SocketException.class, reading.get(5, TimeUnit.SECONDS));
        assertTrue(ch.closed.get());
        assertThrows(SocketException.class, s::getInputStream);
    }

    /** Waits until {@code t} waits (no timeout) inside {@code className.method}: blocked there, not merely started. */
    static void awaitBlockedIn(Thread t, String className, String method) {
        io.dutydesk.testing.Eventually.await(() -> " " + t.getName() + " blocked in " + className + "." + method + ": "
                        + t.getState() + " " + java.util.Arrays.toString(t.getStackTrace()), Duration.ofSeconds(10),
                () -> t.getState() == Thread.State.WAITING && java.util.Arrays.stream(t.getStackTrace())
                        .anyMatch(f -> f.getClassName().equals(className) && f.getMethodName().equals(method)));
    }

    /** The one pump thread of a socket to {@code target} (named so), once started. */
    static Thread pumpOf(String target) {
        io.dutydesk.testing.Eventually.await("the pump of " + target + " started", Duration.ofSeconds(10),
                () -> Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dutydesk-channel-" + target)));
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("dutydesk-channel-" + target))
                .findFirst().orElseThrow();
    }

    /**
     * The socket holds at most twice its receive buffer: a server sending more than the reader takes is held back (the
     * pump stops reading the channel, so SSH's window is not replenished), and everything arrives, in order, as read.
     */
    @Test
    void whatTheReaderHasNotTakenIsBoundedAndTheServerIsHeldBack() throws Exception {
        int total = 1 << 20;
        java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
        InputStream server = new InputStream() { // a server with a megabyte to send at once, never blocking
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long at = taken.get();
                if (at >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - at);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) ((at + i) % 251);
                }
                taken.addAndGet(n);
                return n;
            }
        };
        AtomicBoolean closed = new AtomicBoolean();
        Tunnels.Stream stream = new Tunnels.Stream() {
            @Override
            public InputStream input() {
                return server;
            }

            @Override
            public OutputStream output() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        try (ChannelSocket s = new ChannelSocket(opening(CompletableFuture.completedFuture(stream)), "flow", 1)) {
            s.setReceiveBufferSize(16384);
            s.connect(null, 1000);
            s.setSoTimeout(10_000);
            // nobody reads: the pump fills the buffer and then waits, leaving the rest with the server
            awaitBlockedIn(pumpOf("flow:1"), ChannelSocket.class.getName(), "pump");
            assertEquals(2 * 16384, s.getInputStream().available(), "held: twice the receive buffer");
            assertTrue(taken.get() <= 3 * 16384, "the server was held back: " + taken.get() + " bytes taken of " + total);
            byte[] all = s.getInputStream().readAllBytes();
            assertEquals(total, all.length);
            for (int i = 0; i < total; i++) {
                if (all[i] != (byte) (i % 251)) {
                    throw new AssertionError("byte " + i + " out of order");
                }
            }
        }
        assertTrue(closed.get());
    }

    @Test
    void aChannelTheServerRefusesIsARefusedConnect() {
        CompletableFuture<Tunnels.Stream> refused = CompletableFuture.failedFuture(
                new IOException("the server could not connect to it (SSH channel refused: is it running?)"));
        ConnectException e = assertThrows(ConnectException.class, () -> ChannelSocket.open(opening(refused), "db", 5432, 1000));
        assertTrue(e.getMessage().contains("SSH channel refused"), e.getMessage());
        assertTrue(TunnelErrors.wrap("PostgreSQL db:5432", new IOException("The connection attempt failed.", e)).getCause()
                .getMessage().equals("PostgreSQL db:5432: the server could not connect to it (SSH channel refused: is it running?)"));
    }

    /**
     * TLS layered on the channel, as pgjdbc does when the server accepts its SSLRequest (sslmode
     * prefer): the handshake and the bytes go through the channel socket.
     */
    @Test
    void tlsLayeredOnTheChannelWorks(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keypass", "changeit", "-alias", "db", "-keyalg", "EC", "-dname", "CN=db", "-validity", "2")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, new String(keytool.getInputStream().readAllBytes()));
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, "changeit".toCharArray());
        javax.net.ssl.SSLContext server = javax.net.ssl.SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket c = listener.accept()) {
                    byte[] b = new byte[5];
                    int n = c.getInputStream().readNBytes(b, 0, 5);
                    c.getOutputStream().write(("hello " + new String(b, 0, n, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    c.getOutputStream().flush();
                    return new String(b, 0, n, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            // the "channel": a plain connection to the TLS server, as sshd's direct-tcpip would be
            java.net.Socket tcp = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), listener.getLocalPort());
            Tunnels.Stream stream = new Tunnels.Stream() {
                @Override
                public InputStream input() {
                    try {
                        return tcp.getInputStream();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public OutputStream output() {
                    try {
                        return tcp.getOutputStream();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void close() {
                    try {
                        tcp.close();
                    } catch (IOException ignored) {
                        // closed
                    }
                }
            };
            javax.net.ssl.SSLContext client = javax.net.ssl.SSLContext.getInstance("TLS");
            client.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) { }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) { }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            try (ChannelSocket plain = ChannelSocket.open(opening(CompletableFuture.completedFuture(stream)), "db", 5432, 5000);
                 javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) client.getSocketFactory().createSocket(plain, "db", 5432, true)) {
                tls.startHandshake();
                tls.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                byte[] answer = tls.getInputStream().readNBytes(11);
                assertEquals("hello world", new String(answer, StandardCharsets.US_ASCII));
            }
            assertEquals("world", served.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aChannelThatOpensTooLateIsClosed() throws Exception {
        CompletableFuture<Tunnels.Stream> late = new CompletableFuture<>();
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> ChannelSocket.open(opening(late), "db", 5432, 100));
        assertTrue(e.getMessage().contains("db:5432"), e.getMessage());
        assertTrue(late.isCancelled(), "the open is given up: cancelled, so that Tunnels.open opens nothing or closes it once open");
    }

    /**
     * A channel pool of one thread, as SshConnection's (Tunnels.open's contract: an open cancelled while queued never
     * runs; one cancelled while it opens is closed once open). A service that does not accept holds the thread: the
     * connects that give up meanwhile leave nothing queued behind them, and what opened too late is closed.
     */
    @Test
    void aConnectThatTimesOutDoesNotLeaveItsOpenQueuedOnThePool() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        List<Channel> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        Tunnels pooled = new Tunnels() {
            @Override
            public CompletableFuture<Path> forwardUnixSocket(String socketPath, String fallbackCommand) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<Stream> open(String host, int port) {
                CompletableFuture<Stream> result = new CompletableFuture<>();
                pool.execute(() -> {
                    if (result.isDone()) {
                        return; // given up while queued: nothing opened
                    }
                    ran.incrementAndGet();
                    try {
                        stuck.await(30, TimeUnit.SECONDS); // the service does not accept (yet)
                        Channel ch = new Channel();
                        opened.add(ch);
                        if (!result.complete(ch)) {
                            ch.close(); // given up while it opened
                        }
                    } catch (Exception x) {
                        result.completeExceptionally(x);
                    }
                });
                return result;
            }
        };
        try {
            for (int i = 0; i < 3; i++) {
                assertThrows(SocketTimeoutException.class, () -> ChannelSocket.open(pooled, "db", 5432, 100));
            }
            stuck.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(1, ran.get(), "only the open that had the thread ran; the queued ones were given up");
            assertEquals(1, opened.size());
            assertTrue(opened.get(0).closed.get(), "opened too late: closed");
        } finally {
            stuck.countDown();
            pool.shutdownNow();
        }
    }
}
