package io.dutydesk.ui.outbox;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.BacklogSample;
import io.dutydesk.ui.chart.ChartData;
import io.dutydesk.ui.chart.SeriesSpec;
import io.dutydesk.ui.chart.Threshold;
import io.dutydesk.ui.chart.TimeRange;
import io.dutydesk.ui.chart.TimeSeriesChart;
import io.dutydesk.ui.chart.ValueUnit;
import javafx.collections.ListChangeListener;
import javafx.scene.paint.Color;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The backlog's trend on the console's one time-series chart: pending, oldest-pending age, stream
 * length and the largest group lag on one time axis, the environment's thresholds as lines, and
 * Prometheus's backlog metric — where it filled the time the console was closed — as its own series
 * in grey, so the two are told apart.
 */
public final class OutboxTrend {
    public static final String PENDING = "pending";
    public static final String PENDING_PROMETHEUS = "pending-prometheus";
    public static final String OLDEST_AGE = "oldest-age";
    public static final String STREAM_LENGTH = "stream-length";
    public static final String GROUP_LAG = "group-lag";

    private final OutboxViewModel vm;
    private final Clock clock;
    private final ChartData data = new ChartData();
    private final TimeSeriesChart chart = new TimeSeriesChart(data);

    public OutboxTrend(OutboxViewModel vm, Clock clock) {
        this.vm = vm;
        this.clock = clock;
        chart.setId("outbox-trend");
        chart.setPlaceholder("No sample yet: the trend starts with the first poll.");
        chart.setMinHeight(120); // its own minimum: at 1024x640 with a source down the tables beside need the room (they showed no row)
        vm.history().addListener((ListChangeListener<BacklogSample>) c -> redraw());
        redraw();
        // ages (seconds) dwarf the counts on the one value axis: shown on a click on its legend entry
        chart.setSeriesVisible(OLDEST_AGE, false);
    }

    public TimeSeriesChart chart() {
        return chart;
    }

    /** Rebuilds the series from the view-model's history (at most a day of 10-second samples: cheap). */
    private void redraw() {
        List<BacklogSample> h = List.copyOf(vm.history());
        Duration interval = vm.environment().map(e -> e.outbox().pollInterval()).orElse(Duration.ofSeconds(10));
        long gap = Math.max(interval.toMillis() * 3, 30_000);
        if (h.isEmpty()) {
            data.clearSeries();
        } else {
            List<BacklogSample> console = h.stream().filter(s -> s.source() == BacklogSample.Source.CONSOLE).toList();
            List<BacklogSample> prom = h.stream().filter(s -> s.source() == BacklogSample.Source.PROMETHEUS).toList();
            put(new SeriesSpec(PENDING, "pending", Color.web("#1f77b4"), ValueUnit.SI), console, BacklogSample::pending, gap);
            put(new SeriesSpec(OLDEST_AGE, "oldest pending age", Color.web("#d62728"), ValueUnit.SECONDS), console,
                    BacklogSample::oldestPendingAgeSeconds, gap);
            put(new SeriesSpec(STREAM_LENGTH, "stream length", Color.web("#2ca02c"), ValueUnit.SI), console,
                    BacklogSample::streamLength, gap);
            put(new SeriesSpec(GROUP_LAG, "group lag (max)", Color.web("#ff7f0e"), ValueUnit.SI), console,
                    BacklogSample::groupLag, gap);
            if (prom.isEmpty()) {
                data.remove(PENDING_PROMETHEUS);
            } else {
                put(new SeriesSpec(PENDING_PROMETHEUS, "pending (Prometheus, console closed)", Color.web("#8c8c8c"), ValueUnit.SI),
                        prom, BacklogSample::pending, Duration.ofMinutes(6).toMillis());
            }
        }
        vm.environment().ifPresent(this::thresholds);
        chart.setHomeRange(TimeRange.last(Duration.ofHours(24), clock.instant()));
    }

    private void thresholds(Environment e) {
        data.setThresholds(List.of(
                new Threshold(e.thresholds().outboxPendingWarn(), "pending warn " + e.thresholds().outboxPendingWarn(),
                        Color.web("#bf8700")),
                new Threshold(e.thresholds().outboxPendingCritical(), "pending act " + e.thresholds().outboxPendingCritical(),
                        Color.web("#cf222e"))));
    }

    private void put(SeriesSpec spec, List<BacklogSample> samples, Function<BacklogSample, Long> value, long gap) {
        List<BacklogSample> with = samples.stream().filter(s -> value.apply(s) != null).toList();
        long[] t = new long[with.size()];
        double[] v = new double[with.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = with.get(i).at().toEpochMilli();
            v[i] = value.apply(with.get(i));
        }
        data.put(spec, t, v, gap);
    }
}
