package io.dutydesk.ui.chart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The series layer of the plot: decimates the visible series (per pixel column, {@link Decimator}) and
 * draws their columns into one pixel buffer ({@link Raster}). Called on the FX thread; large data sets
 * are split over the calling thread and a few daemon workers (series for decimation, vertical strips of
 * the buffer for drawing), and the call returns when every part is done, so the FX thread only ever
 * sees a finished buffer. The workers do CPU work only, never I/O.
 */
final class SeriesPainter {
    private static final int WORKERS = Math.max(0, Math.min(3, Runtime.getRuntime().availableProcessors() - 1));
    private static final ExecutorService POOL = WORKERS == 0 ? null : Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "chart-painter");
        t.setDaemon(true);
        return t;
    });
    /** Below this many points the work stays on the calling thread: handing it over costs more. */
    private static final int PARALLEL_POINTS = 40_000;

    /**
     * One series decimated at one scale over a window of grid columns three plot-widths wide: a pan or a
     * redraw inside the window reuses it; new data, another scale or leaving the window rebuilds it.
     */
    private static final class Cached {
        long[] t;
        double[] v;
        int size = -1;
        long gap;
        double pxPerMs;
        long g0;
        long g1;
        final Decimator.Columns cols = new Decimator.Columns();
        boolean used;
        // this frame's part of it: entries start..end-1, plot column = column + shift
        int start;
        int end;
        int shift;

        boolean covers(ChartData.SeriesView sv, double p, long gFrom, long gTo) {
            return t == sv.t() && v == sv.v() && size == sv.size() && gap == sv.gapMillis() && pxPerMs == p && g0 <= gFrom
                    && gTo <= g1;
        }
    }

    private final boolean parallel;
    private final Map<String, Cached> cache = new HashMap<>();
    private Cached[] frame = new Cached[0];
    private long rebuilt;
    final Raster raster = new Raster();

    SeriesPainter() {
        this(true);
    }

    /** {@code parallel = false}: everything on the calling thread (tests compare both). */
    SeriesPainter(boolean parallel) {
        this.parallel = parallel && POOL != null;
    }

    private int lastPaintParts;

    /** Into how many strips the last {@link #paint} was split (tests). */
    int lastPaintParts() {
        return lastPaintParts;
    }

    /** Forgets every series' columns (the chart has no data any more). */
    void clear() {
        cache.clear();
        frame = new Cached[0];
    }

    /** How many series decimations were (re)built so far (tests: a pan inside the window rebuilds none). */
    long rebuilds() {
        return rebuilt;
    }

    /**
     * {lo, hi} of the values of {@code series} at times {@code from..to}; NaN and ±Infinity are skipped
     * (an infinite sample, e.g. a quantile in the +Inf bucket, is not drawn and must not flatten the axis);
     * {+Infinity, -Infinity} if no finite value.
     */
    double[] valueRange(List<ChartData.SeriesView> series, long from, long to) {
        int n = partsFor(series);
        double[][] out = new double[n][];
        parallel(n, part -> {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int k = part; k < series.size(); k += n) {
                ChartData.SeriesView sv = series.get(k);
                double[] v = sv.v();
                int end = Decimator.lowerBound(sv.t(), sv.size(), to + 1);
                for (int i = Decimator.lowerBound(sv.t(), sv.size(), from); i < end; i++) {
                    double x = v[i];
                    if (!Double.isFinite(x)) {
                        continue;
                    }
                    if (x < lo) {
                        lo = x;
                    }
                    if (x > hi) {
                        hi = x;
                    }
                }
            }
            out[part] = new double[] {lo, hi};
        });
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] r : out) {
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[1]);
        }
        return new double[] {lo, hi};
    }

    /** Decimates {@code series} (the visible ones, in drawing order) for {@code from..to} at {@code width} columns. */
    void decimate(List<ChartData.SeriesView> series, long from, long to, int width) {
        double p = width / (double) Math.max(1, to - from);
        long gFrom = Decimator.gridColumn(from, p);
        long gTo = gFrom + width - 1;
        frame = new Cached[series.size()];
        List<Integer> stale = new ArrayList<>();
        for (int k = 0; k < frame.length; k++) {
            ChartData.SeriesView sv = series.get(k);
            Cached c = cache.computeIfAbsent(sv.spec().id(), id -> new Cached());
            c.used = true;
            frame[k] = c;
            if (!c.covers(sv, p, gFrom, gTo)) {
                stale.add(k);
            }
        }
        cache.values().removeIf(c -> !c.used); // series gone or hidden: forget them
        cache.values().forEach(c -> c.used = false);
        rebuilt += stale.size();
        int n = partsFor(stale.stream().map(series::get).toList());
        parallel(n, part -> {
            for (int j = part; j < stale.size(); j += n) {
                int k = stale.get(j);
                rebuild(frame[k], series.get(k), p, gFrom - width, gTo + width);
            }
        });
        for (Cached c : frame) {
            int s = firstAtOrAfter(c.cols, 0, c.cols.count, gFrom - c.g0);
            int e = firstAtOrAfter(c.cols, s, c.cols.count, gTo - c.g0 + 1);
            c.start = Math.max(0, s - 1); // one neighbour on each side: the line runs to the edges
            c.end = Math.min(c.cols.count, e + 1);
            c.shift = (int) (c.g0 - gFrom);
        }
    }

    private static void rebuild(Cached c, ChartData.SeriesView sv, double p, long g0, long g1) {
        c.size = -1; // matches nothing until the columns are complete (a failure must not leave a half cache)
        int n = sv.size();
        int lo = Math.max(0, Decimator.lowerBound(sv.t(), n, Decimator.columnStart(g0, p)) - 1);
        int hi = Math.min(n, Decimator.lowerBound(sv.t(), n, Decimator.columnStart(g1 + 1, p)) + 1);
        Decimator.decimateRange(sv.t(), sv.v(), lo, hi, p, g0, sv.gapMillis(), c.cols);
        c.t = sv.t();
        c.v = sv.v();
        c.gap = sv.gapMillis();
        c.pxPerMs = p;
        c.g0 = g0;
        c.g1 = g1;
        c.size = n;
    }

    /** Into how many parts work over {@code series} is split: one below {@link #PARALLEL_POINTS} points. */
    private int partsFor(List<ChartData.SeriesView> series) {
        long points = 0;
        for (ChartData.SeriesView sv : series) {
            points += sv.size();
        }
        return points >= PARALLEL_POINTS && parallel ? Math.min(WORKERS + 1, Math.max(1, series.size())) : 1;
    }

    /**
     * Draws the decimated series into {@link #raster} ({@code width x height}, values {@code yMin..yMax}
     * bottom to top), series {@code k} in colour {@code rgb[k]} (0xRRGGBB), later series on top.
     */
    void paint(int width, int height, double yMin, double yMax, int[] rgb) {
        raster.reset(width, height);
        paintInto(width, height, yMin, yMax, rgb);
    }

    /** {@link #paint} into {@code target} ({@code width * height} pixels, premultiplied ARGB). */
    void paint(int width, int height, double yMin, double yMax, int[] rgb, int[] target) {
        raster.reset(width, height, target);
        paintInto(width, height, yMin, yMax, rgb);
    }

    private void paintInto(int width, int height, double yMin, double yMax, int[] rgb) {
        // pixel rows are 0..height-1 (centres at integers): yMax maps to row 0 and yMin to the last row, so
        // a series lying on the bottom of the axis (an error rate of 0, a target down) is drawn, not lost
        double scale = yMax > yMin ? (height - 1) / (yMax - yMin) : 0;
        long entries = 0;
        for (Cached c : frame) {
            entries += c.end - c.start;
        }
        int n = width >= 64 && entries >= PARALLEL_POINTS / 8 && parallel ? WORKERS + 1 : 1;
        lastPaintParts = n;
        parallel(n, part -> {
            Raster strip = n == 1 ? raster : raster.strip(part * width / n, (part + 1) * width / n);
            for (int k = 0; k < frame.length; k++) {
                Cached c = frame[k];
                paintSeries(strip, c.cols, c.start, c.end, c.shift, rgb[k], width, height - 1, yMin, scale);
            }
        });
    }

    /**
     * One series' columns. Where two columns are neighbours and joined (dense data: at least a point per
     * pixel), each becomes one solid vertical run from its min to its max, stretched to the midpoint
     * between its last value and the next column's first: the line looks exactly like the full-resolution
     * line at this width, at one memory write per pixel. Sparser joins are antialiased lines.
     */
    private static void paintSeries(Raster r, Decimator.Columns col, int start, int end, int shift, int rgb, int width,
            double bottomRow, double yMin, double scale) {
        int x1 = r.clipX1();
        int i = Math.max(start, firstAtOrAfter(col, start, end, (long) r.clipX0() - 2 - shift) - 1);
        double lastX = Double.NaN;
        double lastY = Double.NaN;
        int lastC = Integer.MIN_VALUE;
        boolean lastInside = false;
        int pc = -1; // the pending run: column, top, bottom, and whether it is a lone point
        double pTop = 0;
        double pBottom = 0;
        boolean pLone = false;
        for (; i < end; i++) {
            if (lastX > x1 + 1) {
                break; // columns are in time order: the rest lie right of this strip
            }
            int c = col.column[i] + shift;
            boolean inside = c >= 0 && c < width;
            double x = c; // pixel centres are integers
            double f = bottomRow - (col.first[i] - yMin) * scale;
            double l = bottomRow - (col.last[i] - yMin) * scale;
            double top = bottomRow - (col.max[i] - yMin) * scale;
            double bottom = bottomRow - (col.min[i] - yMin) * scale;
            boolean joined = !col.breakBefore[i] && !Double.isNaN(lastX);
            if (joined && inside && lastInside && c == lastC + 1 && pc == lastC) {
                double mid = (lastY + f) * 0.5;
                r.span(pc, Math.min(pTop, mid), Math.max(pBottom, mid), rgb);
                pc = c;
                pTop = Math.min(top, mid);
                pBottom = Math.max(bottom, mid);
                pLone = false;
            } else {
                if (pc >= 0) {
                    flush(r, pc, pTop, pBottom, pLone && !joined, rgb);
                    pc = -1;
                }
                if (joined) {
                    r.line(lastX, lastY, x, f, rgb);
                }
                if (inside) {
                    pc = c;
                    pTop = top;
                    pBottom = bottom;
                    pLone = !joined && col.min[i] == col.max[i];
                } else if (top != bottom) {
                    r.line(x, top, x, bottom, rgb);
                }
            }
            lastX = x;
            lastY = l;
            lastC = c;
            lastInside = inside;
        }
        if (pc >= 0) {
            flush(r, pc, pTop, pBottom, pLone, rgb);
        }
    }

    private static void flush(Raster r, int c, double top, double bottom, boolean lone, int rgb) {
        if (lone) {
            r.dot(c, top, rgb); // an isolated point
        } else {
            r.span(c, top, bottom, rgb);
        }
    }

    /** Index of the first entry in {@code from..to-1} with {@code column >= x} (entries are in time order). */
    private static int firstAtOrAfter(Decimator.Columns col, int from, int to, long x) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (col.column[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Runs {@code part(0..n-1)}: part 0 on the calling thread, the others on the workers; waits for all. */
    private static void parallel(int n, IntConsumer part) {
        if (n <= 1 || POOL == null) {
            for (int i = 0; i < Math.max(1, n); i++) {
                part.accept(i);
            }
            return;
        }
        List<Future<?>> others = new ArrayList<>(n - 1);
        for (int i = 1; i < n; i++) {
            int p = i;
            others.add(POOL.submit(() -> part.accept(p)));
        }
        Throwable failure = null;
        try {
            part.accept(0);
        } catch (Throwable e) { // even an Error: never return while the other parts still write our buffers
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : others) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the parts share our buffers: never return before they are done
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
