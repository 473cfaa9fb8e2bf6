package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.slots.SlotsPaneModel;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window trial at 1024x640 with Docker down: under the Slots pane's outage banner the cards showed one service of
 * four (then scrolled), beside an action log that had no line yet but kept four lines' room. Before the session's first
 * action the cards show every service; once the log has lines it keeps them, the cards scrolling instead.
 */
@ExtendWith(ApplicationExtension.class)
class SlotCardsInOutageTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    Stage stage;
    Scene scene;

    @Start
    void start(Stage stage) {
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of());
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(100)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(),
                        Set.of("slots")));
        // a stage of its own, closed after: the stage TestFX shares between test classes would keep this one's scene
        this.stage = new Stage();
        scene = new Scene(new ShellView(vm).root(), 1024, 640);
        this.stage.setScene(scene);
        this.stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get();
        WaitForAsyncUtils.asyncFx(stage::close).get();
        scheduler.shutdownNow();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    private static void waitFor(String what, Callable<Boolean> c) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (Exception e) {
            throw new AssertionError("not within 10 s: " + what, e);
        }
    }

    private void settle() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        for (int i = 0; i < 3; i++) {
            fx(() -> {
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                return null;
            });
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** What of the cards is not in view: a card's table shorter than its four services, or cards that scroll. */
    private List<String> cardsCut() {
        List<String> out = new ArrayList<>();
        ScrollPane area = (ScrollPane) scene.lookup("#slot-cards");
        double view = area.getViewportBounds().getHeight();
        double content = area.getContent().getLayoutBounds().getHeight();
        if (content > view + 0.5) {
            out.add("the cards are " + content + " px tall in a view of " + view + " px: they scroll");
        }
        for (String slot : new String[] {"blue", "green"}) {
            TableView<?> t = (TableView<?>) scene.lookup("#services-" + slot);
            if (t.getHeight() < t.minHeight(-1) - 0.5) {
                out.add("the " + slot + " table is " + t.getHeight() + " px, its four services need " + t.minHeight(-1));
            }
        }
        return out;
    }

    @Test
    void underAnOutagesBannerAt1024TheCardsShowEveryServiceUntilTheLogHasLines(FxRobot robot) throws Exception {
        waitFor("all ok", () -> vm.summaryStateProperty().get() == BackendStatus.State.OK
                && vm.model("slots", SlotsPaneModel.class).slots().snapshotProperty().get() != null);
        backends.down(Backend.DOCKER, "the Docker socket /var/run/docker.sock (list containers): no such socket on the server "
                + "(is the daemon running?)");
        waitFor("the slots stale", () -> vm.model("slots", SlotsPaneModel.class).slots().staleProperty().get()
                && scene.lookup("#slots-problem").isVisible());
        settle();
        fx(() -> Screenshots.save(scene, "slot-cards-1024x640-docker-down"));
        List<String> cut = fx(this::cardsCut);
        assertTrue(cut.isEmpty(), "Docker down, no action yet: " + cut);

        // an action's lines: the log keeps its four lines, the cards scroll
        robot.interact(() -> vm.model("slots", SlotsPaneModel.class).slots().actionLog()
                .setAll("$ rollback   (roll back to blue)", "… running on the server"));
        settle();
        fx(() -> Screenshots.save(scene, "slot-cards-1024x640-docker-down-log"));
        ListView<?> log = (ListView<?>) scene.lookup("#action-log");
        double h = fx(log::getHeight);
        assertTrue(h >= 4 * 22, "the action log keeps four lines once it has lines: " + h + " px");
    }
}
