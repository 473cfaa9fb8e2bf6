package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell's view-model with a same-thread ui executor: no JavaFX toolkit needed. */
class ShellViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final ShellViewModel vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(50)), backends,
            HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler, Runnable::run, Clock.systemDefaultZone(),
            io.dutydesk.testing.MemoryAuditLog.create(), "tester@desk");

    @AfterEach
    void close() {
        vm.close();
        scheduler.shutdownNow();
    }

    @Test
    void listsEnvironmentsAndStartsUnknown() {
        assertEquals(List.of("ref", "prod"), vm.environmentNames());
        for (Backend b : Backend.values()) {
            assertEquals(BackendStatus.State.UNKNOWN, vm.indicator(b).stateProperty().get());
            assertEquals("…", vm.indicator(b).textProperty().get());
        }
        assertEquals(5, vm.panes().size());
    }

    @Test
    void everyIndicatorTurnsOkWithItsLatency() {
        vm.select("ref");
        assertEquals("dutydesk-deploy@127.0.0.1:24022 — reference host", vm.targetProperty().get());
        await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        assertEquals("all 7 backends ok", vm.summaryProperty().get());
        for (Backend b : Backend.values()) {
            assertTrue(vm.indicator(b).textProperty().get().matches("\\d+ ms"), vm.indicator(b).textProperty().get());
        }
    }

    @Test
    void aFailingBackendShowsDownSinceWithTheErrorAndRecovers() {
        vm.select("ref");
        await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        backends.down(Backend.POSTGRES, "PostgreSQL 127.0.0.1:5432 on the server does not answer");
        BackendIndicatorViewModel pg = vm.indicator(Backend.POSTGRES);
        await("postgres down", WAIT, () -> pg.stateProperty().get() == BackendStatus.State.DOWN);
        assertTrue(pg.textProperty().get().matches("down since \\d\\d:\\d\\d:\\d\\d"), pg.textProperty().get());
        assertTrue(pg.detailsProperty().get().contains("PostgreSQL 127.0.0.1:5432 on the server does not answer"));
        assertTrue(pg.detailsProperty().get().contains("stale since then"), "says since when its data is stale");
        assertEquals("1 down: postgres", vm.summaryProperty().get());
        assertEquals(BackendStatus.State.DOWN, vm.summaryStateProperty().get());
        assertEquals(BackendStatus.State.OK, vm.indicator(Backend.REDIS).stateProperty().get(), "others unaffected");

        backends.up(Backend.POSTGRES);
        vm.refresh();
        await("postgres back", WAIT, () -> pg.stateProperty().get() == BackendStatus.State.OK);
        assertEquals("all 7 backends ok", vm.summaryProperty().get());
    }

    @Test
    void switchingEnvironmentClosesThePreviousConnectionAndResets() {
        vm.select("ref");
        await("all ok", WAIT, () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        backends.down(Backend.SSH, "ssh deploy@n8n-server:22: Connection refused");
        vm.select("prod");
        await("prod closed ref", WAIT, () -> backends.closed.contains("ref"));
        assertEquals(List.of("ref", "prod"), backends.opened);
        await("ssh down on prod", WAIT, () -> vm.indicator(Backend.SSH).stateProperty().get() == BackendStatus.State.DOWN);
        assertEquals("prod", vm.selectedProperty().get());
        assertTrue(vm.latestHealth().orElseThrow().environment().equals("prod"));
    }

    @Test
    void selectingTheSameEnvironmentAgainDoesNotReconnect() {
        vm.select("ref");
        vm.select("ref");
        assertEquals(List.of("ref"), backends.opened);
    }
}
