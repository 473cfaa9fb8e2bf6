package io.dutydesk.ui.chart;

import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;

/**
 * The plot's mouse: hover moves the crosshair; drag selects a span to zoom into (at least 5 px and 1 s);
 * Shift+drag, right or middle drag pans; the wheel pans (Ctrl+wheel zooms around the pointer);
 * double-click resets to the home range. A press starts a gesture ({@code adjusting}), its release ends it.
 */
final class ChartMouse {
    private final TimeSeriesChart chart;
    private final ChartState st;

    private ChartMouse(TimeSeriesChart chart, ChartState st) {
        this.chart = chart;
        this.st = st;
    }

    static void install(TimeSeriesChart chart, ChartState st, Pane plotArea) {
        ChartMouse m = new ChartMouse(chart, st);
        plotArea.addEventHandler(MouseEvent.MOUSE_MOVED, m::moved);
        plotArea.addEventHandler(MouseEvent.MOUSE_EXITED, m::exited);
        plotArea.addEventHandler(MouseEvent.MOUSE_PRESSED, m::pressed);
        plotArea.addEventHandler(MouseEvent.MOUSE_DRAGGED, m::dragged);
        plotArea.addEventHandler(MouseEvent.MOUSE_RELEASED, m::released);
        plotArea.addEventHandler(MouseEvent.MOUSE_CLICKED, m::clicked);
        plotArea.addEventHandler(ScrollEvent.SCROLL, m::scrolled);
    }

    private void moved(MouseEvent e) {
        st.hoverX = e.getX();
        chart.markOverlayDirty();
    }

    private void exited(MouseEvent e) {
        st.hoverX = -1;
        chart.markOverlayDirty();
    }

    private void pressed(MouseEvent e) {
        st.pressX = e.getX();
        st.pressRange = chart.getVisibleRange();
        st.panning = e.getButton() != MouseButton.PRIMARY || e.isShiftDown();
        st.selecting = !st.panning;
        st.selectX = -1;
        chart.setAdjusting(true); // a pan drag, or a selection that zooms on release
    }

    private void dragged(MouseEvent e) {
        st.hoverX = e.getX();
        if (st.pressRange == null || st.pw <= 0) {
            return;
        }
        if (st.panning) {
            long delta = Math.round(-(e.getX() - st.pressX) / st.pw * st.pressRange.spanMillis());
            chart.zoomTo(st.pressRange.shift(delta));
        } else {
            st.selectX = e.getX();
            chart.markOverlayDirty();
        }
    }

    private void released(MouseEvent e) {
        if (st.selecting && st.selectX >= 0 && Math.abs(st.selectX - st.pressX) >= 5 && st.pressRange != null && st.pw > 0) {
            long from = st.timeAt(st.pressRange, st.clampX(Math.min(st.pressX, st.selectX)));
            long to = st.timeAt(st.pressRange, st.clampX(Math.max(st.pressX, st.selectX)));
            if (to - from >= 1000) {
                chart.zoomTo(new TimeRange(from, to));
            }
        }
        st.selecting = false;
        st.panning = false;
        st.selectX = -1;
        chart.markOverlayDirty();
        chart.setAdjusting(false); // last: the gesture's end sees its final range
    }

    private void clicked(MouseEvent e) {
        if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
            chart.resetZoom();
        }
    }

    private void scrolled(ScrollEvent e) {
        TimeRange r = chart.getVisibleRange();
        if (r == null || st.pw <= 0) {
            return;
        }
        double d = e.getDeltaX() != 0 ? e.getDeltaX() : e.getDeltaY();
        if (d == 0) {
            return;
        }
        if (e.isControlDown()) {
            long center = st.timeAt(r, e.getX());
            chart.zoomTo(r.zoom(Math.pow(0.85, d / 40.0), center));
        } else {
            chart.zoomTo(r.shift(Math.round(-d / 40.0 * r.spanMillis() * 0.1)));
        }
        e.consume();
    }
}
