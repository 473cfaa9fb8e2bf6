package io.dutydesk.app;

import io.dutydesk.adapters.alertmanager.AlertmanagerAdapter;
import io.dutydesk.adapters.backups.BackupsAdapter;
import io.dutydesk.adapters.docker.DockerAdapter;
import io.dutydesk.adapters.keyring.SecretToolKeyring;
import io.dutydesk.adapters.postgres.PostgresAdapter;
import io.dutydesk.adapters.prometheus.PrometheusAdapter;
import io.dutydesk.adapters.prometheus.PrometheusAlertSeries;
import io.dutydesk.adapters.redis.RedisAdapter;
import io.dutydesk.adapters.ssh.SshConnection;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.AlertSeriesPort;
import io.dutydesk.core.ports.AlertsPort;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.BacklogPort;
import io.dutydesk.core.ports.StreamPort;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.Keyring;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.core.secrets.SecretResolver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Builds an environment's adapters around its one SSH connection: the wiring, by constructors. */
public final class Connector implements EnvironmentConnector, AutoCloseable {
    private final Keyring keyring;
    private LocalStore store; // the process's one local store (given, or opened on first use)
    /** A connection whose handshake {@link #prepare} started, until an {@link #open} of its target takes it. */
    private SshConnection prepared;
    private Environment.Ssh preparedFor;
    /** How that handshake ended: true connected, false failed; not done while it is under way. */
    private CompletableFuture<Boolean> preparedConnected;
    private boolean closed;

    public Connector() {
        this(new SecretToolKeyring());
    }

    /** With its own local store at the default place, opened on first use (tests, benchmarks). */
    public Connector(Keyring keyring) {
        this.keyring = keyring;
    }

    /** With the process's one local store (the window's, the CLI's): no second connection to the file. */
    public Connector(Keyring keyring, LocalStore store) {
        this.keyring = keyring;
        this.store = store;
    }

    @Override
    public Opened open(Environment env, HostKeyPrompt hostKeys, SecretPrompt secrets) {
        return new Opened(env, hostKeys, secrets, keyring, verifications(), takePrepared(env, hostKeys));
    }

    /**
     * Starts the SSH handshake of {@code env} now, refusing an unknown host key (the CLI's rule): a verb's run calls it as
     * soon as it knows its environment, and builds the rest while the server answers. The next {@link #open} of an
     * environment with the same SSH target and {@link HostKeyPrompt#REFUSE} takes this connection — connected, or its
     * handshake still under way, never failed: a failed one is closed and the open connects afresh, so the run says its own
     * attempt's error (handed over, its failure answered the run's calls for half a second, {@code
     * SshConnection.RETRY_AFTER}, without a try of their own). {@link #close} closes it if no open took it.
     */
    public synchronized void prepare(Environment env) {
        closePrepared();
        if (closed) {
            return; // nothing left behind by a connector already closed
        }
        try {
            prepared = new SshConnection(env.ssh(), HostKeyPrompt.REFUSE);
            preparedFor = env.ssh();
            preparedConnected = prepared.startConnecting();
        } catch (RuntimeException e) { // only a head start: the verb's own open meets the same failure and says so
            closePrepared();
        }
    }

    private synchronized SshConnection takePrepared(Environment env, HostKeyPrompt hostKeys) {
        SshConnection p = prepared;
        if (p == null || hostKeys != HostKeyPrompt.REFUSE || !preparedFor.equals(env.ssh())) {
            return null;
        }
        prepared = null;
        CompletableFuture<Boolean> connected = preparedConnected;
        preparedConnected = null;
        if (Boolean.FALSE.equals(connected.getNow(null))) {
            p.close(); // its handshake failed: not the run's connection, whose open connects afresh
            return null;
        }
        return p;
    }

    /** Closes a connection {@link #prepare} started that no {@link #open} took (what an open took, its handle closes). */
    @Override
    public synchronized void close() {
        closed = true;
        closePrepared();
    }

    /** The connection {@link #prepare} started that no open took yet (tests). */
    synchronized SshConnection prepared() {
        return prepared;
    }

    /** How the handshake of {@link #prepared} ended: true connected, false failed (tests). */
    synchronized CompletableFuture<Boolean> preparedConnected() {
        return preparedConnected;
    }

    private void closePrepared() {
        if (prepared != null) {
            prepared.close();
            prepared = null;
        }
        preparedConnected = null;
    }

    /** Verification results in the local store, shared by every environment. */
    synchronized VerificationResults verifications() {
        if (store == null) {
            store = LocalStore.openDefault();
        }
        return store.verifications();
    }

    /** An opened environment: closing it closes every adapter and the SSH connection. */
    public static final class Opened implements EnvironmentHandle {
        private final Environment env;
        private final SshConnection ssh;
        private final List<BackendProbe> probes;
        private final DockerAdapter docker;
        private final PostgresAdapter pg;
        private final RedisAdapter redis;
        private final PrometheusAdapter prom;
        private final AlertmanagerAdapter am;
        private final PrometheusAlertSeries alertSeries;
        private final SecretResolver resolver;
        private final List<AutoCloseable> closeables = new ArrayList<>();
        private final VerificationResults verifications;
        private final AutoCloseable channelGauge;

