package io.dutydesk.ui.alerts;

import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An environment without Alertmanager: the pane says "not configured" and asks nothing of anyone. */
class AlertsNotConfiguredTest {
    final java.util.concurrent.ScheduledThreadPoolExecutor scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1);
    final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void close() {
        scheduler.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    <T> T counting(Class<T> port) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (p, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("hashCode") ? 0 : m.getName().equals("equals") ? p == a[0] : "port";
            }
            calls.incrementAndGet();
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(m.getName() + " must not be called"));
        });
    }

    @Test
    void nothingIsPolledAndThePaneSaysNotConfigured() {
        Environment env = EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  small:
                    ssh: { host: h }
                    alertmanager: false
                    alerts: { pollSeconds: 1 }
                """).require("small");
        AlertsViewModel vm = new AlertsViewModel(Runnable::run, scheduler, Clock.systemUTC(), h -> { throw new AssertionError("unused"); },
                n -> { throw new AssertionError("no notice: " + n); });
        vm.attach(new AlertsService(env, counting(io.dutydesk.core.ports.AlertsPort.class),
                counting(io.dutydesk.core.ports.AlertSeriesPort.class), counting(io.dutydesk.core.ports.AlertHistory.class),
                MemoryAuditLog.create(), "me@host", Clock.systemUTC()));
        assertTrue(vm.notConfiguredProperty().get());
        assertEquals(AlertsViewModel.NOT_CONFIGURED, vm.updatedProperty().get());
        assertNull(vm.problemProperty().get(), "not a problem: nothing is down");
        assertFalse(vm.staleProperty().get());
        vm.refresh();
        vm.refreshSilences();
        vm.refreshHistory();
        assertEquals(0, scheduler.getTaskCount(), "no poll scheduled");
        assertEquals(0, calls.get(), "neither Alertmanager, Prometheus nor the store was asked");
        vm.detach();
    }
}
