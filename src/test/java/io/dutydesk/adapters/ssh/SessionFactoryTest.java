package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.dutydesk.adapters.support.SshSessionException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionFactoryTest {
    private static List<String> list(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    /**
     * JSch's own defaults check algorithms it never proposes (sntrup761x25519: a pure-Java key pair made before every
     * connection, seconds on a cold JVM): a session checks only what it proposes, and still checks that.
     */
    @Test
    void aSessionChecksOnlyTheAlgorithmsItProposes() throws Exception {
        Session s = new JSch().getSession("u", "127.0.0.1", 22);
        assertTrue(list(s.getConfig("CheckKexes")).contains("sntrup761x25519-sha512@openssh.com"), "JSch's default: "
                + s.getConfig("CheckKexes"));
        assertFalse(list(s.getConfig("kex")).contains("sntrup761x25519-sha512@openssh.com"), s.getConfig("kex"));

        SessionFactory.limitChecks(s);

        for (String[] c : new String[][] {{"CheckKexes", "kex"}, {"CheckSignatures", "server_host_key", "PubkeyAcceptedAlgorithms"},
                {"CheckCiphers", "cipher.c2s", "cipher.s2c"}, {"CheckMacs", "mac.c2s", "mac.s2c"}}) {
            for (String a : list(s.getConfig(c[0]))) {
                boolean proposed = false;
                for (int i = 1; i < c.length; i++) {
                    proposed |= list(s.getConfig(c[i])).contains(a);
                }
                assertTrue(proposed, c[0] + " checks " + a + ", which is not proposed");
            }
        }
        assertTrue(list(s.getConfig("CheckKexes")).contains("curve25519-sha256"), "a proposed key exchange is still checked: "
                + s.getConfig("CheckKexes"));
        assertTrue(list(s.getConfig("CheckSignatures")).contains("ssh-ed25519"), s.getConfig("CheckSignatures"));
    }

    @Test
    void onlyProposedKeepsTheCheckedOrder() {
        assertEquals("b,a", SessionFactory.onlyProposed("x,b,a", "a,c", "b"));
        assertEquals("", SessionFactory.onlyProposed("x", "a", null));
        assertEquals("", SessionFactory.onlyProposed(null, "a"));
    }

    /** A session to ~/.ssh/config's alias {@code host} as the user wrote it (port and user from the file or the defaults). */
    private static Exception openFails(Path dir, String sshConfig, String host, int port) throws Exception {
        Path config = Files.writeString(dir.resolve("config"), sshConfig);
        Environment.Ssh target = new Environment.Ssh(host, port, "u", Optional.empty(), false, dir.resolve("known_hosts"),
                Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(2));
        SessionFactory sessions = new SessionFactory(HostKeyPrompt.REFUSE, Duration.ofSeconds(1), config);
        return assertThrows(Exception.class, () -> sessions.open(target).disconnect());
    }

    /** A connection that fails says so as an SSH connection's failure, naming where it went: ping, doctor and the actions print it. */
    @Test
    void aConnectionThatFailsIsTheSshConnectionsFailureNamingWhereItWent(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Exception refused = openFails(dir, "", "127.0.0.1", closed);
        assertEquals(SshSessionException.class, refused.getClass(), String.valueOf(refused));
        assertEquals("ssh u@127.0.0.1:" + closed + ": Connection refused", refused.getMessage());

        Exception outOfRange = openFails(dir, "Host far\n  HostName 127.0.0.1\n  Port 99999\n", "far", 0);
        assertEquals(SshSessionException.class, outOfRange.getClass(), "not a bare " + outOfRange);
        assertEquals("ssh u@127.0.0.1:99999: port out of range:99999", outOfRange.getMessage());
    }

    /** A name that does not resolve is said to be one: Java's exception says the bare name ("ssh u@h:22: h"). */
    @Test
    void anUnknownHostIsSaidToBeOne() {
        assertEquals("unknown host nowhere.invalid (the name does not resolve)", SessionFactory.describe(
                new JSchException("Session.connect: java.net.UnknownHostException: nowhere.invalid",
                        new java.net.UnknownHostException("nowhere.invalid"))));
        assertEquals("Connection refused", SessionFactory.describe(
                new JSchException("Session.connect: java.net.ConnectException: Connection refused",
                        new java.net.ConnectException("Connection refused"))));
    }
}
