package io.dutydesk.it;

import io.dutydesk.adapters.docker.DockerAdapter;
import io.dutydesk.adapters.support.ChannelSocket;
import io.dutydesk.adapters.ssh.HostKeyException;
import io.dutydesk.adapters.ssh.SshConnection;
import io.dutydesk.core.Errors;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dutydesk.core.ports.Tunnels;
import io.dutydesk.testing.Eventually;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSH spine against the reference host's real sshd. */
class SshIT {
    private static final Duration T = Duration.ofSeconds(20);

    private static Environment.Ssh target(int port, Path knownHosts) {
        Environment.Ssh ref = RefHost.ref().ssh();
        return new Environment.Ssh(ref.host(), port, ref.user(), ref.identity(), false, knownHosts, Optional.empty(),
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    private static SshConnection connection() {
        return new SshConnection(RefHost.ref().ssh(), HostKeyPrompt.REFUSE);
    }

    /** HTTP/1.0 GET over a channel socket, read to EOF. */
    private static String http(Socket s, String path) throws Exception {
        OutputStream o = s.getOutputStream();
        o.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        o.flush();
        String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return resp.substring(resp.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void execStreamsStdoutAndStderrLineByLineWithTheExitCode() {
        try (SshConnection ssh = connection()) {
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            RemoteShell.ExecResult r = ssh.exec("for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.3; done; exit 3", T,
                    (stderr, line) -> {
                        lines.add((stderr ? "E:" : "O:") + line);
                        arrivals.add(System.nanoTime() - t0);
                    }).join();
            long total = System.nanoTime() - t0;
            assertEquals(3, r.exitCode());
            assertEquals("out1\nout2\nout3\n", r.stdout());
            assertEquals("err1\nerr2\nerr3\n", r.stderr());
            assertEquals(List.of("O:out1", "O:out2", "O:out3"), lines.stream().filter(l -> l.startsWith("O:")).toList());
            assertEquals(6, lines.size());
            assertTrue(arrivals.get(0) < total - 500_000_000L, "the first line arrived while the command still ran");
        }
    }

    @Test
    void connectAheadConnectsWithoutACommandAndTheFirstCommandUsesThatSession() throws Exception {
        try (SshConnection ssh = connection()) {
            assertTrue(!ssh.isConnected(), "nothing connects before it is asked");
            ssh.connectAhead();
            io.dutydesk.testing.Eventually.await("connected ahead", Duration.ofSeconds(20), ssh::isConnected);
            long before = ssh.channelStats().opened();
            assertEquals(0, before, "connecting opened no channel: no command ran on the server");
            assertEquals("ok", ssh.exec("echo ok", T, RemoteShell.OutputListener.NONE).join().stdout().strip());
        }
        try (SshConnection closed = connection()) {
            closed.close();
            closed.connectAhead(); // a closed connection: nothing, no throw
            assertTrue(!closed.isConnected());
        }
    }

    @Test
    void execTimesOut() {
        try (SshConnection ssh = connection()) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> ssh.exec("sleep 10", Duration.ofMillis(700), RemoteShell.OutputListener.NONE).join());
            assertInstanceOf(TimeoutException.class, Errors.unwrap(e));
            assertTrue(Errors.describe(e).contains("did not finish within 700 ms"));
        }
    }

    /** Follows and action runs in progress (and short calls filling their pool) leave the pings their own threads. */
    @Test
    void longJobsNeverStarveThePing() throws Exception {
        try (SshConnection ssh = connection()) {
            ssh.ping().join();
            List<CompletableFuture<RemoteShell.ExecResult>> busy = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // like `tail -f` of an action's log: allowed to run for long
                busy.add(ssh.exec("sleep 20", Duration.ofMinutes(5), RemoteShell.OutputListener.NONE));
            }
            for (int i = 0; i < 4; i++) { // short calls that happen to be slow
                busy.add(ssh.exec("sleep 20", Duration.ofSeconds(30), RemoteShell.OutputListener.NONE));
            }
            Eventually.await("the jobs run", Duration.ofSeconds(30), () -> {
                String ps = RefHost.run(Duration.ofSeconds(10), "sh", "-c",
                        "pgrep -c -u " + RefHost.ref().ssh().user() + " -f '^sleep 20$' || true");
                return Integer.parseInt(ps.strip()) >= 9;
            });
            ssh.ping().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(busy.stream().noneMatch(CompletableFuture::isDone), "the jobs were still running");
        }
    }

    @Test
    void sftpListsAndReads() {
        Environment ref = RefHost.ref();
        try (SshConnection ssh = connection()) {
            List<RemoteShell.RemoteFile> files = ssh.list(ref.backups().folders().get(0)).join();
            assertTrue(files.size() >= 9, files.toString());
            for (Environment.BackupKind k : ref.backups().kinds()) {
                assertTrue(files.stream().anyMatch(f -> k.pattern().matcher(f.name()).matches() && f.size() > 1000),
                        "a real dump of kind " + k.name());
            }
            byte[] pw = ssh.readFile(RefHost.dir().resolve("srv/secrets/pg_password").toString(), 1024).join();
            assertTrue(pw.length > 8);
            CompletionException missing = assertThrows(CompletionException.class, () -> ssh.readFile("/nonexistent/x", 10).join());
            assertTrue(Errors.describe(missing).contains("/nonexistent/x: no such file or folder"), Errors.describe(missing));
        }
    }

    /**
     * The PostgreSQL and Redis clients' socket: an SSH channel with a TCP socket's read timeout (the
     * socket stays usable after one), refused plainly when nothing listens on the server, and a new
     * one works after the connection was cut (the old one ends instead of hanging).
     */
    @Test
    void aChannelSocketBehavesAsATcpSocketOverSsh() throws Exception {
        try (SshConnection ssh = connection()) {
            String slot;
            try (ChannelSocket s = ChannelSocket.open(ssh, "127.0.0.1", RefHost.NGINX_PORT, 5000)) {
                slot = http(s, "/live-slot").strip();
            }
            assertTrue(slot.equals("blue") || slot.equals("green"), slot);

            try (ChannelSocket quiet = ChannelSocket.open(ssh, "127.0.0.1", RefHost.NGINX_PORT, 5000)) {
                quiet.setSoTimeout(300);
                long t0 = System.nanoTime();
                assertThrows(java.net.SocketTimeoutException.class, () -> quiet.getInputStream().read(), "nginx waits for a request");
                long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(ms >= 290 && ms < 3000, "timed out after " + ms + " ms");
                quiet.setSoTimeout(5000);
                assertEquals(slot, http(quiet, "/live-slot").strip(), "still usable after a read timed out");
            }

            java.net.ConnectException refused = assertThrows(java.net.ConnectException.class,
                    () -> ChannelSocket.open(ssh, "127.0.0.1", 24999, 5000));
            assertTrue(refused.getMessage().contains("SSH channel refused"), refused.getMessage());

            ChannelSocket old = ChannelSocket.open(ssh, "127.0.0.1", RefHost.NGINX_PORT, 0);
            ssh.disconnect(); // as a network cut would
            long t0 = System.nanoTime();
            try {
                assertEquals(-1, old.getInputStream().read(), "the cut channel ends");
            } catch (java.io.IOException ended) {
                // ends with an error: as good
            }
            assertTrue(System.nanoTime() - t0 < java.util.concurrent.TimeUnit.SECONDS.toNanos(5), "not left hanging");
            old.close();
            try (ChannelSocket again = ChannelSocket.open(ssh, "127.0.0.1", RefHost.NGINX_PORT, 10000)) {
                assertEquals(slot, http(again, "/live-slot").strip(), "a new channel after reconnecting");
            }
        }
    }

    /** HTTP/1.0 GET over a local unix socket, read to EOF; {@code halfClose} as docker's CLI does over dial-stdio. */
    private static String http(Path socket, String path, boolean halfClose) throws Exception {
        try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            s.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            if (halfClose) {
                s.shutdownOutput(); // dial-stdio ends on stdin EOF
            }
            String resp = new String(Channels.newInputStream(s).readAllBytes(), StandardCharsets.UTF_8);
            int body = resp.indexOf("\r\n\r\n");
            return body < 0 ? resp : resp.substring(body + 4);
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void dockerSocketThroughALocalUnixSocketInA0700Folder() throws Exception {
        Path folder;
        try (SshConnection ssh = connection()) {
            Path a = ssh.forwardUnixSocket("/var/run/docker.sock", "docker system dial-stdio").join();
            assertEquals("OK", http(a, "/_ping", false));
            assertEquals("streamlocal", ssh.unixForwardMode("/var/run/docker.sock"));
            assertEquals("rw-------", mode(a));
            folder = a.getParent();
            assertEquals("rwx------", mode(folder), "only the user can reach the socket");
            assertEquals(a, ssh.forwardUnixSocket("/var/run/docker.sock", "docker system dial-stdio").join(), "one per socket");

            ssh.disconnect(); // as a network cut would
            Path b = ssh.forwardUnixSocket("/var/run/docker.sock", "docker system dial-stdio").join();
            assertEquals(a, b, "same path after reconnecting");
            assertEquals("OK", http(b, "/_ping", false));
        }
        Eventually.await("the socket folder goes with the connection", Duration.ofSeconds(10), () -> Files.notExists(folder));
    }

    @Test
    void dockerSocketThroughDialStdioWhenTheServerRefusesStreamlocal() throws Exception {
        try (SshConnection ssh = new SshConnection(target(RefHost.SSH_PORT_NOSTREAM, RefHost.ref().ssh().knownHosts()),
                HostKeyPrompt.REFUSE)) {
            Path a = ssh.forwardUnixSocket("/var/run/docker.sock", "docker system dial-stdio").join();
            assertEquals("OK", http(a, "/_ping", true));
            assertEquals("dial-stdio", ssh.unixForwardMode("/var/run/docker.sock"));
            assertTrue(http(a, "/version", true).contains("\"ApiVersion\""), "a second connection works too");
            try (DockerAdapter docker = new DockerAdapter(RefHost.ref().docker(), ssh, Duration.ofSeconds(5))) {
                docker.ping().join(); // docker-java over the dial-stdio tunnel
                docker.ping().join();
            }
        }
    }

    /** A socket that is not there (Docker stopped) is said so, and does not switch the forward to the fallback. */
    @Test
    void aMissingSocketIsReportedAndDoesNotMakeTheFallbackPermanent() throws Exception {
        String missing = "/tmp/dutydesk-no-such-" + System.nanoTime() + ".sock";
        try (SshConnection ssh = connection()) {
            Path a = ssh.forwardUnixSocket(missing, "docker system dial-stdio").join();
            String answer;
            try {
                answer = http(a, "/_ping", false);
            } catch (java.io.IOException reset) {
                answer = ""; // closed (reset) without an answer
            }
            assertEquals("", answer, "closed without an answer");
            assertEquals("streamlocal", ssh.unixForwardMode(missing));
            assertTrue(ssh.unixSocketFailure(missing).orElse("").contains("no such socket on the server"),
                    ssh.unixSocketFailure(missing).toString());
            Path docker = ssh.forwardUnixSocket("/var/run/docker.sock", "docker system dial-stdio").join();
            assertEquals("OK", http(docker, "/_ping", false));
            assertEquals("streamlocal", ssh.unixForwardMode("/var/run/docker.sock"));
        }
    }

    /**
     * Why a forward's socket cannot be reached is asked with a short command whose answer is awaited as long as a channel's
     * open, no longer: a server that never answers it (here every session's command waits while a flag file exists: the
     * deploy user's {@code ~/.ssh/rc}, for this test only) costs the client that bound, said as such, and the connection's
     * next forward works. The forward read that command's output to its end without a bound: the client's read of its
     * socket — Docker's ping — waited as long as the server did (this class once hung 12 minutes in a run).
     */
    @Test
    void aServerThatNeverSaysWhyASocketIsMissingCostsTheClientOnlyTheBound() throws Exception {
        Environment.Ssh ref = RefHost.ref().ssh();
        Environment.Ssh quick = new Environment.Ssh(ref.host(), ref.port(), ref.user(), ref.identity(), ref.agent(), ref.knownHosts(),
                ref.jump(), Duration.ofSeconds(2), ref.commandTimeout());
        Path dotSsh = RefHost.serverHome().resolve(".ssh");
        Path rc = dotSsh.resolve("rc");
        Path hold = Files.createTempFile("dutydesk-ssh-rc-hold-", "");
        assertFalse(Files.exists(rc), "the deploy user has an ~/.ssh/rc of its own: this test would replace it");
        boolean madeDotSsh = !Files.isDirectory(dotSsh);
        String missing = "/tmp/dutydesk-no-such-" + System.nanoTime() + ".sock";
        try (SshConnection ssh = new SshConnection(quick, HostKeyPrompt.REFUSE)) {
            ssh.exec("true", T, RemoteShell.OutputListener.NONE).join(); // connected before the server stops answering
            Path a = ssh.forwardUnixSocket(missing, "docker system dial-stdio").join();
            Files.createDirectories(dotSsh);
            Files.writeString(rc, "while [ -e " + hold + " ]; do sleep 0.1; done\n"); // sshd runs it before each session's command
            Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-r--r--"));
            long t0 = System.nanoTime();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return http(a, "/_ping", false);
                } catch (java.io.IOException reset) {
                    return ""; // closed (reset) without an answer
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            String got;
            try {
                got = answer.get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the client's read of the forward still waits after 20 s: the check of the missing socket has no bound");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("", got, "closed without an answer");
            assertTrue(ms >= 1_500 && ms < 10_000, "closed after the check's bound (2 s), not before nor long after: " + ms + " ms");
            String failure = ssh.unixSocketFailure(missing).orElse("");
            assertTrue(failure.contains("did not say within 2 s whether the socket is there"), failure);
            assertEquals("streamlocal", ssh.unixForwardMode(missing), "no reason to fall back");
        } finally {
            Files.deleteIfExists(hold); // the server's waiting sessions go on
            Files.deleteIfExists(rc);
            if (madeDotSsh) {
                Files.deleteIfExists(dotSsh);
            }
        }
    }

    /** A socket the server's user may not open: Docker's "permission denied", not "is it running?". */
    @Test
    void permissionDeniedOnTheDockerSocketIsSaidAsSuch() throws Exception {
        Path dir = Files.createTempDirectory("dutydesk-denied-");
        Path sock = dir.resolve("docker.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-------")); // root's alone
            Environment.Docker cfg = new Environment.Docker(sock.toString(), "docker system dial-stdio");
            try (SshConnection ssh = connection(); DockerAdapter docker = new DockerAdapter(cfg, ssh, Duration.ofSeconds(5))) {
                CompletionException e = assertThrows(CompletionException.class, () -> docker.ping().join());
                String m = Errors.describe(e);
                assertTrue(m.contains("permission denied while trying to connect to unix://" + sock), m);
                assertTrue(m.contains(RefHost.ref().ssh().user()), m);
                assertFalse(m.contains("is it running"), m);
                assertEquals("streamlocal", ssh.unixForwardMode(sock.toString()), "not a reason to fall back");
            }
        } finally {
            Files.deleteIfExists(sock);
            Files.deleteIfExists(dir);
        }
    }

    /** Prometheus/Alertmanager-style HTTP goes through an in-process channel: no local port at all. */
    @Test
    void anInProcessChannelReachesAServerPort() throws Exception {
        try (SshConnection ssh = connection()) {
            Tunnels.Stream st = ssh.open("127.0.0.1", RefHost.NGINX_PORT).join();
            try (st) {
                st.output().write("GET /live-slot HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                st.output().flush();
                String resp = new String(st.input().readAllBytes(), StandardCharsets.UTF_8);
                String slot = resp.substring(resp.indexOf("\r\n\r\n") + 4).strip();
                assertTrue(slot.equals("blue") || slot.equals("green"), resp);
            }
            CompletionException e = assertThrows(CompletionException.class, () -> ssh.open("127.0.0.1", 1).join());
            assertTrue(Errors.describe(e).contains("SSH channel refused"), Errors.describe(e));
        }
    }

    @Test
    void throughAJumpHost() {
        Environment.Ssh ref = RefHost.ref().ssh();
        Environment.Ssh viaJump = new Environment.Ssh(ref.host(), ref.port(), ref.user(), ref.identity(), false,
                ref.knownHosts(), Optional.of(ref), ref.connectTimeout(), ref.commandTimeout());
        try (SshConnection ssh = new SshConnection(viaJump, HostKeyPrompt.REFUSE)) {
            assertEquals("jumped\n", ssh.exec("echo jumped", T, RemoteShell.OutputListener.NONE).join().stdout());
        }
    }

    /** The fingerprint as OpenSSH prints it for the server's host key. */
    private static String expectedFingerprint() {
        String out = RefHost.run(Duration.ofSeconds(10), "ssh-keygen", "-lf", RefHost.hostPublicKey().toString());
        return out.split("\\s+")[1];
    }

    private static long acceptedLogins() throws Exception {
        String log = Files.readString(RefHost.dir().resolve("logs/sshd.log"));
        return log.lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprintBeforeAnyAuthentication(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        AtomicInteger asked = new AtomicInteger();
        List<HostKeyPrompt.UnknownHostKey> shown = new ArrayList<>();
        long loginsBefore = acceptedLogins();
        try (SshConnection ssh = new SshConnection(target(RefHost.SSH_PORT, kh), key -> {
            asked.incrementAndGet();
            shown.add(key);
            return CompletableFuture.completedFuture(false);
        })) {
            CompletionException e = assertThrows(CompletionException.class, () -> ssh.ping().join());
            HostKeyException hk = assertInstanceOf(HostKeyException.class, Errors.unwrap(e));
            assertTrue(!hk.changed());
            assertEquals(expectedFingerprint(), hk.fingerprint());
            assertTrue(hk.getMessage().contains(expectedFingerprint()));
        }
        assertEquals(1, asked.get());
        assertEquals(expectedFingerprint(), shown.get(0).fingerprint());
        assertEquals("[127.0.0.1]:" + RefHost.SSH_PORT, shown.get(0).host());
        assertTrue(Files.notExists(kh));
        Thread.sleep(300);
        assertEquals(loginsBefore, acceptedLogins(), "nothing authenticated with a refused key");
    }

    /** Once refused, the key is not asked about again at every poll: only when the user asks again. */
    @Test
    void aRefusedHostKeyIsRememberedUntilTheUserAsksAgain(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        AtomicInteger asked = new AtomicInteger();
        try (SshConnection ssh = new SshConnection(target(RefHost.SSH_PORT, kh), key -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(false);
        })) {
            assertInstanceOf(HostKeyException.class, Errors.unwrap(assertThrows(CompletionException.class, () -> ssh.ping().join())));
            Thread.sleep(2500); // past the retry window: a new attempt would be made now
            for (int i = 0; i < 3; i++) {
                CompletionException e = assertThrows(CompletionException.class, () -> ssh.ping().join());
                assertInstanceOf(HostKeyException.class, Errors.unwrap(e), "still the refusal, said as such");
                assertThrows(CompletionException.class, () -> ssh.open("127.0.0.1", RefHost.NGINX_PORT).join());
            }
            assertEquals(1, asked.get(), "asked once");
            ssh.askAgain();
            assertThrows(CompletionException.class, () -> ssh.ping().join());
            assertEquals(2, asked.get(), "asked again on request");
        }
    }

    /**
     * ~/.ssh/config's ProxyJump and HostKeyAlias: the target is reached through the jump host (its
     * sshd is the peer of the target's connection, not this process) and its key is checked under
     * the alias (the only name known_hosts has for it).
     */
    @Test
    void honoursProxyJumpAndHostKeyAliasOfTheSshConfig(@TempDir Path dir) throws Exception {
        String key = Files.readString(RefHost.hostPublicKey()).split("\\s+")[1];
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "[localhost]:" + RefHost.SSH_PORT + " ssh-ed25519 " + key + "\n"
                + "dutydesk-ref-alias ssh-ed25519 " + key + "\n");
        Environment.Ssh ref = RefHost.ref().ssh();
        String identity = ref.identity().orElseThrow().toString();
        Path config = dir.resolve("config");
        Files.writeString(config, """
                Host refjump
                  HostName localhost
                  Port %d
                  User %s
                  IdentityFile %s
                Host reftarget
                  HostName 127.0.0.1
                  Port %d
                  User %s
                  IdentityFile %s
                  ProxyJump refjump
                  HostKeyAlias dutydesk-ref-alias
                """.formatted(RefHost.SSH_PORT, ref.user(), identity, RefHost.SSH_PORT, ref.user(), identity));
        Environment.Ssh target = new Environment.Ssh("reftarget", 0, null, Optional.empty(), false, kh, Optional.empty(),
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        try (SshConnection ssh = new SshConnection(target, key2 -> {
            throw new AssertionError("asked about " + key2.host() + ": the alias was not used");
        }, config)) {
            String conn = ssh.exec("echo $SSH_CONNECTION", T, RemoteShell.OutputListener.NONE).join().stdout().strip();
            String peerPort = conn.split(" ")[1];
            String owner = RefHost.run(Duration.ofSeconds(10), "ss", "-tnpH", "state", "established",
                    "( sport = :" + peerPort + " )");
            assertTrue(owner.contains("sshd") && !owner.contains("java"), "the target's peer is the jump's sshd: " + owner);
        }
    }

    /** A host key question still open when the connection closes (a switch) is cancelled: its dialog closes. */
    @Test
    void closingCancelsAnOpenHostKeyQuestion(@TempDir Path dir) throws Exception {
        CompletableFuture<Boolean> question = new CompletableFuture<>();
        AtomicInteger asked = new AtomicInteger();
        SshConnection ssh = new SshConnection(target(RefHost.SSH_PORT, dir.resolve("known_hosts")), key -> {
            asked.incrementAndGet();
            return question;
        });
        CompletableFuture<Void> ping = ssh.ping();
        Eventually.await("asked", Duration.ofSeconds(30), () -> asked.get() == 1);
        ssh.close();
        assertTrue(question.isCancelled(), "the open question is cancelled");
        assertThrows(CompletionException.class, ping::join);
    }

    @Test
    void anAcceptedUnknownKeyIsRememberedInKnownHosts(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        try (SshConnection ssh = new SshConnection(target(RefHost.SSH_PORT, kh), key -> CompletableFuture.completedFuture(true))) {
            ssh.ping().join();
        }
        String line = Files.readString(kh).strip();
        assertTrue(line.startsWith("[127.0.0.1]:" + RefHost.SSH_PORT + " ssh-ed25519 "), line);
        try (SshConnection again = new SshConnection(target(RefHost.SSH_PORT, kh), key -> {
            throw new AssertionError("asked again for a known key");
        })) {
            again.ping().join();
        }
    }

    @Test
    void aChangedHostKeyIsRefusedWithoutAsking(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        // another machine's key recorded for this host:port
        RefHost.run(Duration.ofSeconds(10), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("other").toString());
        String other = Files.readString(dir.resolve("other.pub")).split("\\s+")[1];
        Files.writeString(kh, "[127.0.0.1]:" + RefHost.SSH_PORT + " ssh-ed25519 " + other + "\n");
        long loginsBefore = acceptedLogins();
        AtomicInteger asked = new AtomicInteger();
        try (SshConnection ssh = new SshConnection(target(RefHost.SSH_PORT, kh), key -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(true);
        })) {
            CompletionException e = assertThrows(CompletionException.class, () -> ssh.ping().join());
            HostKeyException hk = assertInstanceOf(HostKeyException.class, Errors.unwrap(e));
            assertTrue(hk.changed());
            assertTrue(hk.getMessage().contains("CHANGED"));
            assertEquals(expectedFingerprint(), hk.fingerprint());
        }
        assertEquals(0, asked.get(), "a changed key is refused, not offered");
        assertTrue(Files.readString(kh).contains(other), "known_hosts untouched");
        Thread.sleep(300);
        assertEquals(loginsBefore, acceptedLogins());
    }
}
