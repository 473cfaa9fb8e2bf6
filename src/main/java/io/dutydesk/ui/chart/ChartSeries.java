package io.dutydesk.ui.chart;

import javafx.scene.paint.Color;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The series as the user sees them: which are hidden (the set lives in {@link ChartState}), the colour each
 * is drawn in (its own, else a palette colour kept per id), the legend's entries and its actions, and
 * the values under the pointer.
 */
final class ChartSeries {
    private final TimeSeriesChart chart;
    private final Set<String> hidden;
    private final ChartState st;
    private final Map<String, Color> assigned = new HashMap<>();
    private List<String> legendKey = List.of();

    ChartSeries(TimeSeriesChart chart, ChartState st) {
        this.chart = chart;
        this.st = st;
        this.hidden = st.hidden;
    }

    /** Returns whether it changed anything. */
    boolean setVisible(String id, boolean visible) {
        return visible ? hidden.remove(id) : hidden.add(id);
    }

    void isolate(String id, ChartData.Snapshot s) {
        hidden.clear();
        for (ChartData.SeriesView sv : s.series()) {
            if (!sv.spec().id().equals(id)) {
                hidden.add(sv.spec().id());
            }
        }
    }

    /** The colour before the theme's adaptation. */
    Color baseColor(SeriesSpec spec) {
        return spec.color() != null ? spec.color()
                : assigned.computeIfAbsent(spec.id(), k -> ChartColors.paletteColor(assigned.size()));
    }

    /** The legend's entries, or null when they are what it shows already. */
    List<ChartLegend.Entry> legendEntries(ChartData.Snapshot s, boolean dark) {
        List<String> key = new ArrayList<>();
        for (ChartData.SeriesView sv : s.series()) {
            key.add(sv.spec().id() + "\u0000" + sv.spec().name() + "\u0000" + sv.spec().color() + "\u0000" + hidden.contains(sv.spec().id()));
        }
        key.add("dark=" + dark);
        if (key.equals(legendKey)) {
            return null;
        }
        legendKey = key;
        List<ChartLegend.Entry> entries = new ArrayList<>();
        for (ChartData.SeriesView sv : s.series()) {
            SeriesSpec spec = sv.spec();
            entries.add(new ChartLegend.Entry(spec.id(), spec.name(), chart.colorOf(spec), hidden.contains(spec.id())));
        }
        return entries;
    }

    /** Click, Ctrl+click and the context menu of the legend. */
    ChartLegend.Actions legendActions() {
        return new ChartLegend.Actions() {
            @Override
            public void toggle(String id) {
                chart.setSeriesVisible(id, hidden.contains(id));
            }

            @Override
            public void isolateOrShowAll(String id) {
                boolean alreadyAlone = hidden.size() == st.snap.series().size() - 1 && !hidden.contains(id);
                if (alreadyAlone) {
                    chart.showAll();
                } else {
                    chart.isolate(id);
                }
            }

            @Override
            public void isolate(String id) {
                chart.isolate(id);
            }

            @Override
            public void showAll() {
                chart.showAll();
            }
        };
    }

    /** Each visible series' nearest value at {@code t} (within its gap or {@code tolerance}), highest first. */
    List<TimeSeriesChart.HoverValue> valuesAt(ChartData.Snapshot s, long t, long tolerance) {
        List<TimeSeriesChart.HoverValue> out = new ArrayList<>();
        for (ChartData.SeriesView sv : s.series()) {
            if (hidden.contains(sv.spec().id()) || sv.size() == 0) {
                continue;
            }
            int i = Decimator.lowerBound(sv.t(), sv.size(), t);
            int best = -1;
            if (i < sv.size()) {
                best = i;
            }
            if (i > 0 && (best < 0 || t - sv.t()[i - 1] < sv.t()[best] - t)) {
                best = i - 1;
            }
            if (best < 0) {
                continue;
            }
            long dt = Math.abs(sv.t()[best] - t);
            if (dt > Math.max(tolerance, sv.gapMillis()) || Double.isNaN(sv.v()[best])) {
                continue;
            }
            out.add(new TimeSeriesChart.HoverValue(sv.spec().id(), sv.spec().name(), chart.colorOf(sv.spec()),
                    sv.t()[best], sv.v()[best], sv.spec().unit()));
        }
        out.sort((a, b) -> Double.compare(b.value(), a.value()));
        return out;
    }

    /** The time span of the data (a single instant widened by 30 s each side), or null: no point at all. */
    static TimeRange extent(ChartData.Snapshot s) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (ChartData.SeriesView sv : s.series()) {
            if (sv.size() > 0) {
                lo = Math.min(lo, sv.firstTime());
                hi = Math.max(hi, sv.lastTime());
            }
        }
        if (lo == Long.MAX_VALUE) {
            return null;
        }
        return hi > lo ? new TimeRange(lo, hi) : new TimeRange(lo - 30_000, hi + 30_000);
    }
}
