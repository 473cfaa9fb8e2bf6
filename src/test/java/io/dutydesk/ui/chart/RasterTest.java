package io.dutydesk.ui.chart;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RasterTest {

    @Test
    void aSpanIsSolidFromRowToRowInclusive() {
        Raster r = new Raster();
        r.reset(10, 20);
        r.span(3, 12.2, 4.6, 0x123456);
        for (int y = 0; y < 20; y++) {
            int expected = y >= 5 && y <= 12 ? 0xff123456 : 0;
            assertEquals(expected, r.pixels[y * 10 + 3], "row " + y);
        }
        assertEquals(8, Arrays.stream(r.pixels).filter(p -> p != 0).count());
    }

    @Test
    void twoStripsDrawExactlyWhatOneBufferDraws() {
        Random rnd = new Random(5);
        Raster whole = new Raster();
        whole.reset(97, 61);
        Raster split = new Raster();
        split.reset(97, 61);
        Raster left = split.strip(0, 40);
        Raster right = split.strip(40, 97);
        for (int i = 0; i < 300; i++) {
            double x0 = rnd.nextDouble() * 140 - 20;
            double y0 = rnd.nextDouble() * 100 - 20;
            double x1 = rnd.nextDouble() * 140 - 20;
            double y1 = rnd.nextDouble() * 100 - 20;
            int rgb = rnd.nextInt(0x1000000);
            whole.line(x0, y0, x1, y1, rgb);
            left.line(x0, y0, x1, y1, rgb);
            right.line(x0, y0, x1, y1, rgb);
            int x = rnd.nextInt(97);
            whole.span(x, y0, y1, rgb);
            left.span(x, y0, y1, rgb);
            right.span(x, y0, y1, rgb);
        }
        assertArrayEquals(whole.pixels, split.pixels);
    }

    @Test
    void aLineFromFarOutsideEntersAtTheRightHeight() {
        Raster r = new Raster();
        r.reset(100, 100);
        // from (-10000, 0) to (100, 50): at x = 0 the line is at y ~ 49.5, not at 0
        r.line(-10_000, 0, 100, 50, 0xffffff);
        int top = -1;
        for (int y = 0; y < 100; y++) {
            if (r.pixels[y * 100] != 0) {
                top = y;
                break;
            }
        }
        assertTrue(top >= 48 && top <= 50, "entered at row " + top);
    }

    @Test
    void blendingIsPremultipliedSourceOver() {
        Raster r = new Raster();
        r.reset(4, 4);
        r.line(0, 1.5, 3, 1.5, 0xff0000); // half coverage on rows 1 and 2
        int p = r.pixels[1 * 4 + 1];
        int a = p >>> 24;
        int red = (p >> 16) & 0xff;
        assertTrue(a > 100 && a < 150, "alpha " + a);
        assertEquals(a, red, "premultiplied: red equals alpha for pure red");
    }
}
