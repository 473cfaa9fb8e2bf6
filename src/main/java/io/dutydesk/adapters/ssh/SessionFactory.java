package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Vector;

/**
 * Opens JSch sessions the way OpenSSH would: ~/.ssh/config honoured (HostName, Port, User,
 * IdentityFile, ProxyJump, HostKeyAlias), ssh-agent keys tried first and identity files after
 * them, strict known_hosts through {@link KnownHostsVerifier} with the host key types already
 * known for the host preferred, an optional jump host.
 */
final class SessionFactory {
    private final HostKeyPrompt hostKeys;
    private final Duration promptTimeout;
    private final Path sshConfig;

    SessionFactory(HostKeyPrompt hostKeys, Duration promptTimeout, Path sshConfig) {
        this.hostKeys = hostKeys;
        this.promptTimeout = promptTimeout;
        this.sshConfig = sshConfig;
    }

    /** The target's session and the jump hosts it goes through (closed with it, last hop first). */
    record Opened(Session session, List<Session> hops) {
        void disconnect() {
            session.disconnect();
            for (int i = hops.size() - 1; i >= 0; i--) {
                hops.get(i).disconnect();
            }
        }
    }

    Opened open(Environment.Ssh target) throws Exception {
        int timeout = (int) target.connectTimeout().toMillis();
        ConfigRepository.Config cfg = config(target.host());
        Optional<Environment.Ssh> jump = target.jump().isPresent() ? target.jump() : proxyJump(target, cfg);
        if (jump.isEmpty()) {
            return new Opened(open(target, cfg, null, 0, timeout), List.of());
        }
        Opened hop = open(jump.get());
        try {
            String host = hostName(target, cfg);
            int port = port(target, cfg);
            int lp = hop.session().setPortForwardingL("127.0.0.1", 0, host, port, null, timeout);
            Session s = open(target, cfg, knownHostsName(host, port), lp, timeout);
            List<Session> hops = new ArrayList<>(hop.hops());
            hops.add(hop.session());
            return new Opened(s, List.copyOf(hops));
        } catch (Exception e) {
            hop.disconnect();
            throw e;
        }
    }

    /** The ~/.ssh/config entry for a name as the user wrote it (an alias), or null. */
    private ConfigRepository.Config config(String alias) throws IOException {
        if (sshConfig == null || !Files.isReadable(sshConfig)) {
            return null;
        }
        return OpenSSHConfig.parseFile(sshConfig.toString()).getConfig(alias);
    }

    private static String hostName(Environment.Ssh t, ConfigRepository.Config cfg) {
        return cfg != null && cfg.getHostname() != null ? cfg.getHostname() : t.host();
    }

    private static int port(Environment.Ssh t, ConfigRepository.Config cfg) {
        return t.port() != 0 ? t.port() : cfg != null && cfg.getPort() > 0 ? cfg.getPort() : 22;
    }

