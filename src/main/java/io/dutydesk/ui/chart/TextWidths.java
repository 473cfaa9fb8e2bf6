package io.dutydesk.ui.chart;

import javafx.scene.text.Font;
import javafx.scene.text.Text;

import java.util.HashMap;
import java.util.Map;

/**
 * Label widths for canvas drawing, measured once (a measure costs a text layout; a pan or a legend
 * redraw asks for the same strings again). FX thread; bounded.
 */
final class TextWidths {
    private static final int MAX = 4096;
    private final Text measure = new Text();
    private final Map<Font, Map<String, Double>> widths = new HashMap<>();
    private int size;

    double of(String s, Font f) {
        if (size > MAX) {
            widths.clear();
            size = 0;
        }
        Map<String, Double> byText = widths.computeIfAbsent(f, k -> new HashMap<>());
        Double w = byText.get(s);
        if (w == null) {
            measure.setFont(f);
            measure.setText(s);
            w = measure.getLayoutBounds().getWidth();
            byText.put(s, w);
            size++;
        }
        return w;
    }
}
