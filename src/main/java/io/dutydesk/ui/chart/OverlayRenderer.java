package io.dutydesk.ui.chart;

import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.TextAlignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.dutydesk.ui.chart.PlotRenderer.MARKER_FONT;

/**
 * The overlay layer, above the series: thresholds and markers, the zoom selection, the crosshair with a
 * dot per series and the hover box. Redrawn on pointer moves and after each plot redraw, in the geometry
 * the {@link PlotRenderer} left; an empty overlay is hidden (not composited).
 */
final class OverlayRenderer {
    private static final int MAX_HOVER_ROWS = 12;
    /** Rows of marker labels: the top band, then two over the plot; a label with no room on any is in the hover box only. */
    private static final int MARKER_ROWS = 3;

    private final TimeSeriesChart chart;
    private final ChartState st;
    private final Canvas overlay;
    private final Pane plotArea;
    private final TextWidths widths;
    private final VBox hoverBox = new VBox(2);

    OverlayRenderer(TimeSeriesChart chart, ChartState st, Canvas overlay, Pane plotArea, TextWidths widths) {
        this.chart = chart;
        this.st = st;
        this.overlay = overlay;
        this.plotArea = plotArea;
        this.widths = widths;
        hoverBox.getStyleClass().add("chart-hover");
        hoverBox.setManaged(false);
        hoverBox.setVisible(false);
        hoverBox.setMouseTransparent(true);
        plotArea.getChildren().add(hoverBox);
        overlay.setMouseTransparent(true);
    }

    void draw() {
        GraphicsContext g = overlay.getGraphicsContext2D();
        g.clearRect(0, 0, overlay.getWidth(), overlay.getHeight());
        overlay.setVisible(false); // an empty overlay is not composited (a full-size blit per frame otherwise)
        ChartColors c = chart.colors();
        TimeRange r = st.drawnRange;
        if (r == null || st.pw <= 0) {
            hoverBox.setVisible(false);
            return;
        }
        if (drawAnnotations(g, c, st.snap, r, st.drawnUnit)) {
            overlay.setVisible(true);
        }
        double px0 = st.px0;
        double py0 = st.py0;
        double pw = st.pw;
        double ph = st.ph;
        if (st.selecting && st.selectX >= 0) {
            overlay.setVisible(true);
            double a = st.clampX(Math.min(st.pressX, st.selectX));
            double b = st.clampX(Math.max(st.pressX, st.selectX));
            g.setFill(c.selection());
            g.fillRect(a, py0, b - a, ph);
        }
        double hoverX = st.hoverX;
        if (hoverX < px0 || hoverX > px0 + pw || st.panning || st.selecting) { // a drag's selection is not covered
            hoverBox.setVisible(false);
            return;
        }
        long t = st.timeAt(r, hoverX);
        overlay.setVisible(true);
        g.setStroke(c.crosshair());
        g.setLineWidth(1);
        g.setLineDashes(4, 3);
        double x = Math.round(hoverX) + 0.5;
        g.strokeLine(x, py0, x, py0 + ph);
        g.setLineDashes((double[]) null);
        List<TimeSeriesChart.HoverValue> values = chart.valuesAt(t);
        for (TimeSeriesChart.HoverValue v : values) {
            double vx = px0 + (v.timeMillis() - r.fromMillis()) * pw / r.spanMillis();
            double vy = st.yToPx(v.value());
            if (vy >= py0 && vy <= py0 + ph) {
                g.setFill(v.color());
                g.fillOval(vx - 3, vy - 3, 6, 6);
            }
        }
        updateHoverBox(t, values);
    }

