package io.dutydesk.ui.chart;

import io.dutydesk.ui.fx.Theme;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.dutydesk.ui.chart.TimeSeriesChartTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canvas legend on its own: sixty entries in a short strip that scrolls itself. */
@ExtendWith(ApplicationExtension.class)
class ChartLegendTest {
    final List<String> toggled = new CopyOnWriteArrayList<>();
    ChartLegend legend;

    @Start
    void start(Stage stage) {
        legend = new ChartLegend(new ChartLegend.Actions() {
            public void toggle(String id) {
                toggled.add(id);
            }

            public void isolateOrShowAll(String id) {
                toggled.add("only " + id);
            }

            public void isolate(String id) {
                toggled.add("only " + id);
            }

            public void showAll() {
                toggled.add("all");
            }
        });
        List<ChartLegend.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            entries.add(new ChartLegend.Entry("s" + i, "service-" + i + "{status=\"5xx\"}", Color.hsb(i * 37 % 360, 0.7, 0.8), i == 3));
        }
        legend.setEntries(entries, false);
        legend.setManaged(false); // the chart gives it a fixed strip; a Pane would size it to its content
        legend.resizeRelocate(0, 0, 600, 64);
        Pane root = new Pane(legend);
        Scene scene = new Scene(root, 600, 64);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    Point2D center(String id) {
        Bounds b = fx(() -> legend.boundsOf(id));
        assertNotNull(b, id + " is in view");
        return fx(() -> legend.localToScreen(b.getCenterX(), b.getCenterY()));
    }

    @Test
    void theWheelScrollsAndAClickHitsTheEntryNowUnderThePointer(FxRobot robot) {
        assertNotNull(fx(() -> legend.boundsOf("s0")));
        assertNull(fx(() -> legend.boundsOf("s59")), "the last one is below the strip");
        robot.moveTo(center("s1"));
        robot.scroll(1, VerticalDirection.UP); // one real notch through the robot (Monocle: UP is a negative deltaY)
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(legend::scrollOffset) > 0, "one notch scrolls");
        for (int i = 0; i < 40 && fx(() -> legend.boundsOf("s59")) == null; i++) { // then wheel notches of 40 px down
            robot.interact(() -> javafx.event.Event.fireEvent(legend, new javafx.scene.input.ScrollEvent(
                    javafx.scene.input.ScrollEvent.SCROLL, 100, 30, 100, 30, false, false, false, false, false, false, 0, -40, 0, -40,
                    javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                    javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null)));
        }
        assertTrue(fx(legend::scrollOffset) > 0, "scrolled");
        assertNull(fx(() -> legend.boundsOf("s0")), "the first one scrolled away");
        assertNotNull(fx(() -> legend.boundsOf("s59")), "the last one came into view");
        robot.clickOn(center("s59"));
        assertEquals(List.of("s59"), toggled);
    }

    @Test
    void draggingTheThumbScrollsToTheEnd(FxRobot robot) {
        Point2D top = fx(() -> legend.localToScreen(legend.getWidth() - 4, 6));
        Point2D bottom = fx(() -> legend.localToScreen(legend.getWidth() - 4, legend.getHeight() + 200));
        robot.drag(top, javafx.scene.input.MouseButton.PRIMARY).moveTo(bottom).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(fx(() -> legend.boundsOf("s59")), "the thumb dragged down shows the end");
        // drag the thumb back up and let go over the names: a drag is not a click on an entry
        Point2D thumb = fx(() -> legend.localToScreen(legend.getWidth() - 4, legend.getHeight() - 6));
        Point2D overAnEntry = fx(() -> legend.localToScreen(60, legend.getHeight() / 2));
        robot.drag(thumb, javafx.scene.input.MouseButton.PRIMARY).moveTo(overAnEntry).release(javafx.scene.input.MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(toggled.isEmpty(), "a drag of the thumb released over an entry toggles nothing: " + toggled);
    }
}
