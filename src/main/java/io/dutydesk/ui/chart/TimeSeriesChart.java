package io.dutydesk.ui.chart;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.transform.Transform;

import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
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
 *   ({@link javafx.application.Platform#requestNextPulse()}) and the chart redraws once on it, whatever the number of
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
 *
 * <p>Parts: this class is the API, the state it shares with its parts ({@link ChartState}) and the pulse;
 * {@link PlotRenderer} lays out and draws the plot, {@link OverlayRenderer} the annotations, crosshair and
 * hover box, {@link ChartMouse} the mouse, {@link ChartLegend} the legend, {@link ChartColors} the colours.
 */
public class TimeSeriesChart extends Region {
    /** One series' value at the hover time. */
    public record HoverValue(String id, String name, Color color, long timeMillis, double value, ValueUnit unit) {
        public String formatted() {
            return unit.format(value);
        }
    }

    /** A marker's label as drawn: its text and its box (background) on the chart. */
    public record MarkerLabel(String text, double x, double y, double width, double height) {
        boolean overlaps(MarkerLabel o) {
            return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
        }
    }

    private final ChartData data;
    private final ChartState st = new ChartState();
    private final ChartSeries series = new ChartSeries(this, st);
    private final Canvas plot = new Canvas(1, 1);
    private final Canvas overlay = new Canvas(1, 1);
    private final SeriesImages seriesImages = new SeriesImages();
    private final Pane plotArea = new Pane(plot, seriesImages.view(), overlay);
    private final ChartLegend legend = new ChartLegend(series.legendActions());
    private final TextWidths widths = new TextWidths();
    private final PlotRenderer plotRenderer = new PlotRenderer(this, st, plot, seriesImages, widths);
    private final OverlayRenderer overlayRenderer = new OverlayRenderer(this, st, overlay, plotArea, widths);

    private final ObjectProperty<ZoneId> zone = new SimpleObjectProperty<>(this, "zone", ZoneId.systemDefault());
    private final ObjectProperty<TimeRange> homeRange = new SimpleObjectProperty<>(this, "homeRange");
    private final ReadOnlyObjectWrapper<TimeRange> visibleRange = new ReadOnlyObjectWrapper<>(this, "visibleRange");
    private final ReadOnlyBooleanWrapper adjusting = new ReadOnlyBooleanWrapper(this, "adjusting");
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark", false);
    private final BooleanProperty followTheme = new SimpleBooleanProperty(this, "followTheme", true);
    private final StringProperty placeholder = new SimpleStringProperty(this, "placeholder", "No data");
    private final ChartPulse pulse;

    public TimeSeriesChart(ChartData data) {
        this.data = data;
        getStyleClass().add("time-series-chart");
        plotArea.getStyleClass().add("chart-plot-area");
        getChildren().addAll(plotArea, legend);

        pulse = new ChartPulse(this, st, series, legend, plot, overlay, seriesImages, plotRenderer, overlayRenderer);
        zone.addListener(o -> pulse.plotChanged());
        // an opaque background makes the chart the render root of its area: whatever lies behind it
        // is not painted on each frame (the stylesheet's colour, when there is one, takes precedence)
        setBackground(ChartColors.opaque(false));
        dark.addListener(o -> {
            pulse.legendChanged();
            setBackground(ChartColors.opaque(dark.get()));
            pulse.plotChanged();
        });
        homeRange.addListener(o -> {
            st.zoomed = null;
            updateVisibleRange();
            pulse.plotChanged();
        });
        placeholder.addListener(o -> pulse.plotChanged());
        ChartMouse.install(this, st, plotArea);
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
        return st.zoomed != null;
    }

    /**
     * True between a press and its release on the plot (a pan drag changes the range on every mouse
     * event; a selection zooms on release). Its turning false ends the gesture: the final range is the
     * visible one.
     */
    public ReadOnlyBooleanProperty adjustingProperty() {
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
        st.zoomed = r;
        updateVisibleRange();
        pulse.plotChanged();
    }

    /** Moves the visible range by {@code deltaMillis} (positive: later). */
    public void pan(long deltaMillis) {
        TimeRange r = visibleRange.get();
        if (r != null) {
            zoomTo(r.shift(deltaMillis));
        }
    }

    public void resetZoom() {
        st.zoomed = null;
        updateVisibleRange();
        pulse.plotChanged();
    }

    public void setSeriesVisible(String id, boolean visible) {
        if (series.setVisible(id, visible)) {
            pulse.legendChanged();
            pulse.plotChanged();
        }
    }

    public boolean isSeriesVisible(String id) {
        return !st.hidden.contains(id);
    }

    /** Shows only {@code id}. */
    public void isolate(String id) {
        series.isolate(id, data.snapshot());
        pulse.legendChanged();
        pulse.plotChanged();
    }

    public void showAll() {
        st.hidden.clear();
        pulse.legendChanged();
        pulse.plotChanged();
    }

    public Set<String> hiddenSeries() {
        return Collections.unmodifiableSet(st.hidden);
    }

    /** The colour a series is drawn in. */
    public Color colorOf(SeriesSpec spec) {
        return adapt(series.baseColor(spec));
    }

    /** Each visible series' nearest value at {@code t} (within its gap or 4 pixels), highest first. */
    public List<HoverValue> valuesAt(long t) {
        TimeRange r = visibleRange.get();
        long tolerance = r == null || st.pw <= 0 ? 0 : (long) (4 * r.spanMillis() / st.pw);
        return series.valuesAt(data.snapshot(), t, tolerance);
    }

    /** How many times the plot layer was redrawn (the overlay is not counted). */
    public long plotRedraws() {
        return st.plotRedraws;
    }

    /** The data set version the chart last took (it draws it on the same pulse). */
    public long drawnDataVersion() {
        return st.snap == null ? -1 : st.snap.version();
    }

    /** The time at x pixels from the chart's left edge (for tests and tools), or -1. */
    public long timeAtX(double x) {
        TimeRange r = visibleRange.get();
        return r == null || st.pw <= 0 ? -1 : st.timeAt(r, x);
    }

    /** The x (chart coordinates) of {@code t} in the last drawn frame. */
    public double xOf(long t) {
        TimeRange r = st.drawnRange;
        return r == null ? Double.NaN : st.px0 + (t - r.fromMillis()) * st.pw / r.spanMillis();
    }

    /** The plot rectangle of the last frame: x, y, width, height in chart coordinates. */
    public double[] plotBounds() {
        return new double[] {st.px0, st.py0, st.pw, st.ph};
    }

    /** The marker labels of the last frame (FX thread). */
    public List<MarkerLabel> markerLabels() {
        return List.copyOf(st.markerLabels);
    }

    /** The value axis of the last frame: {min, max}. */
    public double[] valueAxis() {
        return new double[] {st.yMin, st.yMax};
    }

    /** The legend's series ids in order (tests). */
    public List<String> legendIds() {
        return legend.ids();
    }

    /** The centre of a series' legend entry on the screen, or null (tests: click it like a user). */
    public Point2D legendEntryOnScreen(String id) {
        Bounds b = legend.boundsOf(id);
        return b == null ? null : legend.localToScreen(b.getCenterX(), b.getCenterY());
    }

    /** The chart as an image (FX thread); encode it with {@link ChartExport#png} off the FX thread. */
    public WritableImage toImage() {
        SnapshotParameters p = new SnapshotParameters();
        p.setTransform(Transform.scale(st.drawnScale, st.drawnScale)); // every device pixel, no line lost
        return snapshot(p, null);
    }

    /** Whether a draw or a layout is still to come (FX thread): the first legend's layout redraws the plot once more. */
    public boolean drawPending() {
        return isNeedsLayout() || pulse.pending();
    }

    /** Draws now if anything is pending (tests and benchmarks; the pulse does it otherwise). */
    public void redrawNow() {
        pulse.run();
    }

    // ------------------------------------------------------------------ for the parts (FX thread)

    /** A colour made legible on the current background. */
    Color adapt(Color c) {
        return ChartColors.adapt(c, dark.get());
    }

    ChartColors colors() {
        return ChartColors.of(dark.get());
    }

    double renderScale() {
        return getScene() != null && getScene().getWindow() != null ? Math.max(1, getScene().getWindow().getRenderScaleX()) : 1;
    }

    void setAdjusting(boolean on) {
        adjusting.set(on);
    }

    void markOverlayDirty() {
        pulse.overlayChanged();
    }

    // ------------------------------------------------------------------ layout

    void updateVisibleRange() {
        TimeRange r = st.zoomed != null ? st.zoomed : homeRange.get();
        if (r == null) {
            r = ChartSeries.extent(st.snap != null ? st.snap : data.snapshot());
        }
        if (!Objects.equals(r, visibleRange.get())) {
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
            pulse.resized(); // the layout pass runs inside the pulse: draw in this frame
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
}
