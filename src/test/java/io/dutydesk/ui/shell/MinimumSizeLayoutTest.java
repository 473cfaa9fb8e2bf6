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
import io.dutydesk.ui.slots.SlotsView;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window at its minimum size, 1024x640, with every backend down (the window trial's worst case): the
 * status bar stays one line and still says what is down; the Slots pane's action log keeps a few lines,
 * the slot cards scroll instead. Then the same at 1400x900.
 */
@ExtendWith(ApplicationExtension.class)
class MinimumSizeLayoutTest {
    /** "A few lines" of the action log: what it must keep at any size. */
    static final int LOG_LINES = 4;
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    Scene scene;
    javafx.scene.Parent root;
    Stage stage;

    @Start
    void start(Stage stage) {
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of());
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(100)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), java.util.Set.of("slots")));
        ShellView view = new ShellView(vm);
        this.stage = stage;
        root = view.root();
        scene = new Scene(root, 1024, 640);
        stage.setScene(scene);
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get();
        scheduler.shutdownNow();
    }

    private static void waitFor(String what, Callable<Boolean> c) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (Exception e) {
            throw new AssertionError("not within 10 s: " + what, e);
        }
    }

    /** Lays the content out now: a scene in no window gets no pulse. */
    private void settle() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        for (int i = 0; i < 3; i++) {
            fx(() -> {
                root.applyCss();
                root.layout();
                return null;
            });
        }
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    /** The status bar's chips that are drawn (visible, with every parent up to the bar visible). */
    private static List<Region> shownChips(FxRobot robot, Region bar) {
        return robot.from(bar).lookup(".backend-indicator").queryAll().stream().filter(n -> {
            for (Node p = n; p != null && p != bar; p = p.getParent()) {
                if (!p.isVisible()) {
                    return false;
                }
            }
            return true;
        }).map(n -> (Region) n).toList();
    }

    private static String said(Region chip) {
        return String.join(" ", chip.getChildrenUnmodifiable().stream().filter(n -> n instanceof Label && n.isVisible())
                .map(n -> ((Label) n).getText()).toList());
    }

    /** One line: no taller than one chip and its padding, and every shown chip whole inside the window. */
    private void assertOneLine(FxRobot robot, String where) throws Exception {
        Region bar = robot.from(root).lookup("#status-bar").queryAs(Region.class);
        List<Region> chips = fx(() -> shownChips(robot, bar));
        assertFalse(chips.isEmpty(), where + ": the bar shows something");
        double chip = chips.stream().mapToDouble(Region::getHeight).max().orElseThrow();
        double barHeight = fx(bar::getHeight);
        double padding = fx(() -> bar.getInsets().getTop() + bar.getInsets().getBottom());
        assertTrue(barHeight <= chip + padding + 1, where + ": the status bar is one line: " + barHeight
                + " px for chips of " + chip + " px (+" + padding + " padding)");
        for (Region c : chips) {
            Bounds b = fx(() -> c.localToScene(c.getBoundsInLocal()));
            assertTrue(b.getMinX() >= 0 && b.getMaxX() <= scene.getWidth(), where + ": '" + fx(() -> said(c)) + "' is cut: " + b);
            double pref = fx(() -> c.prefWidth(-1));
            double w = fx(c::getWidth);
            assertTrue(w >= pref - 0.5, where + ": '" + fx(() -> said(c)) + "' squeezed: " + w + " < " + pref);
        }
    }

    /** Every backend down: red, counted and named; nothing green. */
    private void assertAllDownShown(FxRobot robot, String where) throws Exception {
        Region bar = robot.from(root).lookup("#status-bar").queryAs(Region.class);
        List<Region> chips = fx(() -> shownChips(robot, bar));
        for (Region c : chips) {
            assertFalse(fx(() -> c.getStyleClass().contains("ok")), where + ": a green chip while all is down: " + fx(() -> said(c)));
            assertTrue(fx(() -> c.getStyleClass().contains("down")), where + ": not red: " + fx(() -> said(c)));
        }
        String all = fx(() -> String.join(" | ", chips.stream().map(MinimumSizeLayoutTest::said).toList()));
        for (Backend b : Backend.values()) {
            assertTrue(all.contains(b.label()), where + ": " + b.label() + " is not named in '" + all + "'");
        }
        assertTrue(all.contains("down"), all);
    }

    private void assertLogKeepsLines(FxRobot robot, String where) throws Exception {
        ListView<?> log = robot.from(root).lookup("#action-log").queryAs(ListView.class);
        // a line's height: the cells are as tall as their text (a long line wraps), one line each here
        double cell = fx(() -> log.lookupAll(".list-cell").stream().filter(Node::isVisible)
                .mapToDouble(n -> ((Region) n).getHeight()).min().orElse(0));
        assertTrue(cell >= 18, "the log shows a line: " + cell + " px");
        double h = fx(log::getHeight);
        assertTrue(h >= LOG_LINES * cell, where + ": the action log shows "
                + (h / cell) + " lines (" + h + " px); at least " + LOG_LINES + " wanted");
        Bounds b = fx(() -> log.localToScene(log.getBoundsInLocal()));
        Bounds bar = fx(() -> robot.from(root).lookup("#status-bar").query().localToScene(robot.from(root).lookup("#status-bar").query().getBoundsInLocal()));
        assertTrue(bar.getMaxY() <= scene.getHeight() + 0.5, where + ": the status bar " + bar + " is inside the window, "
                + scene.getHeight() + " px high (the panes' minimum heights fit)");
        assertTrue(b.getMaxY() <= bar.getMinY() + 0.5, where + ": the log " + b + " ends above the status bar " + bar);
        // the cards are not squeezed below what they need: they scroll
        for (String slot : new String[]{"blue", "green"}) {
            TableView<?> t = robot.from(root).lookup("#services-" + slot).queryAs(TableView.class);
            double th = fx(t::getHeight);
            double tmin = fx(() -> t.minHeight(-1));
            assertTrue(th >= tmin - 0.5, where + ": " + slot + "'s table squeezed: " + th + " < " + tmin);
        }
        ScrollPane cards = robot.from(root).lookup("#slot-cards").queryAs(ScrollPane.class);
        assertTrue(fx(() -> cards.getContent().getLayoutBounds().getHeight() >= cards.getViewportBounds().getHeight() - 0.5),
                "the cards fill their area");
    }

    @Test
    void atTheMinimumSizeWithEveryBackendDownTheStatusBarIsOneLineAndTheActionLogKeepsLines(FxRobot robot) throws Exception {
        waitFor("all ok", () -> vm.summaryStateProperty().get() == BackendStatus.State.OK
                && vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots().snapshotProperty().get() != null);
        robot.interact(() -> vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots().actionLog()
                .setAll("$ rollback   (roll back to blue)", "… running on the server"));
        WaitForAsyncUtils.waitForFxEvents();
        Region bar = robot.from(root).lookup("#status-bar").queryAs(Region.class);
        List<Region> each = fx(() -> shownChips(robot, bar));
        assertEquals(7, each.size(), "all ok at 1024: one indicator per backend");
        for (int i = 0; i < 7; i++) {
            Region c = each.get(i);
            assertTrue(fx(() -> said(c)).startsWith(Backend.values()[i].label() + " "), fx(() -> said(c)));
            assertTrue(fx(() -> c.getStyleClass().contains("ok")));
        }
        assertOneLine(robot, "1024x640 all ok");
        fx(() -> Screenshots.save(scene, "min-1024x640-all-ok"));

        for (Backend b : Backend.values()) {
            backends.down(b, b.label() + " on the server does not answer");
        }
        waitFor("7 down", () -> vm.summaryProperty().get().startsWith("7 down") && vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots().staleProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> Screenshots.save(scene, "min-1024x640-all-down"));
        assertOneLine(robot, "1024x640 all down");
        assertAllDownShown(robot, "1024x640 all down");
        assertTrue(fx(() -> said(shownChips(robot, bar).get(0))).startsWith("7 down; last answer at "),
                "one chip for the seven: " + fx(() -> said(shownChips(robot, bar).get(0))));
        String hover = fx(() -> io.dutydesk.ui.fx.LazyTooltip.of(shownChips(robot, bar).get(0)).getText());
        for (Backend b : Backend.values()) {
            assertTrue(hover.contains(b.label() + ": down; last answer at ") && hover.contains(b.label() + " on the server does not answer"),
                    "each one's outage and error on hover: " + hover);
        }
        assertLogKeepsLines(robot, "1024x640 all down");

        // 1400x900 is larger than Monocle's headless screen (1280x800): a window that big overflows its frame buffer
        // (and breaks the tests after this one), so the same window's content is laid out in a scene of its own
        Scene small = scene;
        robot.interact(() -> {
            small.setRoot(new javafx.scene.layout.Pane());
            scene = new Scene(root, 1400, 900);
        });
        settle();
        fx(() -> Screenshots.save(scene, "min-1400x900-all-down"));
        assertOneLine(robot, "1400x900 all down");
        assertAllDownShown(robot, "1400x900 all down");
        assertLogKeepsLines(robot, "1400x900 all down");

        backends.up(Backend.SSH);
        backends.up(Backend.DOCKER);
        backends.up(Backend.BACKUPS);
        waitFor("4 down", () -> vm.summaryProperty().get().startsWith("4 down"));
        settle();
        fx(() -> Screenshots.save(scene, "min-1400x900-four-down"));
        assertOneLine(robot, "1400x900 four down");
        robot.interact(() -> {
            scene.setRoot(new javafx.scene.layout.Pane());
            small.setRoot(root);
            scene = small;
        });
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> Screenshots.save(scene, "min-1024x640-four-down"));
        assertOneLine(robot, "1024x640 four down");
        assertLogKeepsLines(robot, "1024x640 four down");
    }
}
