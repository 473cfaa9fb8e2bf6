package io.dutydesk.ui.chart;

import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.VPos;
import javafx.scene.AccessibleRole;
import javafx.scene.Cursor;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The chart's legend, drawn on one canvas: a swatch and a name per series, flowing in rows. A hundred
 * series cost a hundred measured strings and one canvas, not three hundred styled nodes (which took
 * longer than drawing 1.1 million points). Click toggles a series, Ctrl/Alt+click isolates it, the
 * context menu offers "Show only this" and "Show all"; hidden series are dimmed and struck through.
 * Taller than its space, it scrolls itself (wheel, or dragging the thumb drawn at its right edge): no
 * clipped scroll pane, whose clip costs the software pipeline a masked off-screen pass every frame,
 * and no scroll bar control (its skin and styles cost the first frame more than the hundred names).
 */
final class ChartLegend extends Region {
    /** One entry as drawn. */
    record Entry(String id, String name, Color color, boolean hidden) {}

    /** What a click asks the chart to do. */
    interface Actions {
        void toggle(String id);

        void isolateOrShowAll(String id);

        void isolate(String id);

        void showAll();
    }

    private static final Font FONT = Font.font("System", 11.5);
    private static final double ROW = 18;
    private static final double SWATCH = 14;
    private static final double GAP = 6;
    private static final double H_GAP = 12;
    private static final double PAD_X = 8;
    private static final double PAD_Y = 4;
    private static final double MAX_NAME = 320;

    private static final String HELP = "Click: show/hide · Ctrl+click: show only this (again: all) · right-click: menu";
    private final Tooltip tooltip = new Tooltip(HELP);
    private final Canvas canvas = new Canvas(1, 1);
    private final TextWidths widths = new TextWidths();
    private final Actions actions;
    private List<Entry> entries = List.of();
    private double[] nameWidth = new double[0];
    private Bounds[] boxes = new Bounds[0];
    private int hover = -1;
    private boolean dark;
    private static final double BAR = 9;
    private boolean scrolls;
    private double scroll;
    private double contentHeight;
    private double dragOffset = -1;

