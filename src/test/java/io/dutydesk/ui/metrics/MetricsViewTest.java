package io.dutydesk.ui.metrics;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.core.metrics.QueryException;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Metrics pane on Monocle with a scripted Prometheus: Ctrl+Enter, errors, markers, dark theme. */
@ExtendWith(ApplicationExtension.class)
class MetricsViewTest {
    MetricsViewModelTest.ScriptedPrometheus prom;
    MetricsViewModel vm;
    MetricsView view;
    Scene scene;

    @Start
    void start(Stage stage) {
        prom = new MetricsViewModelTest.ScriptedPrometheus();
        // the reference host's label names: more than fit under the editor in one list
        prom.labels = List.of("__name__", "alertname", "alertstate", "branch", "check", "code", "env", "goarch", "goos",
                "goversion", "handler", "instance", "job", "method", "quantile", "revision", "service", "severity", "slot",
                "status", "target", "version");
        MemoryAuditLog audit = MemoryAuditLog.create();
        Instant now = Instant.now();
        audit.append(new AuditEntry("1", "oncall@desk", "ref", "rollback", List.of(), now.minusSeconds(1500), now.minusSeconds(1490), 0,
                "x", "succeeded", "green", "blue", "")).join();
        vm = new MetricsViewModel(FxThread.INSTANCE, Clock.systemUTC());
        view = new MetricsView(vm, Executors.newSingleThreadExecutor());
        scene = new Scene(new StackPane(view.root()), 1100, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
        vm.attach(new MetricsService(TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref"), prom,
                new MetricsViewModelTest.MemoryQueries(), audit, Duration.ofSeconds(5)));
    }

    int legendSize() {
        try {
            return WaitForAsyncUtils.asyncFx(() -> view.chart().legendIds().size()).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ctrlEnterRunsAndTheChartShowsTheSeriesWithTheDeployMarker(FxRobot robot) throws Exception {
        Eventually.await("the first saved query ran", Duration.ofSeconds(10), () -> !prom.calls.isEmpty());
        robot.clickOn("#promql-editor");
        robot.interact(() -> vm.expressionProperty().set("sum by (service) (rate(http_requests_total[5m]))"));
        int before = prom.calls.size();
        robot.press(KeyCode.CONTROL).press(KeyCode.ENTER).release(KeyCode.ENTER).release(KeyCode.CONTROL);
        Eventually.await("ran", Duration.ofSeconds(10), () -> prom.calls.size() > before);
        Eventually.await("drawn", Duration.ofSeconds(10), () -> legendSize() == 2);
        assertTrue(prom.calls.get(prom.calls.size() - 1).contains("sum by (service)"));
        assertEquals(1, vm.data().snapshot().markers().size());
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "metrics-pane-light")).get();
        robot.interact(() -> Theme.apply(scene, true));
        WaitForAsyncUtils.waitForFxEvents();
        Eventually.await("dark chart", Duration.ofSeconds(5), () -> view.chart().darkProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "metrics-pane-dark")).get();
        robot.interact(() -> Theme.apply(scene, false));
    }

