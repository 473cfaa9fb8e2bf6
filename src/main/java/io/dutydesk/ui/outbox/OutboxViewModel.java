package io.dutydesk.ui.outbox;

import io.dutydesk.core.Ages;
import io.dutydesk.core.Errors;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.BacklogLevel;
import io.dutydesk.core.outbox.BacklogSample;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.outbox.StreamInfo;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.ui.fx.PaneModel;
import io.dutydesk.ui.fx.PolledValue;
import io.dutydesk.ui.fx.Times;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Outbox pane: the backlog in the outbox table (PostgreSQL) and in the stream's consumer groups
 * (Redis), the relay container of the live slot, and the trend of the last 24 h. Each source is
 * polled on its own: one that fails keeps its last values, marked "down; last answer at T", and never
 * blanks the others. Results hop onto the ui executor (the FX thread; the calling thread in tests).
 */
public final class OutboxViewModel implements PaneModel {

    /**
     * The header's colour: the backlog against the thresholds, or unknown/down/misconfigured (never
     * green then). MISCONFIGURED: PostgreSQL answers but lacks the table or a column the file names. UNKNOWN also
     * when the backlog is fine but the stream or the relay cannot be read now (as the morning check: never green on
     * the backlog alone). The navigation's badge is drawn from the same state ({@link #paneState()}).
     */
    public enum HeaderState { UNKNOWN, OK, WARN, CRITICAL, DOWN, MISCONFIGURED }

    /** One row of the groups table. */
    public record GroupRow(String group, String consumer, long consumers, long pending, String lag, String idle) {}

    /** The relay container of the live slot. */
    public record Relay(String container, String slot, String state, String health, boolean ready) {}

    private final Executor ui;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    private final ObjectProperty<HeaderState> headerState = new SimpleObjectProperty<>(HeaderState.UNKNOWN);
    private final StringProperty header = new SimpleStringProperty("Outbox");
    private final ObjectProperty<OutboxBacklog> backlog = new SimpleObjectProperty<>();
    private final StringProperty backlogProblem = new SimpleStringProperty();
    private final ObjectProperty<StreamInfo> stream = new SimpleObjectProperty<>();
    private final StringProperty streamProblem = new SimpleStringProperty();
    /** The outbox has an in-flight state (statuses.processing): the Processing tile is shown. */
    private final javafx.beans.property.BooleanProperty processingShown = new javafx.beans.property.SimpleBooleanProperty(true);
    /** The environment has a stream (no {@code redis: false}): it is polled and shown. */
    private final javafx.beans.property.BooleanProperty streamConfigured = new javafx.beans.property.SimpleBooleanProperty(true);
    private final ObjectProperty<Relay> relay = new SimpleObjectProperty<>();
    private final StringProperty relayProblem = new SimpleStringProperty();
    /** Why the relay row does not apply to the environment (a single stack has no live slot's relay); null: it applies. */
    private final StringProperty relayNotApplicable = new SimpleStringProperty();
    private final StringProperty indexAdvice = new SimpleStringProperty();
    private final ObservableList<OutboxBacklog.OldEvent> oldest = FXCollections.observableArrayList();
    private final ObservableList<GroupRow> groups = FXCollections.observableArrayList();
    private final ObservableList<BacklogSample> history = FXCollections.observableArrayList();
    private final StringProperty historyNote = new SimpleStringProperty("");
    private final StringProperty actionStatus = new SimpleStringProperty("");
    /** When what each source shows was read, while that source fails (null while it answers): everything from it is "as of" then. */
    private final ObjectProperty<Instant> backlogStaleSince = new SimpleObjectProperty<>();
    private final ObjectProperty<Instant> streamStaleSince = new SimpleObjectProperty<>();
    private final ObjectProperty<Instant> relayStaleSince = new SimpleObjectProperty<>();
    private java.util.function.Consumer<io.dutydesk.core.Backend> answered = b -> { };
    /** The pane's one state for the navigation (null while nothing is read): the header's, never apart from it. */
    private final ObjectProperty<io.dutydesk.ui.fx.PaneState> paneState = new SimpleObjectProperty<>();
    /** The snapshots last handed over, per source: when each was read, and when each last answered. */
    private Snapshot<OutboxBacklog> backlogSnap;
    private Snapshot<StreamInfo> streamSnap;
    private Snapshot<SlotsSnapshot> relaySnap;
    private boolean streamMisconfigured;
    /**
     * The header's word on the backends this pane reads through, down now ("PostgreSQL down; last answer at T"), null for
     * none: hidden, the pane reads nothing, and its last read is not as of now ({@link #health}).
     */
    private String sourcesDown;

