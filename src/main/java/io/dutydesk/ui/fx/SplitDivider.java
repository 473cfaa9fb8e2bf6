package io.dutydesk.ui.fx;

import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseEvent;

/**
 * A split pane's first divider kept where it was set (the layout's position, else where the user last dragged it) at
 * every size. Left alone, a {@link SplitPane} moves its divider to honour its items' minimum heights when it is short
 * (a window made small, a pane laid out once at a passing size) and leaves it there when it grows again: the window
 * trial's slot cards came back about 140 px tall in a window where they were twice that. Here every change of size puts
 * the divider back at the wanted position, the minimums still honoured by the split pane.
 */
public final class SplitDivider {
    private SplitDivider() {
    }

    /** Keeps {@code split}'s first divider at its position now, or where the user drags it to. */
    public static void keep(SplitPane split) {
        if (split.getDividers().isEmpty()) {
            return;
        }
        double[] wanted = {split.getDividers().get(0).getPosition()};
        split.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            for (Node n = e.getPickResult().getIntersectedNode(); n != null && n != split; n = n.getParent()) {
                if (n.getStyleClass().contains("split-pane-divider")) {
                    wanted[0] = split.getDividers().get(0).getPosition(); // dragged: the user's choice from now on
                    return;
                }
            }
        });
        Runnable back = () -> {
            if (split.getDividers().get(0).getPosition() != wanted[0]) {
                split.setDividerPosition(0, wanted[0]);
            }
        };
        split.heightProperty().addListener((o, was, now) -> back.run());
        split.widthProperty().addListener((o, was, now) -> back.run());
    }
}
