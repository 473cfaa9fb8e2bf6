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

    /**
     * At the window's minimum size (the pane 974 x 560: 1024x640 less the navigation, the header and the status bar), with
     * the maintenance lock's line and the stale banner shown, the stack's services are rows on the screen: the action log
     * below gives the height. The window trial at 1024x640 saw the table squeezed to its column headers — no service, no
     * state, no health — beside an empty log.
     */
    @Test
    void theStacksServicesAreRowsOnTheScreenAtTheMinimumSize(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.rows().setAll(new SingleStackViewModel.Row("app", "lifeos-app-1", "127.0.0.1", "running", "healthy", "v1.0.0", "17m", "0"),
                    new SingleStackViewModel.Row("worker", "lifeos-worker-1", "127.0.0.1", "running", "healthy", "v1.0.0", "17m", "0"));
            vm.showLock(java.util.Optional.of(new io.dutydesk.core.rollout.MaintenanceLock("x", "root@vm", "disk swap",
                    java.time.Instant.parse("2026-12-03T23:04:36Z"))), "LOCKED: ref-single is locked for maintenance by root@vm since "
                    + "2026-12-03 23:04:36 UTC: \"disk swap\" — every action is refused until it is unlocked");
        });
        WaitForAsyncUtils.waitForFxEvents();
        // laid out by hand at the pane's size and measured in the same turn (a scene's own pulse lays it out at its size)
        String cut = fx(() -> {
            ((javafx.scene.layout.Region) root).resize(WIDTH, 560);
            for (int i = 0; i < 3; i++) {
                root.applyCss();
                root.layout();
            }
            javafx.scene.control.TableView<?> table = (javafx.scene.control.TableView<?>) root.lookup("#single-services");
            double bottom = table.localToScene(table.getLayoutBounds()).getMaxY();
            for (int i = 0; i < 2; i++) {
                int index = i;
                javafx.scene.control.TableRow<?> row = table.lookupAll(".table-row-cell").stream()
                        .map(n -> (javafx.scene.control.TableRow<?>) n).filter(r -> r.getIndex() == index && r.isVisible() && r.getItem() != null)
                        .findFirst().orElse(null);
                if (row == null) {
                    return "service " + (i + 1) + " of 2 has no row on the screen; the table is " + table.getHeight() + " px high";
                }
                double rowBottom = row.localToScene(row.getLayoutBounds()).getMaxY();
                if (rowBottom > bottom + 0.5) {
                    return "service " + (i + 1) + "'s row is cut: it ends at " + rowBottom + ", the table at " + bottom;
                }
            }
            return "";
        });
        assertEquals("", cut);
    }
}
