package io.dutydesk.ui.chart;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the chart's parts share (FX thread): the series hidden by the user, the zoom, the snapshot being
 * drawn, the geometry of the last plot redraw (written by {@link PlotRenderer}, read by the overlay, the
 * mouse and the API) and the pointer (written by {@link ChartMouse}, read by {@link OverlayRenderer}).
 */
final class ChartState {
    final Set<String> hidden = new LinkedHashSet<>();
    ChartData.Snapshot snap;
    /** The user's zoom, or null: the home range. */
    TimeRange zoomed;
    long plotRedraws;

    // geometry of the last plot redraw
    double px0;
    double py0;
    double pw;
    double ph;
    double yMin;
    double yMax;
    TimeRange drawnRange;
    ValueUnit drawnUnit = ValueUnit.NONE;
    double drawnScale = 1;
    List<TimeSeriesChart.MarkerLabel> markerLabels = List.of();

    // pointer
    double hoverX = -1;
    double pressX;
    boolean panning;
    boolean selecting;
    double selectX = -1;
    TimeRange pressRange;

    double yToPx(double v) {
        return py0 + ph - (v - yMin) / (yMax - yMin) * ph;
    }

    double clampX(double x) {
        return Math.max(px0, Math.min(px0 + pw, x));
    }

    /** The time at {@code x} in range {@code r} laid over the plot's width. */
    long timeAt(TimeRange r, double x) {
        return r.fromMillis() + Math.round((x - px0) / pw * r.spanMillis());
    }
}
