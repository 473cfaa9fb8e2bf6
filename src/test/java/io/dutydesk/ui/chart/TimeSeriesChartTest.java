package io.dutydesk.ui.chart;

import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.ui.fx.Theme;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart on Monocle: zoom, pan, reset, legend, hover, writes from another thread, dark theme. */
@ExtendWith(ApplicationExtension.class)
class TimeSeriesChartTest {
    static final long T0 = 1_790_000_000_000L; // 2026-09-21
    static final long STEP = 15_000;
    static final int N = 240; // one hour

    ChartData data;
    TimeSeriesChart chart;
    Scene scene;

    @Start
    void start(Stage stage) {
        data = new ChartData();
        long[] t = new long[N];
        double[][] v = new double[3][N];
        for (int i = 0; i < N; i++) {
            t[i] = T0 + i * STEP;
            v[0][i] = 0.02 + 0.01 * Math.sin(i / 10.0);
            v[1][i] = 0.05 + 0.02 * Math.cos(i / 7.0);
            v[2][i] = i == 120 ? 0.3 : 0.01; // one spike
        }
        data.put(new SeriesSpec("qs", "question-selection", null, ValueUnit.RATIO), t.clone(), v[0], 2 * STEP);
        data.put(new SeriesSpec("sm", "session-management", null, ValueUnit.RATIO), t.clone(), v[1], 2 * STEP);
        data.put(new SeriesSpec("aw", "analysis-worker", null, ValueUnit.RATIO), t.clone(), v[2], 2 * STEP);
        data.setThresholds(List.of(new Threshold(0.1, "HighErrorRate > 10%", null)));
        data.setMarkers(List.of(new Marker(T0 + 30 * 60_000, "deploy v1.4.2", "ops@desk: deploy v1.4.2 → green, exit 0", null)));
        chart = new TimeSeriesChart(data);
        chart.setZone(ZoneId.of("Europe/Berlin"));
        chart.setHomeRange(new TimeRange(T0, T0 + (N - 1) * STEP));
        scene = new Scene(new StackPane(chart), 900, 440);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.sizeToScene(); // TestFX's stage is shared: a size another class gave it would place the pixels elsewhere
        stage.show();
    }

