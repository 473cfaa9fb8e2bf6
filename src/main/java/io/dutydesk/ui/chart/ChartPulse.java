package io.dutydesk.ui.chart;

import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;

import java.util.List;

/**
 * When the chart draws: what is dirty, and the one pass per pulse (a scene pre-layout pulse listener
 * while the chart is in a scene) that takes the data's snapshot, follows the theme, updates the legend
 * and redraws the plot and/or the overlay. {@link ChartData} writes (any thread) only set a flag and ask
 * for a pulse, whatever their number.
 */
final class ChartPulse {
    private static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");

    private final TimeSeriesChart chart;
    private final ChartState st;
    private final ChartData data;
    private final ChartSeries series;
    private final ChartLegend legend;
    private final Canvas plot;
    private final Canvas overlay;
    private final PlotRenderer plotRenderer;
    private final OverlayRenderer overlayRenderer;
    private final Runnable dataListener = this::dataChanged;

    private volatile boolean dataDirty = true;
    private boolean legendDirty = true;
    private boolean plotDirty = true;
    private boolean overlayDirty = true;

    ChartPulse(TimeSeriesChart chart, ChartState st, ChartSeries series, ChartLegend legend, Canvas plot, Canvas overlay,
               SeriesImages seriesImages, PlotRenderer plotRenderer, OverlayRenderer overlayRenderer) {
        this.chart = chart;
        this.st = st;
        this.data = chart.data();
        this.series = series;
        this.legend = legend;
        this.plot = plot;
        this.overlay = overlay;
        this.plotRenderer = plotRenderer;
        this.overlayRenderer = overlayRenderer;
        Runnable pulseListener = () -> {
            seriesImages.preLayout();
            run();
        };
        Runnable postLayoutListener = seriesImages::postLayout;
        chart.sceneProperty().addListener((o, old, now) -> {
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
                plotChanged();
            }
        });
    }

    private void dataChanged() {
        dataDirty = true;
        Platform.requestNextPulse();
    }

    /** Plot and overlay are drawn again on the next pulse. */
    void plotChanged() {
        plotDirty = true;
        overlayDirty = true;
        if (chart.getScene() != null) {
            Platform.requestNextPulse();
        }
    }

    void overlayChanged() {
        overlayDirty = true;
        Platform.requestNextPulse();
    }

    void legendChanged() {
        legendDirty = true;
    }

    boolean pending() {
        return dataDirty || legendDirty || plotDirty || overlayDirty;
    }

    /** The canvases changed size: draw now (the layout pass runs inside the pulse: in this frame). */
    void resized() {
        plotDirty = true;
        overlayDirty = true;
        run();
    }

    void run() {
        if (chart.renderScale() != st.drawnScale) {
            plotDirty = true; // moved to a screen of another scale: the series' buffer is drawn again at it
        }
        if (chart.followThemeProperty().get()) {
            Scene sc = chart.getScene();
            boolean d = sc != null && sc.getRoot() != null && sc.getRoot().getPseudoClassStates().contains(DARK);
            if (d != chart.darkProperty().get()) {
                chart.darkProperty().set(d);
            }
        }
        if (dataDirty) {
            dataDirty = false;
            st.snap = data.snapshot();
            plotDirty = true;
            overlayDirty = true;
            chart.updateVisibleRange();
            legendDirty = true;
        }
        if (st.snap == null) {
            st.snap = data.snapshot();
        }
        if (legendDirty) {
            legendDirty = false;
            boolean dark = chart.darkProperty().get();
            List<ChartLegend.Entry> entries = series.legendEntries(st.snap, dark);
            if (entries != null) {
                legend.setEntries(entries, dark);
                chart.requestLayout();
            }
        }
        if (plotDirty && plot.getWidth() > 1 && plot.getHeight() > 1) {
            plotDirty = false;
            plotRenderer.draw();
        }
        if (overlayDirty && overlay.getWidth() > 1) {
            overlayDirty = false;
            overlayRenderer.draw();
        }
    }
}
