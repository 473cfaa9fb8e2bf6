package io.dutydesk.ui.chart;

import javafx.scene.paint.Color;

/**
 * A vertical line at a moment (a deploy, a rollback): a short {@code label} drawn at the top of the
 * plot, the {@code detail} (who, what, exit) in the hover box when the pointer is near it.
 */
public record Marker(long timeMillis, String label, String detail, Color color) {
    public Marker {
        label = label == null ? "" : label;
        detail = detail == null ? label : detail;
        color = color == null ? Color.web("#8250df") : color;
    }
}