    static <T> T fx(java.util.concurrent.Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Point2D legendEntry(String id) {
        Point2D p = fx(() -> chart.legendEntryOnScreen(id));
        assertNotNull(p, "legend entry " + id);
        return p;
    }

    Point2D plotPoint(FxRobot robot, double fx, double fy) {
        double[] b = fx(() -> chart.plotBounds());
        return fx(() -> chart.localToScreen(b[0] + fx * b[2], b[1] + fy * b[3]));
    }

    void drawn() {
        WaitForAsyncUtils.waitForFxEvents();
        // at rest: the data's last version taken, no draw or layout to come (the legend's first layout redraws the plot)
        Eventually.await("the chart drew", Duration.ofSeconds(10), () -> fx(() -> chart.plotBounds()[2] > 1
                && chart.drawnDataVersion() == data.version() && !chart.drawPending()));
    }

    /** Whether a pixel near (x, y) of the chart's image has the colour {@code c}. */
    static boolean drawnNear(WritableImage img, double x, double y, Color c) {
        for (int dx = -2; dx <= 2; dx++) {
            for (int dy = -2; dy <= 2; dy++) {
                Color p = img.getPixelReader().getColor((int) Math.round(x) + dx, (int) Math.round(y) + dy);
                if (Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen()) + Math.abs(p.getBlue() - c.getBlue()) < 0.08) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void theSeriesArePaintedAndAHiddenOneIsGone(FxRobot robot) {
        drawn();
        long spikeT = T0 + 120 * STEP;
        double[] xy = fx(() -> {
            double[] b = chart.plotBounds();
            double[] axis = chart.valueAxis();
            return new double[] {chart.xOf(spikeT), b[1] + b[3] - (0.3 - axis[0]) / (axis[1] - axis[0]) * b[3]};
        });
        Color aw = fx(() -> chart.colorOf(data.snapshot().series("aw").spec()));
        assertTrue(drawnNear(fx(chart::toImage), xy[0], xy[1], aw), "the spike's top is painted in its series' colour");
        robot.interact(() -> chart.setSeriesVisible("aw", false));
        WaitForAsyncUtils.waitForFxEvents();
        double[] b = fx(chart::plotBounds);
        WritableImage img = fx(chart::toImage);
        for (double y = b[1] + 3; y < b[1] + b[3] - 3; y += 5) {
            assertFalse(drawnNear(img, xy[0], y, aw), "hidden: nowhere in the spike's column (y " + y + ")");
        }
        robot.interact(() -> chart.setSeriesVisible("aw", true));
    }

    @Test
    void aBufferOnScreenOrStillToBeRenderedIsNeverDrawnInto(FxRobot robot) {
        robot.interact(() -> {
            SeriesImages si = new SeriesImages();
            int[] a = si.begin(10, 10);
            si.show(0, 0, 10, 10);
            int[] b = si.begin(10, 10);
            assertTrue(a != b, "the buffer on screen is not handed out");
            si.show(0, 0, 10, 10);
            // pulses without a show (nothing dirty): nothing proves b's render is over, a is free only
            // once a later dirty sync completed
            for (int i = 0; i < 5; i++) {
                si.preLayout();
                si.postLayout();
            }
            int[] c = si.begin(10, 10);
            assertTrue(c != a && c != b, "no dirty sync after the shows: a new buffer");
            si.show(0, 0, 10, 10); // c on screen; this pulse syncs it (dirty) after waiting for b's render
            si.postLayout();
            si.preLayout();
            int[] d = si.begin(10, 10);
            assertTrue(d != c, "never the one on screen");
            assertTrue(d == a || d == b, "an old one is free again");
            assertTrue(si.buffers() <= 3);
        });
    }

    @Test
    void aThresholdFarAboveTheDataDoesNotFlattenIt() throws Exception {
        drawn();
        assertTrue(fx(chart::valueAxis)[1] >= 0.3, "the spike (0.3) and the threshold (0.1) are both on the axis");
        data.setThresholds(List.of(new Threshold(100, "warn 100", null), new Threshold(1000, "act 1000", null)));
        long v1 = data.version();
        Eventually.await("this change drawn", Duration.ofSeconds(10), () -> fx(chart::drawnDataVersion) >= v1);
        double max = fx(chart::valueAxis)[1];
        assertTrue(max < 1, "the axis follows the data (max 0.3), not the thresholds: " + max);
        data.setThresholds(List.of(new Threshold(0.5, "near", null)));
        long v2 = data.version();
        Eventually.await("this change drawn", Duration.ofSeconds(10), () -> fx(chart::drawnDataVersion) >= v2);
        assertTrue(fx(chart::valueAxis)[1] >= 0.5, "a threshold the data comes near is on the axis");
    }

    @Test
    void nanAndInfiniteSamplesAreSkippedAndDoNotFlattenTheAxis() {
        drawn();
        // a quantile in the +Inf bucket, a division by zero: the finite values still set the axis
        long[] t = new long[N];
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            t[i] = T0 + i * STEP;
            v[i] = i % 40 == 7 ? Double.POSITIVE_INFINITY : i % 40 == 19 ? Double.NEGATIVE_INFINITY : i % 40 == 29 ? Double.NaN
                    : 40 + 0.1 * i; // 40 .. 63.9
        }
        for (String id : List.of("qs", "sm", "aw")) {
            data.remove(id);
        }
        data.setThresholds(List.of());
        data.put(new SeriesSpec("p95", "p95 latency", null, ValueUnit.NONE), t, v, 2 * STEP);
        long ver = data.version();
        Eventually.await("this change drawn", Duration.ofSeconds(10), () -> fx(chart::drawnDataVersion) >= ver);
        double[] axis = fx(chart::valueAxis);
        assertTrue(axis[1] >= 63.9 && axis[1] < 100, "the axis reaches the largest finite value, not 0..1: " + axis[0] + ".." + axis[1]);
        assertTrue(axis[1] - axis[0] > 20, "not flattened: " + axis[0] + ".." + axis[1]);
        Color c = fx(() -> chart.colorOf(data.snapshot().series("p95").spec()));
        double[] xy = fx(() -> {
            double[] b = chart.plotBounds();
            double[] a = chart.valueAxis();
            return new double[] {chart.xOf(T0 + 100 * STEP), b[1] + b[3] - (50 - a[0]) / (a[1] - a[0]) * b[3]};
        });
        assertTrue(drawnNear(fx(chart::toImage), xy[0], xy[1], c), "the finite samples are drawn where they belong");
    }

    /** The trial: a deploy, its rollback and a restore minutes apart — only the first marker's label was drawn. */
    @Test
    void markersCloseInTimeAllKeepAReadableLabel() throws Exception {
        drawn();
        data.setMarkers(List.of(new Marker(T0 + 30 * 60_000, "deploy v1.4.2", "ops@desk: deploy v1.4.2 → green, exit 0", null),
                new Marker(T0 + 31 * 60_000, "rollback", "ops@desk: rollback → blue, exit 0", null),
                new Marker(T0 + 32 * 60_000, "restore selfology", "ops@desk: restore, exit 0", null)));
        long ver = data.version();
        Eventually.await("this change drawn", Duration.ofSeconds(10), () -> fx(chart::drawnDataVersion) >= ver);
        List<TimeSeriesChart.MarkerLabel> labels = fx(chart::markerLabels);
        assertEquals(List.of("deploy v1.4.2", "rollback", "restore selfology"), labels.stream().map(TimeSeriesChart.MarkerLabel::text).toList());
        double width = fx(chart::getWidth);
        for (TimeSeriesChart.MarkerLabel a : labels) {
            assertTrue(a.x() >= 0 && a.x() + a.width() <= width, a + " inside the chart");
            for (TimeSeriesChart.MarkerLabel b : labels) {
                assertTrue(a == b || !a.overlaps(b), a + " overlaps " + b);
            }
        }
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "chart-markers-close")).get();
    }

