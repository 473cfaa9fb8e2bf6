package io.dutydesk.adapters.ssh;

import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickAckSocketsTest {
    /** A socket that only records the options set on it (or refuses them, as a platform without TCP_QUICKACK does). */
    private static final class Recording extends Socket {
        final List<String> set = new ArrayList<>();
        boolean unsupported;

        @Override
        public <T> Socket setOption(SocketOption<T> name, T value) {
            if (unsupported) {
                set.add("refused");
                throw new UnsupportedOperationException(name.name());
            }
            set.add(name.name() + "=" + value);
            return this;
        }
    }

    @Test
    void everyReadThatGotBytesAsksForAnAcknowledgementNow() throws IOException {
        Recording socket = new Recording();
        InputStream in = new QuickAckSockets.Acking(new ByteArrayInputStream("SSH-2.0-x\r\nab".getBytes(StandardCharsets.US_ASCII)), socket);
        byte[] buf = new byte[11];
        assertEquals(11, in.read(buf, 0, 11));
        assertEquals(List.of("TCP_QUICKACK=true"), socket.set);
        assertEquals('a', in.read());
        assertEquals('b', in.read());
        assertEquals(3, socket.set.size(), "once per read that got bytes: " + socket.set);
        assertEquals(-1, in.read(buf, 0, 11));
        assertEquals(-1, in.read());
        assertEquals(3, socket.set.size(), "nothing asked at the end of the stream: " + socket.set);
    }

    @Test
    void aPlatformWithoutTheOptionGetsAnOrdinarySocketAndIsNotAskedAgain() throws IOException {
        Recording socket = new Recording();
        socket.unsupported = true;
        QuickAckSockets.Acking in = new QuickAckSockets.Acking(new ByteArrayInputStream(new byte[] {1, 2, 3}), socket);
        assertEquals(1, in.read());
        assertFalse(in.acking());
        byte[] buf = new byte[2];
        assertEquals(2, in.read(buf, 0, 2));
        assertArrayEquals(new byte[] {2, 3}, buf, "the bytes read are the stream's, whatever the option did");
        assertEquals(List.of("refused"), socket.set, "asked once");
    }

    /** On this machine's kernel (Linux: the reference host's and CI's) the option is set on a real connection, read after read. */
    @Test
    void aRealConnectionIsMadeAndAcknowledgesWhatItReads() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            QuickAckSockets factory = new QuickAckSockets(5_000);
            try (Socket client = factory.createSocket("127.0.0.1", server.getLocalPort()); Socket accepted = server.accept()) {
                assertTrue(client.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK), "Linux has TCP_QUICKACK");
                QuickAckSockets.Acking in = (QuickAckSockets.Acking) factory.getInputStream(client);
                OutputStream out = accepted.getOutputStream();
                out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] buf = new byte[21];
                int n = 0;
                while (n < buf.length) {
                    n += in.read(buf, n, buf.length - n);
                }
                assertEquals("SSH-2.0-OpenSSH_9.2\r\n", new String(buf, StandardCharsets.US_ASCII));
                assertTrue(in.acking(), "the kernel took the option");
                factory.getOutputStream(client).write('x');
                assertEquals('x', accepted.getInputStream().read());
            }
        }
    }

    @Test
    void aRefusedConnectionFailsAsTheSocketSaysIt() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ConnectException e = assertThrows(ConnectException.class, () -> new QuickAckSockets(2_000).createSocket("127.0.0.1", closed));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }

    /** A port JSch's own socket would refuse to make (from ~/.ssh/config: Port 99999) fails as an IOException, as JSch's did. */
    @Test
    void aPortOutOfRangeFailsAsAConnectionFailureNotABareRuntimeException() {
        IOException e = assertThrows(IOException.class, () -> new QuickAckSockets(2_000).createSocket("127.0.0.1", 99_999));
        assertTrue(e.getMessage().contains("port out of range:99999"), e.getMessage());
    }

    @Test
    void aNameTheNameServiceDoesNotAnswerFailsWithinTheConnectBound() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        QuickAckSockets factory = new QuickAckSockets(300, host -> {
            try {
                never.await(); // a resolver that never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new java.net.UnknownHostException(host);
        });
        IOException e = assertThrows(IOException.class, () -> factory.createSocket("db.example.internal", 22));
        assertTrue(e.getMessage().equals("the name db.example.internal did not resolve within 1 s (the name service did not answer)"),
                e.getMessage());
        never.countDown();
    }

    @Test
    void aNameThatDoesNotResolveStaysAnUnknownHost() {
        QuickAckSockets factory = new QuickAckSockets(2_000, host -> {
            throw new java.net.UnknownHostException(host);
        });
        java.net.UnknownHostException e = assertThrows(java.net.UnknownHostException.class, () -> factory.createSocket("nowhere.invalid", 22));
        assertTrue(e.getMessage().equals("nowhere.invalid"), e.getMessage());
    }

    @Test
    void theLookedUpAddressIsWhereItConnects() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            QuickAckSockets factory = new QuickAckSockets(5_000, host -> {
                assertTrue(host.equals("refhost.test"), host);
                return java.net.InetAddress.getLoopbackAddress();
            });
            try (Socket s = factory.createSocket("refhost.test", server.getLocalPort()); Socket accepted = server.accept()) {
                assertTrue(s.isConnected() && accepted.isConnected());
            }
        }
    }

    @Test
    void theDefaultLookupFailsWithTheBareNameAsTheJdksConnectDid() {
        // a name with a character no host name has: refused by the JDK before any name service is asked
        java.net.UnknownHostException e = assertThrows(java.net.UnknownHostException.class, () -> QuickAckSockets.byName("bad host!"));
        assertTrue(e.getMessage().equals("bad host!"), e.getMessage());
    }
}
