package io.dutydesk.app;

import io.dutydesk.adapters.ssh.SshConnection;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.Keyring;
import io.dutydesk.core.ports.SecretPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's SSH handshake started as soon as it knows its environment, and that connection used by the environment it opens. */
class ConnectorPrepareTest {
    @TempDir
    Path dir;

    /** A server that accepts and says nothing: an SSH handshake under way, neither done nor failed. */
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    private Environment env(String name, int port) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, "environments:\n  " + name + ":\n    ssh: { host: 127.0.0.1, port: " + port + ", user: deploy, knownHosts: "
                + dir.resolve("known_hosts") + " }\n");
        return EnvironmentsFile.load(f).require(name);
    }

    private static final Keyring NO_KEYRING = name -> java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());

    @Test
    void theEnvironmentOpenedTakesTheConnectionAlreadyUnderWayOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CountDownLatch first = new CountDownLatch(1);
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                        first.countDown();
                    }
                } catch (Exception closed) {
                    // the test ended
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Environment e = env("ref", server.getLocalPort());
            try (Connector c = new Connector(NO_KEYRING)) {
                c.prepare(e);
                assertTrue(first.await(10, TimeUnit.SECONDS), "the handshake starts at prepare, before any open");
                SshConnection p = c.prepared();
                try (Connector.Opened h = c.open(e, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                    assertSame(p, h.connection(), "the open takes the connection under way");
                    assertNull(c.prepared());
                    try (Connector.Opened again = c.open(e, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                        assertNotSame(p, again.connection(), "taken once: a second open has its own");
                    }
                }
            }
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /**
     * A prepared handshake that failed is never the run's connection: the open connects afresh and its calls say that
     * attempt's error. Handed over, the failed connection answered the run's calls with the earlier failure for half a
     * second, without trying.
     */
    @Test
    void aFailedPrepareIsNeverTheRunsConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        accepted.add(s);
                        if (connections.incrementAndGet() == 1) {
                            s.close(); // the prepared handshake: the connection ended before the server says a word
                        } else {
                            // the run's own: a version line no SSH client takes
                            s.getOutputStream().write("SSH-1.5-fresh\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                        }
                    }
                } catch (Exception closed) {
                    // the test ended
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Environment e = env("ref", server.getLocalPort());
            try (Connector c = new Connector(NO_KEYRING)) {
                c.prepare(e);
                SshConnection p = c.prepared();
                assertFalse(c.preparedConnected().get(10, TimeUnit.SECONDS), "the prepared handshake failed");
                try (Connector.Opened h = c.open(e, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                    assertNotSame(p, h.connection(), "a failed prepared connection is not handed over");
                    assertNull(c.prepared());
                    java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                            java.util.concurrent.ExecutionException.class, () -> h.shell().exec("true", java.time.Duration.ofSeconds(5),
                                    io.dutydesk.core.ports.RemoteShell.OutputListener.NONE).get(10, TimeUnit.SECONDS));
                    String said = String.valueOf(failed.getCause().getMessage());
                    assertTrue(said.contains("version"), "the fresh attempt's error: " + said);
                    org.junit.jupiter.api.Assertions.assertEquals(2, connections.get(), "connected afresh");
                }
                java.util.concurrent.ExecutionException closed = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> p.exec("true", java.time.Duration.ofSeconds(5),
                                io.dutydesk.core.ports.RemoteShell.OutputListener.NONE).get(10, TimeUnit.SECONDS));
                // closed (its pools shut down behind it, or not yet), not its earlier failure said again
                assertTrue(java.util.Set.of("connection closed", "ssh is closed").contains(closed.getCause().getMessage()),
                        "the failed one closed: " + closed.getCause());
            }
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void anotherTargetOrAnotherHostKeyRuleIsNotGivenIt() throws Exception {
        Environment e = env("ref", 1);
        Environment other = env("other", 2);
        try (Connector c = new Connector(NO_KEYRING)) {
            c.prepare(e);
            SshConnection p = c.prepared();
            try (Connector.Opened h = c.open(other, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                assertNotSame(p, h.connection(), "another server");
            }
            HostKeyPrompt asks = key -> java.util.concurrent.CompletableFuture.completedFuture(false);
            try (Connector.Opened h = c.open(e, asks, SecretPrompt.NONE)) {
                assertNotSame(p, h.connection(), "prepared to refuse unknown host keys: not for an open that would ask");
            }
            assertSame(p, c.prepared(), "still there for its own open");
        }
    }

    @Test
    void closingTheConnectorClosesAConnectionNoOpenTook() throws Exception {
        Environment e = env("ref", 1);
        Connector c = new Connector(NO_KEYRING);
        c.prepare(e);
        SshConnection p = c.prepared();
        c.close();
        assertNull(c.prepared());
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> p.exec("true", java.time.Duration.ofSeconds(5), io.dutydesk.core.ports.RemoteShell.OutputListener.NONE).get(10, TimeUnit.SECONDS));
        assertFalse(p.connecting());
        c.prepare(e);
        assertNull(c.prepared(), "closed: nothing started that nobody would close");
        assertTrue(String.valueOf(t.getCause().getMessage()).contains("closed"), String.valueOf(t.getCause()));
    }
}
