package io.dutydesk.adapters;

import io.dutydesk.adapters.alertmanager.AlertmanagerAdapter;
import io.dutydesk.adapters.docker.DockerAdapter;
import io.dutydesk.adapters.postgres.PostgresAdapter;
import io.dutydesk.adapters.prometheus.PrometheusAdapter;
import io.dutydesk.adapters.redis.RedisAdapter;
import io.dutydesk.adapters.ssh.SshConnection;
import io.dutydesk.adapters.support.NetworkClients;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.Tunnels;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every network client of the adapters — the SSH session, the JDBC connection, the Jedis client, the Docker HTTP
 * client, an HTTP exchange with Prometheus or Alertmanager — is created on the adapter's own threads, even when the
 * call comes from the FX thread (issue 16: no network client built on the FX thread). Each adapter's probe is called
 * on the FX thread; {@link NetworkClients} says on which thread each client is created. The far end is a local
 * socket that accepts and never answers (the SSH server for the session; for the others it stands in for the
 * channel's far end, as in TunnelHttpTest): the clients are created, nothing ever answers them. The window's launch
 * does the same with the real app (FirstFrameTest); the real channels are tested against the reference host.
 */
@ExtendWith(ApplicationExtension.class)
class ClientsOffTheFxThreadTest {
    @TempDir
    Path tmp;

    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    /** kind → "thread name, on the FX thread or not", for every client created. */
    private final Map<String, List<String>> created = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private static final Set<String> KINDS = Set.of(NetworkClients.SSH, NetworkClients.JDBC, NetworkClients.JEDIS,
            NetworkClients.DOCKER, NetworkClients.HTTP);
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.CountDownLatch allKinds = new java.util.concurrent.CountDownLatch(KINDS.size());
    /** Two HTTP clients (Prometheus, Alertmanager): the first of them counts for its kind in allKinds, not the second. */
    private final java.util.concurrent.CountDownLatch twoHttp = new java.util.concurrent.CountDownLatch(2);

    @BeforeEach
    void silentServer() throws Exception {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept()); // kept open, never written to
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "silent-server");
        t.setDaemon(true);
        t.start();
        NetworkClients.listen((kind, thread) -> {
            created.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>())
                    .add(thread.getName() + (Platform.isFxApplicationThread() ? " (the FX thread)" : ""));
            if (KINDS.contains(kind) && seen.add(kind)) {
                allKinds.countDown();
            }
            if (NetworkClients.HTTP.equals(kind)) {
                twoHttp.countDown();
            }
        });
    }

    @AfterEach
    void close() throws Exception {
        NetworkClients.listen(null);
        // the far end first: a client still waiting for its answer then fails at once (the Redis adapter's close
        // waits for a connect under way)
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void everyAdapterCreatesItsClientOffTheFxThreadWhenCalledOnIt() throws Exception {
        Environment env = EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  silent:
                    ssh: { host: 127.0.0.1, port: %d, user: nobody, agent: false, knownHosts: %s, connectTimeoutSeconds: 30 }
                """.formatted(silent.getLocalPort(), tmp.resolve("known_hosts"))).environments().get("silent");
        Duration t = Duration.ofSeconds(30);
        Tunnels far = new SilentTunnels();
        // built and called on the FX thread, as the window does (the shell opens an environment there)
        List<BackendProbe> probes = WaitForAsyncUtils.asyncFx(() -> List.<BackendProbe>of(
                new SshConnection(env.ssh(), HostKeyPrompt.REFUSE, tmp.resolve("ssh_config")),
                new PostgresAdapter(env.postgres(), env.outbox(), far, () -> CompletableFuture.completedFuture(Optional.empty()), t),
                new RedisAdapter(env.redis(), far, () -> CompletableFuture.completedFuture(Optional.empty()), t),
                new DockerAdapter(env.docker(), far, t),
                new PrometheusAdapter(env.prometheus(), far, t),
                new AlertmanagerAdapter(env, far, t))).get(10, TimeUnit.SECONDS);
        for (BackendProbe p : probes) {
            closing.add((AutoCloseable) p);
        }
        List<CompletableFuture<Void>> pings = WaitForAsyncUtils.asyncFx(
                () -> probes.stream().map(BackendProbe::ping).toList()).get(10, TimeUnit.SECONDS);

        // each client is created as its adapter's thread starts the call (no answer is awaited)
        assertTrue(allKinds.await(20, TimeUnit.SECONDS), created.toString());
        assertTrue(twoHttp.await(20, TimeUnit.SECONDS), "Prometheus and Alertmanager: " + created);
        assertEquals(KINDS, created.keySet(), created.toString());
        assertEquals(2, created.get(NetworkClients.HTTP).size(), "Prometheus and Alertmanager: " + created);
        created.forEach((kind, threads) -> threads.forEach(th ->
                assertTrue(!th.endsWith("(the FX thread)"), kind + " created on " + th + ": " + created)));
        pings.forEach(p -> p.cancel(true));
    }

    /** The far end of every channel: the silent server; the Docker socket's forward: a path nothing listens on. */
    private final class SilentTunnels implements Tunnels {
        @Override
        public CompletableFuture<Path> forwardUnixSocket(String socketPath, String fallbackCommand) {
            return CompletableFuture.completedFuture(tmp.resolve("docker.sock"));
        }

        @Override
        public CompletableFuture<Stream> open(String host, int port) {
            try {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), silent.getLocalPort());
                return CompletableFuture.completedFuture(new Stream() {
                    @Override
                    public InputStream input() {
                        try {
                            return s.getInputStream();
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    @Override
                    public OutputStream output() {
                        try {
                            return s.getOutputStream();
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }

                    @Override
                    public void close() {
                        try {
                            s.close();
                        } catch (java.io.IOException ignored) {
                            // closing
                        }
                    }
                });
            } catch (java.io.IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }
}
