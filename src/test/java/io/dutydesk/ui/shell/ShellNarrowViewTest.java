package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
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
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole window at its minimum size, 1024x640, with most backends down: nothing that matters is cut. */
@ExtendWith(ApplicationExtension.class)
class ShellNarrowViewTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    Scene scene;
    ShellView view;
    Stage stage;

    @Start
    void start(Stage stage) {
        backends.slots = Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of("analysis-worker-green"), Set.of());
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(100)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), java.util.Set.of("slots")));
        view = new ShellView(vm);
        this.stage = stage;
        scene = new Scene(view.root(), 1024, 640);
        stage.setScene(scene);
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get(); // on the FX thread, as the app does
        scheduler.shutdownNow();
    }

    private static void waitFor(String what, Callable<Boolean> c) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (Exception e) {
            throw new AssertionError("not within 10 s: " + what, e);
        }
    }

    @Test
    void at1024x640WithFiveBackendsDownTheEnvironmentAndEveryColumnAreVisible(FxRobot robot) throws Exception {
        waitFor("slots read", () -> vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots().snapshotProperty().get() != null);
        for (Backend b : new Backend[]{Backend.POSTGRES, Backend.REDIS, Backend.PROMETHEUS, Backend.ALERTMANAGER}) {
            backends.down(b, b.label() + " on the server does not answer");
        }
        waitFor("4 down", () -> vm.summaryProperty().get().startsWith("4 down"));
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "shell-1024x640-four-down")).get();

        onFx(() -> {
            @SuppressWarnings("unchecked")
            ComboBox<String> picker = robot.lookup("#environment-picker").queryAs(ComboBox.class);
            ListCell<?> shown = (ListCell<?>) ((javafx.scene.control.skin.ComboBoxListViewSkin<?>) picker.getSkin()).getDisplayNode();
            assertEquals("ref", shown.getText(), "the picker shows the environment");
            Text text = robot.from(shown).lookup(".text").queryAs(Text.class);
            assertEquals("ref", text.getText(), "not ellipsized");
            Bounds b = picker.localToScene(picker.getBoundsInLocal());
            assertTrue(b.getMinX() >= 0 && b.getMaxX() <= scene.getWidth(), "the picker is inside the window: " + b);
            assertTrue(picker.getWidth() >= picker.prefWidth(-1) - 0.5, "the picker keeps its width: " + picker.getWidth());

            assertEquals("LIVE: GREEN — 3/4 healthy", robot.lookup("#live-badge").queryAs(javafx.scene.control.Label.class).getText());
            for (String slot : new String[]{"blue", "green"}) {
                TableView<?> t = robot.lookup("#services-" + slot).queryAs(TableView.class);
                double used = 0;
                for (TableColumn<?, ?> c : t.getVisibleLeafColumns()) {
                    assertTrue(c.getWidth() >= c.getMinWidth() - 0.5, slot + " column " + c.getText() + " squeezed: " + c.getWidth());
                    used += c.getWidth();
                }
                assertTrue(used <= t.getWidth(), slot + ": the columns fit the table (" + used + " of " + t.getWidth() + ")");
                Node menu = robot.lookup("#menu-selfology-outbox-relay-" + slot).query();
                Bounds m = menu.localToScene(menu.getBoundsInLocal());
                assertTrue(m.getMaxX() <= scene.getWidth() && menu.isVisible(), "the row menu is reachable: " + m);
            }
        });
    }

    interface Check {
        void run() throws Exception;
    }

    /** Runs checks that read the scene graph (bounds, sizes, skins) on the FX thread: off it they race its layout pass. */
    private static void onFx(Check c) throws Exception {
        try {
            WaitForAsyncUtils.asyncFx(() -> {
                c.run();
                return null;
            }).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
    }

    /** The screen bounds of a node. */
    private static Bounds onScreen(Node n) {
        return n.localToScreen(n.getBoundsInLocal());
    }

    @Test
    void at1024x640ToastsAreReadableAndNeverOverTheHeader(FxRobot robot) throws Exception {
        waitFor("slots read", () -> vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots().snapshotProperty().get() != null);
        io.dutydesk.ui.notify.Notifier notifier = new io.dutydesk.ui.notify.Notifier(FxThread.INSTANCE, () -> stage, x -> { },
                Clock.systemDefaultZone(), true);
        robot.interact(() -> notifier.showIn(view.toasts()));
        for (int i = 1; i <= 4; i++) {
            notifier.notify(new io.dutydesk.core.ports.Notifier.Notice("alert:ref:" + i, io.dutydesk.core.ports.Notifier.Level.CRITICAL,
                    "ServiceDown (critical) on ref #" + i, "analysis-worker (green) has not answered its health check for 10 "
                    + "minutes; the outbox relay retries every 30 s and the backlog grows while it is down (" + i + ")"));
        }
        WaitForAsyncUtils.waitForFxEvents();
        waitFor("the last toast laid out", () -> robot.lookup("ServiceDown (critical) on ref #4").tryQuery()
                .map(n -> n.getLayoutBounds().getHeight() > 0).orElse(false));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "shell-1024x640-toasts")).get();

        onFx(() -> {
            Bounds header = onScreen(robot.lookup(".top-bar").query());
            Bounds slotsHeader = onScreen(robot.lookup(".slots-top").query());
            Bounds window = onScreen(view.root());
            Node text = robot.lookup("ServiceDown (critical) on ref #4").query();
            assertTrue(!onScreen(text).intersects(header), "the notice's words " + onScreen(text) + " are over the header " + header);
            java.util.List<Node> toasts = robot.lookup(".toast").queryAll().stream().filter(Node::isVisible).toList();
            // a 1024x640 window's pane area is short: the newest two (three stood over half of it: the window trial)
            assertEquals(2, toasts.size(), "the newest two");
            assertTrue(robot.lookup("ServiceDown (critical) on ref #1").tryQuery().isEmpty()
                    && robot.lookup("ServiceDown (critical) on ref #2").tryQuery().isEmpty(), "the oldest gave way");
            for (Node t : toasts) {
                Bounds b = onScreen(t);
                assertTrue(!b.intersects(header), "a toast " + b + " over the header " + header);
                assertTrue(!b.intersects(slotsHeader), "a toast " + b + " over the pane's header (live badge, actions) " + slotsHeader);
                assertTrue(window.contains(b), "the toast is inside the window: " + b + " in " + window);
                assertTrue(b.getWidth() >= 300, "wide enough to read: " + b.getWidth());
                for (Node l : robot.from(t).lookup(".label").queryAll()) {
                    javafx.scene.control.Label label = (javafx.scene.control.Label) l;
                    assertTrue(label.getHeight() >= label.prefHeight(label.getWidth()) - 0.5,
                            "'" + label.getText() + "' is cut: " + label.getHeight() + " < " + label.prefHeight(label.getWidth()));
                }
            }
        });
    }
}
