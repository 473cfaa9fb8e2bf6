package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.ui.backups.BackupsViewModel;
import io.dutydesk.ui.outbox.OutboxViewModel;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An environment without a stream, Alertmanager or backups, and an outbox without a processing state. */
class OptionalPartsShellTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final UiQueue ui = new UiQueue();
    final ShellViewModel vm = new ShellViewModel(environments(), backends, HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler, ui,
            Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(ui, scheduler, io.dutydesk.testing.MemoryAuditLog.create()));

    static Map<String, Environment> environments() {
        EnvironmentsFile f = EnvironmentsFile.parse(Path.of("test.yaml"), """
                environments:
                  small:
                    ssh: { host: small.example }
                    redis: false
                    alertmanager: false
                    backups: false
                    outbox: { statuses: { pending: NEW, processing: ~, published: SENT, failed: DEAD } }
                  full:
                    ssh: { host: full.example }
                """);
        Duration i = Duration.ofMillis(50);
        Map<String, Environment> out = new LinkedHashMap<>();
        f.environments().forEach((k, e) -> out.put(k, e.withPoll(new Environment.Poll(i, i.multipliedBy(4), Duration.ofSeconds(2)))));
        return out;
    }

    @AfterEach
    void close() {
        vm.close();
        scheduler.shutdownNow();
    }

    @Test
    void theHeaderShowsThemNotConfiguredPollsThemNeverAndIsAllOkWithoutThem() {
        BackupsViewModel backups = io.dutydesk.testing.TestPanes.shown(vm, "backups", BackupsViewModel.class);
        vm.select("small");
        ui.await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        assertEquals("all 4 backends ok (3 not configured)", vm.summaryProperty().get());
        for (Backend b : new Backend[] {Backend.REDIS, Backend.ALERTMANAGER, Backend.BACKUPS}) {
            assertEquals(BackendStatus.State.NOT_CONFIGURED, vm.indicator(b).stateProperty().get(), b.id());
            assertEquals("not configured", vm.indicator(b).textProperty().get());
            assertTrue(vm.indicator(b).detailsProperty().get().contains(b.id() + ": false"), vm.indicator(b).detailsProperty().get());
        }
        ui.await("polled again", WAIT, () -> backends.pings(Backend.SSH) >= 3);
        for (Backend b : new Backend[] {Backend.REDIS, Backend.ALERTMANAGER, Backend.BACKUPS}) {
            assertNull(backends.pings.get(b), b.id() + " is never polled");
        }
        // an SSH outage marks nothing stale in a pane the environment does not have
        backends.down(Backend.SSH, "ssh: connection refused");
        ui.await("ssh down", WAIT, () -> vm.indicator(Backend.SSH).stateProperty().get() == BackendStatus.State.DOWN);
        assertEquals("1 down: ssh", vm.summaryProperty().get(), "a part the environment lacks is not counted as down");
        assertEquals(BackupsViewModel.NOT_CONFIGURED, backups.updatedProperty().get());
        assertNull(backups.problemProperty().get());

        backends.up(Backend.SSH);
        vm.select("full"); // another environment: every part again, nothing left "not configured"
        ui.await("full ok", WAIT, () -> "all 7 backends ok".equals(vm.summaryProperty().get()));
        assertEquals(BackendStatus.State.OK, vm.indicator(Backend.ALERTMANAGER).stateProperty().get());
        assertFalse(backups.notConfiguredProperty().get());
    }

    @Test
    void theBackupsPaneSaysNotConfiguredAndListsNothing() {
        BackupsViewModel backups = io.dutydesk.testing.TestPanes.shown(vm, "backups", BackupsViewModel.class);
        vm.select("small");
        ui.await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        assertTrue(backups.notConfiguredProperty().get());
        assertEquals(BackupsViewModel.NOT_CONFIGURED, backups.updatedProperty().get());
        vm.refresh();
        ui.await("polled again", WAIT, () -> backends.pings(Backend.SSH) >= 3);
        assertEquals(0, backends.backupLists.get(), "the folders are never listed");
        assertTrue(backups.backupNow().isCompletedExceptionally(), "no backup command to run");
    }

    @Test
    void theOutboxPaneHidesProcessingAndDoesNotReadAStream() {
        java.util.concurrent.atomic.AtomicInteger streamReads = new java.util.concurrent.atomic.AtomicInteger();
        backends.stream = () -> {
            streamReads.incrementAndGet();
            return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("must not be read"));
        };
        vm.select("small");
        OutboxViewModel o = io.dutydesk.testing.TestPanes.shown(vm, "outbox", OutboxViewModel.class);
        assertFalse(o.processingShownProperty().get(), "no Processing tile, not 0");
        assertFalse(o.streamConfiguredProperty().get());
        assertFalse(o.headerProperty().get().contains("selfology:events"), o.headerProperty().get());
        ui.await("polled again", WAIT, () -> backends.pings(Backend.SSH) >= 3);
        o.refresh();
        ui.await("polled again", WAIT, () -> backends.pings(Backend.SSH) >= 6);
        assertEquals(0, streamReads.get(), "the stream is never read");
        assertNull(o.streamProblemProperty().get(), "no Redis problem for a stream the environment does not have");

        vm.select("full");
        assertTrue(o.processingShownProperty().get());
        assertTrue(o.streamConfiguredProperty().get());
        ui.await("stream read", WAIT, () -> streamReads.get() > 0);
    }
}