    private OutboxContext context;
    private final java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, OutboxContext> contexts;
    private final List<PolledValue<?>> pollers = new ArrayList<>();
    /** On the screen (or as if: a view-model without a shell): polls; hidden, it reads nothing. */
    private boolean shown = true;
    private PolledValue<OutboxBacklog> backlogPoller;
    private boolean backlogMisconfigured; // the last PostgreSQL failure: it answered without what the file names
    private boolean historyFailed; // the last loading of the history failed: the next poll loads it again
    private PolledValue<StreamInfo> streamPoller;
    private PolledValue<SlotsSnapshot> relayPoller;

    public OutboxViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock) {
        this(ui, scheduler, clock, null);
    }

    /** {@code contexts}: what the pane needs of an opened environment (the app builds its services from the handle). */
    public OutboxViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock,
                           java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, OutboxContext> contexts) {
        this.ui = ui;
        this.scheduler = scheduler;
        this.clock = clock;
        this.contexts = contexts;
    }

    @Override
    public void attach(Environment env, io.dutydesk.core.ports.EnvironmentHandle handle) {
        if (contexts == null) {
            throw new IllegalStateException("no way to build the outbox's context from an environment");
        }
        attach(contexts.apply(handle));
    }

    /** Hidden: none of the three sources is read (the header's probes still are). */
    @Override
    public void hidden() {
        shown = false;
        pollers.forEach(PolledValue::pause);
        showState();
    }

    /** Shown again: every source is read now, not an interval later. */
    @Override
    public void shown() {
        if (!shown) {
            shown = true;
            showState();
            pollers.forEach(PolledValue::resume);
        }
    }

    /**
     * The pane's state as its header shows it, for the navigation's badge: "down" while PostgreSQL is, "?" while the
     * stream or the relay cannot be read, else the backlog's level — the header's own state, so the badge never says
     * better than the pane ({@link io.dutydesk.ui.fx.PaneState#badge}). Null until something is read.
     */
    @Override
    public ReadOnlyObjectProperty<io.dutydesk.ui.fx.PaneState> paneState() { return paneState; }

    private void showState() {
        io.dutydesk.ui.fx.PaneState.markShown(paneState, shown);
    }

    public ReadOnlyObjectProperty<HeaderState> headerStateProperty() { return headerState; }

    public ReadOnlyStringProperty headerProperty() { return header; }

    public ReadOnlyObjectProperty<OutboxBacklog> backlogProperty() { return backlog; }

    /**
     * Null when the last PostgreSQL poll succeeded; else "PostgreSQL: down; last answer at T: error", or
     * "PostgreSQL: misconfigured — error" when it answers without what the environments file names.
     */
    public ReadOnlyStringProperty backlogProblemProperty() { return backlogProblem; }

    public ReadOnlyObjectProperty<StreamInfo> streamProperty() { return stream; }

    public ReadOnlyStringProperty streamProblemProperty() { return streamProblem; }

    /** False for an outbox without an in-flight state ({@code statuses.processing} empty): no Processing tile, not "0". */
    public javafx.beans.property.ReadOnlyBooleanProperty processingShownProperty() { return processingShown; }

    /** False for an environment without a stream ({@code redis: false}): "not configured", Redis not polled. */
    public javafx.beans.property.ReadOnlyBooleanProperty streamConfiguredProperty() { return streamConfigured; }

    /** What the stream part says of an environment without one. */
    public static final String STREAM_NOT_CONFIGURED = "not configured (redis: false in the environments file): no stream is read";

    public ReadOnlyObjectProperty<Relay> relayProperty() { return relay; }

    public ReadOnlyStringProperty relayProblemProperty() { return relayProblem; }

    /**
     * Non-null when the relay row has no meaning for the environment: one that deploys a single stack
     * ({@code deploy.model: single}) has no live slot to find the relay in, so it is not read (never shown as an error).
     */
    public ReadOnlyStringProperty relayNotApplicableProperty() { return relayNotApplicable; }

    /** The CREATE INDEX CONCURRENTLY the console recommends, or null when an index serves the queries. */
    public ReadOnlyStringProperty indexAdviceProperty() { return indexAdvice; }

    public ObservableList<OutboxBacklog.OldEvent> oldest() { return oldest; }

    public ObservableList<GroupRow> groups() { return groups; }

    /** The last 24 h, oldest first: this console's samples and Prometheus's where it was closed. */
    public ObservableList<BacklogSample> history() { return history; }

    public ReadOnlyStringProperty historyNoteProperty() { return historyNote; }

    public ReadOnlyStringProperty actionStatusProperty() { return actionStatus; }

    /**
     * While PostgreSQL fails: when the counts, the oldest pending age and the 10 oldest events shown were read (they
     * are as of then, never current); null while it answers.
     */
    public ReadOnlyObjectProperty<Instant> backlogStaleSinceProperty() { return backlogStaleSince; }

    /** While Redis fails: when the stream's length and its groups shown were read; null while it answers. */
    public ReadOnlyObjectProperty<Instant> streamStaleSinceProperty() { return streamStaleSince; }

    /** While the relay's container cannot be read (SSH or Docker down): when what is shown of it was read; else null. */
    public ReadOnlyObjectProperty<Instant> relayStaleSinceProperty() { return relayStaleSince; }

    /** "as of 12:00:00" for what was read from a source that fails now; "" while it answers. */
    public String asOf(ReadOnlyObjectProperty<Instant> staleSince) {
        return staleSince.get() == null ? "" : "as of " + time(staleSince.get());
    }

    /** " at 12:00:00" after an age read from a source that fails now (its age then, not now); "" while it answers. */
    public String asOfSuffix(ReadOnlyObjectProperty<Instant> staleSince) {
        return staleSince.get() == null ? "" : " at " + time(staleSince.get());
    }

    /** The "Oldest pending" tile: the age, "as of T" while PostgreSQL fails (it was that old then); "none"; "…" before a read. */
    public String oldestPendingText() {
        OutboxBacklog b = backlog.get();
        if (b == null) {
            return backlogProblem.get() == null ? "…" : "down";
        }
        String age = b.oldestPendingAgeSeconds() == null ? "none" : Ages.of(b.oldestPendingAgeSeconds());
        return backlogStaleSince.get() == null ? age : age + " as of " + time(backlogStaleSince.get());
    }

    /** The title over the oldest pending events: how many, and "as of T — stale" while PostgreSQL fails. */
    public String oldestTitle() {
        if (backlog.get() == null) {
            return "Oldest pending events"; // none read yet: not "0 pending events" (the table says why)
        }
        int n = oldest.size();
        String what = n >= 10 ? "10 oldest pending events" : n == 1 ? "1 pending event" : n + " pending events, oldest first";
        return backlogStaleSince.get() == null ? what : what + " — as of " + time(backlogStaleSince.get()) + ", stale (PostgreSQL down)";
    }

    /**
     * What the oldest-events table says with no row: "Nothing pending." only from a read; a source that has not answered
     * yet is unknown, never empty ("Nothing pending." beside "PostgreSQL: down — nothing read yet" was a claim).
     */
    public String oldestPlaceholder() {
        if (backlog.get() == null) {
            return backlogProblem.get() == null ? "Reading the outbox…" : "Pending events unknown: nothing read from PostgreSQL yet.";
        }
        return backlogStaleSince.get() == null ? "Nothing pending." : "Nothing pending " + asOf(backlogStaleSince) + ", stale (PostgreSQL down).";
    }

    /** The groups table's text with no row: "No consumer group." only from a read of the stream; else unknown or as of T. */
    public String groupsPlaceholder() {
        if (stream.get() == null) {
            return streamProblem.get() == null ? "Reading the stream…" : "Consumer groups unknown: nothing read from Redis yet.";
        }
        return streamStaleSince.get() == null ? "No consumer group." : "No consumer group " + asOf(streamStaleSince) + ", stale (Redis down).";
    }

    /** The age of one of the oldest events as shown: "3 h 24 min", or "3 h 24 min at 12:00:00" while PostgreSQL fails. */
    public String ageText(OutboxBacklog.OldEvent e) {
        return Ages.of(e.ageSeconds()) + asOfSuffix(backlogStaleSince);
    }

    /** Told (on the ui executor) of each backend a poll got an answer from: PostgreSQL, Redis, SSH and Docker (the relay). */
    @Override
    public void onAnswered(java.util.function.Consumer<io.dutydesk.core.Backend> answered) {
        this.answered = answered;
    }

    /**
     * The header's probe of {@code b} answers again: the sources read through it are read now, not after their backoff —
     * hidden too when a source's own last read failed (its part of the badge stayed unknown from that failure until the
     * pane was shown again); a hidden source whose last read succeeded reads nothing.
     */
    @Override
    public void recovered(io.dutydesk.core.Backend b) {
        switch (b) {
            case SSH -> pollers.forEach(OutboxViewModel::refreshNow);
            case POSTGRES -> refreshNow(backlogPoller);
            case REDIS -> refreshNow(streamPoller);
            case DOCKER -> refreshNow(relayPoller);
            default -> { }
        }
    }

    /**
     * The header's health (every built pane gets it, hidden or not): a backend this pane reads through — SSH, PostgreSQL,
     * Redis (the stream, if any), Docker (the relay, if any) — down or misconfigured now makes what it shows from them
     * unknown at once, never green, in the header and the badge ({@link #updateHeader}). Hidden, its pollers paused, it
     * learns it nowhere else: its badge stood on its last read, "ok" beside the status bar's "PostgreSQL down", and, being
     * newer than the morning's run, won over the run's badge the Today pane had made unknown. Another environment's
     * health is not its ({@link io.dutydesk.ui.fx.PaneSources}, the Slots and Backups panes' rule too).
     */
    @Override
    public void health(io.dutydesk.core.health.HealthSnapshot now) {
        if (context == null) {
            return;
        }
        Environment env = context.service().environment();
        List<io.dutydesk.core.Backend> through = new ArrayList<>(List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.POSTGRES));
        if (env.redis().configured()) {
            through.add(io.dutydesk.core.Backend.REDIS);
        }
        if (relayNotApplicable.get() == null) {
            through.add(io.dutydesk.core.Backend.DOCKER);
        }
        io.dutydesk.ui.fx.PaneSources.tell(now, env.name(), through, java.util.Set.of(), clock, d -> {
            if (!java.util.Objects.equals(d, sourcesDown)) {
                sourcesDown = d;
                updateHeader();
            }
        });
    }

    private static void refreshNow(PolledValue<?> p) {
        if (p == null) {
            return;
        }
        io.dutydesk.core.poll.Snapshot<?> last = p.latest();
        if (p.paused() && last != null && !last.pending() && !last.ok()) {
            p.readOnce(); // hidden after a failed read: read once, still paused
        } else {
            p.refreshNow();
        }
    }

    public Optional<Environment> environment() {
        return Optional.ofNullable(context).map(c -> c.service().environment());
    }

    /** Starts showing one environment: loads its history, then polls each source on its own. */
    public void attach(OutboxContext ctx) {
        detach();
        context = ctx;
        Environment env = ctx.service().environment();
        backlog.set(null);
        stream.set(null);
        relay.set(null);
        backlogProblem.set(null);
        streamProblem.set(null);
        relayProblem.set(null);
        relayNotApplicable.set(env.deploy().single()
                ? "not applicable: " + env.name() + " deploys a single stack (deploy.model: single), no live slot's relay" : null);
        backlogStaleSince.set(null);
        streamStaleSince.set(null);
        relayStaleSince.set(null);
        backlogSnap = null;
        streamSnap = null;
        relaySnap = null;
        sourcesDown = null;
        paneState.set(null);
        indexAdvice.set(null);
        oldest.clear();
        groups.clear();
        history.clear();
        actionStatus.set("");
        historyNote.set("loading the last 24 h…");
        headerState.set(HeaderState.UNKNOWN);
        processingShown.set(env.outbox().hasProcessing());
        streamConfigured.set(env.redis().configured());
        header.set("Outbox — reading " + env.outbox().table() + (env.redis().configured() ? " and " + env.redis().stream() : "") + "…");

        loadHistory(ctx, env);

        Duration interval = env.outbox().pollInterval();
        Duration max = env.poll().maxBackoff().compareTo(interval) > 0 ? env.poll().maxBackoff() : interval.multipliedBy(3);
        Duration timeout = env.poll().timeout().multipliedBy(2);
        backlogPoller = poller("outbox", () -> ctx.service().backlog(), interval, max, timeout, this::applyBacklog);
        if (env.redis().configured()) {
            streamPoller = poller("stream", () -> ctx.service().stream(), interval, max, timeout, this::applyStream);
        }
        if (!env.deploy().single()) { // a single stack has no slots to read the relay from
            relayPoller = poller("relay", () -> ctx.slots().read(), interval, max, timeout.multipliedBy(2), this::applyRelay);
        }
        for (PolledValue<?> p : pollers) {
            if (!shown) {
                p.pause();
            }
            p.start();
        }
    }

    /**
     * Loads the last 24 h from the local store (and Prometheus for the time the console was closed).
     * If that fails, the next successful poll tries again: a store that was busy or locked at the
     * start does not leave the chart without its history for the whole session.
     */
    private void loadHistory(OutboxContext ctx, Environment env) {
        historyFailed = false;
        ctx.service().loadHistory(ctx.history(), ctx.prometheus()).whenComplete((h, e) -> ui.execute(() -> {
            if (context != ctx) {
                return;
            }
            if (e != null) {
                historyNote.set("history not available: " + Errors.describe(e) + " (tried again at the next poll)");
                historyFailed = true;
                return;
            }
            // samples polled while the history was loading are already in the store: one of each
            java.util.Map<String, BacklogSample> byKey = new java.util.TreeMap<>();
            for (BacklogSample x : h.samples()) {
                byKey.put(String.format("%020d/%s", x.at().toEpochMilli(), x.source()), x);
            }
            for (BacklogSample x : history) {
                byKey.put(String.format("%020d/%s", x.at().toEpochMilli(), x.source()), x);
            }
            List<BacklogSample> merged = new ArrayList<>(byKey.values());
            history.setAll(merged);
            long fromPrometheus = merged.stream().filter(s -> s.source() == BacklogSample.Source.PROMETHEUS).count();
            historyNote.set(h.gapError().map(x -> "the time the console was closed is not filled: " + x)
                    .orElse(fromPrometheus > 0 ? fromPrometheus + " points from Prometheus (" + env.outbox().prometheusQuery()
                            + ") fill the time the console was closed" : ""));
        }));

    }

    private <T> PolledValue<T> poller(String name, java.util.function.Supplier<CompletableFuture<T>> source, Duration interval,
                                      Duration max, Duration timeout, java.util.function.Consumer<Snapshot<T>> apply) {
        PolledValue<T> p = new PolledValue<>(name, source, interval, max, timeout, scheduler, clock, ui, apply);
        pollers.add(p);
        return p;
    }

    @Override
    public void detach() {
        pollers.forEach(PolledValue::close);
        pollers.clear();
        backlogPoller = null;
        streamPoller = null;
        relayPoller = null;
        context = null;
        paneState.set(null); // nothing of the environment left
    }

    @Override
    public void refresh() {
        pollers.forEach(PolledValue::refreshNow);
    }

    private String problem(String source, Snapshot<?> s) {
        return PolledValue.problem(source, s, clock);
    }

    void applyBacklog(Snapshot<OutboxBacklog> s) {
        backlogSnap = s;
        if (s.ok()) {
            answered.accept(io.dutydesk.core.Backend.POSTGRES);
            OutboxBacklog b = s.value();
            backlogStaleSince.set(null);
            backlog.set(b);
            backlogProblem.set(null);
            indexAdvice.set(b.indexOk() ? null : b.recommendedIndex());
            io.dutydesk.ui.fx.ListUpdates.replace(oldest, b.oldest());
            record(s.takenAt());
        } else {
            backlogStaleSince.set(backlog.get() == null ? null : s.lastSuccessAt());
            backlogProblem.set(problem("PostgreSQL", s));
        }
        backlogMisconfigured = s.misconfigured();
        updateHeader();
    }

    void applyStream(Snapshot<StreamInfo> s) {
        streamSnap = s;
        streamMisconfigured = s.misconfigured();
        if (s.ok()) {
            answered.accept(io.dutydesk.core.Backend.REDIS);
            StreamInfo st = s.value();
            streamStaleSince.set(null);
            stream.set(st);
            streamProblem.set(null);
            List<GroupRow> rows = new ArrayList<>();
            for (StreamInfo.Group g : st.groups()) {
                rows.add(new GroupRow(g.name(), "", g.consumers(), g.pending(), g.lag() == null ? "unknown" : String.valueOf(g.lag()), ""));
                for (StreamInfo.Consumer c : g.consumerList()) {
                    rows.add(new GroupRow(g.name(), c.name(), 0, c.pending(), "", Ages.of(c.idleMs() / 1000)));
                }
            }
            groups.setAll(rows);
            if (backlogPoller == null || !backlogPoller.latest().ok()) {
                record(s.takenAt()); // PostgreSQL down: the stream's trend goes on alone
            }
        } else {
            streamStaleSince.set(stream.get() == null ? null : s.lastSuccessAt());
            streamProblem.set(problem("Redis", s));
        }
        updateHeader();
    }

    void applyRelay(Snapshot<SlotsSnapshot> s) {
        if (context == null) {
            return;
        }
        relaySnap = s;
        if (s.ok()) {
            answered.accept(io.dutydesk.core.Backend.SSH);
            answered.accept(io.dutydesk.core.Backend.DOCKER);
            relayStaleSince.set(null);
            String service = context.service().environment().outbox().relayService();
            Optional<ServiceState> st = s.value().live().services().stream().filter(x -> x.service().equals(service)).findFirst();
            relay.set(st.map(x -> new Relay(x.containerName(), x.slot(), x.container().map(c -> c.state()).orElse("missing"),
                    x.container().map(c -> c.health()).orElse("missing"), x.ready()))
                    .orElse(new Relay(service, s.value().liveSlot(), "not a service of this environment", "-", false)));
            relayProblem.set(null);
        } else {
            relayStaleSince.set(relay.get() == null ? null : s.lastSuccessAt());
            relayProblem.set(problem("Relay", s));
        }
        updateHeader();
    }

    /** One trend sample from the latest values of each source; kept in the local store. */
    private void record(Instant at) {
        OutboxContext ctx = context;
        if (ctx == null) {
            return;
        }
        OutboxBacklog b = backlogProblem.get() == null ? backlog.get() : null;
        StreamInfo st = streamProblem.get() == null ? stream.get() : null;
        if (b == null && st == null) {
            return;
        }
        BacklogSample sample = OutboxService.sample(at, b, st);
        history.add(sample);
        Instant cut = at.minus(OutboxService.WINDOW);
        while (!history.isEmpty() && history.get(0).at().isBefore(cut)) {
            history.remove(0);
        }
        ctx.history().append(ctx.service().environment().name(), List.of(sample));
        if (historyFailed) {
            loadHistory(ctx, ctx.service().environment());
        }
    }

    /**
     * The pane's one state, from every source it shows: the header's words and colour and the navigation's badge
     * ({@link #paneState()}) are both drawn from it here, never apart — the badge followed only the morning check and
     * said "ok" beside "PostgreSQL down". PostgreSQL down or misconfigured: so is the outbox (its backlog is not known
     * now). Else the backlog's level against the thresholds, never green while the stream or the relay cannot be read
     * (unknown, as the morning check's rule; a known warn or critical stays) nor while the relay is not ready (warn).
     */
    private void updateHeader() {
        Environment env = context == null ? null : context.service().environment();
        OutboxBacklog b = backlog.get();
        if (env == null) {
            return;
        }
        if (backlogProblem.get() != null) {
            boolean misconfigured = backlogMisconfigured;
            String outage = "PostgreSQL " + io.dutydesk.ui.fx.Outage.of(misconfigured, backlogSnap.lastSuccessAt(), clock);
            headerState.set(misconfigured ? HeaderState.MISCONFIGURED : HeaderState.DOWN);
            header.set("Outbox: " + outage + (b == null ? "" : " — " + b.pending() + " pending then"));
            state(misconfigured ? new io.dutydesk.ui.fx.NavBadge("warn", "config", outage)
                    : new io.dutydesk.ui.fx.NavBadge("unknown", "down", outage));
            return;
        }
        List<String> also = new ArrayList<>();
        if (streamProblem.get() != null) {
            also.add("stream not read (Redis " + (streamMisconfigured ? "misconfigured" : "down") + ")");
        }
        if (relayNotApplicable.get() == null && relayProblem.get() != null) {
            also.add("relay not read");
        }
        if (sourcesDown != null) {
            also.add(sourcesDown); // what is shown was read before: not as of now
        }
        if (b == null) {
            // the backlog not read yet (the header says "reading…", unknown): a source shown down already makes the
            // badge unknown, never the check's "ok" beside its banner
            if (!also.isEmpty()) {
                state(new io.dutydesk.ui.fx.NavBadge("unknown", "?", "the backlog not read yet; " + String.join("; ", also)));
            }
            return;
        }
        BacklogLevel.Verdict verdict = BacklogLevel.judge(b, env.thresholds());
        HeaderState level = switch (verdict.level()) {
            case OK -> HeaderState.OK;
            case WARN -> HeaderState.WARN;
            case CRITICAL -> HeaderState.CRITICAL;
        };
        if (level == HeaderState.OK && !also.isEmpty()) {
            level = HeaderState.UNKNOWN; // fine by the backlog, but not all of it can be read now: never green
        }
        Relay r = relay.get();
        if (relayNotApplicable.get() == null && relayProblem.get() == null && r != null && !r.ready()) {
            also.add("relay " + r.container() + " not ready (" + r.state() + ("-".equals(r.health()) || "none".equals(r.health())
                    ? "" : ", " + r.health()) + ")");
            if (level == HeaderState.OK || level == HeaderState.UNKNOWN) {
                level = HeaderState.WARN;
            }
        }
        headerState.set(level);
        boolean byAge = verdict.reason().contains("oldest pending");
        String why = verdict.reason() + (also.isEmpty() ? "" : "; " + String.join("; ", also));
        header.set("Outbox: " + b.pending() + " pending — " + verdict.reason()
                + (b.oldestPendingAgeSeconds() == null || byAge ? "" : "; oldest " + Ages.of(b.oldestPendingAgeSeconds()))
                + (also.isEmpty() ? "" : "; " + String.join("; ", also)));
        state(switch (level) {
            case OK -> new io.dutydesk.ui.fx.NavBadge("pass", "ok", why);
            case WARN -> new io.dutydesk.ui.fx.NavBadge("warn", "warn", why);
            case CRITICAL -> new io.dutydesk.ui.fx.NavBadge("fail", "fail", why);
            default -> new io.dutydesk.ui.fx.NavBadge("unknown", "?", why);
        });
    }

    /** The navigation's badge of the state just shown, as of the newest read of any source. */
    private void state(io.dutydesk.ui.fx.NavBadge badge) {
        Instant asOf = null;
        for (Snapshot<?> x : java.util.Arrays.asList(backlogSnap, streamSnap, relaySnap)) {
            if (x != null && x.takenAt() != null && (asOf == null || x.takenAt().isAfter(asOf))) {
                asOf = x.takenAt();
            }
        }
        paneState.set(io.dutydesk.ui.fx.PaneState.of(badge, asOf == null ? clock.instant() : asOf, shown));
    }

    /** Restarts the live slot's relay container (after the view confirmed); audited by the rollout service. */
    public CompletableFuture<Void> restartRelay() {
        OutboxContext ctx = context;
        Relay r = relay.get();
        if (ctx == null || r == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the relay container is not known yet"));
        }
        actionStatus.set("Restarting " + r.container() + "…");
        return ctx.rollout().restart(r.container()).whenComplete((v, e) -> ui.execute(() -> {
            var unwritten = e == null ? Optional.<io.dutydesk.core.audit.AuditWriteException>empty()
                    : io.dutydesk.core.audit.AuditWriteException.in(Errors.unwrap(e)).filter(a -> a.ran());
            actionStatus.set(e == null ? "✔ restarted " + r.container() + " at " + time(clock.instant())
                    : unwritten.isPresent() ? "⚠ " + unwritten.get().getMessage() // restarted; only its audit entry is missing
                    : "✖ restart " + r.container() + ": " + Errors.describe(e));
            if (relayPoller != null) {
                relayPoller.refreshNow();
            }
        }));
    }

    private String time(Instant t) {
        return Times.hms(t, clock);
    }

    @Override
    public void close() {
        detach();
    }
}
