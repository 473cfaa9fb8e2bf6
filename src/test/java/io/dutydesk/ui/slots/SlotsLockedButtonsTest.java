package io.dutydesk.ui.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blue-green Slots pane while the maintenance lock is held (real lock scripts in a local sh): its actions disabled, saying why. */
@ExtendWith(ApplicationExtension.class)
class SlotsLockedButtonsTest {
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final LocalFolderShell server = new LocalFolderShell();
    Path tmp;
    SlotsViewModel vm;
    SlotsView view;

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            return CompletableFuture.completedFuture(Snapshots.of("blue", "v1", "v2", Set.of(), Set.of()).slots().stream()
                    .flatMap(s -> s.services().stream()).map(ServiceState::container).flatMap(java.util.Optional::stream).toList());
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }
    };

    @Start
    void start(Stage stage) throws IOException {
        tmp = Files.createTempDirectory("dutydesk-slots-locked");
        vm = new SlotsViewModel(FxThread.INSTANCE, scheduler, Clock.systemDefaultZone());
        view = new SlotsView(vm, FxThread.INSTANCE);
        stage.setScene(new Scene(new javafx.scene.layout.StackPane(view.root()), 1090, 640));
        stage.show();
    }

    @AfterEach
    void stop() throws IOException {
        vm.close();
        scheduler.shutdownNow();
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    Environment env() {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %s
                      stateDir: %s
                      liveSlotCommand: "echo 'Active Slot:   blue'"
                """.formatted(tmp, tmp.resolve("state"))).require("ref");
    }

    RolloutService rollout(String actor) {
        Environment env = env();
        return new RolloutService(env, new SlotsReader(env, containers, server, Clock.systemUTC()),
                () -> CompletableFuture.completedFuture(java.util.Map.of("pending", 0L)), containers, server, MemoryAuditLog.create(),
                actor, Clock.systemUTC());
    }

    @Test
    void theActionsAreDisabledWhileLockedWithTheHolderAndMessageInTheirTooltip(FxRobot robot) {
        Environment env = env();
        SlotsContext ctx = new SlotsContext(env, new SlotsReader(env, containers, server, Clock.systemUTC()), rollout("me@here"), containers,
                MemoryAuditLog.create());
        robot.interact(() -> vm.attach(ctx));
        view.maintenance().refresh().join();
        WaitForAsyncUtils.waitForFxEvents();
        Button sw = robot.lookup("#action-switch").queryAs(Button.class);
        Button rb = robot.lookup("#action-rollback").queryAs(Button.class);
        Button deploy = robot.lookup("#action-deploy").queryAs(Button.class);
        assertFalse(sw.isDisabled(), "not locked: the switch may be clicked");

        MaintenanceLock theirs = rollout("alice@ws1").maintenance().lock("disk swap until 18:00").join();
        view.maintenance().refresh().join();
        WaitForAsyncUtils.waitForFxEvents();
        for (Button b : List.of(sw, rb, deploy)) {
            assertTrue(b.isDisabled(), b.getId() + " disabled while locked");
            assertTrue(b.getTooltip().getText().startsWith("Refused while ref is locked for maintenance by alice@ws1 since "),
                    b.getTooltip().getText());
            assertTrue(b.getTooltip().getText().contains("\"disk swap until 18:00\""), b.getTooltip().getText());
        }

        view.maintenance().unlock(theirs, true).join();
        view.maintenance().refresh().join();
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(sw.isDisabled(), "unlocked: it may be clicked again");
        assertFalse(sw.getTooltip().getText().contains("alice@ws1"), sw.getTooltip().getText());
    }
}
