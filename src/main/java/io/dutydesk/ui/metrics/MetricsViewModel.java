package io.dutydesk.ui.metrics;

import io.dutydesk.core.Errors;
import io.dutydesk.core.metrics.Durations;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.core.metrics.QueryException;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.ui.chart.ChartData;
import io.dutydesk.ui.chart.Marker;
import io.dutydesk.ui.chart.SeriesSpec;
import io.dutydesk.ui.chart.TimeRange;
import io.dutydesk.ui.chart.ValueUnit;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.paint.Color;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Metrics pane's state: the PromQL editor's text, range and step, the result (series written into
 * the chart's {@link ChartData} from the answering thread; table rows for an instant query), Prometheus's
 * own error with its position, history and saved queries, completions, and the console's actions as
 * markers. Every backend answer comes back through the injected {@code ui} executor. A failed query
 * keeps the previous result on screen (marked with the error); a new query cancels the one in flight.
 *
 * <p>Pan and zoom are throttled: a burst of visible-range changes (a drag or the wheel fires one per
 * event) asks Prometheus at most once per {@link #PAN_INTERVAL} — the first change at once, then the
 * latest range when the interval is over (the last wins) — and {@link #gestureEnded} asks for the final
 * range at once. Answers (series and markers) of a query that was overtaken, cancelled or belongs to the
 * environment shown before are dropped.
 */
public final class MetricsViewModel implements io.dutydesk.ui.fx.PaneModel {
    /** Pan/zoom ask Prometheus at most once per this interval (4 queries a second). */
    public static final long PAN_INTERVAL = 250;

    /** The range presets of the toolbar. */
    public static final List<Duration> PRESETS = List.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6),
            Duration.ofHours(24), Duration.ofDays(7));

    /** One row of an instant query's table. */
    public record Row(String series, String value, double raw) {}

    /** An error to show: Prometheus's message (or the transport's), and where in the query. */
    public record QueryError(String message, int line, int column, boolean fromPrometheus) {}

    private final Executor ui;
    private final Clock clock;
    private final Ticker ticker;
    private final ChartData data = new ChartData();
    private MetricsService service;

    private final StringProperty expression = new SimpleStringProperty("");
    private final ObjectProperty<Duration> range = new SimpleObjectProperty<>(Duration.ofHours(1));
    private final BooleanProperty instant = new SimpleBooleanProperty(false);
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final StringProperty status = new SimpleStringProperty("Type a PromQL query and press Ctrl+Enter.");
    private final ObjectProperty<QueryError> error = new SimpleObjectProperty<>();
    private final ObjectProperty<TimeRange> home = new SimpleObjectProperty<>();
    private final IntegerProperty plotWidth = new SimpleIntegerProperty(1000);
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private final ObservableList<Map.Entry<String, String>> saved = FXCollections.observableArrayList();
    private final List<String> metricNames = new ArrayList<>();
    private final List<String> labelNames = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Map<String, List<String>> labelValues = new LinkedHashMap<>();

    private CompletableFuture<?> inFlight;
    /** Bumped (under {@link #seriesLock}) by every new query, cancel and detach; answers of an older one are dropped. */
    private volatile long generation;
    /** Held while an answer's series are written from the adapter's thread, and while the generation changes. */
    private final Object seriesLock = new Object();
    private String lastExpr;
    private Duration lastStep = Duration.ZERO;
    /** When the result on screen was read; null before any. */
    private Instant resultAt;
    private final StringProperty stale = new SimpleStringProperty("");
    /** The header's word on what this pane reads through (SSH, Prometheus), down now; null while they answer. */
    private String sourcesDown;

    // the pan/zoom throttle (ui executor only)
    private long lastAskMillis = Long.MIN_VALUE / 2;
    private TimeRange lastAsked;
    private TimeRange pendingRange;
    private Runnable pendingCancel;

    public MetricsViewModel(Executor ui, Clock clock) {
        this(ui, clock, Ticker.SYSTEM);
    }

    /** {@code ticker}: monotonic time and delays of the pan/zoom throttle. */
    public MetricsViewModel(Executor ui, Clock clock, Ticker ticker) {
        this(ui, clock, ticker, null);
    }

    /**
     * {@code services}: the metrics service of an opened environment (the app builds it from the handle; it throws
     * {@link UnsupportedOperationException} for an environment without Prometheus). Nothing is polled: a query runs
     * when asked.
     */
    public MetricsViewModel(Executor ui, Clock clock, Ticker ticker,
                            java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, MetricsService> services) {
        this.ui = ui;
        this.clock = clock;
        this.ticker = ticker;
        this.services = services;
    }

    private final java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, MetricsService> services;

    @Override
    public void attach(io.dutydesk.core.config.Environment env, io.dutydesk.core.ports.EnvironmentHandle handle) {
        if (services == null) {
            throw new IllegalStateException("no way to build the metrics service from an environment");
        }
        MetricsService svc;
        try {
            svc = services.apply(handle);
        } catch (UnsupportedOperationException noPrometheus) {
            detach();
            return;
        }
        attach(svc);
    }

    /** Ctrl+R: the pane reads nothing by itself; a query runs when asked. */
    @Override
    public void refresh() {
    }

    /**
     * The header's health: with SSH or Prometheus down, the result on screen is not as of now — {@link #staleProperty}
     * says who is down and when it was read ("Prometheus down; last answer at T — what is shown was read at T, not
     * since"), "" again when they answer. Another environment's health says nothing of it.
     */
    @Override
    public void health(io.dutydesk.core.health.HealthSnapshot now) {
        MetricsService svc = service;
        io.dutydesk.ui.fx.PaneSources.tell(now, svc == null ? null : svc.environment().name(),
                List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.PROMETHEUS), java.util.Set.of(), clock, d -> {
                    sourcesDown = d;
                    staleNote();
                });
    }

    /** "" while the result on screen is as of its read and what it was read through answers; else who is down and when it was read. */
    public ReadOnlyStringProperty staleProperty() { return stale; }

    private void staleNote() {
        stale.set(sourcesDown == null || resultAt == null ? ""
                : sourcesDown + " — what is shown was read at " + io.dutydesk.ui.fx.Times.hms(resultAt, clock) + ", not since");
    }

    public ChartData data() { return data; }
    public StringProperty expressionProperty() { return expression; }
    public ObjectProperty<Duration> rangeProperty() { return range; }
    public BooleanProperty instantProperty() { return instant; }
    public BooleanProperty runningProperty() { return running; }
    public StringProperty statusProperty() { return status; }
    public ObjectProperty<QueryError> errorProperty() { return error; }
    /** The range the last range query covered: the chart's home (double-click returns to it). */
    public ObjectProperty<TimeRange> homeProperty() { return home; }
    /** The chart's plot width in pixels: the step follows it. */
    public IntegerProperty plotWidthProperty() { return plotWidth; }
    public ObservableList<Row> rows() { return rows; }
    public ObservableList<String> history() { return history; }
    public ObservableList<Map.Entry<String, String>> saved() { return saved; }
    public Duration lastStep() { return lastStep; }

    /** An environment was opened: its saved queries, history and completion lists are loaded. */
    public void attach(MetricsService svc) {
        detach();
        this.service = svc;
        MetricsService mine = svc;
        status.set("Type a PromQL query and press Ctrl+Enter.");
        svc.savedQueries().whenComplete((m, e) -> ui.execute(() -> {
            if (service == mine && m != null) {
                saved.setAll(new ArrayList<>(m.entrySet()));
                if (expression.get().isBlank() && !m.isEmpty()) {
                    // the first saved query (the error rate by default) is on screen when the pane opens
                    expression.set(m.values().iterator().next());
                    run();
                }
            }
        }));
        loadHistory(mine);
        svc.port().labelValues("__name__").whenComplete((l, e) -> ui.execute(() -> {
            if (service == mine && l != null) {
                metricNames.clear();
                metricNames.addAll(l);
            }
        }));
        svc.port().labelNames().whenComplete((l, e) -> ui.execute(() -> {
            if (service == mine && l != null) {
                labelNames.clear();
                labelNames.addAll(l);
            }
        }));
        svc.port().metadata().whenComplete((m, e) -> ui.execute(() -> {
            if (service == mine && m != null) {
                metadata.clear();
                metadata.putAll(m);
            }
        }));
    }

    private void loadHistory(MetricsService svc) {
        svc.history(50).whenComplete((l, e) -> ui.execute(() -> {
            if (service == svc && l != null) {
                history.setAll(l);
            }
        }));
    }

    @Override
    public void detach() {
        cancel();
        dropPending();
        bump(); // whatever is still on its way (series, markers) belongs to the environment left
        lastAsked = null;
        service = null;
        data.clearSeries();
        data.setMarkers(List.of());
        rows.clear();
        history.clear();
        saved.clear();
        metricNames.clear();
        labelNames.clear();
        metadata.clear();
        labelValues.clear();
        error.set(null);
        lastExpr = null;
        resultAt = null;
        sourcesDown = null;
        stale.set("");
    }

    /** Runs the editor's query over the selected range (or at this instant). */
    public void run() {
        String expr = expression.get() == null ? "" : expression.get().strip();
        if (service == null) {
            status.set("No environment is open.");
            return;
        }
        if (expr.isEmpty()) {
            error.set(new QueryError("The query is empty.", 0, 0, false));
            return;
        }
        lastExpr = expr;
        dropPending();
        MetricsService svc = service;
        svc.remember(expr).whenComplete((v, e) -> loadHistory(svc));
        if (instant.get()) {
            runInstant(expr);
        } else {
            Instant end = clock.instant();
            TimeRange r = TimeRange.last(range.get(), end);
            home.set(r);
            runRange(expr, r);
        }
    }

    /**
     * The user zoomed or panned the chart to {@code visible}: the last query is asked again for that
     * range, at the step its width needs (finer when zoomed in) — throttled: at once if nothing was
     * asked during the last {@link #PAN_INTERVAL}, else the latest range when the interval is over.
     */
    public void visibleRangeChanged(TimeRange visible) {
        if (!wanted(visible)) {
            dropPending();
            return;
        }
        long now = ticker.millis();
        if (pendingCancel == null && now - lastAskMillis >= PAN_INTERVAL) {
            ask(visible);
            return;
        }
        pendingRange = visible; // the last wins
        if (pendingCancel == null) {
            pendingCancel = ticker.schedule(Math.max(0, lastAskMillis + PAN_INTERVAL - now), () -> ui.execute(this::askPending));
        }
    }

    /**
     * The pan or zoom gesture is over (the drag released) at {@code visible}: the final range is asked
     * now, whatever the throttle, unless exactly that range was the last one asked.
     */
    public void gestureEnded(TimeRange visible) {
        dropPending();
        if (wanted(visible) && !visible.equals(lastAsked)) {
            ask(visible);
        }
    }

    private boolean wanted(TimeRange visible) {
        if (visible == null || lastExpr == null || instant.get() || service == null) {
            return false;
        }
        TimeRange h = home.get();
        return h == null || !visible.equals(h); // back home: the data for it is there unless a zoom's replaced it
    }

    private void askPending() {
        pendingCancel = null;
        TimeRange r = pendingRange;
        pendingRange = null;
        if (wanted(r)) {
            ask(r);
        }
    }

    private void dropPending() {
        if (pendingCancel != null) {
            pendingCancel.run();
            pendingCancel = null;
        }
        pendingRange = null;
    }

    private void ask(TimeRange r) {
        lastAskMillis = ticker.millis();
        lastAsked = r;
        runRange(lastExpr, r);
    }

    /** Back to the preset range's data after a zoom. */
    public void homeAgain() {
        dropPending();
        if (lastExpr != null && home.get() != null && !instant.get()) {
            lastAsked = null;
            runRange(lastExpr, home.get());
        }
    }

    private void runRange(String expr, TimeRange r) {
        Duration span = Duration.ofMillis(r.spanMillis());
        Duration step = MetricsService.stepFor(span, Math.max(100, plotWidth.get()), Duration.ZERO);
        long gen = start();
        long t0 = System.nanoTime();
        status.set("Querying " + Durations.format(span) + " at step " + Durations.format(step) + "…");
        CompletableFuture<QueryResult> f;
        try {
            f = service.range(expr, r.from(), r.to(), step);
        } catch (IllegalArgumentException e) {
            finish(gen);
            error.set(new QueryError(e.getMessage(), 0, 0, false));
            return;
        }
        inFlight = f;
        MetricsService svc = service;
        CompletableFuture<List<MetricsService.ActionMark>> marks = svc.actions(r.from(), r.to())
                .exceptionally(e -> List.of());
        f.whenComplete((res, e) -> {
            if (e == null) {
                synchronized (seriesLock) { // a switch or a newer query cannot slip in between the check and the write
                    if (gen == generation) {
                        // the data set takes writes from any thread: the chart draws it on its next pulse
                        writeSeries(expr, res, step);
                    }
                }
            }
            ui.execute(() -> {
                if (gen != generation) {
                    return;
                }
                finish(gen);
                if (e != null) {
                    failed(e);
                    return;
                }
                lastStep = step;
                error.set(null);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String same = sameValue(res.series());
                result(res.series().size() + " series · " + res.maxPoints() + " points each at most · step "
                        + Durations.format(step) + " · " + ms + " ms"
                        + (same == null ? "" : " · every value is " + same)
                        + (res.warnings().isEmpty() ? "" : " · " + String.join("; ", res.warnings())));
            });
        });
        marks.thenAccept(list -> {
            List<Marker> out = new ArrayList<>();
            for (MetricsService.ActionMark m : list) {
                // done: violet; running here: grey; outcome unknown (killed, another console): amber; failed or refused: red
                out.add(new Marker(m.time().toEpochMilli(), m.label(), m.detail(), m.ok() ? Color.web("#8250df")
                        : m.running() ? Color.web("#6e7781") : m.unknown() ? Color.web("#bf8700") : Color.web("#cf222e")));
            }
            ui.execute(() -> {
                // markers of another environment (switched meanwhile) or of an overtaken query never land
                if (service == svc && gen == generation) {
                    data.setMarkers(out);
                }
            });
        });
    }

    /**
     * The one value every point of every series has, as text ("0", "1", "0.25"), or null: an all-zero error rate draws
     * its lines on the chart's bottom edge, where they look like no data at all; the status says it in words.
     */
    static String sameValue(List<MetricSeries> series) {
        double v = Double.NaN;
        for (MetricSeries s : series) {
            for (double x : s.values()) {
                if (Double.isNaN(x) || (!Double.isNaN(v) && x != v)) {
                    return null;
                }
                v = x;
            }
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private void writeSeries(String expr, QueryResult res, Duration step) {
        ValueUnit unit = ValueUnit.guess(expr);
        data.clearSeries();
        for (MetricSeries s : res.series()) {
            // the id is the full label set (unique in a result, stable across zooms: hidden series and
            // colours stay); the name shown leaves out what every series of this answer shares
            data.put(new SeriesSpec(s.displayName(), s.shortName(res.series(), expr.strip()), null, unit), s.times(), s.values(), step.toMillis() * 2 + 1);
        }
    }

    private void runInstant(String expr) {
        long gen = start();
        long t0 = System.nanoTime();
        status.set("Querying at this instant…");
        CompletableFuture<QueryResult> f;
        try {
            f = service.instant(expr, clock.instant());
        } catch (IllegalArgumentException e) {
            finish(gen);
            error.set(new QueryError(e.getMessage(), 0, 0, false));
            return;
        }
        inFlight = f;
        f.whenComplete((res, e) -> ui.execute(() -> {
            if (gen != generation) {
                return;
            }
            finish(gen);
            if (e != null) {
                failed(e);
                return;
            }
            error.set(null);
            ValueUnit unit = ValueUnit.guess(expr);
            List<Row> out = new ArrayList<>();
            for (MetricSeries s : res.series()) {
                double v = s.values()[0];
                out.add(new Row(s.displayName(), unit == ValueUnit.SI || unit == ValueUnit.NONE ? plain(v) : unit.format(v) + "  (" + plain(v) + ")", v));
            }
            rows.setAll(out);
            result(res.resultType() + " · " + out.size() + " series · " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }));
    }

    /** A query answered: its status, as of now. */
    private void result(String text) {
        status.set(text);
        resultAt = clock.instant();
        staleNote();
    }

    private static String plain(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private long start() {
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        running.set(true);
        return bump();
    }

    private long bump() {
        synchronized (seriesLock) {
            return ++generation;
        }
    }

    private void finish(long gen) {
        if (gen == generation) {
            running.set(false);
            inFlight = null;
        }
    }

    private void failed(Throwable e) {
        Throwable c = Errors.unwrap(e);
        if (c instanceof java.util.concurrent.CancellationException) {
            status.set("Cancelled.");
            return;
        }
        if (c instanceof QueryException q) {
            error.set(new QueryError(q.prometheusMessage(), q.line().orElse(0), q.column().orElse(0), true));
            status.set("Prometheus refused the query; the chart still shows the previous result.");
        } else {
            error.set(new QueryError("Prometheus did not answer: " + Errors.describe(e), 0, 0, false));
            status.set("Down at " + java.time.LocalTime.now(clock).withNano(0) + "; the chart still shows the previous result.");
        }
    }

    /** Cancels the query in flight (its HTTP request is aborted) and a pan's query still to come. */
    public void cancel() {
        dropPending();
        if (inFlight != null) {
            CompletableFuture<?> f = inFlight;
            bump();
            lastAsked = null;
            inFlight = null;
            running.set(false);
            f.cancel(true);
            status.set("Cancelled.");
        }
    }

    public void save(String name) {
        if (service == null) {
            return;
        }
        MetricsService svc = service;
        svc.save(name, expression.get()).thenCompose(v -> svc.savedQueries()).whenComplete((m, e) -> ui.execute(() -> {
            if (e != null) {
                status.set("Not saved: " + Errors.describe(e));
            } else if (service == svc) {
                saved.setAll(new ArrayList<>(m.entrySet()));
                status.set("Saved as '" + name.strip() + "'.");
            }
        }));
    }

    /** Completions for the word before {@code caret}: functions, metric names, label names, or label values. */
    public List<String> completions(String text, int caret) {
        int start = caret;
        while (start > 0 && (Character.isLetterOrDigit(text.charAt(start - 1)) || text.charAt(start - 1) == '_'
                || text.charAt(start - 1) == ':')) {
            start--;
        }
        String word = text.substring(start, caret).toLowerCase(Locale.ROOT);
        // inside {...}: label names, or after label=" its values
        int open = text.lastIndexOf('{', caret - 1);
        int close = text.lastIndexOf('}', caret - 1);
        TreeSet<String> out = new TreeSet<>();
        if (open > close) {
            String inside = text.substring(open + 1, caret);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)$").matcher(inside);
            if (m.find()) {
                String prefix = m.group(3);
                for (String v : labelValues.getOrDefault(m.group(1), List.of())) {
                    if (v.startsWith(prefix)) {
                        out.add(v);
                    }
                }
                return new ArrayList<>(out);
            }
            for (String l : labelNames) {
                if (l.toLowerCase(Locale.ROOT).startsWith(word)) {
                    out.add(l);
                }
            }
            return new ArrayList<>(out);
        }
        if (word.isEmpty()) {
            return List.of();
        }
        for (String f : MetricsService.FUNCTIONS) {
            if (f.startsWith(word)) {
                out.add(f);
            }
        }
        for (String n : metricNames) {
            if (n.toLowerCase(Locale.ROOT).contains(word)) {
                out.add(n);
            }
        }
        return new ArrayList<>(out).subList(0, Math.min(out.size(), 30));
    }

    /** The word a completion replaces: its start before {@code caret}. */
    public static int wordStart(String text, int caret) {
        int start = caret;
        while (start > 0) {
            char c = text.charAt(start - 1);
            if (Character.isLetterOrDigit(c) || c == '_' || c == ':') {
                start--;
            } else if (c == '"' ) {
                break;
            } else {
                break;
            }
        }
        // inside a label value: replace back to the opening quote
        int q = text.lastIndexOf('"', caret - 1);
        if (q >= 0 && text.substring(0, q).matches("(?s).*\\{[^}]*[=~]\\s*$")) {
            return q + 1;
        }
        return start;
    }

    /** Loads a label's values for completion (once per label). */
    public void loadLabelValues(String label) {
        if (service == null || labelValues.containsKey(label) || !label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
            return;
        }
        MetricsService svc = service;
        labelValues.put(label, List.of());
        svc.port().labelValues(label).whenComplete((l, e) -> ui.execute(() -> {
            if (service == svc && l != null) {
                labelValues.put(label, l);
            }
        }));
    }

    /** A metric's type and help, for the completion list. */
    public String help(String metric) {
        return metadata.getOrDefault(metric, "");
    }

    /** The CSV of what the chart shows (any thread). */
    public String csv(java.util.Set<String> hidden, TimeRange visible, java.time.ZoneId zone) {
        return io.dutydesk.ui.chart.ChartExport.csv(data.snapshot(), hidden, visible, zone);
    }
}
