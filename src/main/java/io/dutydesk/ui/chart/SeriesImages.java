package io.dutydesk.ui.chart;

import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The series layer as an {@link ImageView} over pixel buffers in the renderer's own format (int ARGB
 * premultiplied): the painter draws straight into the buffer, nothing is converted on either thread,
 * and the image goes to the screen in one blit instead of through a canvas' off-screen texture.
 *
 * <p>When is a buffer free to draw into again? A pulse's scene sync happens after its post-layout
 * listeners and, when the scene is dirty (a {@link #show} makes it so), first waits for the previous
 * render. A buffer shown before post-layout number {@code k+1} is read by the render that follows
 * sync {@code k+1}; that render is over once a later dirty sync has completed, which the next pulse's
 * pre-layout knows. So a buffer is handed out again only when (1) it is not the one on screen and (2)
 * a dirty sync after its own has completed. Otherwise a new buffer is made (at most a few are kept;
 * one dropped while still in use stays alive through the renderer's reference).
 */
final class SeriesImages {
    private static final int KEEP = 3;

    private static final class Slot {
        final int w;
        final int h;
        final int[] px;
        final PixelBuffer<IntBuffer> buffer;
        final WritableImage image;
        long syncedBy = Long.MIN_VALUE / 2;

        Slot(int w, int h) {
            this.w = w;
            this.h = h;
            px = new int[w * h];
            buffer = new PixelBuffer<>(w, h, IntBuffer.wrap(px), PixelFormat.getIntArgbPreInstance());
            image = new WritableImage(buffer);
        }
    }

    private final ImageView view = new ImageView();
    private final List<Slot> slots = new ArrayList<>();
    private Slot drawing;
    private long syncs;                 // post-layout passes seen: a sync follows each
    private long lastDirtySync = -1;    // the last sync that had a show before it
    private long dirtySyncDone = -1;    // the last such sync known to be complete
    private boolean shownSincePostLayout;

    SeriesImages() {
        view.setMouseTransparent(true);
        view.setSmooth(false); // drawn at the output scale: one buffer pixel per device pixel
        view.getStyleClass().add("chart-series");
    }

    ImageView view() {
        return view;
    }

    /** From the scene's pre-layout pulse listener: the previous pulse, its sync included, is over. */
    void preLayout() {
        dirtySyncDone = Math.max(dirtySyncDone, lastDirtySync);
    }

    /** From the scene's post-layout pulse listener: this pulse's sync comes next. */
    void postLayout() {
        syncs++;
        if (shownSincePostLayout) {
            lastDirtySync = syncs;
            shownSincePostLayout = false;
        }
    }

    /** A {@code w x h} buffer the renderer is done with, to draw into and then {@link #show}. */
    int[] begin(int width, int height) {
        int w = Math.max(1, width);
        int h = Math.max(1, height);
        for (Slot s : slots) {
            if (s.w == w && s.h == h && free(s)) {
                drawing = s;
                return s.px;
            }
        }
        slots.removeIf(s -> (s.w != w || s.h != h) && free(s));
        while (slots.size() >= KEEP) {
            slots.remove(slots.stream().filter(s -> s.image != view.getImage())
                    .min(Comparator.comparingLong(s -> s.syncedBy)).orElseThrow());
        }
        drawing = new Slot(w, h);
        slots.add(drawing);
        return drawing.px;
    }

    private boolean free(Slot s) {
        return s.image != view.getImage() && dirtySyncDone >= s.syncedBy + 1;
    }

    /**
     * Shows the buffer drawn since {@link #begin} at {@code x, y} of the plot area, {@code fitW x fitH}
     * logical pixels (the buffer has the output scale's device pixels).
     */
    void show(double x, double y, double fitW, double fitH) {
        Slot s = drawing;
        if (s == null) {
            return;
        }
        drawing = null;
        s.buffer.updateBuffer(b -> null); // all of it changed
        s.syncedBy = syncs + 1;
        shownSincePostLayout = true;
        view.setImage(s.image);
        view.setFitWidth(fitW);
        view.setFitHeight(fitH);
        view.relocate(x, y);
        view.setVisible(true);
    }

    /** Nothing to show (no data). */
    void hide() {
        view.setVisible(false);
    }

    /** How many buffers exist (tests). */
    int buffers() {
        return slots.size();
    }
}
