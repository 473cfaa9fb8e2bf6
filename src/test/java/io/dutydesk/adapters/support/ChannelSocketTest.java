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
    void aReadTimesOutAndTheSocketStaysUsable() throws Exception {
        Channel ch = new Channel();
        try (ChannelSocket s = ChannelSocket.open(opening(CompletableFuture.completedFuture(ch)), "db", 5432, 200)) {
            assertTrue(s.isConnected() && s.isBound() && !s.isClosed() && !s.isInputShutdown() && !s.isOutputShutdown());
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 190 && ms < 2000, "after " + ms + " ms");
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
        CompletableFuture<Object> reading = CompletableFuture.supplyAsync(() -> {
            try {
                return s.getInputStream().read();
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(100); // the read is blocked (no timeout): only the close can end it
        assertFalse(reading.isDone());
        s.close();
        assertInstanceOf(SocketException.class, reading.get(5, TimeUnit.SECONDS));
        assertTrue(ch.closed.get());
        assertThrows(SocketException.class, s::getInputStream);
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
        Channel ch = new Channel();
        late.complete(ch);
        assertTrue(ch.closed.get(), "nobody uses it: closed at once");
    }
}
