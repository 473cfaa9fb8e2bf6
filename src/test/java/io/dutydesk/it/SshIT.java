package io.dutydesk.it;

import io.dutydesk.adapters.docker.DockerAdapter;
import io.dutydesk.adapters.ssh.HostKeyException;
import io.dutydesk.adapters.ssh.SshConnection;
import io.dutydesk.core.Errors;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    private static String http(InetSocketAddress a, String path) throws Exception {
        return http(a, path, false);
    }

    /** HTTP/1.0 GET read to EOF; {@code halfClose} as docker's CLI does over dial-stdio (JSch's own forwards close fully). */
    private static String http(InetSocketAddress a, String path, boolean halfClose) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(a, 5000);
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            if (halfClose) {
                s.shutdownOutput(); // dial-stdio ends on stdin EOF
            }
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return resp.substring(resp.indexOf("\r\n\r\n") + 4);
        }
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
    void execTimesOut() {
        try (SshConnection ssh = connection()) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> ssh.exec("sleep 10", Duration.ofMillis(700), RemoteShell.OutputListener.NONE).join());
            assertInstanceOf(TimeoutException.class, Errors.unwrap(e));
            assertTrue(Errors.describe(e).contains("did not finish within 700 ms"));
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

    @Test
    void tcpForwardKeepsItsLocalPortAcrossAReconnect() throws Exception {
        try (SshConnection ssh = connection()) {
            InetSocketAddress a = ssh.forwardTcp("127.0.0.1", RefHost.NGINX_PORT).join();
            assertEquals("127.0.0.1", a.getHostString());
            String slot = http(a, "/live-slot").strip();
            assertTrue(slot.equals("blue") || slot.equals("green"), slot);
            assertEquals(a, ssh.forwardTcp("127.0.0.1", RefHost.NGINX_PORT).join(), "one forward per target");

            ssh.disconnect(); // as a network cut would
            assertTrue(!ssh.isConnected());
            InetSocketAddress b = ssh.forwardTcp("127.0.0.1", RefHost.NGINX_PORT).join();
            assertEquals(a, b, "same local port after reconnecting");
            assertEquals(slot, http(b, "/live-slot").strip());
        }
    }

    @Test
    void dockerSocketThroughStreamlocalForward() throws Exception {
        try (SshConnection ssh = connection()) {
            InetSocketAddress a = ssh.forwardUnixSocket("/var/run/docker.sock", "docker system dial-stdio").join();
            assertEquals("OK", http(a, "/_ping"));
            assertEquals("streamlocal", ssh.unixForwardMode("/var/run/docker.sock"));
        }
    }

    @Test
    void dockerSocketThroughDialStdioWhenTheServerRefusesStreamlocal() throws Exception {
        try (SshConnection ssh = new SshConnection(target(RefHost.SSH_PORT_NOSTREAM, RefHost.ref().ssh().knownHosts()),
                HostKeyPrompt.REFUSE)) {
            InetSocketAddress a = ssh.forwardUnixSocket("/var/run/docker.sock", "docker system dial-stdio").join();
            assertEquals("dial-stdio", ssh.unixForwardMode("/var/run/docker.sock"));
            assertEquals("OK", http(a, "/_ping", true));
            assertTrue(http(a, "/version", true).contains("\"ApiVersion\""), "a second connection works too");
            try (DockerAdapter docker = new DockerAdapter(RefHost.ref().docker(), ssh, Duration.ofSeconds(5))) {
                docker.ping().join(); // docker-java over the dial-stdio tunnel
                docker.ping().join();
            }
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
