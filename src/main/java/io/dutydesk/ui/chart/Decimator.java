package io.dutydesk.ui.chart;

/**
 * Per-pixel-column min/max decimation: every point of the visible span falls into one column of the
 * plot's width, and each column keeps its first, min, max and last value, so a line through
 * first → min → max → last of each column looks exactly like the full line at that width and no
 * spike is lost, whatever the number of points. One point on each side of the span is kept (with
 * its own column, outside 0..width-1) so lines run to the edges. A NaN value or a gap longer than
 * {@code gapMillis} breaks the line. Runs in O(visible points); the output buffers are reused.
 */
public final class Decimator {
    /** Reusable output: {@code count} columns in time order. */
    public static final class Columns {
        public int count;
        public int[] column = new int[0];
        /** Exact x of the column's first point in pixels (for the two outside points). */
        public double[] x = new double[0];
        public double[] first = new double[0];
        public double[] min = new double[0];
        public double[] max = new double[0];
        public double[] last = new double[0];
        /** The line is broken before this column (NaN or gap). */
        public boolean[] breakBefore = new boolean[0];
        /** Points read (visible ones plus the two neighbours). */
        public int pointsRead;

        void ensure(int n) {
            if (column.length < n) {
                int c = Math.max(n, column.length * 2);
                column = new int[c];
                x = new double[c];
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

    /**
     * Decimates {@code t/v[0..n)} (t ascending) for the span {@code from..to} drawn {@code width} pixels
     * wide into {@code out}.
     */
    public static Columns decimate(long[] t, double[] v, int n, long from, long to, int width, long gapMillis, Columns out) {
        out.count = 0;
        out.pointsRead = 0;
        if (n == 0 || width <= 0 || to <= from) {
            return out;
        }
        int lo = Math.max(0, lowerBound(t, n, from) - 1);
        int hi = Math.min(n, lowerBound(t, n, to + 1) + 1);
        double pxPerMs = width / (double) (to - from);
        out.ensure(Math.min(hi - lo, 2 * width + 4) + 4);
        int cur = -1;
        int curCol = Integer.MIN_VALUE;
        boolean pendingBreak = false;
        long prevT = Long.MIN_VALUE;
        for (int i = lo; i < hi; i++) {
            double val = v[i];
            long ti = t[i];
            if (Double.isNaN(val)) {
                pendingBreak = true;
                continue;
            }
            if (gapMillis > 0 && prevT != Long.MIN_VALUE && ti - prevT > gapMillis) {
                pendingBreak = true;
            }
            prevT = ti;
            double px = (ti - from) * pxPerMs;
            int col = (int) Math.floor(px);
            if (col == curCol && !pendingBreak && cur >= 0) {
                if (val < out.min[cur]) {
                    out.min[cur] = val;
                }
                if (val > out.max[cur]) {
                    out.max[cur] = val;
                }
                out.last[cur] = val;
            } else {
                cur++;
                if (cur >= out.column.length) {
                    grow(out, cur + 1);
                }
                out.column[cur] = col;
                out.x[cur] = px;
                out.first[cur] = val;
                out.min[cur] = val;
                out.max[cur] = val;
                out.last[cur] = val;
                out.breakBefore[cur] = pendingBreak;
                pendingBreak = false;
                curCol = col;
            }
        }
        out.count = cur + 1;
        out.pointsRead = hi - lo;
        return out;
    }

    private static void grow(Columns out, int n) {
        Columns bigger = new Columns();
        bigger.ensure(n * 2);
        System.arraycopy(out.column, 0, bigger.column, 0, out.column.length);
        System.arraycopy(out.x, 0, bigger.x, 0, out.x.length);
        System.arraycopy(out.first, 0, bigger.first, 0, out.first.length);
        System.arraycopy(out.min, 0, bigger.min, 0, out.min.length);
        System.arraycopy(out.max, 0, bigger.max, 0, out.max.length);
        System.arraycopy(out.last, 0, bigger.last, 0, out.last.length);
        System.arraycopy(out.breakBefore, 0, bigger.breakBefore, 0, out.breakBefore.length);
        out.column = bigger.column;
        out.x = bigger.x;
        out.first = bigger.first;
        out.min = bigger.min;
        out.max = bigger.max;
        out.last = bigger.last;
        out.breakBefore = bigger.breakBefore;
    }
}
