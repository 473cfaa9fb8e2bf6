package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell on Monocle (headless): indicators, summary, navigation, environment picker, theme. */
@ExtendWith(ApplicationExtension.class)
class ShellViewTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    Scene scene;

    @Start
    void start(Stage stage) {
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(100)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), java.util.Set.of()));
        ShellView view = new ShellView(vm);
        scene = new Scene(view.root(), 1180, 640);
        stage.setScene(scene);
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.close()).get(); // on the FX thread, where the view-model's state lives
        scheduler.shutdownNow();
    }

    private void waitFor(String what, java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
    }

    /** The environment menu's "Check configuration…" opens a window that lists the doctor's results, problems with their fix. */
    @Test
    void checkConfigurationFromTheEnvironmentMenuListsTheResults(FxRobot robot) throws Exception {
        javafx.scene.control.MenuButton menu = robot.lookup("#environment-menu").queryAs(javafx.scene.control.MenuButton.class);
        javafx.scene.control.MenuItem item = menu.getItems().stream().filter(m -> "check-configuration".equals(m.getId())).findFirst()
                .orElseThrow();
        assertEquals("Check configuration…", item.getText());
        WaitForAsyncUtils.asyncFx(item::fire).get();
        waitFor("the report", () -> !vm.doctor().runningProperty().get() && !vm.doctor().results().isEmpty());
        @SuppressWarnings("unchecked")
        javafx.scene.control.ListView<io.dutydesk.core.doctor.Check> list = robot.lookup("#doctor-results")
                .queryAs(javafx.scene.control.ListView.class);
        assertEquals(vm.doctor().results(), list.getItems());
        assertEquals("ssh", list.getItems().get(0).id());
        assertTrue(list.getItems().stream().anyMatch(c -> !c.ok() && !c.fix().isEmpty()), "the fakes have no outbox: a problem with its fix");
        Label summary = robot.lookup("#doctor-summary").queryAs(Label.class);
        assertTrue(summary.getText().startsWith("ref: ") && summary.getText().contains("found a problem"), summary.getText());
        javafx.stage.Window w = list.getScene().getWindow();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(list.getScene(), "doctor-dialog")).get();
        WaitForAsyncUtils.asyncFx(((javafx.stage.Stage) w)::close).get();
    }

    @Test
    void indicatorsTurnGreenThenOneGoesDownAndBack(FxRobot robot) throws Exception {
        HBox full = robot.lookup("#status-full").queryAs(HBox.class);
        assertEquals(7, full.getChildren().size(), "one indicator per backend");
        waitFor("all ok", () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        Node redis = robot.lookup("#indicator-redis").query();
        assertTrue(redis.getStyleClass().contains("ok"));
        Label summary = robot.lookup("#health-summary").queryAs(Label.class);
        assertEquals("all 7 backends ok", summary.getText());
        assertTrue(summary.getStyleClass().contains("ok"));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "shell-all-ok")).get();

        backends.down(Backend.REDIS, "Redis 127.0.0.1:24379 on the server does not answer (the SSH forward could not connect: is it running?)");
        waitFor("redis down", () -> redis.getStyleClass().contains("down"));
        Label text = (Label) ((HBox) redis).getChildren().get(2);
        assertTrue(text.getText().startsWith("down; last answer at "), text.getText());
        assertEquals("1 down: redis", summary.getText());
        assertTrue(summary.getStyleClass().contains("down"));
        assertTrue(robot.lookup("#indicator-postgres").query().getStyleClass().contains("ok"));
        assertTrue(full.isVisible(), "one down at 1180 px: still one indicator per backend");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "shell-redis-down")).get();

        backends.up(Backend.REDIS);
        robot.clickOn("#refresh");
        waitFor("redis back", () -> redis.getStyleClass().contains("ok"));
        assertEquals("all 7 backends ok", summary.getText());
    }

    @Test
    void navigationShowsEachPanesPlaceholder(FxRobot robot) {
        assertTrue(robot.lookup("#pane-slots").tryQuery().isPresent(), "first pane shown at start");
        robot.clickOn("Backups");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#pane-backups").tryQuery().isPresent());
        assertTrue(robot.lookup("Not built yet.").tryQuery().isPresent());
    }

    @Test
    void pickingAnotherEnvironmentReconnects(FxRobot robot) throws Exception {
        waitFor("ref ok", () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        @SuppressWarnings("unchecked")
        ComboBox<String> picker = robot.lookup("#environment-picker").queryAs(ComboBox.class);
        assertEquals("ref", picker.getValue());
        backends.down(Backend.SSH, "ssh deploy@n8n-server: Connection refused");
        robot.interact(() -> picker.setValue("prod"));
        waitFor("prod ssh down", () -> vm.indicator(Backend.SSH).stateProperty().get() == BackendStatus.State.DOWN);
        assertTrue(backends.closed.contains("ref"));
        assertEquals("prod", vm.selectedProperty().get());
    }

    @Test
    void darkModeToggles(FxRobot robot) throws Exception {
        robot.clickOn("#theme-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(vm.darkProperty().get());
        waitFor("all ok", () -> vm.summaryStateProperty().get() == BackendStatus.State.OK);
        backends.down(Backend.DOCKER, "the Docker socket /var/run/docker.sock on the server does not answer");
        waitFor("docker down", () -> vm.indicator(Backend.DOCKER).stateProperty().get() == BackendStatus.State.DOWN);
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "shell-dark-docker-down")).get();
        robot.clickOn("#theme-toggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!vm.darkProperty().get());
    }
}
