package io.dutydesk.ui.slots;

import io.dutydesk.testing.MemoryAuditLog;
import javafx.geometry.Bounds;
import javafx.scene.Parent;
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

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single stack's pane as the window at its minimum size gives it (1024x640 less the narrow navigation): every action
 * button keeps its whole label and stays inside the pane. The window trial found them cut to "Re…", "Dep…", "L…".
 */
@ExtendWith(ApplicationExtension.class)
class SingleStackNarrowTest {
    /** The pane's width in a 1024 px window: the navigation's icon column (50 px) taken away. */
    static final double WIDTH = 974;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    Parent root;
    Scene scene;
    SingleStackViewModel vm;

    @Start
    void start(Stage stage) {
        vm = new SingleStackViewModel(Runnable::run, scheduler, Clock.systemUTC(), MemoryAuditLog.create(), "me@test");
        root = (Parent) new SingleStackView(vm, Runnable::run).root();
        scene = new Scene(root, WIDTH, 590);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    @Test
    void everyActionKeepsItsWholeLabelInANarrowWindow(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> {
            root.applyCss();
            root.layout();
            return null;
        });
        List<Button> buttons = List.copyOf(robot.from(root).lookup(".button").queryAllAs(Button.class));
        assertEquals(9, buttons.size(), "the nine actions: " + buttons);
        for (Button b : buttons) {
            double w = fx(b::getWidth);
            double pref = fx(() -> b.prefWidth(-1));
            assertTrue(w >= pref - 0.5, "'" + b.getText() + "' is cut: " + w + " px of " + pref);
            Bounds s = fx(() -> b.localToScene(b.getBoundsInLocal()));
            assertTrue(s.getMaxX() <= WIDTH + 0.5, "'" + b.getText() + "' runs out of the pane: " + s);
        }
    }

    /**
     * The maintenance lock's line wraps whole, with what it means at its end ("every action is refused until it is
     * unlocked"): the window trial at 1024x640 read "… \"db disk swap until 23:30 - Ana\" — every…".
     */
    @Test
    void theLockLineIsWholeInANarrowWindow(FxRobot robot) throws Exception {
        String text = "LOCKED: ref-single is locked for maintenance by root@vm since 2026-12-03 23:04:36 UTC: \"db disk swap until 23:30 - Ana\""
                + " — every action is refused until it is unlocked";
        robot.interact(() -> vm.showLock(java.util.Optional.of(new io.dutydesk.core.rollout.MaintenanceLock("x", "root@vm",
                "db disk swap until 23:30 - Ana", java.time.Instant.parse("2026-12-03T23:04:36Z"))), text));
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> {
            root.applyCss();
            root.layout();
            return null;
        });
        javafx.scene.control.Label line = fx(() -> root.lookupAll(".label").stream().map(n -> (javafx.scene.control.Label) n)
                .filter(l -> text.equals(l.getText())).findFirst().orElseThrow());
        String drawn = fx(() -> ((javafx.scene.text.Text) line.lookup(".text")).getText());
        assertEquals(text, drawn, "the lock's line is cut");
    }
}
