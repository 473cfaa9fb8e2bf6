package io.dutydesk.ui.chart;

import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.paint.Color;

/** The chart's colours in the light and the dark theme, the series palette and the dark theme's adaptation. */
record ChartColors(Color bg, Color grid, Color axis, Color text, Color crosshair, Color selection, Color labelBg) {
    static final ChartColors LIGHT = new ChartColors(Color.web("#ffffff"), Color.web("#eaeef2"), Color.web("#d0d7de"),
            Color.web("#57606a"), Color.web("#6e7781"), Color.web("#0969da", 0.15), Color.web("#ffffff", 0.85));
    static final ChartColors DARK = new ChartColors(Color.web("#0d1117"), Color.web("#21262d"), Color.web("#30363d"),
            Color.web("#9ea7b3"), Color.web("#8b949e"), Color.web("#388bfd", 0.22), Color.web("#0d1117", 0.85));

    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173"};

    static ChartColors of(boolean dark) {
        return dark ? DARK : LIGHT;
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
    static Color adapt(Color c, boolean dark) {
        return dark ? Color.hsb(c.getHue(), c.getSaturation() * 0.85, Math.min(1, c.getBrightness() * 1.25 + 0.1)) : c;
    }

    /** The chart's opaque background: it makes the chart the render root of its area. */
    static Background opaque(boolean dark) {
        return new Background(new BackgroundFill(of(dark).bg(), null, null));
    }

    static int rgbOf(Color color) {
        return ((int) Math.round(color.getRed() * 255) << 16) | ((int) Math.round(color.getGreen() * 255) << 8)
                | (int) Math.round(color.getBlue() * 255);
    }
}
