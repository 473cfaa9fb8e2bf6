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
    public final List<String> closed = new CopyOnWriteArrayList<>();

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

    public void down(Backend b, String error) {
        down.put(b, error);
    }

    public void up(Backend b) {
        down.remove(b);
    }

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
                    String e = down.get(b);
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
                return OFFLINE_SHELL;
            }

            @Override
            public io.dutydesk.core.ports.ContainersPort containers() {
                return OFFLINE_CONTAINERS;
            }

            @Override
            public io.dutydesk.core.ports.OutboxPort outbox() {
                return () -> CompletableFuture.failedFuture(new IOException("no outbox in this test"));
            }

            @Override
            public void close() {
                closed.add(env.name());
            }
        };
    }
}
