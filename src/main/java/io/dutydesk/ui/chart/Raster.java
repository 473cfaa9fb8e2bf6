package io.dutydesk.ui.chart;

import java.util.Arrays;

/**
 * A premultiplied ARGB pixel buffer the series are drawn into with antialiased 1-pixel lines
 * (Xiaolin Wu), on the FX thread, then handed to the canvas as one image: the render thread has a
 * single blit to do instead of rasterising hundreds of thousands of path segments.
 */
final class Raster {
    int width;
    int height;
    int[] pixels = new int[0];

    void reset(int w, int h) {
        width = w;
        height = h;
        if (pixels.length < w * h) {
            pixels = new int[w * h];
        } else {
            Arrays.fill(pixels, 0, w * h, 0);
        }
    }

    /** An antialiased line; {@code rgb} is 0xRRGGBB. Coordinates may lie outside (clipped per pixel). */
    void line(double x0, double y0, double x1, double y1, int rgb) {
        if (Double.isNaN(y0) || Double.isNaN(y1)) {
            return;
        }
        // clip absurd coordinates (values far off the axis) to a band around the buffer
        y0 = Math.max(-2, Math.min(height + 2, y0));
        y1 = Math.max(-2, Math.min(height + 2, y1));
        x0 = Math.max(-2, Math.min(width + 2, x0));
        x1 = Math.max(-2, Math.min(width + 2, x1));
        boolean steep = Math.abs(y1 - y0) > Math.abs(x1 - x0);
        if (steep) {
            double t = x0;
            x0 = y0;
            y0 = t;
            t = x1;
            x1 = y1;
            y1 = t;
        }
        if (x0 > x1) {
            double t = x0;
            x0 = x1;
            x1 = t;
            t = y0;
            y0 = y1;
            y1 = t;
        }
        double dx = x1 - x0;
        double dy = y1 - y0;
        double gradient = dx < 1e-9 ? 1 : dy / dx;
        int xs = (int) Math.round(x0);
        int xe = (int) Math.round(x1);
        double y = y0 + gradient * (xs - x0);
        for (int x = xs; x <= xe; x++) {
            int yi = (int) Math.floor(y);
            double f = y - yi;
            if (steep) {
                blend(yi, x, 1 - f, rgb);
                blend(yi + 1, x, f, rgb);
            } else {
                blend(x, yi, 1 - f, rgb);
                blend(x, yi + 1, f, rgb);
            }
            y += gradient;
        }
    }

    /** A small filled square (an isolated point). */
    void dot(double cx, double cy, int rgb) {
        int x = (int) Math.round(cx);
        int y = (int) Math.round(cy);
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                blend(x + dx, y + dy, 1, rgb);
            }
        }
    }

    private void blend(int x, int y, double coverage, int rgb) {
        if (x < 0 || y < 0 || x >= width || y >= height || coverage <= 0.02) {
            return;
        }
        int a = (int) (Math.min(1, coverage) * 255 + 0.5);
        int i = y * width + x;
        int d = pixels[i];
        int inv = 255 - a;
        int da = d >>> 24;
        int dr = (d >> 16) & 0xff;
        int dg = (d >> 8) & 0xff;
        int db = d & 0xff;
        int sr = ((rgb >> 16) & 0xff) * a / 255;
        int sg = ((rgb >> 8) & 0xff) * a / 255;
        int sb = (rgb & 0xff) * a / 255;
        pixels[i] = ((a + da * inv / 255) << 24) | ((sr + dr * inv / 255) << 16) | ((sg + dg * inv / 255) << 8) | (sb + db * inv / 255);
    }
}
