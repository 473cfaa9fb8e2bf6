package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Opens JSch sessions the way OpenSSH would: ~/.ssh/config honoured, an identity file or
 * ssh-agent, strict known_hosts through {@link KnownHostsVerifier}, an optional jump host.
 */
final class SessionFactory {
    private final HostKeyPrompt hostKeys;
    private final Duration promptTimeout;

    SessionFactory(HostKeyPrompt hostKeys, Duration promptTimeout) {
        this.hostKeys = hostKeys;
        this.promptTimeout = promptTimeout;
    }

    /** The target's session, and the jump host's when there is one (to close with it). */
    record Opened(Session session, Session jump) {}

    Opened open(Environment.Ssh target) throws Exception {
        int timeout = (int) target.connectTimeout().toMillis();
        String host = target.host();
        int port = target.port();
        String alias = null;
        Session jumpSession = null;
        if (target.jump().isPresent()) {
            jumpSession = open(target.jump().get(), target.jump().get().host(), target.jump().get().port(), null, timeout);
            int lp = jumpSession.setPortForwardingL("127.0.0.1", 0, host, port == 0 ? 22 : port, null, timeout);
            alias = knownHostsName(host, port == 0 ? 22 : port);
            host = "127.0.0.1";
            port = lp;
        }
        try {
            return new Opened(open(target, host, port, alias, timeout), jumpSession);
        } catch (Exception e) {
            if (jumpSession != null) {
                jumpSession.disconnect();
            }
            throw e;
        }
    }

    private Session open(Environment.Ssh t, String host, int port, String hostKeyAlias, int timeout) throws Exception {
        JSch jsch = new JSch();
        Path sshConfig = Path.of(System.getProperty("user.home"), ".ssh", "config");
        ConfigRepository.Config cfg = null;
        if (Files.isReadable(sshConfig)) {
            // resolved here, by the name the user wrote (an alias), not by the address it maps to
            cfg = OpenSSHConfig.parseFile(sshConfig.toString()).getConfig(t.host());
        }
        String user = t.user() != null ? t.user()
                : cfg != null && cfg.getUser() != null ? cfg.getUser() : System.getProperty("user.name");
        int effectivePort = port != 0 ? port : cfg != null && cfg.getPort() > 0 ? cfg.getPort() : 22;
        String effectiveHost = cfg != null && cfg.getHostname() != null && host.equals(t.host()) ? cfg.getHostname() : host;
        if (t.identity().isPresent()) {
            Path id = t.identity().get();
            if (!Files.isReadable(id)) {
                throw new IOException("identity file " + id + " is not readable");
            }
            jsch.addIdentity(id.toString());
        } else if (cfg != null && cfg.getValues("IdentityFile") != null && host.equals(t.host())) {
            for (String f : cfg.getValues("IdentityFile")) {
                String path = f.startsWith("~/") ? System.getProperty("user.home") + f.substring(1) : f;
                if (Files.isReadable(Path.of(path))) {
                    jsch.addIdentity(path);
                }
            }
        } else if (t.agent() && System.getenv("SSH_AUTH_SOCK") != null) {
            jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector()));
        } else {
            for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = Path.of(System.getProperty("user.home"), ".ssh", n);
                if (Files.isReadable(p)) {
                    jsch.addIdentity(p.toString());
                }
            }
        }
        KnownHostsVerifier verifier = new KnownHostsVerifier(jsch, t.knownHosts(), hostKeys, promptTimeout);
        jsch.setHostKeyRepository(verifier);
        Session s = jsch.getSession(user, effectiveHost, effectivePort);
        s.setPort(effectivePort);
        if (hostKeyAlias != null) {
            s.setHostKeyAlias(hostKeyAlias);
        } else if (effectivePort != 22) {
            s.setHostKeyAlias(knownHostsName(effectiveHost, effectivePort));
        }
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("HashKnownHosts", "no");
        s.setConfig("PreferredAuthentications", "publickey");
        s.setServerAliveInterval(5000);
        s.setServerAliveCountMax(3);
        try {
            s.connect(timeout);
        } catch (JSchException e) {
            if (verifier.refusal() != null) {
                throw verifier.refusal();
            }
            throw new IOException("ssh " + user + "@" + effectiveHost + ":" + effectivePort + ": " + describe(e), e);
        }
        return s;
    }

    private static String describe(JSchException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            m = e.getCause().getMessage();
        }
        if (m.contains("Auth fail") || m.contains("USERAUTH fail")) {
            return "authentication failed (is the key in authorized_keys?)";
        }
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }
}
