package io.dutydesk.ui.fx;

import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.stage.Window;

/**
 * Where the console's own windows go: never over the window's header (the top bar with the environment
 * and the health of its backends, style class {@value #HEADER}), which must stay readable while a dialog
 * asks about that environment.
 */
public final class Placement {
    /** The style class of the header: the shell's top bar. */
    public static final String HEADER = "top-bar";
    private static final double GAP = 6;

    private Placement() {}

    /** The header's bounds on the screen, or null when {@code owner} shows none. */
    public static Bounds headerOnScreen(Window owner) {
        if (owner == null || owner.getScene() == null) {
            return null;
        }
        Node header = owner.getScene().getRoot().lookup("." + HEADER);
        return header == null || header.getScene() == null ? null : header.localToScreen(header.getLayoutBounds());
    }

    /** Moves {@code w} (already shown, so sized) down to just below {@code owner}'s header if it would cover it. */
    public static void belowHeader(Window w, Window owner) {
        Bounds h = headerOnScreen(owner);
        if (w == null || h == null) {
            return;
        }
        boolean overlapsHorizontally = w.getX() < h.getMaxX() && w.getX() + w.getWidth() > h.getMinX();
        if (overlapsHorizontally && w.getY() < h.getMaxY() + GAP) {
            w.setY(h.getMaxY() + GAP);
        }
    }
}
