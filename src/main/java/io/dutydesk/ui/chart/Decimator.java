package io.dutydesk.ui.chart;

/**
 * Per-pixel-column min/max decimation: every point of the visible span falls into one column of the
 * plot's width, and each column keeps its first, min, max and last value, so a line through
 * first → min → max → last of each column looks exactly like the full line at that width and no
 * spike is lost, whatever the number of points. One point on each side of the span is kept (with
 * its own column, outside 0..width-1) so lines run to the edges. A NaN or infinite value (not drawable:
 * skipped) or a gap longer than {@code gapMillis} breaks the line. Runs in O(visible points); the output buffers are reused.
 */
public final class Decimator {
    /** Reusable output: {@code count} columns in time order. */
    public static final class Columns {
        public int count;
        public int[] column = new int[0];
        public double[] first = new double[0];
        public double[] min = new double[0];
        public double[] max = new double[0];
        public double[] last = new double[0];
        /** The line is broken before this column (NaN, infinite value or gap). */
        public boolean[] breakBefore = new boolean[0];
        /** Points read (visible ones plus the two neighbours). */
        public int pointsRead;

        void ensure(int n) {
            if (column.length < n) {
                int c = Math.max(n, column.length * 2);
                column = new int[c];
                first = new double[c];
                min = new double[c];
                max = new double[c];
                last = new double[c];
                breakBefore = new boolean[c];
            }
        }
    }

    private Decimator() {}

    /** Index of the first point with {@code t[i] >= key} in {@code t[0..n)}, sorted. */
    public static int lowerBound(long[] t, int n, long key) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The grid column of time {@code t} at {@code pxPerMs}: columns are fixed to absolute time. */
    public static long gridColumn(long t, double pxPerMs) {
        return (long) Math.floor(t * pxPerMs);
    }

    /**
     * Decimates {@code t/v[0..n)} (t ascending) for the span {@code from..to} drawn {@code width} pixels
     * wide into {@code out}; column 0 is the grid column of {@code from}.
     */
    public static Columns decimate(long[] t, double[] v, int n, long from, long to, int width, long gapMillis, Columns out) {
        out.count = 0;
        out.pointsRead = 0;
        if (n == 0 || width <= 0 || to <= from) {
            return out;
        }
        double pxPerMs = width / (double) (to - from);
        int lo = Math.max(0, lowerBound(t, n, from) - 1);
        int hi = Math.min(n, lowerBound(t, n, to + 1) + 1);
        return decimateRange(t, v, lo, hi, pxPerMs, gridColumn(from, pxPerMs), gapMillis, out);
    }

    /**
     * Decimates the points {@code lo..hi-1} on the grid of {@code pxPerMs} into {@code out}, columns
     * numbered from grid column {@code base}. Columns are fixed to absolute time (not to the start of the
     * span), so the same points always fall into the same columns at one scale and a pan can reuse them;
     * a point is drawn at most one pixel left of its exact place.
     */
    public static Columns decimateRange(long[] t, double[] v, int lo, int hi, double pxPerMs, long base, long gapMillis, Columns out) {
        out.count = 0;
        out.pointsRead = Math.max(0, hi - lo);
        if (hi > lo) { // at most one entry per point and per grid column
            out.ensure((int) Math.min(hi - lo, gridColumn(t[hi - 1], pxPerMs) - gridColumn(t[lo], pxPerMs) + 1) + 4);
        }
        int cur = -1;
        boolean pendingBreak = false;
        long prevT = Long.MIN_VALUE;
        int i = lo;
        while (i < hi) {
            double val = v[i];
            long ti = t[i];
            i++;
            if (!Double.isFinite(val)) { // NaN or ±Infinity: no place on the axis
                pendingBreak = true;
                continue;
            }
            if (gapMillis > 0 && prevT != Long.MIN_VALUE && ti - prevT > gapMillis) {
                pendingBreak = true;
            }
            prevT = ti;
            long g = gridColumn(ti, pxPerMs);
            // the column's points: every t before the first millisecond of the next column (no per-point multiply)
            long end = columnStart(g + 1, pxPerMs);
            double mn = val;
            double mx = val;
            double last = val;
            while (i < hi) {
                long tj = t[i];
                double vj = v[i];
                if (tj >= end || !Double.isFinite(vj) || (gapMillis > 0 && tj - prevT > gapMillis)) {
                    break; // the next column, a NaN/infinite value or a gap: the outer loop takes it
                }
                prevT = tj;
                if (vj < mn) {
                    mn = vj;
                }
                if (vj > mx) {
                    mx = vj;
                }
                last = vj;
                i++;
            }
            cur++;
            if (cur >= out.column.length) {
                grow(out, cur + 1);
            }
            out.column[cur] = (int) Math.max(Integer.MIN_VALUE / 4, Math.min(Integer.MAX_VALUE / 4, g - base));
            out.first[cur] = val;
            out.min[cur] = mn;
            out.max[cur] = mx;
            out.last[cur] = last;
            out.breakBefore[cur] = pendingBreak;
            pendingBreak = false;
        }
        out.count = cur + 1;
        return out;
    }

    /** The first millisecond {@code t} with {@code gridColumn(t) >= g}. */
    static long columnStart(long g, double pxPerMs) {
        long c = (long) Math.ceil(g / pxPerMs);
        while (gridColumn(c - 1, pxPerMs) >= g) {
            c--;
        }
        while (gridColumn(c, pxPerMs) < g) {
            c++;
        }
        return c;
    }

    private static void grow(Columns out, int n) {
        Columns bigger = new Columns();
        bigger.ensure(n * 2);
        System.arraycopy(out.column, 0, bigger.column, 0, out.column.length);
        System.arraycopy(out.first, 0, bigger.first, 0, out.first.length);
        System.arraycopy(out.min, 0, bigger.min, 0, out.min.length);
        System.arraycopy(out.max, 0, bigger.max, 0, out.max.length);
        System.arraycopy(out.last, 0, bigger.last, 0, out.last.length);
        System.arraycopy(out.breakBefore, 0, bigger.breakBefore, 0, out.breakBefore.length);
        out.column = bigger.column;
        out.first = bigger.first;
        out.min = bigger.min;
        out.max = bigger.max;
        out.last = bigger.last;
        out.breakBefore = bigger.breakBefore;
    }
}