    ChartLegend(Actions actions) {
        this.actions = actions;
        getStyleClass().add("chart-legend");
        getChildren().add(canvas);
        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (scrolls && e.getDeltaY() != 0) {
                scrollTo(scroll - e.getDeltaY());
                setHover(indexAt(e.getX(), e.getY())); // the entry now under the pointer
                e.consume();
            }
        });
        addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            if (!onBar(e.getX())) {
                return;
            }
            double[] t = thumb();
            if (e.getY() >= t[0] && e.getY() <= t[0] + t[1]) {
                dragOffset = e.getY() - t[0];
            } else { // a click on the track pages towards it
                scrollTo(scroll + (e.getY() < t[0] ? -1 : 1) * getHeight());
            }
            e.consume();
        });
        addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (dragOffset >= 0) {
                double[] t = thumb();
                double track = getHeight() - t[1];
                scrollTo(track <= 0 ? 0 : (e.getY() - dragOffset) / track * maxScroll());
                e.consume();
            }
        });
        addEventHandler(MouseEvent.MOUSE_RELEASED, e -> dragOffset = -1);
        Tooltip.install(this, tooltip);
        setAccessibleRole(AccessibleRole.TEXT);
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> setHover(indexAt(e.getX(), e.getY())));
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> setHover(-1));
        addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            // a drag (of the thumb) released over an entry is not a click on it
            int i = onBar(e.getX()) || !e.isStillSincePress() ? -1 : indexAt(e.getX(), e.getY());
            if (i < 0 || e.getButton() != MouseButton.PRIMARY) {
                return;
            }
            String id = entries.get(i).id();
            if (e.isShortcutDown() || e.isAltDown()) {
                actions.isolateOrShowAll(id);
            } else {
                actions.toggle(id);
            }
        });
        setOnContextMenuRequested(e -> {
            int i = indexAt(e.getX(), e.getY());
            if (i < 0) {
                return;
            }
            String id = entries.get(i).id();
            MenuItem only = new MenuItem("Show only this");
            only.setOnAction(a -> actions.isolate(id));
            MenuItem all = new MenuItem("Show all");
            all.setOnAction(a -> actions.showAll());
            new ContextMenu(only, all).show(this, e.getScreenX(), e.getScreenY());
        });
    }

    void setEntries(List<Entry> list, boolean darkTheme) {
        entries = List.copyOf(list);
        dark = darkTheme;
        nameWidth = new double[entries.size()];
        for (int i = 0; i < nameWidth.length; i++) {
            nameWidth[i] = Math.min(MAX_NAME, width(entries.get(i).name()));
        }
        hover = -1;
        boxes = new Bounds[0];
        setAccessibleText("Legend: " + entries.stream().map(e -> e.name() + (e.hidden() ? " (hidden)" : ""))
                .collect(Collectors.joining(", ")));
        requestLayout();
        draw();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Ids in legend order. */
    List<String> ids() {
        return entries.stream().map(Entry::id).toList();
    }

    /** Where an entry is drawn whole, in this region's coordinates (null if unknown, not laid out or not all in view). */
    Bounds boundsOf(String id) {
        for (int i = 0; i < entries.size() && i < boxes.length; i++) {
            if (entries.get(i).id().equals(id) && boxes[i] != null) {
                Bounds b = boxes[i];
                return b.getMinY() - scroll < 0 || b.getMaxY() - scroll > getHeight() ? null
                        : new BoundingBox(b.getMinX(), b.getMinY() - scroll, b.getWidth(), b.getHeight());
            }
        }
        return null;
    }

    private double width(String s) {
        return widths.of(s, FONT);
    }

    private double entryWidth(int i) {
        return SWATCH + GAP + nameWidth[i] + 8;
    }

    /** Lays the entries out in rows {@code w} wide; returns the height they need. */
    private double flow(double w, Bounds[] out) {
        double x = PAD_X;
        double y = PAD_Y;
        for (int i = 0; i < nameWidth.length; i++) {
            double ew = entryWidth(i);
            if (x > PAD_X && x + ew > w - PAD_X) {
                x = PAD_X;
                y += ROW + 2;
            }
            if (out != null) {
                out[i] = new BoundingBox(x, y, ew, ROW);
            }
            x += ew + H_GAP;
        }
        return nameWidth.length == 0 ? 0 : y + ROW + PAD_Y;
    }

    @Override
    protected double computePrefHeight(double width) {
        return flow(width > 0 ? width : 640, null);
    }

    @Override
    protected double computePrefWidth(double height) {
        return 640;
    }

    @Override
    protected void layoutChildren() {
        double w = Math.max(1, Math.floor(getWidth()));
        double h = Math.max(1, Math.floor(getHeight()));
        Bounds[] b = new Bounds[entries.size()];
        contentHeight = flow(w, b);
        scrolls = contentHeight > h + 0.5;
        if (scrolls) {
            contentHeight = flow(w - BAR, b);
        }
        boxes = b;
        scroll = Math.max(0, Math.min(scroll, maxScroll()));
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
        }
        draw();
    }

    private void draw() {
        Bounds[] b = boxes;
        if (b.length != entries.size()) {
            return; // laid out on the next pass
        }
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        g.setFont(FONT);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        Color text = dark ? Color.web("#e6edf3") : Color.web("#1f2328");
        g.save();
        g.translate(0, -scroll);
        for (int i = 0; i < b.length; i++) {
            Entry e = entries.get(i);
            Bounds r = b[i];
            if (r.getMaxY() < scroll || r.getMinY() > scroll + canvas.getHeight()) {
                continue; // scrolled away
            }
            if (i == hover) {
                g.setFill(dark ? Color.web("#21262d") : Color.web("#eaeef2"));
                g.fillRoundRect(r.getMinX() - 4, r.getMinY(), r.getWidth() + 6, r.getHeight(), 6, 6);
            }
            g.setGlobalAlpha(e.hidden() ? 0.4 : 1);
            double cy = r.getMinY() + ROW / 2;
            g.setFill(e.color());
            g.fillRect(r.getMinX(), Math.round(cy) - 1.5, SWATCH, 3);
            double tx = r.getMinX() + SWATCH + GAP;
            g.setFill(text);
            g.fillText(elide(e.name(), nameWidth[i]), tx, cy);
            if (e.hidden()) {
                g.setStroke(text);
                g.setLineWidth(1);
                g.strokeLine(tx, Math.round(cy) + 0.5, tx + nameWidth[i], Math.round(cy) + 0.5);
            }
            g.setGlobalAlpha(1);
        }
        g.restore();
        if (scrolls) { // the thumb: its length the visible share, its place the scrolled share
            double[] t = thumb();
            g.setFill(dark ? Color.web("#8b949e", 0.55) : Color.web("#6e7781", 0.45));
            g.fillRoundRect(canvas.getWidth() - BAR + 2, t[0] + 1, BAR - 4, t[1] - 2, BAR - 4, BAR - 4);
        }
        setCursor(hover >= 0 ? Cursor.HAND : Cursor.DEFAULT);
    }

    private double maxScroll() {
        return Math.max(0, contentHeight - getHeight());
    }

    private void scrollTo(double y) {
        double v = Math.max(0, Math.min(maxScroll(), y));
        if (v != scroll) {
            scroll = v;
            draw();
        }
    }

    /** {top, length} of the thumb. */
    private double[] thumb() {
        double h = getHeight();
        double len = Math.max(18, h * h / Math.max(h, contentHeight));
        double max = maxScroll();
        return new double[] {max <= 0 ? 0 : scroll / max * (h - len), len};
    }

    private boolean onBar(double x) {
        return scrolls && x >= getWidth() - BAR;
    }

    /** Scrolled by (tests). */
    double scrollOffset() {
        return scroll;
    }

    /** The name cut with an ellipsis to fit {@code max} pixels (names of up to 320 px are shown whole). */
    private String elide(String s, double max) {
        if (width(s) <= max + 0.5) {
            return s;
        }
        // cut in the middle: a series' name starts with what it is and ends with the label value that
        // tells it from its neighbours (…instance="127.0.0.1:24103"}), so both ends stay
        int lo = 0;
        int hi = s.length();
        while (lo < hi) {
            int keep = (lo + hi + 1) >>> 1;
            if (width(middle(s, keep)) <= max) {
                lo = keep;
            } else {
                hi = keep - 1;
            }
        }
        return middle(s, lo);
    }

    /** {@code keep} characters of {@code s}: two fifths from its start, the rest from its end, joined by "…". */
    static String middle(String s, int keep) {
        int head = keep * 2 / 5;
        return s.substring(0, head) + "…" + s.substring(s.length() - (keep - head));
    }

    private int indexAt(double x, double y) {
        for (int i = 0; i < boxes.length; i++) {
            if (boxes[i] != null && boxes[i].contains(x, y + scroll)) {
                return i;
            }
        }
        return -1;
    }

    private void setHover(int i) {
        if (i != hover) {
            hover = i;
            // the whole name (the entry may show it cut) and what a click does
            tooltip.setText((i >= 0 ? entries.get(i).name() + "\n" : "") + HELP);
            draw();
        }
    }
}