    /**
     * Prometheus down under a chart, in the room a 1024x640 window leaves the pane: a banner says what is shown is as of
     * its read, whole, and the pane stays inside that room (a long status line had pushed Run and the chart's right edge
     * out of the window); Prometheus back, the banner goes.
     */
    @Test
    void aStaleChartIsSaidInABannerInsideA1024Window(FxRobot robot) throws Exception {
        Eventually.await("the first saved query ran", Duration.ofSeconds(10), () -> !prom.calls.isEmpty());
        Eventually.await("drawn", Duration.ofSeconds(10), () -> legendSize() == 2);
        javafx.scene.layout.Region root = (javafx.scene.layout.Region) view.root();
        robot.interact(() -> vm.health(MetricsViewModelTest.health("ref", 1, io.dutydesk.core.Backend.PROMETHEUS)));
        Label banner = robot.lookup("#metrics-stale").queryAs(Label.class);
        WaitForAsyncUtils.waitForFxEvents();
        String drawn = WaitForAsyncUtils.asyncFx(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            return banner.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
                    .map(n -> ((javafx.scene.text.Text) n).getText().replace("\n", " ")).findFirst().orElse("");
        }).get();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "metrics-stale")).get();
        assertTrue(WaitForAsyncUtils.asyncFx(banner::isVisible).get(), "the banner is shown");
        assertTrue(WaitForAsyncUtils.asyncFx(banner::getText).get().startsWith("Prometheus down; last answer at "));
        assertEquals(WaitForAsyncUtils.asyncFx(banner::getText).get().replace("  ", " "), drawn.replace("  ", " "), "drawn whole");
        double min = WaitForAsyncUtils.asyncFx(() -> root.minWidth(-1)).get();
        assertTrue(min <= 1024 - 50, "the pane fits beside the navigation at 1024 px: its minimum is " + min);
        robot.interact(() -> vm.health(MetricsViewModelTest.health("ref", 2)));
        assertTrue(!WaitForAsyncUtils.asyncFx(banner::isVisible).get(), "gone when Prometheus answers");
    }

    /**
     * The window trial: typing "up{" offered the metric names ("up" and its like), "up{j" every label — the completions
     * of the text before the key just typed, computed before the text area had inserted it; and the 22 label names,
     * taller than the room under the editor, were moved up over it (the text being typed hidden), where a shorter list
     * then stayed. Each key's completions are the text's with that key, at most a dozen, under the editor.
     */
    @Test
    void theCompletionsAreThoseOfTheTextWithTheKeyJustTypedUnderTheEditor(FxRobot robot) throws Exception {
        Eventually.await("the first saved query ran", Duration.ofSeconds(10), () -> !prom.calls.isEmpty());
        robot.clickOn("#promql-editor");
        robot.interact(() -> vm.expressionProperty().set(""));
        robot.write("u");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("http_requests_total", "outbox_pending_events", "unless", "up"),
                WaitForAsyncUtils.asyncFx(view::completionsShown).get(), "after 'u'");
        robot.write("p{");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(prom.labels.subList(0, MetricsView.COMPLETIONS_SHOWN), WaitForAsyncUtils.asyncFx(view::completionsShown).get(),
                "after 'up{': the first dozen label names");
        assertUnderTheEditor(robot, "after 'up{'");
        robot.write("s");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("up{s", WaitForAsyncUtils.asyncFx(() -> vm.expressionProperty().get()).get());
        assertEquals(List.of("service", "severity", "slot", "status"), WaitForAsyncUtils.asyncFx(view::completionsShown).get(),
                "after 'up{s'");
        assertUnderTheEditor(robot, "after 'up{s'");
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    }

    /** The completion list's window starts below the editor's bottom edge: the text typed stays in sight. */
    void assertUnderTheEditor(FxRobot robot, String when) throws Exception {
        double[] at = WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Node editor = robot.lookup("#promql-editor").query();
            javafx.stage.Window list = javafx.stage.Window.getWindows().stream()
                    .filter(w -> w instanceof javafx.scene.control.ContextMenu c && c.isShowing()
                            && c.getStyleClass().contains("promql-completion")).findFirst().orElseThrow();
            return new double[] {editor.localToScreen(editor.getLayoutBounds()).getMaxY(), list.getY()};
        }).get();
        // the popup window holds its shadow too: its top a few pixels above the list it draws
        assertTrue(at[1] >= at[0] - 12, when + ": the list's top " + at[1] + " is over the editor, whose bottom is at " + at[0]);
    }

    @Test
    void aZoomAsksAgainAtAFinerStepAndTheResetAsksForTheHomeRangeAgain(FxRobot robot) {
        Eventually.await("the first saved query ran", Duration.ofSeconds(10), () -> !prom.calls.isEmpty());
        Eventually.await("drawn", Duration.ofSeconds(10), () -> legendSize() == 2);
        int first = prom.steps.size();
        Duration homeStep = prom.steps.get(first - 1);
        robot.interact(() -> {
            io.dutydesk.ui.chart.TimeRange home = view.chart().getVisibleRange();
            view.chart().zoomTo(new io.dutydesk.ui.chart.TimeRange(home.fromMillis(), home.fromMillis() + home.spanMillis() / 8));
        });
        Eventually.await("the zoom asked again", Duration.ofSeconds(10), () -> prom.steps.size() > first);
        assertTrue(prom.steps.get(prom.steps.size() - 1).compareTo(homeStep) < 0, "finer: " + prom.steps);
        int zoomedCalls = prom.steps.size();
        robot.interact(() -> view.chart().resetZoom()); // what a double-click does
        Eventually.await("the reset asked for the home range again", Duration.ofSeconds(10), () -> prom.steps.size() > zoomedCalls);
        assertEquals(homeStep, prom.steps.get(prom.steps.size() - 1));
    }

    /** A mouse event of a Shift+drag at scene point ({@code x}, {@code y}), fired at the chart's plot area. */
    void fire(javafx.scene.Node plot, javafx.event.EventType<javafx.scene.input.MouseEvent> type, double x, double y) {
        javafx.event.Event.fireEvent(plot, new javafx.scene.input.MouseEvent(type, x, y, x, y,
                javafx.scene.input.MouseButton.PRIMARY, 1, true, false, false, false,
                type != javafx.scene.input.MouseEvent.MOUSE_RELEASED, false, false, false, false, false, null));
    }

    @Test
    void aLongPanDragAsksAFewTimesASecondAndItsReleaseAsksTheFinalRange(FxRobot robot) throws Exception {
        Eventually.await("the first saved query ran", Duration.ofSeconds(10), () -> !prom.calls.isEmpty());
        Eventually.await("drawn", Duration.ofSeconds(10), () -> legendSize() == 2);
        int before = WaitForAsyncUtils.asyncFx(() -> prom.calls.size()).get();
        javafx.scene.Node plot = view.chart().lookup(".chart-plot-area");
        javafx.geometry.Point2D start = WaitForAsyncUtils.asyncFx(() -> {
            javafx.geometry.Bounds b = plot.localToScene(plot.getLayoutBounds());
            return new javafx.geometry.Point2D(b.getMinX() + b.getWidth() * 0.7, b.getMinY() + b.getHeight() * 0.4);
        }).get();
        long t0 = System.nanoTime();
        robot.interact(() -> fire(plot, javafx.scene.input.MouseEvent.MOUSE_PRESSED, start.getX(), start.getY()));
        int moves = 80; // unthrottled, each would ask: far more than the bound below allows
        for (int i = 1; i <= moves; i++) { // one pulse per mouse event, each moving the visible range
            double x = start.getX() - i * 5;
            robot.interact(() -> fire(plot, javafx.scene.input.MouseEvent.MOUSE_DRAGGED, x, start.getY()));
        }
        robot.interact(() -> fire(plot, javafx.scene.input.MouseEvent.MOUSE_RELEASED, start.getX() - moves * 5, start.getY()));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int asked = WaitForAsyncUtils.asyncFx(() -> prom.calls.size()).get() - before;
        assertTrue(WaitForAsyncUtils.asyncFx(() -> view.chart().isZoomed()).get(), "the drag panned");
        assertTrue(asked <= ms / MetricsViewModel.PAN_INTERVAL + 2, asked + " queries for " + moves + " mouse events in " + ms + " ms");
        io.dutydesk.ui.chart.TimeRange last = WaitForAsyncUtils.asyncFx(() -> prom.ranges.get(prom.ranges.size() - 1)).get();
        assertEquals(WaitForAsyncUtils.asyncFx(() -> view.chart().getVisibleRange()).get(), last,
                "the release asked for the range the drag ended on, at once");
    }

    @Test
    void aBadQueryShowsPrometheussMessageUnderTheEditorWithACaret(FxRobot robot) {
        Eventually.await("the first saved query ran", Duration.ofSeconds(10), () -> !prom.calls.isEmpty());
        prom.fail = new QueryException("bad_data", "invalid parameter \"query\": 1:18: parse error: unexpected <by> in aggregation", 400);
        robot.interact(() -> {
            vm.expressionProperty().set("sum(rate(up[5m]) by (job");
            vm.run();
        });
        Label err = robot.lookup("#query-error").queryAs(Label.class);
        Eventually.await("error shown", Duration.ofSeconds(5), err::isVisible);
        assertTrue(err.getText().startsWith("Prometheus: invalid parameter \"query\": 1:18: parse error"), err.getText());
        assertTrue(err.getText().endsWith("\nsum(rate(up[5m]) by (job\n                 ^"), err.getText());
        assertEquals(17, robot.lookup("#promql-editor").queryAs(TextArea.class).getCaretPosition());
        assertEquals(2, vm.data().snapshot().series().size(), "the previous result stays");
    }
}
