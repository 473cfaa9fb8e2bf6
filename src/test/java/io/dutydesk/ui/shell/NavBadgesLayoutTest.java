package io.dutydesk.ui.shell;

import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.NavBadge;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import javafx.geometry.Orientation;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
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

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The navigation with a badge on every pane, titles shown (a window 1100 px wide or more): each title and badge fits, no horizontal scroll
 * bar. The window trial saw "Backups" and "Today" cut at the edge and a scroll bar under the navigation once the morning
 * check had run.
 */
@ExtendWith(ApplicationExtension.class)
class NavBadgesLayoutTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    ShellView view;
    Scene scene;
    final ObservableMap<String, NavBadge> badges = FXCollections.observableHashMap();

    @Start
    void start(Stage stage) {
        backends.slots = Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of());
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(100)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), Set.of("slots")));
        view = new ShellView(vm);
        // Monocle's headless screen is 1280x800; the navigation is the same at any width from 1100 on (1400 in the trial)
        scene = new Scene(view.root(), 1280, 800);
        stage.setScene(scene);
        stage.sizeToScene(); // TestFX's stage is shared: an earlier class may have resized it
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get();
        scheduler.shutdownNow();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    @Test
    void everyTitleAndBadgeFitsWithoutAScrollBar(FxRobot robot) throws Exception {
        fx(() -> {
            badges.putAll(Map.of(
                    "slots", new NavBadge("pass", "ok", "ok"),
                    "outbox", new NavBadge("fail", "fail", "fail"),
                    "alerts", new NavBadge("fail", "12 crit", "12 critical alerts firing"),
                    "backups", new NavBadge("warn", "warn", "warn"),
                    "metrics", new NavBadge("unknown", "?", "not read"),
                    "today", new NavBadge("fail", "fail", "fail")));
            view.badges(badges);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        for (int i = 0; i < 3; i++) {
            fx(() -> {
                view.root().applyCss();
                view.root().layout();
                return null;
            });
        }
        ListView<?> nav = robot.lookup("#navigation").queryAs(ListView.class);
        List<ScrollBar> bars = fx(() -> nav.lookupAll(".scroll-bar").stream().map(n -> (ScrollBar) n)
                .filter(b -> b.getOrientation() == Orientation.HORIZONTAL && b.isVisible()).toList());
        assertTrue(bars.isEmpty(), "a horizontal scroll bar under the navigation");
        double inner = fx(() -> nav.getWidth() - nav.getInsets().getLeft() - nav.getInsets().getRight());
        List<ListCell<?>> cells = fx(() -> nav.lookupAll(".list-cell").stream().map(n -> (ListCell<?>) n)
                .filter(c -> c.getItem() != null).<ListCell<?>>map(c -> c).toList());
        assertFalse(cells.isEmpty(), "the navigation's cells");
        for (ListCell<?> c : cells) {
            double need = fx(() -> c.prefWidth(-1));
            assertTrue(need <= inner + 0.5, "'" + fx(c::getAccessibleText) + "' with its badge needs " + need + " px of " + inner);
        }
    }

    /**
     * At 1024x640 the navigation is icons only (50 px): each badge's words are under its icon — the widest, "12 crit",
     * whole — inside the column, and a screen reader hears the state: a tint of the icon said it by colour alone.
     */
    @Test
    void iconsOnlyEachBadgeSaysItsStateInWordsUnderItsIcon(FxRobot robot) throws Exception {
        Map<String, NavBadge> all = Map.of(
                "slots", new NavBadge("pass", "ok", "ok"),
                "outbox", new NavBadge("unknown", "down", "PostgreSQL down; last answer at 09:41:55"),
                "alerts", new NavBadge("fail", "12 crit", "12 critical alerts firing"),
                "backups", new NavBadge("warn", "warn", "warn"),
                "metrics", new NavBadge("unknown", "?", "not read"),
                "today", new NavBadge("fail", "fail", "fail"));
        // the same window in a 1024x640 scene of its own: TestFX's stage is shared by the classes after this one, and one
        // resized stays that size for their scenes
        Scene narrow = fx(() -> {
            badges.putAll(all);
            view.badges(badges);
            scene.setRoot(new javafx.scene.Group());
            Scene s = new Scene(view.root(), 1024, 640);
            for (int i = 0; i < 3; i++) {
                s.getRoot().applyCss();
                s.getRoot().layout();
            }
            return s;
        });
        ListView<?> nav = fx(() -> (ListView<?>) narrow.lookup("#navigation"));
        assertTrue(fx(() -> nav.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("compact"))), "icons only");
        fx(() -> {
            javafx.geometry.Bounds column = nav.localToScene(nav.getBoundsInLocal());
            for (var e : all.entrySet()) {
                javafx.scene.control.Label l = (javafx.scene.control.Label) nav.lookup("#badge-" + e.getKey());
                org.junit.jupiter.api.Assertions.assertNotNull(l, e.getKey() + ": a badge");
                org.junit.jupiter.api.Assertions.assertEquals(e.getValue().text(), ((javafx.scene.text.Text) l.lookup(".text")).getText(),
                        e.getKey() + ": its words whole");
                javafx.geometry.Bounds b = l.localToScene(l.getBoundsInLocal());
                assertTrue(b.getMinX() >= column.getMinX() && b.getMaxX() <= column.getMaxX(), e.getKey() + ": " + b + " inside " + column);
                javafx.scene.Node icon = ((javafx.scene.layout.VBox) l.getParent()).getChildren().get(0);
                assertTrue(icon.localToScene(icon.getBoundsInLocal()).getMaxY() <= b.getMinY() + 0.5, e.getKey() + ": under its icon");
                ListCell<?> cell = (ListCell<?>) l.getParent().getParent();
                assertTrue(cell.getAccessibleText().endsWith(": " + e.getValue().text()), cell.getAccessibleText());
            }
            List<ScrollBar> bars = nav.lookupAll(".scroll-bar").stream().map(n -> (ScrollBar) n).filter(ScrollBar::isVisible).toList();
            assertTrue(bars.isEmpty(), "no scroll bar in the column: " + bars.stream().map(b -> b.getOrientation() + " "
                    + b.getBoundsInParent() + " " + b.getVisibleAmount() + "/" + b.getMax()).toList() + " cells " + nav.lookupAll(".list-cell").stream()
                    .map(c -> ((ListCell<?>) c).getAccessibleText() + " pref " + c.prefWidth(-1) + "x" + c.prefHeight(-1)).toList() + " nav " + nav.getWidth());
            return null;
        });
        fx(() -> io.dutydesk.testing.Screenshots.save(narrow, "nav-badges-1024x640"));
    }
}
