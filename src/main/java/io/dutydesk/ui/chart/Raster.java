package io.dutydesk.ui.chart;

import java.util.Arrays;

/**
 * A premultiplied ARGB pixel buffer the series are drawn into, then handed to the canvas as one image:
 * the render thread has a single blit to do instead of rasterising hundreds of thousands of path
 * segments. Pixel centres are at integer coordinates: pixel {@code (x, y)} covers {@code [x, x+1)} on
 * the canvas. Dense columns are solid 1-pixel vertical runs ({@link #span}); the joins between them and
 * sparse lines are antialiased (Xiaolin Wu, integer blending).
 *
 * <p>A {@link #strip} shares the pixels and draws only its own columns, so strips can be drawn by
 * different threads at the same time (they never write the same element).
 */
final class Raster {
    int width;
    int height;
    int[] pixels = new int[0];
    private int clipX0;
    private int clipX1;

    void reset(int w, int h) {
        reset(w, h, pixels.length < w * h ? new int[w * h] : pixels);
    }

    /** Draws into {@code target} (at least {@code w * h}) from now on, cleared. */
    void reset(int w, int h, int[] target) {
        width = w;
        height = h;
        clipX0 = 0;
        clipX1 = w;
        pixels = target;
        Arrays.fill(pixels, 0, w * h, 0);
    }

    /** A view on the same pixels that draws only columns {@code x0..x1-1}. */
    Raster strip(int x0, int x1) {
        Raster r = new Raster();
        r.width = width;
        r.height = height;
        r.pixels = pixels;
        r.clipX0 = Math.max(0, x0);
        r.clipX1 = Math.min(width, x1);
        return r;
    }

    int clipX0() {
        return clipX0;
    }

    int clipX1() {
        return clipX1;
    }

    /** A solid vertical run in column {@code x} covering rows {@code ya..yb} (either order). */
    void span(int x, double ya, double yb, int rgb) {
        if (x < clipX0 || x >= clipX1 || Double.isNaN(ya) || Double.isNaN(yb)) {
            return;
        }
        int y0 = (int) Math.round(Math.max(-1, Math.min(ya, yb)));
        int y1 = (int) Math.round(Math.min(height, Math.max(ya, yb)));
        y0 = Math.max(0, y0);
        y1 = Math.min(height - 1, y1);
        int c = 0xff000000 | rgb;
        int[] p = pixels;
        for (int i = y0 * width + x, end = y1 * width + x; i <= end; i += width) {
            p[i] = c;
        }
    }

    /** An antialiased line; {@code rgb} is 0xRRGGBB. Coordinates may lie outside (clipped per pixel). */
    void line(double x0, double y0, double x1, double y1, int rgb) {
        if (Double.isNaN(y0) || Double.isNaN(y1) || Double.isNaN(x0) || Double.isNaN(x1)) {
            return;
        }
        if (x0 > x1) {
            line(x1, y1, x0, y0, rgb);
            return;
        }
        // clip to a band around this strip, along the line (points far outside keep the slope right)
        double left = clipX0 - 2;
        double right = clipX1 + 2;
        if (x1 < left || x0 > right || (y0 < -2 && y1 < -2) || (y0 > height + 2 && y1 > height + 2)) {
            return;
        }
        if (x0 < left) {
            y0 += (y1 - y0) * (left - x0) / (x1 - x0);
            x0 = left;
        }
        if (x1 > right) {
            y1 = y0 + (y1 - y0) * (right - x0) / (x1 - x0);
            x1 = right;
        }
        double top = -2;
        double bottom = height + 2;
        if (y0 < top || y0 > bottom || y1 < top || y1 > bottom) {
            double ty0 = Math.max(top, Math.min(bottom, y0));
            double ty1 = Math.max(top, Math.min(bottom, y1));
            if (y1 != y0) {
                double nx0 = x0 + (x1 - x0) * (ty0 - y0) / (y1 - y0);
                double nx1 = x0 + (x1 - x0) * (ty1 - y0) / (y1 - y0);
                x0 = nx0;
                x1 = nx1;
            }
            y0 = ty0;
            y1 = ty1;
        }
        if (Math.abs(y1 - y0) > Math.abs(x1 - x0)) {
            wu(y0, x0, y1, x1, true, rgb); // steep: walk the rows
        } else {
            wu(x0, y0, x1, y1, false, rgb);
        }
    }

    /** Wu's walk along the major axis x (when steep, x and y come swapped: the walk is along rows). */
    private void wu(double x0, double y0, double x1, double y1, boolean steep, int rgb) {
        if (x0 > x1) {
            wu(x1, y1, x0, y0, steep, rgb);
            return;
        }
        double dx = x1 - x0;
        double gradient = dx < 1e-9 ? 0 : (y1 - y0) / dx;
        int xs = (int) Math.round(x0);
        int xe = (int) Math.round(x1);
        if (!steep) { // the major axis is x: walk only this strip's columns
            int lo = Math.max(xs, clipX0);
            int hi = Math.min(xe, clipX1 - 1);
            if (lo > hi) {
                return;
            }
            double y = y0 + gradient * (lo - x0);
            for (int x = lo; x <= hi; x++, y += gradient) {
                int yi = (int) Math.floor(y);
                int f = (int) ((y - yi) * 255 + 0.5);
                blend(x, yi, 255 - f, rgb);
                blend(x, yi + 1, f, rgb);
            }
        } else {
            double y = y0 + gradient * (xs - x0);
            for (int x = xs; x <= xe; x++, y += gradient) {
                int yi = (int) Math.floor(y);
                int f = (int) ((y - yi) * 255 + 0.5);
                blend(yi, x, 255 - f, rgb);
                blend(yi + 1, x, f, rgb);
            }
        }
    }

    /** A small filled square (an isolated point). */
    void dot(double cx, double cy, int rgb) {
        int x = (int) Math.round(cx);
        int y = (int) Math.round(cy);
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                blend(x + dx, y + dy, 255, rgb);
            }
        }
    }

    /** Source-over of {@code rgb} at coverage {@code a} (0..255) onto a premultiplied pixel. */
    private void blend(int x, int y, int a, int rgb) {
        if (x < clipX0 || x >= clipX1 || y < 0 || y >= height || a <= 4) {
            return;
        }
        int i = y * width + x;
        if (a >= 251) {
            pixels[i] = 0xff000000 | rgb;
            return;
        }
        int d = pixels[i];
        int inv = 255 - a;
        int oa = a + div255((d >>> 24) * inv);
        int or = div255(((rgb >> 16) & 0xff) * a + ((d >> 16) & 0xff) * inv);
        int og = div255(((rgb >> 8) & 0xff) * a + ((d >> 8) & 0xff) * inv);
        int ob = div255((rgb & 0xff) * a + (d & 0xff) * inv);
        pixels[i] = (oa << 24) | (or << 16) | (og << 8) | ob;
    }

    /** {@code v / 255} rounded, for {@code 0 <= v <= 255 * 255}. */
    private static int div255(int v) {
        v += 128;
        return (v + (v >> 8)) >> 8;
    }
}
