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

    /**
     * Places {@code w} (already shown, so sized) inside {@code owner} below its header: moved down if it
     * would cover the header, up if it would hang below the owner; if it is taller than that space,
     * {@code scroll} (its content) is made shorter so that all of it — its buttons too — stays readable in
     * a 1024x640 window. Without a header (or an owner) it is left where it is.
     */
    public static void belowHeader(Window w, Window owner, javafx.scene.control.ScrollPane scroll) {
        Bounds h = headerOnScreen(owner);
        if (w == null || h == null) {
            return;
        }
        double top = h.getMaxY() + GAP;
        double bottom = Math.max(top + 200, owner.getY() + owner.getHeight() - GAP);
        if (w.getHeight() > bottom - top && scroll != null) {
            double cut = w.getHeight() - (bottom - top);
            double viewport = scroll.getViewportBounds().getHeight();
            scroll.setPrefViewportHeight(Math.max(120, viewport - cut));
            scroll.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            w.sizeToScene();
        }
        boolean overlapsHorizontally = w.getX() < h.getMaxX() && w.getX() + w.getWidth() > h.getMinX();
        if (!overlapsHorizontally) {
            return;
        }
        if (w.getY() + w.getHeight() > bottom) {
            w.setY(bottom - w.getHeight());
        }
        if (w.getY() < top) {
            w.setY(top);
        }
    }
}
