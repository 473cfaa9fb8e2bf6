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
}
