package io.dutydesk.ui.chart;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimatorTest {

    @Test
    void everyColumnKeepsItsMinAndMaxAndNoSpikeIsLost() {
        Random rnd = new Random(42);
        int n = 11_000;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_700_000_000_000L + i * 15_000L;
            v[i] = rnd.nextGaussian();
        }
        v[5_432] = 1_000; // one spike among 11,000 points
        v[7_777] = -1_000;
        int width = 317;
        long from = t[0];
        long to = t[n - 1];
        Decimator.Columns c = Decimator.decimate(t, v, n, from, to, width, 0, new Decimator.Columns());
        // brute force: per column, min and max of its points
        double[] mins = new double[width + 1];
        double[] maxs = new double[width + 1];
        java.util.Arrays.fill(mins, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(maxs, Double.NEGATIVE_INFINITY);
        double pxPerMs = width / (double) (to - from);
        long base = Decimator.gridColumn(from, pxPerMs);
        for (int i = 0; i < n; i++) {
            int col = (int) (Decimator.gridColumn(t[i], pxPerMs) - base); // columns on the grid of absolute time
            mins[col] = Math.min(mins[col], v[i]);
            maxs[col] = Math.max(maxs[col], v[i]);
        }
        int seen = 0;
        for (int i = 0; i < c.count; i++) {
            int col = c.column[i];
            assertEquals(mins[col], c.min[i], "min of column " + col);
            assertEquals(maxs[col], c.max[i], "max of column " + col);
            seen++;
        }
        assertEquals(width + 1, seen, "one entry per column (the last point sits on the right edge)");
        assertTrue(c.count <= width + 3);
        double top = Double.NEGATIVE_INFINITY;
        double bottom = Double.POSITIVE_INFINITY;
        for (int i = 0; i < c.count; i++) {
            top = Math.max(top, c.max[i]);
            bottom = Math.min(bottom, c.min[i]);
        }
        assertEquals(1_000, top);
        assertEquals(-1_000, bottom);
    }

    @Test
    void onlyTheVisibleSpanPlusOneNeighbourOnEachSideIsRead() {
        long[] t = new long[1000];
        double[] v = new double[1000];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * 1000L;
            v[i] = i;
        }
        // 50 px for 100 s: grid columns of 2 s; 102 s starts a column
        Decimator.Columns c = Decimator.decimate(t, v, t.length, 102_000, 202_000, 50, 0, new Decimator.Columns());
        assertEquals(103, c.pointsRead, "points 102..202 and the neighbours 101 and 203");
        assertTrue(c.column[0] < 0, "the left neighbour is outside the plot");
        assertTrue(c.column[c.count - 1] >= 50, "the right neighbour is outside the plot");
        assertEquals(101, c.first[0]);
        assertEquals(203, c.last[c.count - 1]);
    }

    @Test
    void nanAndGapsBreakTheLine() {
        long[] t = {0, 1000, 2000, 3000, 10_000, 11_000};
        double[] v = {1, 2, Double.NaN, 3, 4, 5};
        Decimator.Columns c = Decimator.decimate(t, v, t.length, 0, 11_000, 1100, 2500, new Decimator.Columns());
        assertEquals(5, c.count);
        assertFalse(c.breakBefore[0]);
        assertFalse(c.breakBefore[1]);
        assertTrue(c.breakBefore[2], "after the NaN");
        assertTrue(c.breakBefore[3], "after the 7 s gap");
        assertFalse(c.breakBefore[4]);
    }

    @Test
    void anInfiniteSampleIsSkippedLikeNaNNotDrawnAtTheEdgeOfTheWorld() {
        long[] t = {0, 1000, 2000, 3000, 4000};
        double[] v = {1, Double.POSITIVE_INFINITY, 2, Double.NEGATIVE_INFINITY, 3};
        Decimator.Columns c = Decimator.decimate(t, v, t.length, 0, 4000, 400, 0, new Decimator.Columns());
        assertEquals(3, c.count, "the two infinite samples have no column");
        for (int i = 0; i < c.count; i++) {
            assertTrue(Double.isFinite(c.min[i]) && Double.isFinite(c.max[i]), "column " + i);
        }
        assertTrue(c.breakBefore[1], "the line is broken where +Inf was");
        assertTrue(c.breakBefore[2], "and where -Inf was");
        // inside one column too: min/max stay finite
        Decimator.Columns one = Decimator.decimate(t, v, t.length, 0, 4000, 1, 0, new Decimator.Columns());
        for (int i = 0; i < one.count; i++) {
            assertTrue(Double.isFinite(one.min[i]) && Double.isFinite(one.max[i]), "column " + i + " of one");
        }
    }

    @Test
    void columnsAreFixedToAbsoluteTimeSoAPanByWholeColumnsShiftsThemUnchanged() {
        Random rnd = new Random(3);
        int n = 5_000;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_790_000_000_000L + i * 15_000L + rnd.nextInt(5_000);
            v[i] = rnd.nextGaussian();
        }
        long from = t[100] + 1234;
        long span = 40_000_000;
        int width = 800; // 50 s per column
        Decimator.Columns a = Decimator.decimate(t, v, n, from, from + span, width, 0, new Decimator.Columns());
        Decimator.Columns b = Decimator.decimate(t, v, n, from + 7 * 50_000, from + 7 * 50_000 + span, width, 0,
                new Decimator.Columns());
        int matched = 0;
        for (int i = 0; i < b.count; i++) {
            if (b.column[i] < 0 || b.column[i] >= width - 7) {
                continue;
            }
            int j = java.util.Arrays.binarySearch(a.column, 0, a.count, b.column[i] + 7);
            assertTrue(j >= 0, "column " + b.column[i] + " is column " + (b.column[i] + 7) + " before the pan");
            assertEquals(a.min[j], b.min[i]);
            assertEquals(a.max[j], b.max[i]);
            assertEquals(a.first[j], b.first[i]);
            assertEquals(a.last[j], b.last[i]);
            matched++;
        }
        assertTrue(matched > 700, "matched " + matched);
    }

    @Test
    void firstAndLastFollowTimeOrderWithinAColumn() {
        long[] t = {0, 1, 2, 3};
        double[] v = {5, 9, -2, 4};
        Decimator.Columns c = Decimator.decimate(t, v, 4, 0, 1000, 10, 0, new Decimator.Columns());
        assertEquals(1, c.count);
        assertEquals(5, c.first[0]);
        assertEquals(4, c.last[0]);
        assertEquals(-2, c.min[0]);
        assertEquals(9, c.max[0]);
    }
}
