package io.dutydesk.ui.chart;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The series layer without JavaFX: cache, strips and spikes, pixel for pixel. */
class SeriesPainterTest {
    static final long T0 = 1_790_000_000_000L;
    static final long STEP = 15_000;
    static final int W = 640;
    static final int H = 300;

    static List<ChartData.SeriesView> series(int count, int points, long seed) {
        Random rnd = new Random(seed);
        List<ChartData.SeriesView> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            long[] t = new long[points];
            double[] v = new double[points];
            double x = 10 * s;
            for (int i = 0; i < points; i++) {
                t[i] = T0 + i * STEP;
                x += rnd.nextGaussian();
                v[i] = x;
            }
            out.add(new ChartData.SeriesView(new SeriesSpec("s" + s, "series " + s, null, ValueUnit.SI), t, v, points, 0));
        }
        return out;
    }

    static int[] paint(SeriesPainter p, List<ChartData.SeriesView> ss, long from, long to) {
        p.decimate(ss, from, to, W);
        double[] r = p.valueRange(ss, T0, T0 + 20_000 * STEP); // one value axis for every frame compared
        int[] rgb = new int[ss.size()];
        for (int k = 0; k < rgb.length; k++) {
            rgb[k] = 0x102030 * (k + 1) & 0xffffff;
        }
        p.paint(W, H, r[0], r[1], rgb);
        return Arrays.copyOf(p.raster.pixels, W * H);
    }

    @Test
    void aPanInsideTheWindowRebuildsNothingAndDrawsWhatAFreshPainterDraws() {
        List<ChartData.SeriesView> ss = series(5, 11_000, 1);
        long span = 5_000 * STEP;
        SeriesPainter cached = new SeriesPainter(false);
        paint(cached, ss, T0 + 2_000 * STEP, T0 + 2_000 * STEP + span);
        long rebuilds = cached.rebuilds();
        for (int i = 1; i <= 10; i++) {
            long from = T0 + 2_000 * STEP + i * span / 100;
            int[] a = paint(cached, ss, from, from + span);
            int[] b = paint(new SeriesPainter(false), ss, from, from + span);
            assertArrayEquals(b, a, "pan " + i + ": the cached columns draw exactly what a fresh decimation draws");
        }
        assertEquals(rebuilds, cached.rebuilds(), "ten pans of 1 % inside the window: no series decimated again");
        paint(cached, ss, T0 + 2_000 * STEP, T0 + 2_000 * STEP + span / 2);
        assertEquals(rebuilds + 5, cached.rebuilds(), "a zoom is another scale: every series again");
    }

    @Test
    void newDataRebuildsOnlyThatSeries() {
        List<ChartData.SeriesView> ss = new ArrayList<>(series(3, 2_000, 2));
        SeriesPainter p = new SeriesPainter(false);
        paint(p, ss, T0, T0 + 2_000 * STEP);
        long before = p.rebuilds();
        ChartData.SeriesView old = ss.get(1);
        double[] v = old.v().clone();
        v[1_000] += 50;
        ss.set(1, new ChartData.SeriesView(old.spec(), old.t(), v, old.size(), 0));
        paint(p, ss, T0, T0 + 2_000 * STEP);
        assertEquals(before + 1, p.rebuilds());
    }

    @Test
    void stripsDrawnInParallelEqualOnePass() {
        List<ChartData.SeriesView> ss = series(40, 11_000, 3);
        int[] one = paint(new SeriesPainter(false), ss, T0 + 123_456, T0 + 10_000 * STEP);
        SeriesPainter parallel = new SeriesPainter(true);
        int[] two = paint(parallel, ss, T0 + 123_456, T0 + 10_000 * STEP);
        assertArrayEquals(one, two);
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one core: no workers");
        assertTrue(parallel.lastPaintParts() > 1, "the strips really were drawn by several threads");
    }

    @Test
    void aOnePointSpikeAmongElevenThousandReachesTheTopRow() {
        long[] t = new long[11_000];
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = T0 + i * STEP;
            v[i] = Math.sin(i / 300.0);
        }
        v[7_777] = 100;
        List<ChartData.SeriesView> ss = List.of(new ChartData.SeriesView(new SeriesSpec("a", "a", null, ValueUnit.SI), t, v, t.length, 0));
        SeriesPainter p = new SeriesPainter(false);
        p.decimate(ss, T0, t[t.length - 1], W);
        double[] r = p.valueRange(ss, T0, t[t.length - 1]);
        assertEquals(100, r[1]);
        p.paint(W, H, r[0], r[1], new int[] {0xff0000});
        int spikeColumn = (int) (Decimator.gridColumn(t[7_777], W / (double) (t[t.length - 1] - T0)) - Decimator.gridColumn(T0, W / (double) (t[t.length - 1] - T0)));
        assertEquals(0xffff0000, p.raster.pixels[spikeColumn], "the spike's column is painted up to the top row");
        int painted = 0;
        for (int x = 0; x < W; x++) {
            painted += p.raster.pixels[x] != 0 ? 1 : 0;
        }
        assertEquals(1, painted, "and only that column reaches the top");
    }

    @Test
    void aSeriesOnTheBottomOfTheAxisIsDrawnOnTheLastRow() {
        long[] t = new long[2_000];
        double[] v = new double[t.length]; // an error rate of 0, dense and sparse
        for (int i = 0; i < t.length; i++) {
            t[i] = T0 + i * STEP;
        }
        for (long span : new long[] {(t.length - 1) * STEP, 20 * STEP}) {
            List<ChartData.SeriesView> ss = List.of(new ChartData.SeriesView(new SeriesSpec("a", "a", null, ValueUnit.SI), t, v, t.length, 0));
            SeriesPainter p = new SeriesPainter(false);
            p.decimate(ss, T0, T0 + span, W);
            p.paint(W, H, 0, 1, new int[] {0x00ff00});
            int painted = 0;
            for (int x = 0; x < W; x++) {
                painted += p.raster.pixels[(H - 1) * W + x] != 0 ? 1 : 0;
            }
            assertTrue(painted >= W - 1, "span " + span + ": the zero line covers the last row, " + painted + " of " + W);
        }
    }

    @Test
    void aSparseLineIsAntialiasedAndContinuous() {
        long[] t = {T0, T0 + 60_000};
        double[] v = {0, 1};
        List<ChartData.SeriesView> ss = List.of(new ChartData.SeriesView(new SeriesSpec("a", "a", null, ValueUnit.SI), t, v, 2, 0));
        SeriesPainter p = new SeriesPainter(false);
        p.decimate(ss, T0, T0 + 60_000, W);
        p.paint(W, H, 0, 1, new int[] {0x0000ff});
        boolean partial = false;
        for (int x = 1; x < W - 1; x++) {
            int covered = 0;
            for (int y = 0; y < H; y++) {
                int px = p.raster.pixels[y * W + x];
                covered += px != 0 ? 1 : 0;
                partial |= px != 0 && (px >>> 24) < 255;
            }
            assertTrue(covered >= 1, "column " + x + " is on the line");
        }
        assertTrue(partial, "edges are blended, not stair-stepped");
    }
}
