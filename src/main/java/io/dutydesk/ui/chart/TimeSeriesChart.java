package io.dutydesk.ui.chart;

import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.VPos;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The project's one time-series chart: a {@link Canvas} that decimates per pixel column (min/max, so
 * no spike is lost) and draws on the next pulse after a change — never {@code LineChart}.
 *
 * <h2>API</h2>
 * <pre>{@code
 * ChartData data = new ChartData();                 // every method: any thread
 * data.put(new SeriesSpec("5xx", "error rate", null, ValueUnit.RATIO), times, values, gapMillis);
 * data.define(SeriesSpec.of("pending", ValueUnit.SI), 10_000, 0);   // then, live:
 * data.append("pending", System.currentTimeMillis(), 12);
 * data.setThresholds(List.of(new Threshold(1000, "act (> 1000)", null)));
 * data.setMarkers(List.of(new Marker(t, "rollback", "ops@desk: rollback, exit 0", null)));
 *
 * TimeSeriesChart chart = new TimeSeriesChart(data); // a Region: put it in any layout (FX thread)
 * chart.setHomeRange(TimeRange.last(Duration.ofHours(1), Instant.now())); // null: the data's extent
 * chart.visibleRangeProperty().addListener(...);     // zoom/pan by the user: re-query at a finer step
 * chart.setZone(ZoneId.of("Europe/Berlin"));         // default: the system zone
 * chart.setPlaceholder("No data");                   // shown when there is no series
 * chart.setSeriesVisible(id, false); chart.isolate(id); chart.showAll();
 * chart.zoomTo(range); chart.pan(ms); chart.resetZoom();
 * chart.valuesAt(millis);                            // what the hover box shows
 * chart.toImage() / ChartExport.png(image) / ChartExport.csv(snapshot, hidden, range, zone)
 * }</pre>
 *
 * <ul>
 *   <li><b>Threads</b>: {@link ChartData} is written from any thread; a write asks for a pulse
 *   ({@link Platform#requestNextPulse()}) and the chart redraws once on it, whatever the number of
 *   writes. The chart itself (properties, methods) is used on the FX thread.</li>
 *   <li><b>Redraws</b>: two canvases — the plot (axes, grid, thresholds, series, markers) is redrawn
 *   only when data, size, range, visibility or theme change; the overlay (crosshair, hover dots,
 *   zoom selection) on pointer moves. {@link #plotRedraws()} counts the former.</li>
 *   <li><b>Mouse</b>: drag selects a span to zoom into; Shift+drag, right or middle drag pans; the
 *   wheel pans (Ctrl+wheel zooms around the pointer); double-click resets to the home range. Hover
 *   shows a crosshair with every visible series' value at that time (and a marker's detail).</li>
 *   <li><b>Legend</b> (below the plot): click shows/hides a series, Ctrl+click (or Alt+click) shows only it
 *   and, on the only one shown, all again; context menu: show only this / show all.</li>
 *   <li><b>Axes</b>: time ticks in {@link #zoneProperty()} on wall-clock boundaries, DST-aware
 *   ({@link TimeTicks}); value ticks formatted in the first visible series' {@link ValueUnit}
 *   (bytes, seconds, percent, SI). The value range fits the visible data and the thresholds.</li>
 *   <li><b>Theme</b>: follows the scene root's {@code :dark} pseudo-class (set by the app's theme
 *   switch) unless {@link #followThemeProperty()} is false; then {@link #darkProperty()} decides.</li>
 *   <li><b>Colours</b>: a series' own colour, else a palette colour stable per series id.</li>
 * </ul>
 * Style classes: {@code time-series-chart}, {@code chart-legend} (drawn on one canvas: hidden series dimmed and
 * struck through), {@code chart-hover}.
 */
public class TimeSeriesChart extends Region {
    /** One series' value at the hover time. */
    public record HoverValue(String id, String name, Color color, long timeMillis, double value, ValueUnit unit) {
        public String formatted() {
            return unit.format(value);
        }
    }

    private static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");
    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"};
    private static final Font TICK_FONT = Font.font("System", 11);
    private static final Font MARKER_FONT = Font.font("System", FontWeight.BOLD, 11.5);
    private static final int MAX_HOVER_ROWS = 12;

    private final ChartData data;
    private final Canvas plot = new Canvas(1, 1);
    private final Canvas overlay = new Canvas(1, 1);
    private final SeriesImages seriesImages = new SeriesImages();
    private final Pane plotArea = new Pane(plot, seriesImages.view(), overlay);
    private final ChartLegend legend = new ChartLegend(new ChartLegend.Actions() {
        @Override
        public void toggle(String id) {
            setSeriesVisible(id, hidden.contains(id));
        }

        @Override
        public void isolateOrShowAll(String id) {
            boolean alreadyAlone = hidden.size() == snap.series().size() - 1 && !hidden.contains(id);
            if (alreadyAlone) {
                showAll();
            } else {
                isolate(id);
            }
        }

        @Override
        public void isolate(String id) {
            TimeSeriesChart.this.isolate(id);
        }

        @Override
        public void showAll() {
            TimeSeriesChart.this.showAll();
        }
    });
    private final VBox hoverBox = new VBox(2);
    private final TextWidths widths = new TextWidths();

    private final ObjectProperty<ZoneId> zone = new SimpleObjectProperty<>(this, "zone", ZoneId.systemDefault());
    private final ObjectProperty<TimeRange> homeRange = new SimpleObjectProperty<>(this, "homeRange");
    private final ReadOnlyObjectWrapper<TimeRange> visibleRange = new ReadOnlyObjectWrapper<>(this, "visibleRange");
    private final javafx.beans.property.ReadOnlyBooleanWrapper adjusting = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "adjusting");
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", false);
    private final BooleanProperty followTheme = new SimpleBooleanProperty(this, "followTheme", true);
    private final StringProperty placeholder = new SimpleStringProperty(this, "placeholder", "No data");

    private final Set<String> hidden = new LinkedHashSet<>();
    private final Map<String, Color> assigned = new HashMap<>();
    private final SeriesPainter painter = new SeriesPainter();
    private final Runnable dataListener = this::dataChanged;
    private final Runnable pulseListener = () -> {
        seriesImages.preLayout();
        pulse();
    };
    private final Runnable postLayoutListener = () -> seriesImages.postLayout();

    private volatile boolean dataDirty = true;
    private boolean legendDirty = true;
    private boolean plotDirty = true;
    private boolean overlayDirty = true;
    private ChartData.Snapshot snap;
    private List<String> legendKey = List.of();
    private TimeRange zoomed;
    private long plotRedraws;

    // geometry of the last plot redraw
    private double px0;
    private double py0;
    private double pw;
    private double ph;
    private double yMin;
    private double yMax;
    private TimeRange drawnRange;
    private ValueUnit drawnUnit = ValueUnit.NONE;
    private double drawnScale = 1;

    // pointer state
    private double hoverX = -1;
    private double pressX;
    private boolean panning;
    private boolean selecting;
    private double selectX = -1;
    private TimeRange pressRange;

    public TimeSeriesChart(ChartData data) {
        this.data = data;
        getStyleClass().add("time-series-chart");
        hoverBox.getStyleClass().add("chart-hover");
        hoverBox.setManaged(false);
        hoverBox.setVisible(false);
        hoverBox.setMouseTransparent(true);
        plotArea.getChildren().add(hoverBox);
        plotArea.getStyleClass().add("chart-plot-area");
        overlay.setMouseTransparent(true);
        getChildren().addAll(plotArea, legend);

        sceneProperty().addListener((o, old, now) -> {
            if (old != null) {
                old.removePreLayoutPulseListener(pulseListener);
                old.removePostLayoutPulseListener(postLayoutListener);
                data.removeListener(dataListener); // a chart out of every scene is not kept alive by its data
            }
            if (now != null) {
                now.addPreLayoutPulseListener(pulseListener);
                now.addPostLayoutPulseListener(postLayoutListener);
                data.addListener(dataListener);
                dataDirty = true; // written while away
                markPlotDirty();
            }
        });
        zone.addListener(o -> markPlotDirty());
        // an opaque background makes the chart the render root of its area: whatever lies behind it
        // is not painted on each frame (the stylesheet's colour, when there is one, takes precedence)
        setBackground(opaque(false));
        dark.addListener(o -> {
            legendDirty = true;
            setBackground(opaque(dark.get()));
            markPlotDirty();
        });
        homeRange.addListener(o -> {
            zoomed = null;
            updateVisibleRange();
            markPlotDirty();
        });
        placeholder.addListener(o -> markPlotDirty());
        installMouse();
    }

    // ------------------------------------------------------------------ public API (FX thread)

    public ChartData data() {
        return data;
    }

    public ObjectProperty<ZoneId> zoneProperty() {
        return zone;
    }

    public void setZone(ZoneId z) {
        zone.set(z);
    }

    /** The range shown when not zoomed (double-click returns to it); {@code null}: the data's extent. */
    public ObjectProperty<TimeRange> homeRangeProperty() {
        return homeRange;
    }

    public void setHomeRange(TimeRange r) {
        homeRange.set(r);
    }

    /** The range on screen: the zoomed range, else the home range, else the data's extent ({@code null}: no data). */
    public ReadOnlyObjectProperty<TimeRange> visibleRangeProperty() {
        return visibleRange.getReadOnlyProperty();
    }

    public TimeRange getVisibleRange() {
        return visibleRange.get();
    }

    public boolean isZoomed() {
        return zoomed != null;
    }

    /**
     * True between a press and its release on the plot (a pan drag changes the range on every mouse
     * event; a selection zooms on release). Its turning false ends the gesture: the final range is the
     * visible one.
     */
    public javafx.beans.property.ReadOnlyBooleanProperty adjustingProperty() {
        return adjusting.getReadOnlyProperty();
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public BooleanProperty followThemeProperty() {
        return followTheme;
    }

    public StringProperty placeholderProperty() {
        return placeholder;
    }

    public void setPlaceholder(String text) {
        placeholder.set(text);
    }

    public void zoomTo(TimeRange r) {
        zoomed = r;
        updateVisibleRange();
        markPlotDirty();
    }

    /** Moves the visible range by {@code deltaMillis} (positive: later). */
    public void pan(long deltaMillis) {
        TimeRange r = visibleRange.get();
        if (r != null) {
            zoomTo(r.shift(deltaMillis));
        }
    }

    public void resetZoom() {
        zoomed = null;
        updateVisibleRange();
        markPlotDirty();
    }

    public void setSeriesVisible(String id, boolean visible) {
        if (visible ? hidden.remove(id) : hidden.add(id)) {
            legendDirty = true;
            markPlotDirty();
        }
    }

    public boolean isSeriesVisible(String id) {
        return !hidden.contains(id);
    }

    /** Shows only {@code id}. */
    public void isolate(String id) {
        hidden.clear();
        for (ChartData.SeriesView s : data.snapshot().series()) {
            if (!s.spec().id().equals(id)) {
                hidden.add(s.spec().id());
            }
        }
        legendDirty = true;
        markPlotDirty();
    }

    public void showAll() {
        hidden.clear();
        legendDirty = true;
        markPlotDirty();
    }

    public Set<String> hiddenSeries() {
        return Collections.unmodifiableSet(hidden);
    }

    /** The colour a series is drawn in. */
    public Color colorOf(SeriesSpec spec) {
        Color c = spec.color() != null ? spec.color()
                : assigned.computeIfAbsent(spec.id(), k -> paletteColor(assigned.size()));
        return adapt(c);
    }

    /** The palette, then hues a golden angle apart (36 series do not share a handful of colours). */
    static Color paletteColor(int i) {
        if (i < PALETTE.length) {
            return Color.web(PALETTE[i]);
        }
        int j = i - PALETTE.length;
        return Color.hsb((j * 137.508) % 360, 0.62 + 0.2 * (j % 2), 0.78 - 0.12 * (j / 7 % 2));
    }

    /** A colour made legible on the dark background (lighter, a little less saturated). */
    private Color adapt(Color c) {
        return dark.get() ? Color.hsb(c.getHue(), c.getSaturation() * 0.85, Math.min(1, c.getBrightness() * 1.25 + 0.1)) : c;
    }

    /** Each visible series' nearest value at {@code t} (within its gap or 4 pixels), highest first. */
    public List<HoverValue> valuesAt(long t) {
        ChartData.Snapshot s = data.snapshot();
        TimeRange r = visibleRange.get();
        long tolerance = r == null || pw <= 0 ? 0 : (long) (4 * r.spanMillis() / pw);
        List<HoverValue> out = new ArrayList<>();
        for (ChartData.SeriesView sv : s.series()) {
            if (hidden.contains(sv.spec().id()) || sv.size() == 0) {
                continue;
            }
            int i = Decimator.lowerBound(sv.t(), sv.size(), t);
            int best = -1;
            if (i < sv.size()) {
                best = i;
            }
            if (i > 0 && (best < 0 || t - sv.t()[i - 1] < sv.t()[best] - t)) {
                best = i - 1;
            }
            if (best < 0) {
                continue;
            }
            long dt = Math.abs(sv.t()[best] - t);
            if (dt > Math.max(tolerance, sv.gapMillis()) || Double.isNaN(sv.v()[best])) {
                continue;
            }
            out.add(new HoverValue(sv.spec().id(), sv.spec().name(), colorOf(sv.spec()), sv.t()[best], sv.v()[best], sv.spec().unit()));
        }
        out.sort((a, b) -> Double.compare(b.value(), a.value()));
        return out;
    }

    /** How many times the plot layer was redrawn (the overlay is not counted). */
    public long plotRedraws() {
        return plotRedraws;
    }

    /** The data set version the chart last took (it draws it on the same pulse). */
    public long drawnDataVersion() {
        return snap == null ? -1 : snap.version();
    }

    /** The time at x pixels from the chart's left edge (for tests and tools), or -1. */
    public long timeAtX(double x) {
        TimeRange r = visibleRange.get();
        if (r == null || pw <= 0) {
            return -1;
        }
        return r.fromMillis() + Math.round((x - px0) / pw * r.spanMillis());
    }

    /** The x (chart coordinates) of {@code t} in the last drawn frame. */
    public double xOf(long t) {
        TimeRange r = drawnRange;
        return r == null ? Double.NaN : px0 + (t - r.fromMillis()) * pw / r.spanMillis();
    }

    /** The plot rectangle of the last frame: x, y, width, height in chart coordinates. */
    public double[] plotBounds() {
        return new double[] {px0, py0, pw, ph};
    }

    /** Rows of marker labels: the top band, then two over the plot; a label with no room on any is in the hover box only. */
    private static final int MARKER_ROWS = 3;

    /** A marker's label as drawn: its text and its box (background) on the chart. */
    public record MarkerLabel(String text, double x, double y, double width, double height) {
        boolean overlaps(MarkerLabel o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }
    }

    private List<MarkerLabel> markerLabels = List.of();

    /** The marker labels of the last frame (FX thread). */
    public List<MarkerLabel> markerLabels() {
        return List.copyOf(markerLabels);
    }

    /** The value axis of the last frame: {min, max}. */
    public double[] valueAxis() {
        return new double[] {yMin, yMax};
    }

    /** The chart as an image (FX thread); encode it with {@link ChartExport#png} off the FX thread. */
    public WritableImage toImage() {
        javafx.scene.SnapshotParameters p = new javafx.scene.SnapshotParameters();
        p.setTransform(javafx.scene.transform.Transform.scale(drawnScale, drawnScale)); // every device pixel, no line lost
        return snapshot(p, null);
    }

    /** Draws now if anything is pending (tests and benchmarks; the pulse does it otherwise). */
    public void redrawNow() {
        pulse();
    }

    // ------------------------------------------------------------------ pulse and drawing

    private void dataChanged() {
        dataDirty = true;
        Platform.requestNextPulse();
    }

    private void markPlotDirty() {
        plotDirty = true;
        overlayDirty = true;
        if (getScene() != null) {
            Platform.requestNextPulse();
        }
    }

    private void markOverlayDirty() {
        overlayDirty = true;
        Platform.requestNextPulse();
    }

    private double renderScale() {
        return getScene() != null && getScene().getWindow() != null ? Math.max(1, getScene().getWindow().getRenderScaleX()) : 1;
    }

    private void pulse() {
        if (renderScale() != drawnScale) {
            plotDirty = true; // moved to a screen of another scale: the series' buffer is drawn again at it
        }
        if (followTheme.get()) {
            Scene sc = getScene();
            boolean d = sc != null && sc.getRoot() != null && sc.getRoot().getPseudoClassStates().contains(DARK);
            if (d != dark.get()) {
                dark.set(d);
            }
        }
        if (dataDirty) {
            dataDirty = false;
            snap = data.snapshot();
            plotDirty = true;
            overlayDirty = true;
            updateVisibleRange();
            legendDirty = true;
        }
        if (snap == null) {
            snap = data.snapshot();
        }
        if (legendDirty) {
            legendDirty = false;
            updateLegend();
        }
        if (plotDirty && plot.getWidth() > 1 && plot.getHeight() > 1) {
            plotDirty = false;
            drawPlot();
        }
        if (overlayDirty && overlay.getWidth() > 1) {
            overlayDirty = false;
            drawOverlay();
        }
    }

    private void updateVisibleRange() {
        TimeRange r = zoomed != null ? zoomed : homeRange.get();
        if (r == null) {
            ChartData.Snapshot s = snap != null ? snap : data.snapshot();
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (ChartData.SeriesView sv : s.series()) {
                if (sv.size() > 0) {
                    lo = Math.min(lo, sv.firstTime());
                    hi = Math.max(hi, sv.lastTime());
                }
            }
            if (lo != Long.MAX_VALUE) {
                r = hi > lo ? new TimeRange(lo, hi) : new TimeRange(lo - 30_000, hi + 30_000);
            }
        }
        if (!java.util.Objects.equals(r, visibleRange.get())) {
            visibleRange.set(r);
        }
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        Insets in = getInsets();
        double lw = w - in.getLeft() - in.getRight();
        double legendH = legend.isEmpty() ? 0 : Math.min(legend.prefHeight(lw), Math.max(30, h * 0.3));
        double plotH = Math.max(0, h - in.getTop() - in.getBottom() - legendH);
        plotArea.resizeRelocate(in.getLeft(), in.getTop(), lw, plotH);
        legend.resizeRelocate(in.getLeft(), in.getTop() + plotH, lw, legendH);
        legend.setVisible(legendH > 0);
        if (plot.getWidth() != Math.floor(lw) || plot.getHeight() != Math.floor(plotH)) {
            plot.setWidth(Math.max(1, Math.floor(lw)));
            plot.setHeight(Math.max(1, Math.floor(plotH)));
            overlay.setWidth(plot.getWidth());
            overlay.setHeight(plot.getHeight());
            plotDirty = true;
            overlayDirty = true;
            pulse(); // the layout pass runs inside the pulse: draw in this frame
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return 640;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 320;
    }

    @Override
    protected double computeMinHeight(double width) {
        return 120;
    }

    @Override
    protected double computeMinWidth(double height) {
        return 200;
    }

    private static int rgbOf(Color color) {
        return ((int) Math.round(color.getRed() * 255) << 16) | ((int) Math.round(color.getGreen() * 255) << 8)
                | (int) Math.round(color.getBlue() * 255);
    }

    private static javafx.scene.layout.Background opaque(boolean darkTheme) {
        Color bg = darkTheme ? Colors.DARK.bg() : Colors.LIGHT.bg();
        return new javafx.scene.layout.Background(new javafx.scene.layout.BackgroundFill(bg, null, null));
    }

    private Colors colors() {
        return dark.get() ? Colors.DARK : Colors.LIGHT;
    }

    private record Colors(Color bg, Color grid, Color axis, Color text, Color crosshair, Color selection, Color labelBg) {
        static final Colors LIGHT = new Colors(Color.web("#ffffff"), Color.web("#eaeef2"), Color.web("#d0d7de"),
                Color.web("#57606a"), Color.web("#6e7781"), Color.web("#0969da", 0.15), Color.web("#ffffff", 0.85));
        static final Colors DARK = new Colors(Color.web("#0d1117"), Color.web("#21262d"), Color.web("#30363d"),
                Color.web("#9ea7b3"), Color.web("#8b949e"), Color.web("#388bfd", 0.22), Color.web("#0d1117", 0.85));
    }

    private double textWidth(String s, Font f) {
        return widths.of(s, f);
    }

    private void drawPlot() {
        plotRedraws++;
        ChartData.Snapshot s = snap;
        GraphicsContext g = plot.getGraphicsContext2D();
        double w = plot.getWidth();
        double h = plot.getHeight();
        Colors c = colors();
        g.setFill(c.bg());
        g.fillRect(0, 0, w, h);
        TimeRange r = visibleRange.get();
        drawnRange = r;
        boolean any = false;
        for (ChartData.SeriesView sv : s.series()) {
            any |= sv.size() > 0;
        }
        if (r == null || !any) {
            pw = 0;
            seriesImages.hide();
            painter.clear(); // no series: forget the columns of the old ones
            drawnUnit = ValueUnit.NONE;
            g.setFill(c.text());
            g.setFont(Font.font("System", 13));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(placeholder.get() == null ? "" : placeholder.get(), w / 2, h / 2);
            return;
        }
        long from = r.fromMillis();
        long to = r.toMillis();

        // 1. the value range of the visible series inside the span, and the thresholds
        ValueUnit unit = null;
        List<ChartData.SeriesView> shown = new ArrayList<>();
        for (ChartData.SeriesView sv : s.series()) {
            if (!hidden.contains(sv.spec().id()) && sv.size() > 0) {
                shown.add(sv);
            }
        }
        double[] range = painter.valueRange(shown, from, to);
        double lo = range[0];
        double hi = range[1];
        for (ChartData.SeriesView sv : s.series()) {
            if (!hidden.contains(sv.spec().id()) && sv.size() > 0) {
                unit = sv.spec().unit();
                break;
            }
        }
        // a threshold widens the axis only when the data comes near it: a backlog of 5 is not a flat line
        // under a warn line at 100 (a threshold off the axis is named at the plot's edge instead)
        double reach = 2 * Math.max(Math.abs(lo), Math.abs(hi));
        for (Threshold t : s.thresholds()) {
            if (Double.isInfinite(lo) || Math.abs(t.value()) <= reach) {
                lo = Math.min(lo, t.value());
                hi = Math.max(hi, t.value());
            }
        }
        if (unit == null) {
            unit = ValueUnit.NONE;
        }
        if (lo == Double.POSITIVE_INFINITY || Double.isInfinite(hi) || Double.isInfinite(lo)) {
            lo = 0;
            hi = 1;
        }
        boolean flatNegative = hi < 0 && lo == hi;
        if (lo >= 0 && (lo <= hi * 0.5 || lo == hi)) {
            lo = 0; // rates and counts read from zero; so does a flat line (up == 1 is not "0.9 .. 1.1")
        } else if (flatNegative) {
            hi = 0; // a flat negative line: up to zero, with room below it
            lo *= 1.05;
        }
        if (hi > lo && !flatNegative) {
            hi += (hi - lo) * 0.05;
        }
        double top = s.markers().isEmpty() ? 10 : 22;
        double bottom = 22;
        int maxTicks = (int) Math.max(2, Math.min(10, (h - top - bottom) / 36));
        ValueTicks.Axis axis = ValueTicks.axis(lo, hi, maxTicks, unit);
        double scaleRef = Math.max(Math.abs(axis.min()), Math.abs(axis.max()));
        String[] labels = new String[axis.count()];
        double labelW = 0;
        for (int i = 0; i < labels.length; i++) {
            labels[i] = unit.format(axis.tick(i), scaleRef, axis.step());
            labelW = Math.max(labelW, textWidth(labels[i], TICK_FONT));
        }
        px0 = Math.ceil(labelW + 12);
        py0 = top;
        pw = Math.max(1, w - px0 - 12);
        ph = Math.max(1, h - top - bottom);
        yMin = axis.min();
        yMax = axis.max();

        // 2. grid and axes: lines as 1-pixel rectangles (no antialiased strokes), under the series' image
        int width = (int) Math.round(pw);
        int height = (int) Math.round(ph);
        g.setFont(TICK_FONT);
        g.setFill(c.text());
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < labels.length; i++) {
            double y = Math.round(yToPx(axis.tick(i)));
            g.setFill(c.grid());
            g.fillRect(px0, y, pw, 1);
            g.setFill(c.text());
            g.fillText(labels[i], px0 - 6, y + 0.5);
        }
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, to, pw, 90, zone.get());
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        for (TimeTicks.Tick t : ticks) {
            double x = Math.round(px0 + (t.millis() - from) * pw / (to - from));
            g.setFill(t.major() ? c.axis() : c.grid());
            g.fillRect(x, py0, 1, ph);
            g.setFill(c.text());
            double tw = textWidth(t.label(), TICK_FONT);
            double lx = Math.max(tw / 2 + 2, Math.min(w - tw / 2 - 2, x + 0.5));
            g.fillText(t.label(), lx, py0 + ph + 5);
        }
        g.setFill(c.axis()); // the axes as 1-pixel rectangles: no antialiased stroke
        g.fillRect(px0 - 1, py0, 1, ph + 1);
        g.fillRect(px0 - 1, py0 + height, pw + 1, 1);

        // 3. series: drawn from their columns into one pixel buffer (device pixels), shown above this canvas
        double scale = renderScale();
        drawnScale = scale;
        int devW = (int) Math.round(width * scale);
        int devH = (int) Math.round(height * scale);
        painter.decimate(shown, from, to, devW);
        int[] rgb = new int[shown.size()];
        for (int k = 0; k < rgb.length; k++) {
            Color color = colorOf(shown.get(k).spec());
            rgb[k] = rgbOf(color);
        }
        painter.paint(devW, devH, yMin, yMax, rgb, seriesImages.begin(devW, devH));
        seriesImages.show(px0, py0, width, height);
        drawnUnit = unit;
    }

    /** Thresholds and markers, on the overlay: above the series. Returns whether it drew anything. */
    private boolean drawAnnotations(GraphicsContext g, Colors c, ChartData.Snapshot s, TimeRange r, ValueUnit unit) {
        double w = overlay.getWidth();
        long from = r.fromMillis();
        long to = r.toMillis();
        boolean any = false;

        // 4. thresholds
        g.setLineWidth(1.25);
        double[] offAxisRight = {px0 + pw - 5, px0 + pw - 5}; // above, below: each edge its own row of names
        for (Threshold t : s.thresholds()) {
            any = true;
            double y = Math.round(yToPx(t.value())) + 0.5;
            if (y < py0 || y > py0 + ph) { // off the axis: its name and an arrow at the edge it lies beyond
                boolean above = y < py0;
                String label = (t.label().isEmpty() ? unit.format(t.value()) : t.label()) + (above ? " ↑" : " ↓");
                double tw = textWidth(label, MARKER_FONT);
                g.setFont(MARKER_FONT);
                g.setTextAlign(TextAlignment.RIGHT);
                g.setTextBaseline(VPos.TOP);
                double ly = above ? py0 + 2 : py0 + ph - 16;
                g.setFill(c.labelBg());
                int edge = above ? 0 : 1;
                g.fillRect(offAxisRight[edge] - tw - 3, ly - 1, tw + 6, 15);
                g.setFill(adapt(t.color()));
                g.fillText(label, offAxisRight[edge], ly);
                offAxisRight[edge] -= tw + 14;
                continue;
            }
            g.setStroke(adapt(t.color()));
            g.setLineDashes(6, 4);
            g.strokeLine(px0, y, px0 + pw, y);
            if (!t.label().isEmpty()) {
                g.setLineDashes((double[]) null);
                g.setFont(MARKER_FONT);
                g.setTextAlign(TextAlignment.RIGHT);
                g.setTextBaseline(VPos.BOTTOM);
                double tw = textWidth(t.label(), MARKER_FONT);
                g.setFill(c.labelBg());
                g.fillRect(px0 + pw - tw - 8, y - 15, tw + 6, 14);
                g.setFill(adapt(t.color()));
                g.fillText(t.label(), px0 + pw - 5, y - 2);
            }
        }
        g.setLineDashes((double[]) null);

        // 5. markers: a line and a label at the top; a label that would overlap one before it goes on the next row down
        // (over the plot, on its own background), so that markers close in time (a deploy, its rollback) are all read
        g.setFont(MARKER_FONT);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        double[] rowEnd = new double[MARKER_ROWS];
        java.util.Arrays.fill(rowEnd, Double.NEGATIVE_INFINITY);
        List<double[]> boxes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Marker m : s.markers()) {
            if (!r.contains(m.timeMillis())) {
                continue;
            }
            any = true;
            double x = Math.round(px0 + (m.timeMillis() - from) * pw / (to - from)) + 0.5;
            g.setStroke(adapt(m.color()));
            g.setLineWidth(1.5);
            g.setLineDashes(3, 3);
            g.strokeLine(x, py0 - 4, x, py0 + ph);
            g.setLineDashes((double[]) null);
            String label = m.label();
            double tw = textWidth(label, MARKER_FONT);
            double lx = Math.max(2, Math.min(x + 3, w - tw - 4));
            for (int row = 0; row < MARKER_ROWS; row++) {
                if (lx > rowEnd[row] + 6) {
                    double y = row == 0 ? 2 : py0 + 2 + (row - 1) * 17;
                    g.setFill(c.labelBg());
                    g.fillRect(lx - 3, y, tw + 6, 16);
                    g.setFill(adapt(m.color()));
                    g.fillText(label, lx, y + 1.5);
                    rowEnd[row] = lx + tw;
                    boxes.add(new double[] {lx - 3, y, tw + 6, 16});
                    texts.add(label);
                    break;
                }
            }
        }
        markerLabels = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            markerLabels.add(new MarkerLabel(texts.get(i), boxes.get(i)[0], boxes.get(i)[1], boxes.get(i)[2], boxes.get(i)[3]));
        }
        return any;
    }

    private double yToPx(double v) {
        return py0 + ph - (v - yMin) / (yMax - yMin) * ph;
    }

    private void drawOverlay() {
        GraphicsContext g = overlay.getGraphicsContext2D();
        g.clearRect(0, 0, overlay.getWidth(), overlay.getHeight());
        overlay.setVisible(false); // an empty overlay is not composited (a full-size blit per frame otherwise)
        Colors c = colors();
        TimeRange r = drawnRange;
        if (r == null || pw <= 0) {
            hoverBox.setVisible(false);
            return;
        }
        if (drawAnnotations(g, c, snap, r, drawnUnit)) {
            overlay.setVisible(true);
        }
        if (selecting && selectX >= 0) {
            overlay.setVisible(true);
            double a = clampX(Math.min(pressX, selectX));
            double b = clampX(Math.max(pressX, selectX));
            g.setFill(c.selection());
            g.fillRect(a, py0, b - a, ph);
        }
        if (hoverX < px0 || hoverX > px0 + pw || panning || selecting) { // a drag's selection is not covered
            hoverBox.setVisible(false);
            return;
        }
        long t = r.fromMillis() + Math.round((hoverX - px0) / pw * r.spanMillis());
        overlay.setVisible(true);
        g.setStroke(c.crosshair());
        g.setLineWidth(1);
        g.setLineDashes(4, 3);
        double x = Math.round(hoverX) + 0.5;
        g.strokeLine(x, py0, x, py0 + ph);
        g.setLineDashes((double[]) null);
        List<HoverValue> values = valuesAt(t);
        for (HoverValue v : values) {
            double vx = px0 + (v.timeMillis() - r.fromMillis()) * pw / r.spanMillis();
            double vy = yToPx(v.value());
            if (vy >= py0 && vy <= py0 + ph) {
                g.setFill(v.color());
                g.fillOval(vx - 3, vy - 3, 6, 6);
            }
        }
        updateHoverBox(t, values);
    }

    private double clampX(double x) {
        return Math.max(px0, Math.min(px0 + pw, x));
    }

    private void updateHoverBox(long t, List<HoverValue> values) {
        // as many rows as the plot is tall (a hover box taller than a small window covers the axis)
        int maxRows = (int) Math.max(2, Math.min(MAX_HOVER_ROWS, (ph - 60) / 19));
        List<javafx.scene.Node> rows = new ArrayList<>();
        Label time = new Label(TimeTicks.full(t, zone.get()));
        time.getStyleClass().add("chart-hover-time");
        rows.add(time);
        TimeRange r = drawnRange;
        for (Marker m : snap.markers()) {
            double mx = px0 + (m.timeMillis() - r.fromMillis()) * pw / r.spanMillis();
            if (Math.abs(mx - hoverX) <= 5) {
                Label ml = new Label("▍" + m.detail());
                ml.getStyleClass().add("chart-hover-marker");
                ml.setTextFill(adapt(m.color()));
                rows.add(ml);
            }
        }
        int shown = 0;
        for (HoverValue v : values) {
            if (shown++ == maxRows) {
                rows.add(new Label("… " + (values.size() - maxRows) + " more"));
                break;
            }
            Rectangle sw = new Rectangle(10, 10, v.color());
            Label name = new Label(v.name());
            name.setMaxWidth(360);
            name.getStyleClass().add("chart-hover-name");
            Label val = new Label(v.formatted());
            val.getStyleClass().add("chart-hover-value");
            HBox row = new HBox(6, sw, name, val);
            row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            rows.add(row);
        }
        if (values.isEmpty()) {
            rows.add(new Label("no value at this time"));
        }
        hoverBox.getChildren().setAll(rows);
        hoverBox.setVisible(true);
        hoverBox.applyCss();
        double bw = hoverBox.prefWidth(-1);
        double bh = hoverBox.prefHeight(bw);
        double bx = hoverX + 14 + bw > plotArea.getWidth() ? hoverX - 14 - bw : hoverX + 14;
        double by = Math.max(0, Math.min(py0 + 4, plotArea.getHeight() - bh));
        hoverBox.resizeRelocate(Math.max(0, bx), by, bw, bh);
    }

    // ------------------------------------------------------------------ legend

    private void updateLegend() {
        List<String> key = new ArrayList<>();
        for (ChartData.SeriesView sv : snap.series()) {
            key.add(sv.spec().id() + "\u0000" + sv.spec().name() + "\u0000" + sv.spec().color() + "\u0000" + hidden.contains(sv.spec().id()));
        }
        key.add("dark=" + dark.get());
        if (key.equals(legendKey)) {
            return;
        }
        legendKey = key;
        List<ChartLegend.Entry> entries = new ArrayList<>();
        for (ChartData.SeriesView sv : snap.series()) {
            SeriesSpec spec = sv.spec();
            entries.add(new ChartLegend.Entry(spec.id(), spec.name(), colorOf(spec), hidden.contains(spec.id())));
        }
        legend.setEntries(entries, dark.get());
        requestLayout();
    }

    /** The legend's series ids in order (tests). */
    public List<String> legendIds() {
        return legend.ids();
    }

    /** The centre of a series' legend entry on the screen, or null (tests: click it like a user). */
    public javafx.geometry.Point2D legendEntryOnScreen(String id) {
        javafx.geometry.Bounds b = legend.boundsOf(id);
        return b == null ? null : legend.localToScreen(b.getCenterX(), b.getCenterY());
    }

    // ------------------------------------------------------------------ mouse

    private void installMouse() {
        plotArea.addEventHandler(MouseEvent.MOUSE_MOVED, e -> {
            hoverX = e.getX();
            markOverlayDirty();
        });
        plotArea.addEventHandler(MouseEvent.MOUSE_EXITED, e -> {
            hoverX = -1;
            markOverlayDirty();
        });
        plotArea.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            pressX = e.getX();
            pressRange = visibleRange.get();
            panning = e.getButton() != MouseButton.PRIMARY || e.isShiftDown();
            selecting = !panning;
            selectX = -1;
            adjusting.set(true); // a pan drag, or a selection that zooms on release
        });
        plotArea.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            hoverX = e.getX();
            if (pressRange == null || pw <= 0) {
                return;
            }
            if (panning) {
                long delta = Math.round(-(e.getX() - pressX) / pw * pressRange.spanMillis());
                zoomTo(pressRange.shift(delta));
            } else {
                selectX = e.getX();
                markOverlayDirty();
            }
        });
        plotArea.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (selecting && selectX >= 0 && Math.abs(selectX - pressX) >= 5 && pressRange != null && pw > 0) {
                double a = clampX(Math.min(pressX, selectX)) - px0;
                double b = clampX(Math.max(pressX, selectX)) - px0;
                long from = pressRange.fromMillis() + Math.round(a / pw * pressRange.spanMillis());
                long to = pressRange.fromMillis() + Math.round(b / pw * pressRange.spanMillis());
                if (to - from >= 1000) {
                    zoomTo(new TimeRange(from, to));
                }
            }
            selecting = false;
            panning = false;
            selectX = -1;
            markOverlayDirty();
            adjusting.set(false); // last: the gesture's end sees its final range
        });
        plotArea.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                resetZoom();
            }
        });
        plotArea.addEventHandler(ScrollEvent.SCROLL, e -> {
            TimeRange r = visibleRange.get();
            if (r == null || pw <= 0) {
                return;
            }
            double d = e.getDeltaX() != 0 ? e.getDeltaX() : e.getDeltaY();
            if (d == 0) {
                return;
            }
            if (e.isControlDown()) {
                long center = r.fromMillis() + Math.round((e.getX() - px0) / pw * r.spanMillis());
                zoomTo(r.zoom(Math.pow(0.85, d / 40.0), center));
            } else {
                zoomTo(r.shift(Math.round(-d / 40.0 * r.spanMillis() * 0.1)));
            }
            e.consume();
        });
    }
}
