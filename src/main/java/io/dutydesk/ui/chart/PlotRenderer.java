package io.dutydesk.ui.chart;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.List;

/**
 * The plot layer, drawn on the pulse when data, size, range, visibility or theme changed: the value range
 * and its ticks, grid, time axis, then the series (decimated per device-pixel column by the
 * {@link SeriesPainter} into the {@link SeriesImages}' pixel buffer shown above this canvas). It lays the
 * plot out: the geometry it leaves in {@link ChartState} is what the overlay, the mouse and the API use.
 */
final class PlotRenderer {
    static final Font TICK_FONT = Font.font("System", 11);
    static final Font MARKER_FONT = Font.font("System", FontWeight.BOLD, 11.5);

    private final TimeSeriesChart chart;
    private final ChartState st;
    private final Canvas plot;
    private final SeriesImages seriesImages;
    private final SeriesPainter painter = new SeriesPainter();
    private final TextWidths widths;

    PlotRenderer(TimeSeriesChart chart, ChartState st, Canvas plot, SeriesImages seriesImages, TextWidths widths) {
        this.chart = chart;
        this.st = st;
        this.plot = plot;
        this.seriesImages = seriesImages;
        this.widths = widths;
    }

    void draw() {
        st.plotRedraws++;
        ChartData.Snapshot s = st.snap;
        GraphicsContext g = plot.getGraphicsContext2D();
        double w = plot.getWidth();
        double h = plot.getHeight();
        ChartColors c = chart.colors();
        g.setFill(c.bg());
        g.fillRect(0, 0, w, h);
        TimeRange r = chart.getVisibleRange();
        st.drawnRange = r;
        boolean any = false;
        for (ChartData.SeriesView sv : s.series()) {
            any |= sv.size() > 0;
        }
        if (r == null || !any) {
            st.pw = 0;
            seriesImages.hide();
            painter.clear(); // no series: forget the columns of the old ones
            st.drawnUnit = ValueUnit.NONE;
            String placeholder = chart.placeholderProperty().get();
            g.setFill(c.text());
            g.setFont(Font.font("System", 13));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(placeholder == null ? "" : placeholder, w / 2, h / 2);
            return;
        }
        long from = r.fromMillis();
        long to = r.toMillis();

        // 1. the value range of the visible series inside the span, and the thresholds
        ValueUnit unit = null;
        List<ChartData.SeriesView> shown = new ArrayList<>();
        for (ChartData.SeriesView sv : s.series()) {
            if (!st.hidden.contains(sv.spec().id()) && sv.size() > 0) {
                shown.add(sv);
            }
        }
        double[] range = painter.valueRange(shown, from, to);
        double lo = range[0];
        double hi = range[1];
        for (ChartData.SeriesView sv : s.series()) {
            if (!st.hidden.contains(sv.spec().id()) && sv.size() > 0) {
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
            labelW = Math.max(labelW, widths.of(labels[i], TICK_FONT));
        }
        st.px0 = Math.ceil(labelW + 12);
        st.py0 = top;
        st.pw = Math.max(1, w - st.px0 - 12);
        st.ph = Math.max(1, h - top - bottom);
        st.yMin = axis.min();
        st.yMax = axis.max();
        double px0 = st.px0;
        double py0 = st.py0;
        double pw = st.pw;
        double ph = st.ph;

        // 2. grid and axes: lines as 1-pixel rectangles (no antialiased strokes), under the series' image
        int width = (int) Math.round(pw);
        int height = (int) Math.round(ph);
        g.setFont(TICK_FONT);
        g.setFill(c.text());
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < labels.length; i++) {
            double y = Math.round(st.yToPx(axis.tick(i)));
            g.setFill(c.grid());
            g.fillRect(px0, y, pw, 1);
            g.setFill(c.text());
            g.fillText(labels[i], px0 - 6, y + 0.5);
        }
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, to, pw, 90, chart.zoneProperty().get());
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        for (TimeTicks.Tick t : ticks) {
            double x = Math.round(px0 + (t.millis() - from) * pw / (to - from));
            g.setFill(t.major() ? c.axis() : c.grid());
            g.fillRect(x, py0, 1, ph);
            g.setFill(c.text());
            double tw = widths.of(t.label(), TICK_FONT);
            double lx = Math.max(tw / 2 + 2, Math.min(w - tw / 2 - 2, x + 0.5));
            g.fillText(t.label(), lx, py0 + ph + 5);
        }
        g.setFill(c.axis()); // the axes as 1-pixel rectangles: no antialiased stroke
        g.fillRect(px0 - 1, py0, 1, ph + 1);
        g.fillRect(px0 - 1, py0 + height, pw + 1, 1);

        // 3. series: drawn from their columns into one pixel buffer (device pixels), shown above this canvas
        double scale = chart.renderScale();
        st.drawnScale = scale;
        int devW = (int) Math.round(width * scale);
        int devH = (int) Math.round(height * scale);
        painter.decimate(shown, from, to, devW);
        int[] rgb = new int[shown.size()];
        for (int k = 0; k < rgb.length; k++) {
            Color color = chart.colorOf(shown.get(k).spec());
            rgb[k] = ChartColors.rgbOf(color);
        }
        painter.paint(devW, devH, st.yMin, st.yMax, rgb, seriesImages.begin(devW, devH));
        seriesImages.show(px0, py0, width, height);
        st.drawnUnit = unit;
    }
}