    /** The trial: a flat line (up == 1 for the whole range) got an axis of 0.9 .. 1.1 that made it look like a wobble. */
    @Test
    void aFlatLineGetsAnAxisFromZero() {
        drawn();
        for (String id : List.of("qs", "sm", "aw")) {
            data.remove(id);
        }
        data.setThresholds(List.of());
        for (double flat : new double[] {1, 1505, -3, 0}) {
            long[] t = new long[N];
            double[] v = new double[N];
            for (int i = 0; i < N; i++) {
                t[i] = T0 + i * STEP;
                v[i] = flat;
            }
            data.put(new SeriesSpec("up", "up", null, ValueUnit.NONE), t, v, 2 * STEP);
            long ver = data.version();
            Eventually.await("this change drawn", Duration.ofSeconds(10), () -> fx(chart::drawnDataVersion) >= ver);
            double[] axis = fx(chart::valueAxis);
            if (flat >= 0) {
                assertEquals(0, axis[0], "a flat " + flat + " reads from zero: " + axis[0] + ".." + axis[1]);
                assertTrue(axis[1] > flat && axis[1] <= Math.max(1, flat * 2), "with the line inside: " + axis[0] + ".." + axis[1]);
            } else {
                assertTrue(axis[0] < flat && axis[1] == 0, "a flat " + flat + " reads up to zero: " + axis[0] + ".." + axis[1]);
            }
        }
    }

