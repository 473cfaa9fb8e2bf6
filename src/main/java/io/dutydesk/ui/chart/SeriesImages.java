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
 * <p>The renderer reads a buffer while it renders the pulse that showed it, and a pulse's scene sync
 * waits for the previous render: a buffer shown when the pulse counter was {@code p} is free again
 * three pulses later. Buffers are rotated accordingly; a buffer still possibly in use is never drawn
 * into (a new one is made instead).
 */
final class SeriesImages {
    private static final int KEEP = 3;
    private static final int FREE_AFTER_PULSES = 3;

    private static final class Slot {
        final int w;
        final int h;
        final int[] px;
        final PixelBuffer<IntBuffer> buffer;
        final WritableImage image;
        long shownAt = Long.MIN_VALUE / 2;

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
    private long pulses;

    SeriesImages() {
        view.setMouseTransparent(true);
        view.setSmooth(false);
        view.getStyleClass().add("chart-series");
    }

    ImageView view() {
        return view;
    }

    /** Counts pulses (the chart calls it from its pre-layout pulse listener). */
    void pulse() {
        pulses++;
    }

    /** A {@code w x h} buffer the renderer is done with, to draw into and then {@link #show}. */
    int[] begin(int width, int height) {
        int w = Math.max(1, width);
        int h = Math.max(1, height);
        for (Slot s : slots) {
            if (s.w == w && s.h == h && pulses - s.shownAt >= FREE_AFTER_PULSES) {
                drawing = s;
                return s.px;
            }
        }
        long now = pulses;
        slots.removeIf(s -> (s.w != w || s.h != h) && now - s.shownAt >= FREE_AFTER_PULSES);
        while (slots.size() >= KEEP) { // dropped, not reused: the renderer keeps its own reference while it needs it
            slots.remove(slots.stream().min(Comparator.comparingLong(s -> s.shownAt)).orElseThrow());
        }
        drawing = new Slot(w, h);
        slots.add(drawing);
        return drawing.px;
    }

    /** Shows the buffer drawn since {@link #begin} at {@code x, y} of the plot area. */
    void show(double x, double y) {
        Slot s = drawing;
        if (s == null) {
            return;
        }
        drawing = null;
        s.buffer.updateBuffer(b -> null); // all of it changed
        s.shownAt = pulses;
        view.setImage(s.image);
        view.relocate(x, y);
        view.setVisible(true);
    }

    /** Nothing to show (no data). */
    void hide() {
        view.setVisible(false);
    }
}
