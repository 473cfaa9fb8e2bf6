package io.dutydesk.it;

import io.dutydesk.adapters.prometheus.PrometheusAdapter;
import io.dutydesk.adapters.ssh.SshConnection;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.Tunnels;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process SSH channels under load, against the reference host's sshd and Prometheus: a request
 * given up before its channel was open never leaves the channel open (counted through the connection,
 * and on the server as sshd's TCP connections to Prometheus), and channel opens that hang never take
 * the pings' threads.
 */
class ChannelLoadIT {
    private static final Duration T = Duration.ofSeconds(20);

    /** The reference host's SSH target with {@code knownHosts} and a channel-open timeout of {@code connect}. */
    private static Environment.Ssh target(Path knownHosts, Duration connect) {
        Environment.Ssh ref = RefHost.ref().ssh();
        return new Environment.Ssh(ref.host(), ref.port(), ref.user(), ref.identity(), false, knownHosts, Optional.empty(),
                connect, Duration.ofSeconds(30));
    }

    /**
     * Established TCP connections to {@code port} on this machine, the reference host (client sides
     * only: sshd's connections for our channels; nothing else talks to Prometheus during an IT).
     */
    static int establishedTo(int port) throws Exception {
        int n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.strip().split("\\s+");
                String rem = f[2];
                if (f[3].equals("01") && Integer.parseInt(rem.substring(rem.indexOf(':') + 1), 16) == port) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A service on the server that never accepts: a listener whose accept queue is full, so the kernel
     * drops further SYNs and a connect to it (sshd's, for a channel) hangs — the channel open waits.
     */
    static final class StuckService implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> fillers = new ArrayList<>();

        StuckService() throws Exception {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
                    fillers.add(s);
                } catch (java.net.SocketTimeoutException full) {
                    s.close();
                    return; // the queue is full: connects hang from now on
                }
            }
            throw new IllegalStateException("the accept queue never filled: connects to it would not hang");
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            for (Socket s : fillers) {
                s.close();
            }
            server.close();
        }
    }

    @Test
    void aRequestCancelledWhileItsChannelOpensHasTheChannelClosedAsSoonAsItIsOpen(@TempDir Path dir) throws Exception {
        Environment ref = RefHost.ref();
        int prom = ref.prometheus().port();
        int before = establishedTo(prom);
        // the connection waits on the host-key question: the request's channel open is under way
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        HostKeyPrompt asked = key -> answer;
        try (SshConnection ssh = new SshConnection(target(dir.resolve("known_hosts"), Duration.ofSeconds(10)), asked);
             PrometheusAdapter prometheus = new PrometheusAdapter(ref.prometheus(), ssh, T)) {
            CompletableFuture<QueryResult> q = prometheus.instant("up", Instant.now(), T);
            Eventually.await(() -> "the open is under way: " + ssh.channelStats(), Duration.ofSeconds(10),
                    () -> ssh.channelStats().opening() == 1);
            assertTrue(q.cancel(true));
            answer.complete(true); // the user accepts the key: the connection comes up, the channel opens
            Eventually.await(() -> "opened, then closed: " + ssh.channelStats(), Duration.ofSeconds(20),
                    () -> ssh.channelStats().opened() == 1 && ssh.channelStats().open() == 0);
            assertEquals(1, ssh.channelStats().closedCancelled());
            Eventually.await(() -> "sshd's connection to Prometheus closed too: " + uncheckedEstablished(prom) + " vs " + before,
                    Duration.ofSeconds(10), () -> uncheckedEstablished(prom) <= before);
            // and the connection serves the next request as usual
            assertTrue(prometheus.instant("up", Instant.now(), T).get(30, TimeUnit.SECONDS).series().size() > 0);
            Eventually.await(() -> "its channel closed: " + ssh.channelStats(), Duration.ofSeconds(10),
                    () -> ssh.channelStats().open() == 0);
        }
    }

    @Test
    void stuckChannelOpensNeverTakeThePingsThreadsAndARequestCancelledWhileQueuedOpensNothing(@TempDir Path dir) throws Exception {
        Environment ref = RefHost.ref();
        int prom = ref.prometheus().port();
        Files.copy(ref.ssh().knownHosts(), dir.resolve("known_hosts"));
        try (StuckService stuck = new StuckService();
             SshConnection ssh = new SshConnection(target(dir.resolve("known_hosts"), Duration.ofSeconds(4)), HostKeyPrompt.REFUSE);
             PrometheusAdapter prometheus = new PrometheusAdapter(ref.prometheus(), ssh, T)) {
            ssh.ping().get(30, TimeUnit.SECONDS); // connected
            int before = establishedTo(prom);
            List<CompletableFuture<Tunnels.Stream>> opens = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                opens.add(ssh.open("127.0.0.1", stuck.port())); // each waits for a connect that never completes
            }
            Eventually.await(() -> "the channel threads are all stuck: " + ssh.channelStats(), Duration.ofSeconds(10),
                    () -> ssh.channelStats().opening() == 4);
            // a Prometheus request waits behind them and is given up (a pan moved on)
            CompletableFuture<QueryResult> q = prometheus.instant("up", Instant.now(), T);
            assertTrue(q.cancel(true));
            // the pings answer while every channel thread hangs
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                ssh.ping().get(2, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 2000, "ping " + i + " took " + ms + " ms");
                assertTrue(ssh.channelStats().opening() > 0, "still stuck while the ping answered: " + ssh.channelStats());
            }
            // the stuck opens fail after the connect timeout; the given-up request then opens nothing
            for (CompletableFuture<Tunnels.Stream> o : opens) {
                assertTrue(io.dutydesk.core.Errors.describe(org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                        () -> o.get(30, TimeUnit.SECONDS))).contains("could not connect"));
            }
            Eventually.await(() -> "the queue drained: " + ssh.channelStats(), Duration.ofSeconds(10),
                    () -> ssh.channelStats().skipped() == 1 && ssh.channelStats().opening() == 0);
            assertEquals(0, ssh.channelStats().opened(), "nothing was opened for the cancelled request: " + ssh.channelStats());
            assertEquals(0, ssh.channelStats().open(), ssh.channelStats().toString());
            assertTrue(establishedTo(prom) <= before, "no connection to Prometheus left behind");
        }
    }

    private static int uncheckedEstablished(int port) {
        try {
            return establishedTo(port);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
