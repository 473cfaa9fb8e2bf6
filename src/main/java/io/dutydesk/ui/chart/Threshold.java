package io.dutydesk.ui.chart;

import javafx.scene.paint.Color;

/** A horizontal line at {@code value} (e.g. "pending 1000: act"), drawn dashed with its label. */
public record Threshold(double value, String label, Color color) {
    public Threshold {
        label = label == null ? "" : label;
        color = color == null ? Color.web("#cf222e") : color;
    }
}