    /**
     * {@code ProxyJump [user@]host[:port][,...]} of the config entry as a jump chain: the last hop
     * is the one the target is reached through, each hop through the one before it.
     */
    static Optional<Environment.Ssh> proxyJump(Environment.Ssh target, ConfigRepository.Config cfg) {
        String spec = cfg == null ? null : cfg.getValue("ProxyJump");
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        Optional<Environment.Ssh> previous = Optional.empty();
        for (String hop : spec.strip().split(",")) {
            String h = hop.strip();
            if (h.startsWith("ssh://")) {
                h = h.substring(6);
            }
            String user = null;
            int at = h.lastIndexOf('@');
            if (at >= 0) {
                user = h.substring(0, at);
                h = h.substring(at + 1);
            }
            int port = 0;
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(']') < colon) {
                port = Integer.parseInt(h.substring(colon + 1));
                h = h.substring(0, colon);
            }
            h = h.replace("[", "").replace("]", "");
            previous = Optional.of(new Environment.Ssh(h, port, user, Optional.empty(), target.agent(), target.knownHosts(),
                    previous, target.connectTimeout(), target.commandTimeout()));
        }
        return previous;
    }

    /**
     * One session to {@code t}: directly, or to 127.0.0.1:{@code localPort} (a jump host's
     * forward) with the host key checked under {@code viaJumpName}.
     */
    private Session open(Environment.Ssh t, ConfigRepository.Config cfg, String viaJumpName, int localPort, int timeout)
            throws Exception {
        io.dutydesk.adapters.support.NetworkClients.creating(io.dutydesk.adapters.support.NetworkClients.SSH);
        JSch jsch = new JSch();
        String user = t.user() != null ? t.user()
                : cfg != null && cfg.getUser() != null ? cfg.getUser() : System.getProperty("user.name");
        int port = port(t, cfg);
        String host = hostName(t, cfg);
        jsch.setIdentityRepository(identities(t, cfg));
        KnownHostsVerifier verifier = new KnownHostsVerifier(t.knownHosts(), hostKeys, promptTimeout);
        jsch.setHostKeyRepository(verifier);
        String connectHost = viaJumpName != null ? "127.0.0.1" : host;
        int connectPort = viaJumpName != null ? localPort : port;
        Session s = jsch.getSession(user, connectHost, connectPort);
        s.setPort(connectPort);
        s.setSocketFactory(new QuickAckSockets(timeout)); // the server's replies not held 40 ms (QuickAckSockets)
        String alias = cfg != null && cfg.getValue("HostKeyAlias") != null ? cfg.getValue("HostKeyAlias")
                : viaJumpName != null ? viaJumpName : port != 22 ? knownHostsName(host, port) : null;
        if (alias != null) {
            s.setHostKeyAlias(alias);
        }
        s.setConfig("StrictHostKeyChecking", "yes");
        s.setConfig("HashKnownHosts", "no");
        s.setConfig("PreferredAuthentications", "publickey");
        s.setConfig("server_host_key", preferKnown(JSch.getConfig("server_host_key"),
                verifier.knownTypes(alias != null ? alias : host)));
        limitChecks(s);
        s.setServerAliveInterval(5000);
        s.setServerAliveCountMax(3);
        try {
            io.dutydesk.core.Phase.mark("ssh-connecting");
            s.connect(timeout);
            io.dutydesk.core.Phase.mark("ssh-connected");
        } catch (JSchException e) {
            if (verifier.refusal() != null) {
                throw verifier.refusal();
            }
            throw new io.dutydesk.adapters.support.SshSessionException("ssh " + user + "@" + host + ":" + port + ": " + describe(e), e);
        }
        return s;
    }

    /**
     * JSch proves before every connection that the algorithms of its Check* lists work by running them (a key pair of
     * each key exchange, each cipher, each signature): its defaults include sntrup761x25519 (a Streamlined NTRU Prime key
     * pair in pure Java, seconds of CPU on a cold JVM), curve448, ssh-ed448 and chacha20-poly1305, none of which it
     * proposes to the server. Only what it proposes is checked, so a connection no longer pays for what it never offers;
     * an algorithm it proposes is still checked and, if it does not work here, still left out of the proposal.
     */
    static void limitChecks(Session s) {
        s.setConfig("CheckKexes", onlyProposed(s.getConfig("CheckKexes"), s.getConfig("kex")));
        s.setConfig("CheckSignatures", onlyProposed(s.getConfig("CheckSignatures"), s.getConfig("server_host_key"),
                s.getConfig("PubkeyAcceptedAlgorithms")));
        s.setConfig("CheckCiphers", onlyProposed(s.getConfig("CheckCiphers"), s.getConfig("cipher.c2s"), s.getConfig("cipher.s2c")));
        s.setConfig("CheckMacs", onlyProposed(s.getConfig("CheckMacs"), s.getConfig("mac.c2s"), s.getConfig("mac.s2c")));
    }

    /** The algorithms of {@code checked} (comma-separated) that one of {@code proposals} names, in their order. */
    static String onlyProposed(String checked, String... proposals) {
        Set<String> proposed = new LinkedHashSet<>();
        for (String p : proposals) {
            if (p != null) {
                for (String a : p.split(",")) {
                    proposed.add(a.strip());
                }
            }
        }
        List<String> out = new ArrayList<>();
        if (checked != null) {
            for (String a : checked.split(",")) {
                if (proposed.contains(a.strip())) {
                    out.add(a.strip());
                }
            }
        }
        return String.join(",", out);
    }

    /**
     * The server host key algorithms with those of the key types known for the host first, as
     * OpenSSH orders them: a host known by its RSA key is asked for that key, not prompted anew.
     */
    static String preferKnown(String algorithms, Set<String> knownTypes) {
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String a : algorithms.split(",")) {
            String type = a.startsWith("rsa-sha2-") ? "ssh-rsa" : a;
            (knownTypes.contains(type) ? first : rest).add(a);
        }
        first.addAll(rest);
        return String.join(",", first);
    }

    /**
     * ssh-agent's keys first (when allowed and running), then the identity files: the environment's
     * own, or IdentityFile lines of ~/.ssh/config, or the usual ~/.ssh/id_* when neither is set.
     */
    private static IdentityRepository identities(Environment.Ssh t, ConfigRepository.Config cfg) throws Exception {
        List<IdentityRepository> parts = new ArrayList<>();
        if (t.agent() && System.getenv("SSH_AUTH_SOCK") != null) {
            try {
                parts.add(new AgentIdentityRepository(new SSHAgentConnector()));
            } catch (Exception e) {
                // no usable agent: the files alone
            }
        }
        JSch files = new JSch();
        if (t.identity().isPresent()) {
            Path id = t.identity().get();
            if (!Files.isReadable(id)) {
                throw new IOException("identity file " + id + " is not readable");
            }
            files.addIdentity(id.toString());
        } else if (cfg != null && cfg.getValues("IdentityFile") != null) {
            for (String f : cfg.getValues("IdentityFile")) {
                String path = f.startsWith("~/") ? System.getProperty("user.home") + f.substring(1) : f;
                if (Files.isReadable(Path.of(path))) {
                    files.addIdentity(path);
                }
            }
        } else {
            for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = Path.of(System.getProperty("user.home"), ".ssh", n);
                if (Files.isReadable(p)) {
                    files.addIdentity(p.toString());
                }
            }
        }
        parts.add(files.getIdentityRepository());
        return new Chained(parts);
    }

    /** Several identity sources tried in order; never adds keys anywhere (not even to the agent). */
    private record Chained(List<IdentityRepository> parts) implements IdentityRepository {
        @Override
        public String getName() {
            return "dutydesk";
        }

        @Override
        public int getStatus() {
            return RUNNING;
        }

        @Override
        public Vector<Identity> getIdentities() {
            Vector<Identity> all = new Vector<>();
            Set<String> seen = new LinkedHashSet<>();
            for (IdentityRepository r : parts) {
                try {
                    for (Identity i : r.getIdentities()) {
                        byte[] blob = i.getPublicKeyBlob();
                        if (blob == null || seen.add(java.util.Base64.getEncoder().encodeToString(blob))) {
                            all.add(i);
                        }
                    }
                } catch (RuntimeException e) {
                    // an agent that went away: the others still count
                }
            }
            return all;
        }

        @Override
        public boolean add(byte[] identity) {
            return false;
        }

        @Override
        public boolean remove(byte[] blob) {
            return false;
        }

        @Override
        public void removeAll() {
            // nothing is added, nothing to remove
        }
    }

    static String describe(JSchException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            m = e.getCause().getMessage();
        }
        if (e.getCause() instanceof java.net.UnknownHostException) { // its message is the bare name
            return "unknown host " + m + " (the name does not resolve)";
        }
        if (m.contains("Auth fail") || m.contains("USERAUTH fail")) {
            return "authentication failed (is the key in authorized_keys, or in the agent?)";
        }
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }
}
