package io.dutydesk.ui.fx;

import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Labeled;

/**
 * What a pane that keeps polling while hidden (the slots for the rollback chip, the alerts for the notifications)
 * draws only while it is shown. A hidden pane stays in the scene ({@code ShellView.showNode}), and JavaFX repaints
 * the whole window for a pulse in which only invisible nodes changed (it finds no dirty region and paints everything):
 * "read at 20:51:05" changing in a hidden pane at each poll cost a full repaint every poll (P8). Shown again, the
 * label says the latest at once.
 */
public final class WhileShown {
    private WhileShown() {
    }

    /** {@code l} says {@code text} while {@code shown}; hidden, it keeps what it said until it is shown again. FX thread. */
    public static void text(Labeled l, ObservableValue<String> text, ObservableBooleanValue shown) {
        Runnable draw = () -> {
            if (shown.get()) {
                l.setText(text.getValue());
            }
        };
        text.addListener((o, a, b) -> draw.run());
        shown.addListener((o, a, b) -> draw.run());
        l.setText(text.getValue());
    }
}
