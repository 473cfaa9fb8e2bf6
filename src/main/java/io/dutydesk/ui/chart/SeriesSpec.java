package io.dutydesk.ui.chart;

import javafx.scene.paint.Color;

/**
 * What a series is: a stable {@code id} (the key for replace/append/remove and the legend), the
 * {@code name} shown in the legend and hover box, its {@code color} ({@code null}: the next colour of
 * the palette, stable per id) and its {@link ValueUnit}.
 */
public record SeriesSpec(String id, String name, Color color, ValueUnit unit) {
    public SeriesSpec {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a series needs an id");
        }
        name = name == null ? id : name;
        unit = unit == null ? ValueUnit.NONE : unit;
    }

    public static SeriesSpec of(String id, ValueUnit unit) {
        return new SeriesSpec(id, id, null, unit);
    }
}