    @Test
    void dragZoomsIntoTheSelectionAndDoubleClickResets(FxRobot robot) {
        drawn();
        TimeRange home = chart.getVisibleRange();
        robot.moveTo(plotPoint(robot, 0.25, 0.5)).press(MouseButton.PRIMARY).moveTo(plotPoint(robot, 0.5, 0.5))
                .moveTo(plotPoint(robot, 0.75, 0.5)).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        TimeRange z = chart.getVisibleRange();
        assertTrue(chart.isZoomed());
        assertTrue(z.spanMillis() < home.spanMillis() * 0.6 && z.spanMillis() > home.spanMillis() * 0.4, z + " vs " + home);
        assertTrue(z.fromMillis() > home.fromMillis() && z.toMillis() < home.toMillis());
        robot.moveTo(plotPoint(robot, 0.5, 0.5)).doubleClickOn(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(home, chart.getVisibleRange());
        assertFalse(chart.isZoomed());
    }

    @Test
    void dragWithShiftAndTheWheelPanKeepingTheSpan(FxRobot robot) {
        drawn();
        TimeRange home = chart.getVisibleRange();
        robot.moveTo(plotPoint(robot, 0.6, 0.5)).press(KeyCode.SHIFT).press(MouseButton.PRIMARY)
                .moveTo(plotPoint(robot, 0.5, 0.5)).moveTo(plotPoint(robot, 0.4, 0.5)).release(MouseButton.PRIMARY).release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        TimeRange panned = chart.getVisibleRange();
        assertEquals(home.spanMillis(), panned.spanMillis());
        assertTrue(panned.fromMillis() > home.fromMillis() + home.spanMillis() / 10, "dragged left: later data comes in " + panned);
        robot.moveTo(plotPoint(robot, 0.5, 0.5)).scroll(2, javafx.geometry.VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();
        TimeRange scrolled = chart.getVisibleRange();
        assertEquals(home.spanMillis(), scrolled.spanMillis());
        assertTrue(scrolled.fromMillis() != panned.fromMillis(), "the wheel pans");
    }

    @Test
    void legendClickHidesASeriesAndCtrlClickIsolatesIt(FxRobot robot) {
        drawn();
        long before = fx(chart::plotRedraws);
        robot.clickOn(legendEntry("sm"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Set.of("sm"), chart.hiddenSeries());
        List<TimeSeriesChart.HoverValue> vals = fx(() -> chart.valuesAt(T0 + 60 * STEP));
        assertEquals(List.of("qs", "aw"), vals.stream().map(TimeSeriesChart.HoverValue::id).toList());
        assertTrue(fx(chart::plotRedraws) > before, "hiding redraws the plot");
        assertEquals(List.of("qs", "sm", "aw"), fx(chart::legendIds), "a hidden series stays in the legend");
        robot.clickOn(legendEntry("sm"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(chart.hiddenSeries().isEmpty());
        robot.press(KeyCode.CONTROL).clickOn(legendEntry("aw"))
                .release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Set.of("qs", "sm"), chart.hiddenSeries());
        robot.press(KeyCode.CONTROL).clickOn(legendEntry("aw"))
                .release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(chart.hiddenSeries().isEmpty(), "Ctrl+click on the only one shown shows all again");
    }

    @Test
    void hoverShowsEveryVisibleSeriesValueAtThatTimeWithoutRedrawingThePlot(FxRobot robot) throws Exception {
        drawn();
        long before = fx(chart::plotRedraws);
        robot.moveTo(plotPoint(robot, 0.5, 0.5));
        robot.moveTo(plotPoint(robot, 0.5, 0.4));
        WaitForAsyncUtils.waitForFxEvents();
        Eventually.await("hover box", Duration.ofSeconds(5), () -> robot.lookup(".chart-hover").query().isVisible());
        List<String> texts = robot.lookup(".chart-hover .label").queryAllAs(Label.class).stream().map(Label::getText).toList();
        assertTrue(texts.contains("question-selection"), texts.toString());
        assertTrue(texts.contains("session-management"), texts.toString());
        assertTrue(texts.contains("analysis-worker"), texts.toString());
        assertTrue(texts.get(0).matches("2026-09-2\\d \\d\\d:\\d\\d:\\d\\d CEST"), texts.get(0));
        assertTrue(texts.stream().anyMatch(s -> s.matches("\\d+\\.\\d+%")), "values in percent: " + texts);
        assertEquals(before, (long) fx(chart::plotRedraws), "hover redraws only the overlay");
        // on the marker: its detail
        Point2D marker = fx(() -> chart.localToScreen(chart.xOf(T0 + 30 * 60_000), chart.plotBounds()[1] + 50));
        robot.moveTo(marker);
        WaitForAsyncUtils.waitForFxEvents();
        Eventually.await("marker detail", Duration.ofSeconds(5), () -> robot.lookup(".chart-hover .label").queryAllAs(Label.class)
                .stream().anyMatch(l -> l.getText().contains("ops@desk: deploy v1.4.2 → green, exit 0")));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "chart-light-hover")).get();
    }

    @Test
    void writesFromAnotherThreadAreDrawnOnTheNextPulsesNotOnePerWrite() throws Exception {
        drawn();
        long before = fx(chart::plotRedraws);
        data.define(SeriesSpec.of("live", ValueUnit.SI), 500, 0);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 2000; i++) {
                data.append("live", T0 + i * 1000L, i % 97);
            }
        });
        writer.start();
        writer.join();
        long last = data.version();
        Eventually.await("the last write is drawn", Duration.ofSeconds(10), () -> fx(
                () -> chart.drawnDataVersion() == last && chart.plotRedraws() > before));
        assertTrue(fx(() -> chart.valuesAt(T0 + 1999 * 1000L).stream().anyMatch(v -> v.id().equals("live"))));
        long redraws = fx(chart::plotRedraws) - before;
        assertTrue(redraws >= 1 && redraws < 200, "2000 writes, " + redraws + " redraws");
        ChartData.SeriesView live = data.snapshot().series("live");
        assertTrue(live.size() >= 500 && live.size() <= 1000, "kept the last points only: " + live.size());
        assertEquals(1999 % 97, live.v()[live.size() - 1]);
    }

    @Test
    void darkThemeIsLegibleAndExportsWork(FxRobot robot) throws Exception {
        drawn();
        robot.interact(() -> Theme.apply(scene, true));
        Eventually.await("dark", Duration.ofSeconds(5), () -> fx(() -> chart.darkProperty().get()));
        WaitForAsyncUtils.waitForFxEvents();
        AtomicReference<WritableImage> img = new AtomicReference<>();
        robot.interact(() -> img.set(chart.toImage()));
        double[] b = fx(() -> chart.plotBounds());
        Color bg = img.get().getPixelReader().getColor((int) (b[0] + 5), (int) (b[1] + b[3] - 3));
        assertTrue(bg.getBrightness() < 0.15, "dark plot background: " + bg);
        // the tick labels are light on dark: some pixel left of the plot is bright
        boolean brightText = false;
        for (int y = (int) b[1]; y < b[1] + b[3] && !brightText; y++) {
            for (int x = 0; x < b[0] - 4; x++) {
                if (img.get().getPixelReader().getColor(x, y).getBrightness() > 0.55) {
                    brightText = true;
                    break;
                }
            }
        }
        assertTrue(brightText, "axis labels visible on the dark background");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "chart-dark")).get();
        byte[] png = ChartExport.png(img.get());
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(png.length > 1000);
        String csv = ChartExport.csv(data.snapshot(), chart.hiddenSeries(), chart.getVisibleRange(), ZoneId.of("UTC"));
        String[] lines = csv.split("\n");
        assertEquals("time,epoch_ms,question-selection (ratio),session-management (ratio),analysis-worker (ratio)", lines[0]);
        assertEquals(N + 1, lines.length);
        assertTrue(lines[121].endsWith(",0.3"), lines[121]);
        robot.interact(() -> Theme.apply(scene, false));
    }
}
