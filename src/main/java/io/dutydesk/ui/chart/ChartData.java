package io.dutydesk.ui.chart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chart's data set: series (time in epoch ms ascending, double values; NaN breaks the line),
 * threshold lines and markers. <b>Every method may be called from any thread</b>; a write only bumps
 * a version and asks for a pulse, and the chart draws the latest state on its next pulse — a
 * thousand appends cost one redraw, never a {@code runLater} each.
 *
 * <p>Readers get an immutable {@link Snapshot}: arrays are shared, never copied, because a writer
 * never changes a published element (a replacement brings new arrays; an append writes past the
 * published size, or into a fresh array when it grows or trims).
 */
public final class ChartData {
    /** One series as the chart sees it at one moment: {@code t/v[0..size)}. */
    public record SeriesView(SeriesSpec spec, long[] t, double[] v, int size, long gapMillis) {
        public long firstTime() {
            return size == 0 ? Long.MAX_VALUE : t[0];
        }

        public long lastTime() {
            return size == 0 ? Long.MIN_VALUE : t[size - 1];
        }
    }

    /** Everything at one version. */
    public record Snapshot(long version, List<SeriesView> series, List<Threshold> thresholds, List<Marker> markers) {
        public SeriesView series(String id) {
            for (SeriesView s : series) {
                if (s.spec().id().equals(id)) {
                    return s;
                }
            }
            return null;
        }

        public int points() {
            int n = 0;
            for (SeriesView s : series) {
                n += s.size();
            }
            return n;
        }
    }

    private static final class Buf {
        SeriesSpec spec;
        long[] t;
        double[] v;
        int size;
        int maxPoints;
        long gapMillis;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Buf> series = new LinkedHashMap<>();
    private List<Threshold> thresholds = List.of();
    private List<Marker> markers = List.of();
    private final AtomicLong version = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private Snapshot snapshot = new Snapshot(0, List.of(), List.of(), List.of());

    /**
     * Replaces (or adds) a series. The arrays are taken over, not copied: do not change them after.
     * {@code gapMillis > 0} breaks the line where two points are further apart (e.g. 2 × the query step);
     * 0 draws through.
     */
    public void put(SeriesSpec spec, long[] t, double[] v, long gapMillis) {
        if (t.length != v.length) {
            throw new IllegalArgumentException("times and values differ in length: " + t.length + " vs " + v.length);
        }
        lock.lock();
        try {
            Buf b = series.computeIfAbsent(spec.id(), k -> new Buf());
            b.spec = spec;
            b.t = t;
            b.v = v;
            b.size = t.length;
            b.gapMillis = gapMillis;
            changed();
        } finally {
            lock.unlock();
        }
    }

    /** Adds or restyles an empty series (for {@link #append}); keeps the last {@code maxPoints} (0: all). */
    public void define(SeriesSpec spec, int maxPoints, long gapMillis) {
        lock.lock();
        try {
            Buf b = series.computeIfAbsent(spec.id(), k -> {
                Buf nb = new Buf();
                nb.t = new long[16];
                nb.v = new double[16];
                return nb;
            });
            b.spec = spec;
            b.maxPoints = maxPoints;
            b.gapMillis = gapMillis;
            changed();
        } finally {
            lock.unlock();
        }
    }

    /** Appends one point to a series defined before; a time before its last point is refused. */
    public void append(String id, long t, double v) {
        lock.lock();
        try {
            Buf b = series.get(id);
            if (b == null) {
                throw new IllegalArgumentException("no series " + id + " (define it first)");
            }
            if (b.size > 0 && t < b.t[b.size - 1]) {
                throw new IllegalArgumentException("time goes backwards in " + id);
            }
            if (b.maxPoints > 0 && b.size >= 2 * b.maxPoints) {
                int keep = b.maxPoints - 1;
                long[] nt = new long[Math.max(16, 2 * b.maxPoints)];
                double[] nv = new double[nt.length];
                System.arraycopy(b.t, b.size - keep, nt, 0, keep);
                System.arraycopy(b.v, b.size - keep, nv, 0, keep);
                b.t = nt;
                b.v = nv;
                b.size = keep;
            } else if (b.size == b.t.length) {
                b.t = Arrays.copyOf(b.t, Math.max(16, b.size * 2));
                b.v = Arrays.copyOf(b.v, b.t.length);
            }
            b.t[b.size] = t;
            b.v[b.size] = v;
            b.size++;
            changed();
        } finally {
            lock.unlock();
        }
    }

    public void remove(String id) {
        lock.lock();
        try {
            if (series.remove(id) != null) {
                changed();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes every series (thresholds and markers stay). */
    public void clearSeries() {
        lock.lock();
        try {
            series.clear();
            changed();
        } finally {
            lock.unlock();
        }
    }

    public void setThresholds(List<Threshold> list) {
        lock.lock();
        try {
            thresholds = List.copyOf(list);
            changed();
        } finally {
            lock.unlock();
        }
    }

    public void setMarkers(List<Marker> list) {
        lock.lock();
        try {
            markers = List.copyOf(list);
            changed();
        } finally {
            lock.unlock();
        }
    }

    /** The current state; cheap (arrays are shared, the view list is built once per version). */
    public Snapshot snapshot() {
        lock.lock();
        try {
            long ver = version.get();
            if (snapshot.version() != ver) {
                List<SeriesView> views = new ArrayList<>(series.size());
                for (Map.Entry<String, Buf> e : series.entrySet()) {
                    Buf b = e.getValue();
                    views.add(new SeriesView(b.spec, b.t, b.v, b.size, b.gapMillis));
                }
                snapshot = new Snapshot(ver, List.copyOf(views), thresholds, markers);
            }
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    public long version() {
        return version.get();
    }

    /** Called (on the writer's thread) after every change; the chart uses it to request a pulse. */
    public void addListener(Runnable r) {
        listeners.add(r);
    }

    public void removeListener(Runnable r) {
        listeners.remove(r);
    }

    private void changed() {
        version.incrementAndGet();
        for (Runnable r : listeners) {
            r.run();
        }
    }
}