    /** Thresholds and markers, on the overlay: above the series. Returns whether it drew anything. */
    private boolean drawAnnotations(GraphicsContext g, ChartColors c, ChartData.Snapshot s, TimeRange r, ValueUnit unit) {
        double w = overlay.getWidth();
        double px0 = st.px0;
        double py0 = st.py0;
        double pw = st.pw;
        double ph = st.ph;
        long from = r.fromMillis();
        long to = r.toMillis();
        boolean any = false;

        // 4. thresholds
        g.setLineWidth(1.25);
        double[] offAxisRight = {px0 + pw - 5, px0 + pw - 5}; // above, below: each edge its own row of names
        for (Threshold t : s.thresholds()) {
            any = true;
            double y = Math.round(st.yToPx(t.value())) + 0.5;
            if (y < py0 || y > py0 + ph) { // off the axis: its name and an arrow at the edge it lies beyond
                boolean above = y < py0;
                String label = (t.label().isEmpty() ? unit.format(t.value()) : t.label()) + (above ? " ↑" : " ↓");
                double tw = widths.of(label, MARKER_FONT);
                g.setFont(MARKER_FONT);
                g.setTextAlign(TextAlignment.RIGHT);
                g.setTextBaseline(VPos.TOP);
                double ly = above ? py0 + 2 : py0 + ph - 16;
                g.setFill(c.labelBg());
                int edge = above ? 0 : 1;
                g.fillRect(offAxisRight[edge] - tw - 3, ly - 1, tw + 6, 15);
                g.setFill(chart.adapt(t.color()));
                g.fillText(label, offAxisRight[edge], ly);
                offAxisRight[edge] -= tw + 14;
                continue;
            }
            g.setStroke(chart.adapt(t.color()));
            g.setLineDashes(6, 4);
            g.strokeLine(px0, y, px0 + pw, y);
            if (!t.label().isEmpty()) {
                g.setLineDashes((double[]) null);
                g.setFont(MARKER_FONT);
                g.setTextAlign(TextAlignment.RIGHT);
                g.setTextBaseline(VPos.BOTTOM);
                double tw = widths.of(t.label(), MARKER_FONT);
                g.setFill(c.labelBg());
                g.fillRect(px0 + pw - tw - 8, y - 15, tw + 6, 14);
                g.setFill(chart.adapt(t.color()));
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
        Arrays.fill(rowEnd, Double.NEGATIVE_INFINITY);
        List<TimeSeriesChart.MarkerLabel> labels = new ArrayList<>();
        for (Marker m : s.markers()) {
            if (!r.contains(m.timeMillis())) {
                continue;
            }
            any = true;
            double x = Math.round(px0 + (m.timeMillis() - from) * pw / (to - from)) + 0.5;
            g.setStroke(chart.adapt(m.color()));
            g.setLineWidth(1.5);
            g.setLineDashes(3, 3);
            g.strokeLine(x, py0 - 4, x, py0 + ph);
            g.setLineDashes((double[]) null);
            String label = m.label();
            double tw = widths.of(label, MARKER_FONT);
            double lx = Math.max(2, Math.min(x + 3, w - tw - 4));
            for (int row = 0; row < MARKER_ROWS; row++) {
                if (lx > rowEnd[row] + 6) {
                    double y = row == 0 ? 2 : py0 + 2 + (row - 1) * 17;
                    g.setFill(c.labelBg());
                    g.fillRect(lx - 3, y, tw + 6, 16);
                    g.setFill(chart.adapt(m.color()));
                    g.fillText(label, lx, y + 1.5);
                    rowEnd[row] = lx + tw;
                    labels.add(new TimeSeriesChart.MarkerLabel(label, lx - 3, y, tw + 6, 16));
                    break;
                }
            }
        }
        st.markerLabels = labels;
        return any;
    }

    private void updateHoverBox(long t, List<TimeSeriesChart.HoverValue> values) {
        double hoverX = st.hoverX;
        // as many rows as the plot is tall (a hover box taller than a small window covers the axis)
        int maxRows = (int) Math.max(2, Math.min(MAX_HOVER_ROWS, (st.ph - 60) / 19));
        List<Node> rows = new ArrayList<>();
        Label time = new Label(TimeTicks.full(t, chart.zoneProperty().get()));
        time.getStyleClass().add("chart-hover-time");
        rows.add(time);
        TimeRange r = st.drawnRange;
        for (Marker m : st.snap.markers()) {
            double mx = st.px0 + (m.timeMillis() - r.fromMillis()) * st.pw / r.spanMillis();
            if (Math.abs(mx - hoverX) <= 5) {
                Label ml = new Label("▍" + m.detail());
                ml.getStyleClass().add("chart-hover-marker");
                ml.setTextFill(chart.adapt(m.color()));
                rows.add(ml);
            }
        }
        int shown = 0;
        for (TimeSeriesChart.HoverValue v : values) {
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
            row.setAlignment(Pos.CENTER_LEFT);
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
        double by = Math.max(0, Math.min(st.py0 + 4, plotArea.getHeight() - bh));
        hoverBox.resizeRelocate(Math.max(0, bx), by, bw, bh);
    }
}
