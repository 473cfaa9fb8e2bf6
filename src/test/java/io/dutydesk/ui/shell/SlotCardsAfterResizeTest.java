package io.dutydesk.ui.shell;

import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.PaneSpec;
import io.dutydesk.ui.slots.SlotsPaneModel;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Region;
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
 * The window trial: opened at 1240 px wide on the Slots pane, resized to 1400 then to 1024x640 while on the Backups
 * pane, then back to Slots: the slot cards came back about 140 px tall. Back on Slots, each card is as tall as the same
 * window laid out at that size from the start: it fills the cards' area and its table keeps its minimum height.
 */
@ExtendWith(ApplicationExtension.class)
class SlotCardsAfterResizeTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    Stage stage;
    Scene scene;
    Parent root;

    @Start
    void start(Stage stage) {
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of());
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofSeconds(30)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(),
                        Set.of("slots", "backups")));
        // a stage of its own: it is resized, and the primary stage TestFX shares between test classes would keep that size
        // (a later test's scene laid out at this test's last size: TimeSeriesChartTest's spike then fell off its image)
        this.stage = new Stage();
        root = new ShellView(vm).root();
        scene = new Scene(root, 1024, 640);
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

    private void navigate(String id) throws Exception {
        fx(() -> {
            @SuppressWarnings("unchecked")
            ListView<PaneSpec> nav = (ListView<PaneSpec>) scene.lookup("#navigation");
            nav.getSelectionModel().select(nav.getItems().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow());
            return null;
        });
        settle();
    }

    private void size(double w, double h) throws Exception {
        fx(() -> {
            stage.setWidth(w);
            stage.setHeight(h);
            return null;
        });
        settle();
    }

    /** Each card's height, and what is wrong with it: shorter than its area or than what its table needs. */
    private List<String> cards(String where, List<Double> heights) {
        List<String> out = new ArrayList<>();
        ScrollPane area = (ScrollPane) scene.lookup("#slot-cards");
        double view = area.getViewportBounds().getHeight();
        for (String slot : new String[] {"blue", "green"}) {
            Region card = (Region) scene.lookup("#slot-" + slot);
            Region table = (Region) scene.lookup("#services-" + slot);
            heights.add(card.getHeight());
            if (card.getHeight() < view - 0.5) {
                out.add(where + ": the " + slot + " card is " + card.getHeight() + " px in an area of " + view + " px");
            }
            if (table.getHeight() < table.minHeight(-1) - 0.5) {
                out.add(where + ": the " + slot + " table is squeezed: " + table.getHeight() + " < " + table.minHeight(-1));
            }
        }
        return out;
    }

    /** The window's content laid out in a scene of its own at {@code w x h} (larger than Monocle's screen). */
    private Scene own(double w, double h) throws Exception {
        Scene now = scene;
        fx(() -> {
            now.setRoot(new javafx.scene.layout.Pane());
            scene = new Scene(root, w, h);
            return null;
        });
        settle();
        return now;
    }

    private void backTo(Scene window) throws Exception {
        fx(() -> {
            scene.setRoot(new javafx.scene.layout.Pane());
            window.setRoot(root);
            scene = window;
            return null;
        });
        settle();
    }

    private List<String> cardsSame(String where, List<Double> fresh) throws Exception {
        List<Double> now = new ArrayList<>();
        List<String> out = new ArrayList<>(fx(() -> cards(where, now)));
        for (int i = 0; i < now.size(); i++) {
            if (Math.abs(now.get(i) - fresh.get(i)) > 1) {
                out.add(where + ": a card is " + now.get(i) + " px tall, " + fresh.get(i) + " px in a window opened at that size");
            }
        }
        return out;
    }

    @Test
    void theSlotCardsComeBackAtTheirHeightAfterTheWindowWasResizedOnAnotherPane(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> vm.summaryStateProperty().get() == BackendStatus.State.OK
                && vm.model("slots", SlotsPaneModel.class).slots().snapshotProperty().get() != null));
        settle();
        // the height the cards have in a window opened at 1024x640
        List<Double> fresh = new ArrayList<>();
        List<String> problems = new ArrayList<>(fx(() -> cards("1024x640, opened so", fresh)));
        fx(() -> Screenshots.save(scene, "slot-cards-1024x640-fresh"));

        // the trial: 1240 px on Slots, then 1400 and 1024 on Backups, then back to Slots
        Scene window = own(1240, 800);
        List<Double> at1240 = new ArrayList<>();
        problems.addAll(fx(() -> cards("1240x800 on Slots", at1240)));
        navigate("backups");
        own(1400, 900);
        backTo(window);
        size(1024, 640);
        navigate("slots");
        fx(() -> Screenshots.save(scene, "slot-cards-1024x640-back-from-backups"));
        problems.addAll(cardsSame("1024x640, back from Backups", fresh));

        // a size passed through on the way (a window dragged shorter, a pane laid out once at a passing height) moves the
        // divider to keep the action log's lines: it must not stay there
        size(1024, 500);
        size(1024, 640);
        fx(() -> Screenshots.save(scene, "slot-cards-1024x640-after-500"));
        problems.addAll(cardsSame("1024x640 after 1024x500", fresh));
        own(1400, 900);
        List<Double> at1400 = new ArrayList<>();
        problems.addAll(fx(() -> cards("1400x900 after all that", at1400)));
        fx(() -> Screenshots.save(scene, "slot-cards-1400x900"));
        if (at1400.get(0) < fresh.get(0) * 900 / 640) {
            problems.add("1400x900: the cards are " + at1400 + " px tall, " + fresh + " px at 1024x640: they do not take their share");
        }
        backTo(window);
        assertTrue(problems.isEmpty(), problems.toString());
    }
}
