package io.dutydesk.testing;

import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-in backends for view-model and CLI tests (the adapters themselves are tested against
 * the reference host): each backend answers or fails as the test says.
 */
public final class FakeBackends implements EnvironmentConnector {
    private final Map<Backend, String> down = new java.util.concurrent.ConcurrentHashMap<>();
    public final List<String> opened = new CopyOnWriteArrayList<>();
    /** How many handshakes were started ahead of a first command ({@link RemoteShell#connectAhead}). */
    public final java.util.concurrent.atomic.AtomicInteger connectedAhead = new java.util.concurrent.atomic.AtomicInteger();
    public final List<String> closed = new CopyOnWriteArrayList<>();
    /** Pings per backend, of every handle opened. */
    public final Map<Backend, java.util.concurrent.atomic.AtomicInteger> pings = new java.util.concurrent.ConcurrentHashMap<>();

    /** The probes of {@code b} so far: 0 before its first (its counter is made then). */
    public int pings(Backend b) {
        var n = pings.get(b);
        return n == null ? 0 : n.get();
    }

    /** Commands and containers are not part of these tests: every call fails, as a backend that is down. */
    static final RemoteShell OFFLINE_SHELL = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, java.time.Duration timeout, OutputListener listener) {
            return CompletableFuture.failedFuture(new IOException("no server in this test"));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("no server in this test"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new IOException("no server in this test"));
        }
    };

    static final io.dutydesk.core.ports.ContainersPort OFFLINE_CONTAINERS = new io.dutydesk.core.ports.ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            return CompletableFuture.failedFuture(new IOException("no docker in this test"));
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int tail, boolean follow, RemoteShell.OutputListener lines) {
            return CompletableFuture.failedFuture(new IOException("no docker in this test"));
        }

        @Override
        public CompletableFuture<Void> restart(String c, java.time.Duration t) {
            return CompletableFuture.failedFuture(new IOException("no docker in this test"));
        }
    };

    /**
     * When set, the environment also has slots: the live slot's status command and the containers
     * answer from it (unless SSH, or Docker for the containers, is down); null: they fail.
     */
    public volatile io.dutydesk.core.slots.SlotsSnapshot slots;

    /**
     * The backup folders' listings, by folder: when a folder is here, the shell lists it (unless SSH or Backups is
     * down); {@link #backupLists} counts those listings.
     */
    public final Map<String, List<RemoteShell.RemoteFile>> backupFolders = new java.util.concurrent.ConcurrentHashMap<>();
    public final java.util.concurrent.atomic.AtomicInteger backupLists = new java.util.concurrent.atomic.AtomicInteger();
    /** When set, the environment's outbox backlog (PostgreSQL) and stream (Redis) answer through these. */
    public volatile io.dutydesk.core.ports.BacklogPort backlog;
    public volatile io.dutydesk.core.ports.StreamPort stream;

    /**
     * The server's maintenance lock file ({@code STATE/maintenance}: id line, meta line) as the SFTP read finds it: null
     * is no such file (not locked).
     */
    public volatile String maintenanceFile;

    private RemoteShell shell() {
        return new RemoteShell() {
            @Override
            public void connectAhead() {
                connectedAhead.incrementAndGet();
            }

            @Override
            public CompletableFuture<ExecResult> exec(String command, java.time.Duration timeout, OutputListener listener) {
                var s = slots;
                if (s == null || down.containsKey(Backend.SSH)) {
                    return OFFLINE_SHELL.exec(command, timeout, listener);
                }
                return CompletableFuture.completedFuture(new ExecResult(0, "Active Slot:   " + s.liveSlot() + "\n", "",
                        java.time.Duration.ofMillis(3)));
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                if (path.endsWith("/maintenance") && !down.containsKey(Backend.SSH)) {
                    String m = maintenanceFile;
                    return m == null ? CompletableFuture.failedFuture(new java.nio.file.NoSuchFileException(path))
                            : CompletableFuture.completedFuture(m.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                return OFFLINE_SHELL.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                List<RemoteFile> files = backupFolders.get(folder);
                String d = down.containsKey(Backend.SSH) ? down.get(Backend.SSH) : down.get(Backend.BACKUPS);
                if (files == null || d != null) {
                    return d != null ? CompletableFuture.failedFuture(new IOException(d)) : OFFLINE_SHELL.list(folder);
                }
                backupLists.incrementAndGet();
                return CompletableFuture.completedFuture(files);
            }
        };
    }

    private io.dutydesk.core.ports.ContainersPort containers() {
        return new io.dutydesk.core.ports.ContainersPort() {
            @Override
            public CompletableFuture<List<ContainerInfo>> containers() {
                var s = slots;
                String d = down.containsKey(Backend.SSH) ? down.get(Backend.SSH) : down.get(Backend.DOCKER);
                if (s == null || d != null) {
                    return CompletableFuture.failedFuture(new IOException(d != null ? d : "no docker in this test"));
                }
                return CompletableFuture.completedFuture(s.slots().stream().flatMap(x -> x.services().stream())
                        .map(io.dutydesk.core.slots.ServiceState::container).flatMap(java.util.Optional::stream).toList());
            }

            @Override
            public CompletableFuture<LogStream> logs(String c, int tail, boolean follow, RemoteShell.OutputListener lines) {
                return OFFLINE_CONTAINERS.logs(c, tail, follow, lines);
            }

            @Override
            public CompletableFuture<Void> restart(String c, java.time.Duration t) {
                return OFFLINE_CONTAINERS.restart(c, t);
            }
        };
    }

    public void down(Backend b, String error) {
        down.put(b, error);
    }

    public void up(Backend b) {
        down.remove(b);
        misconfigured.remove(b);
    }

    /** {@code b} answers, but without what the environments file names (as the adapters say it). */
    public void misconfigured(Backend b, String error) {
        misconfigured.put(b, error);
    }

    private final Map<Backend, String> misconfigured = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public EnvironmentHandle open(Environment env, HostKeyPrompt hostKeys, SecretPrompt secrets) {
        opened.add(env.name());
        Map<Backend, BackendProbe> probes = new EnumMap<>(Backend.class);
        for (Backend b : Backend.values()) {
            probes.put(b, new BackendProbe() {
                @Override
                public Backend backend() {
                    return b;
                }

                @Override
                public CompletableFuture<Void> ping() {
                    pings.computeIfAbsent(b, x -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                    String e = down.get(b);
                    String m = misconfigured.get(b);
                    if (e == null && m != null) {
                        return CompletableFuture.failedFuture(new IOException(b.label() + ": " + m,
                                new io.dutydesk.core.MisconfiguredException(m)));
                    }
                    return e == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(new IOException(e));
                }
            });
        }
        List<BackendProbe> list = new ArrayList<>(probes.values());
        return new EnvironmentHandle() {
            @Override
            public Environment environment() {
                return env;
            }

            @Override
            public List<BackendProbe> probes() {
                return list;
            }

            @Override
            public RemoteShell shell() {
                return FakeBackends.this.shell();
            }

            @Override
            public io.dutydesk.core.ports.ContainersPort containers() {
                return FakeBackends.this.containers();
            }

            @Override
            public io.dutydesk.core.ports.OutboxPort outbox() {
                return () -> CompletableFuture.failedFuture(new IOException("no outbox in this test"));
            }

            @Override
            public io.dutydesk.core.ports.BacklogPort backlog() {
                var b = backlog;
                return b != null ? b : () -> CompletableFuture.failedFuture(new IOException("no outbox in this test"));
            }

            @Override
            public io.dutydesk.core.ports.StreamPort stream() {
                var s = stream;
                return s != null ? s : () -> CompletableFuture.failedFuture(new IOException("no stream in this test"));
            }

            @Override
            public void close() {
                closed.add(env.name());
            }
        };
    }
}