        private final java.util.Set<java.util.concurrent.CompletableFuture<?>> pendingSecrets =
                java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Opened(Environment env, HostKeyPrompt hostKeys, SecretPrompt prompt, Keyring keyring, VerificationResults verifications,
               SshConnection prepared) {
            this.env = env;
            this.verifications = verifications;
            // a password question still open when the environment closes (a switch) is cancelled: its dialog closes
            SecretPrompt secrets = (environment, label) -> {
                if (closed) {
                    return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());
                }
                var answer = prompt.ask(environment, label);
                pendingSecrets.add(answer);
                answer.whenComplete((v, e) -> pendingSecrets.remove(answer));
                if (closed) {
                    answer.cancel(true);
                }
                return answer;
            };
            this.ssh = prepared != null ? prepared : new SshConnection(env.ssh(), hostKeys);
            this.channelGauge = io.dutydesk.core.telemetry.Telemetry.current().sshChannels(env.name(),
                    () -> ssh.channelStats().open(), () -> ssh.channelStats().opened());
            this.resolver = new SecretResolver(env.name(), ssh, secrets, keyring, System::getenv);
            Duration t = env.poll().timeout();
            this.docker = new DockerAdapter(env.docker(), ssh, t);
            this.pg = new PostgresAdapter(env.postgres(), env.outbox(), ssh, () -> resolver.resolve(env.postgres().password()), t);
            this.redis = new RedisAdapter(env.redis(), ssh, () -> resolver.resolve(env.redis().password()), t);
            // a password the server refuses is forgotten: asked (or read) again on the next poll
            pg.onAuthFailure(() -> resolver.forget(env.postgres().password()));
            redis.onAuthFailure(() -> resolver.forget(env.redis().password()));
            this.prom = new PrometheusAdapter(env.prometheus(), ssh, t);
            this.am = new AlertmanagerAdapter(env, ssh, t);
            this.alertSeries = new PrometheusAlertSeries(env.prometheus(), ssh, t);
            BackupsAdapter backups = new BackupsAdapter(env.backups(), ssh);
            this.probes = List.of(ssh, docker, pg, redis, prom, am, backups);
            closeables.addAll(List.of(docker, pg, redis, prom, am, alertSeries));
        }

        @Override
        public Environment environment() {
            return env;
        }

        @Override
        public List<BackendProbe> probes() {
            return probes;
        }

        @Override
        public RemoteShell shell() {
            return ssh;
        }

        /** Its SSH connection (tests). */
        SshConnection connection() {
            return ssh;
        }

        @Override
        public ContainersPort containers() {
            return docker;
        }

        @Override
        public OutboxPort outbox() {
            return pg;
        }

        @Override
        public BacklogPort backlog() {
            return pg;
        }

        @Override
        public io.dutydesk.core.ports.OutboxSchemaPort outboxSchema() {
            return pg;
        }

        @Override
        public StreamPort stream() {
            return redis;
        }

        @Override
        public io.dutydesk.core.metrics.MetricsPort metrics() {
            return prom;
        }

        @Override
        public VerificationResults verifications() {
            return verifications;
        }

        @Override
        public AlertsPort alerts() {
            return am;
        }

        @Override
        public AlertSeriesPort alertSeries() {
            return alertSeries;
        }

        @Override
        public java.util.concurrent.CompletableFuture<Optional<char[]>> secret(io.dutydesk.core.config.SecretRef ref) {
            return resolver.resolve(ref);
        }

        @Override
        public io.dutydesk.core.ports.CheckPush checkPush(java.net.URI url) {
            io.dutydesk.adapters.prometheus.PushgatewayPush p = new io.dutydesk.adapters.prometheus.PushgatewayPush(url, ssh,
                    env.poll().timeout().plusSeconds(10));
            closeables.add(p);
            return p;
        }

        @Override
        public void askAgain() {
            ssh.askAgain();
            resolver.askAgain();
        }

        @Override
        public boolean connecting() {
            return ssh.connecting();
        }

        public SshConnection ssh() {
            return ssh;
        }

        /**
         * Returns at once: pending questions are cancelled (their dialogs close), the SSH connection
         * closes in the background, so the next environment's polling never waits for this one.
         */
        @Override
        public void close() {
            closed = true;
            try {
                channelGauge.close();
            } catch (Exception ignored) {
                // a map removal
            }
            for (var p : pendingSecrets) {
                p.cancel(true);
            }
            ssh.close();
            Thread t = new Thread(() -> {
                for (AutoCloseable c : closeables) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // best effort on the way out
                    }
                }
            }, "dutydesk-close-" + env.name());
            t.setDaemon(true);
            t.start();
        }
    }
}
