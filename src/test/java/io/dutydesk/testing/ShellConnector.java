package io.dutydesk.testing;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;

import java.util.List;

/**
 * A connector whose environments have only {@code shell} (the CLI's action path: no Docker client, no outbox asked): the
 * other ports can be handed around, and any call on them fails the test.
 */
public final class ShellConnector {
    private ShellConnector() {}

    public static EnvironmentConnector of(RemoteShell shell) {
        return (env, hostKeys, secrets) -> new EnvironmentHandle() {
            @Override
            public Environment environment() {
                return env;
            }

            @Override
            public List<BackendProbe> probes() {
                return List.of();
            }

            @Override
            public RemoteShell shell() {
                return shell;
            }

            @Override
            public ContainersPort containers() {
                return unused(ContainersPort.class);
            }

            @Override
            public OutboxPort outbox() {
                return unused(OutboxPort.class);
            }

            @Override
            public void close() {
            }
        };
    }

    private static <T> T unused(Class<T> port) {
        return port.cast(java.lang.reflect.Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (p, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("equals") ? p == a[0] : m.getName().equals("hashCode") ? System.identityHashCode(p) : port.getSimpleName();
            }
            throw new UnsupportedOperationException(port.getSimpleName() + "." + m.getName() + " is not used in this test");
        }));
    }
}
