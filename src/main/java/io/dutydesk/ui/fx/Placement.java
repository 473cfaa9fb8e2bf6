package io.dutydesk.ui.fx;

import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.stage.Screen;
import javafx.stage.Window;

/**
 * Where the console's own windows go: never over the window's header (the top bar with the environment
 * and the health of its backends, style class {@value #HEADER}), which must stay readable while a dialog
 * asks about that environment; and how big they are: as big as their content, within that room.
 */
public final class Placement {
    /** The style class of the header: the shell's top bar. */
    public static final String HEADER = "top-bar";
    private static final double GAP = 6;
    /** The least a dialog's scrolling part shows (about four lines) however small the room. */
    static final double MIN_VIEWPORT = 80;
    private static final String DECORATIONS = Placement.class.getName() + ".decorations";

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
     * Where the main window opens on a screen whose usable area is {@code visual}: {@code prefW} x {@code prefH} centred
     * when that fits, else as much of it as fits (never below {@code minW} x {@code minH}, the least it lays out in),
     * at the area's top left — so that on a 1024x640 screen the whole window, its header and its bottom, is on it.
     */
    public static Rectangle2D mainWindow(Rectangle2D visual, double prefW, double prefH, double minW, double minH) {
        double w = Math.max(minW, Math.min(prefW, visual.getWidth()));
        double h = Math.max(minH, Math.min(prefH, visual.getHeight()));
        double x = visual.getMinX() + Math.max(0, (visual.getWidth() - w) / 2);
        double y = visual.getMinY() + Math.max(0, (visual.getHeight() - h) / 2);
        return new Rectangle2D(Math.floor(x), Math.floor(y), w, h);
    }

    /**
     * The room a dialog of {@code owner} may take on the screen: the owner's window below its header; without a
     * header the owner's window; without an owner the primary screen's visual bounds.
     */
    public static Bounds room(Window owner) {
        if (owner == null || !owner.isShowing()) {
            Rectangle2D v = Screen.getPrimary().getVisualBounds();
            return new BoundingBox(v.getMinX(), v.getMinY(), v.getWidth(), v.getHeight());
        }
        Bounds h = headerOnScreen(owner);
        double top = h == null ? owner.getY() : h.getMaxY() + GAP;
        double bottom = Math.max(top + 200, owner.getY() + owner.getHeight() - GAP);
        return new BoundingBox(owner.getX(), top, owner.getWidth(), bottom - top);
    }

    /**
     * Sizes {@code w} (shown) to its content within {@link #room}: {@code scroll} (the part of it that may
     * scroll) is given the height its content needs at its width — the dialog grows when its content grows —
     * but no more than leaves the rest of the dialog (its fixed parts, its buttons) inside the room, so
     * everything outside {@code scroll} is always on the screen. Then {@link #belowHeader} places it. Call it
     * again whenever the content changed.
     */
    public static void fit(Window w, Window owner, ScrollPane scroll) {
        if (w == null || w.getScene() == null || scroll == null || !(scroll.getContent() instanceof Parent content)) {
            return;
        }
        Scene scene = w.getScene();
        Parent root = scene.getRoot();
        root.applyCss();
        root.layout();
        // the frame a window manager adds, measured once while the window and its scene agree (a resize asked for
        // before reaches the scene only later)
        Object known = w.getProperties().get(DECORATIONS);
        double decorations = known instanceof Double d ? d : Math.max(0, w.getHeight() - scene.getHeight());
        w.getProperties().put(DECORATIONS, decorations);
        double viewportWidth = scroll.getViewportBounds().getWidth() > 0 ? scroll.getViewportBounds().getWidth()
                : scroll.getWidth() - scroll.snappedLeftInset() - scroll.snappedRightInset();
        double wanted = Math.ceil(content.prefHeight(viewportWidth));
        Bounds room = room(owner);
        scroll.setMinViewportHeight(Math.min(wanted, MIN_VIEWPORT));
        scroll.setPrefViewportHeight(wanted);
        double height = root.prefHeight(scene.getWidth()) + decorations;
        if (height > room.getHeight()) {
            scroll.setPrefViewportHeight(Math.max(Math.min(wanted, MIN_VIEWPORT), wanted - (height - room.getHeight())));
            height = root.prefHeight(scene.getWidth()) + decorations;
        }
        if (Math.abs(w.getHeight() - height) >= 1) {
            // the width with it: on GTK a height alone never reaches the window (glass asks gtk_window_resize for width 0,
            // refused) while JavaFX lays the scene out at the new height — what grew (the buttons) was drawn below its edge
            w.setWidth(w.getWidth());
            w.setHeight(Math.ceil(height));
        }
        place(w, owner, room);
    }

    /** Moves {@code w} into the room: below the header, not hanging below the owner (when it overlaps them). */
    private static void place(Window w, Window owner, Bounds room) {
        if (owner != null && headerOnScreen(owner) != null) {
            belowHeader(w, owner, null);
            return;
        }
        if (w.getY() + w.getHeight() > room.getMaxY()) {
            w.setY(room.getMaxY() - w.getHeight());
        }
        if (w.getY() < room.getMinY()) {
            w.setY(room.getMinY());
        }
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
