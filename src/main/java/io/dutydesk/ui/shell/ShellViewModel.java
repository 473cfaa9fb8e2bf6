package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.core.outbox.MemoryOutboxHistory;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.ports.OutboxHistory;
import io.dutydesk.ui.outbox.OutboxContext;
import io.dutydesk.ui.outbox.OutboxViewModel;
import io.dutydesk.ui.slots.SlotsContext;
import io.dutydesk.ui.slots.SlotsViewModel;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.HealthMonitor;
import io.dutydesk.core.health.HealthSnapshot;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The window shell: the environment picker, the panes, and one indicator per backend. Health
 * arrives from {@link HealthMonitor} on adapter threads and is applied through the injected
 * {@code ui} executor (the FX thread in the app, the calling thread in tests).
 */
public final class ShellViewModel implements AutoCloseable {
    private final Map<String, Environment> environments;
    private final EnvironmentConnector connector;
    private final HostKeyPrompt hostKeys;
    private final SecretPrompt secrets;
    private final ScheduledExecutorService scheduler;
    /** Local file work of the Backups pane (hashing a download): bounded, its own, never the common pool. */
    private final java.util.concurrent.ExecutorService backupFiles = java.util.concurrent.Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "dutydesk-backup-files");
        t.setDaemon(true);
        return t;
    });
    private final Executor ui;
    private final Clock clock;
    private final AuditLog audit;
    private final String actor;
    private final SlotsViewModel slots;
    private final io.dutydesk.ui.metrics.MetricsViewModel metrics;
    private io.dutydesk.core.metrics.QueryStore queryStore = io.dutydesk.core.metrics.QueryStore.NONE;
    private final OutboxViewModel outbox;
    private final OutboxHistory outboxHistory;
    private final io.dutydesk.ui.backups.BackupsViewModel backups;

    private final ObservableList<String> environmentNames = FXCollections.observableArrayList();
    private final StringProperty selected = new SimpleStringProperty();
    private final StringProperty target = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("no environment");
    private final ObjectProperty<BackendStatus.State> summaryState = new SimpleObjectProperty<>(BackendStatus.State.UNKNOWN);
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final Map<Backend, BackendIndicatorViewModel> indicators = new EnumMap<>(Backend.class);
    private final Map<BackendStatus.State, BackendGroupViewModel> groups = new EnumMap<>(BackendStatus.State.class);
    private final List<Consumer<HealthSnapshot>> healthListeners = new ArrayList<>();
    private final List<EnvironmentPane> panes = new ArrayList<>();

    private EnvironmentHandle handle;
    private final io.dutydesk.ui.doctor.DoctorViewModel doctor;
    private HealthMonitor monitor;
    private AutoCloseable subscription;
    private HealthSnapshot latest;
    private final StringProperty title = new SimpleStringProperty("Dutydesk");

    public ShellViewModel(Map<String, Environment> environments, EnvironmentConnector connector, HostKeyPrompt hostKeys,
                          SecretPrompt secrets, ScheduledExecutorService scheduler, Executor ui, Clock clock,
                          AuditLog audit, String actor) {
        this(environments, connector, hostKeys, secrets, scheduler, ui, clock, audit, actor, new MemoryOutboxHistory());
    }

    /** {@code outboxHistory}: where the Outbox pane keeps its samples (the console's local store in the app). */
    public ShellViewModel(Map<String, Environment> environments, EnvironmentConnector connector, HostKeyPrompt hostKeys,
                          SecretPrompt secrets, ScheduledExecutorService scheduler, Executor ui, Clock clock,
                          AuditLog audit, String actor, OutboxHistory outboxHistory) {
        this.outboxHistory = outboxHistory;
        this.outbox = new OutboxViewModel(ui, scheduler, clock);
        this.environments = environments;
        this.connector = connector;
        this.hostKeys = hostKeys;
        this.secrets = secrets;
        this.scheduler = scheduler;
        this.ui = ui;
        this.clock = clock;
        this.audit = audit;
        this.actor = actor;
        this.slots = new SlotsViewModel(ui, scheduler, clock);
        this.metrics = new io.dutydesk.ui.metrics.MetricsViewModel(ui, clock);
        this.backups = new io.dutydesk.ui.backups.BackupsViewModel(ui, scheduler, clock);
        this.doctor = new io.dutydesk.ui.doctor.DoctorViewModel(ui);
        environmentNames.setAll(environments.keySet());
        for (Backend b : Backend.values()) {
            indicators.put(b, new BackendIndicatorViewModel(b, clock));
        }
        for (BackendStatus.State st : BackendStatus.State.values()) {
            groups.put(st, new BackendGroupViewModel(st));
        }
        regroup();
        slots.onAnswered(this::answered);
        outbox.onAnswered(this::answered);
        backups.onAnswered(this::answered);
        title.bind(javafx.beans.binding.Bindings.createStringBinding(this::makeTitle, selected, slots.headlineProperty(),
                slots.liveDegradedProperty(), slots.staleProperty(), slots.snapshotProperty()));
    }

    /**
     * The window's title: the environment and its live slot, degraded or stale said in words — what a
     * task bar or a window list shows of a console in the background.
     */
    public ReadOnlyStringProperty titleProperty() { return title; }

    private String makeTitle() {
        String env = selected.get();
        if (env == null) {
            return "Dutydesk";
        }
        if (slots.snapshotProperty().get() == null) {
            return "Dutydesk — " + env;
        }
        return "Dutydesk — " + env + " — " + slots.headlineProperty().get()
                + (slots.staleProperty().get() ? " (stale)" : "");
    }

    public ObservableList<String> environmentNames() { return environmentNames; }

    public ReadOnlyStringProperty selectedProperty() { return selected; }

    public ReadOnlyStringProperty targetProperty() { return target; }

    /** "all 7 backends ok", "2 down: docker, redis", "1 misconfigured: postgres" or "connecting…". */
    public ReadOnlyStringProperty summaryProperty() { return summary; }

    public ReadOnlyObjectProperty<BackendStatus.State> summaryStateProperty() { return summaryState; }

    public BooleanProperty darkProperty() { return dark; }

    public BackendIndicatorViewModel indicator(Backend b) { return indicators.get(b); }

    /** The backends in state {@code s} as one chip: what a narrow status bar shows instead of one indicator each. */
    public BackendGroupViewModel group(BackendStatus.State s) { return groups.get(s); }

    private void regroup() {
        List<BackendIndicatorViewModel> all = List.copyOf(indicators.values());
        groups.values().forEach(g -> g.update(all));
    }

    public List<PaneInfo> panes() { return PaneInfo.ALL; }

    public SlotsViewModel slots() { return slots; }

    public io.dutydesk.ui.metrics.MetricsViewModel metrics() { return metrics; }

    /** Where the Metrics pane keeps query history and saved queries (the local store in the app). */
    public void setQueryStore(io.dutydesk.core.metrics.QueryStore store) { this.queryStore = store; }
    public OutboxViewModel outbox() { return outbox; }
    public io.dutydesk.ui.backups.BackupsViewModel backups() { return backups; }

    public Optional<HealthSnapshot> latestHealth() { return Optional.ofNullable(latest); }

    /** Called (on the ui executor) with every health snapshot applied: for the launch benchmark and tests. */
    public void onHealth(Consumer<HealthSnapshot> listener) {
        healthListeners.add(listener);
    }

    /** A pane that follows the selected environment (attached now if one is open). */
    public void addPane(EnvironmentPane pane) {
        panes.add(pane);
        pane.onAnswered(this::answered);
        if (handle != null) {
            pane.attach(handle.environment(), handle);
        }
    }

    /** Switches to {@code name}: closes the previous environment's connection, opens this one's. */
    public void select(String name) {
        Environment env = environments.get(name);
        if (env == null) {
            throw new IllegalArgumentException("no environment " + name);
        }
        if (name.equals(selected.get()) && monitor != null) {
            return;
        }
        closeCurrent();
        selected.set(name);
        target.set(env.ssh().display() + (env.description().isEmpty() ? "" : " — " + env.description()));
        indicators.values().forEach(BackendIndicatorViewModel::reset);
        regroup();
        summary.set("connecting…");
        summaryState.set(BackendStatus.State.UNKNOWN);
        latest = null;
        handle = connector.open(env, hostKeys, secrets);
        EnvironmentHandle h = handle;
        HealthMonitor m = new HealthMonitor(name, handle.probes(), env.notConfigured(), env.poll().interval(), env.poll().maxBackoff(),
                env.poll().timeout(), scheduler, clock, h::connecting);
        monitor = m;
        subscription = m.subscribe(s -> ui.execute(() -> apply(m, s)));
        m.start();
        SlotsReader reader = new SlotsReader(env, handle.containers(), handle.shell(), clock);
        RolloutService rollout = new RolloutService(env, reader, handle.outbox(), handle.containers(), handle.shell(), audit,
                actor, clock);
        if (env.deploy().single()) {
            slots.detach(); // one stack, no slots: its pane is ui.single.SingleStackViewModel (an EnvironmentPane)
        } else {
            slots.attach(new SlotsContext(env, reader, rollout, handle.containers(), audit));
        }
        outbox.attach(new OutboxContext(new OutboxService(env, handle.backlog(), handle.stream(), clock),
                new SlotsReader(env, handle.containers(), handle.shell(), clock), rollout, outboxHistory, prometheusOf(handle)));
        backups.attach(new io.dutydesk.core.backups.BackupsService(env, handle.shell(), handle.verifications(), audit, actor, clock,
                backupFiles, handle::secret));
        for (EnvironmentPane p : panes) {
            p.attach(env, handle);
        }
        try {
            metrics.attach(new io.dutydesk.core.metrics.MetricsService(env, handle.metrics(), queryStore, audit,
                    env.poll().timeout().plusSeconds(26)));
        } catch (UnsupportedOperationException noPrometheus) {
            metrics.detach();
        }
    }

    /** The "Check configuration…" results. */
    public io.dutydesk.ui.doctor.DoctorViewModel doctor() {
        return doctor;
    }

    /**
     * Checks what the selected environment's configuration names against its server ({@code dutydesk doctor}), over
     * the environment's own connection; the results arrive in {@link #doctor()}. Call on the ui executor.
     */
    public void checkConfiguration() {
        String name = selected.get();
        Environment env = name == null ? null : environments.get(name);
        EnvironmentHandle h = handle;
        doctor.start(env == null || h == null ? null : new io.dutydesk.core.doctor.DoctorService(env, h, clock), name);
    }

    private static java.util.Optional<io.dutydesk.core.metrics.MetricsPort> prometheusOf(EnvironmentHandle h) {
        try {
            return java.util.Optional.of(h.metrics());
        } catch (UnsupportedOperationException e) {
            return java.util.Optional.empty();
        }
    }

    /** Polls every backend now, without waiting for the next tick. */
    public void refresh() {
        if (handle != null) {
            handle.askAgain(); // a refused host key or a declined password is asked again on request only
        }
        if (monitor != null) {
            monitor.refreshNow();
        }
        slots.refresh();
        outbox.refresh();
        backups.refresh();
        panes.forEach(EnvironmentPane::refresh);
    }

    /**
     * A pane read something through {@code b}: the header's probe of it runs now if it is shown down (or not
     * answered yet), so the header and the panes agree within one probe (at most one early probe per interval).
     */
    private void answered(Backend b) {
        HealthMonitor m = monitor;
        if (m != null) {
            m.answered(b);
        }
    }

    private void apply(HealthMonitor from, HealthSnapshot s) {
        if (from != monitor) {
            return; // a late answer from the environment we just left
        }
        if (latest != null && s.seq() <= latest.seq()) {
            return; // overtaken on the way to this thread by a newer snapshot: never show the older one
        }
        HealthSnapshot before = latest;
        latest = s;
        for (BackendStatus st : s.all()) {
            indicators.get(st.backend()).show(st);
        }
        regroup();
        List<String> down = s.all().stream().filter(b -> b.state() == BackendStatus.State.DOWN)
                .map(b -> b.backend().id()).toList();
        List<String> misconfigured = s.all().stream().filter(b -> b.state() == BackendStatus.State.MISCONFIGURED)
                .map(b -> b.backend().id()).toList();
        long known = s.all().stream().filter(b -> b.state() != BackendStatus.State.UNKNOWN
                && b.state() != BackendStatus.State.NOT_CONFIGURED).count();
        long configured = s.configuredCount(); // a backend the environment does not have is not waited for
        String wrong = misconfigured.isEmpty() ? "" : misconfigured.size() + " misconfigured: " + String.join(", ", misconfigured);
        if (!down.isEmpty()) {
            summary.set(down.size() + " down: " + String.join(", ", down) + (wrong.isEmpty() ? "" : "; " + wrong));
            summaryState.set(BackendStatus.State.DOWN);
        } else if (!misconfigured.isEmpty()) {
            summary.set(wrong);
            summaryState.set(BackendStatus.State.MISCONFIGURED);
        } else if (known < configured) {
            summary.set("checking… " + known + "/" + configured);
            summaryState.set(BackendStatus.State.UNKNOWN);
        } else {
            long off = Backend.values().length - configured;
            summary.set("all " + known + " backends ok" + (off == 0 ? "" : " (" + off + " not configured)"));
            summaryState.set(BackendStatus.State.OK);
        }
        slotsSources(before, s);
        backupsSources(s);
        recoveries(before, s);
        for (Consumer<HealthSnapshot> l : healthListeners) {
            l.accept(s);
        }
    }

    /**
     * The slots are read through SSH and Docker: when either is down what the pane shows is stale at
     * once; when they answer again, the slots (and every backend still shown down, all reached
     * through SSH) are read now rather than after their backoff.
     */
    private void slotsSources(HealthSnapshot before, HealthSnapshot now) {
        List<String> down = new ArrayList<>();
        boolean recovered = false;
        for (Backend b : List.of(Backend.SSH, Backend.DOCKER)) {
            BackendStatus st = now.get(b);
            if (st.state() == BackendStatus.State.DOWN) {
                down.add(b.label() + " does not answer (down since " + indicators.get(b).time(st.downSince()) + ")");
            } else if (st.ok() && before != null && before.get(b).state() == BackendStatus.State.DOWN) {
                recovered = true;
            }
        }
        slots.sourceDown(down.isEmpty() ? null : String.join(", ", down));
        if (recovered) {
            slots.refresh();
            if (monitor != null && now.all().stream().anyMatch(x -> x.state() == BackendStatus.State.DOWN)) {
                monitor.refreshNow();
            }
        }
    }

    /**
     * The backup folders are read over SSH, and the Backups probe lists them: when either fails, what the pane shows
     * is stale at once (not only at its own next read, up to 30 s later); when both answer again it reads them now.
     */
    private void backupsSources(HealthSnapshot now) {
        List<String> down = new ArrayList<>();
        for (Backend b : List.of(Backend.SSH, Backend.BACKUPS)) {
            BackendStatus st = now.get(b);
            if (st.state() == BackendStatus.State.DOWN) {
                down.add(b.label() + " does not answer (down since " + indicators.get(b).time(st.downSince()) + ")"
                        + (b == Backend.BACKUPS && st.error() != null ? ": " + st.error() : ""));
            }
        }
        backups.sourceDown(down.isEmpty() ? null : String.join(", ", down));
    }

    /**
     * A backend whose probe answers again after failing: the panes that read through it read now, rather than
     * after their own backoff (up to {@code poll.maxBackoff}). Once per recovery, so never a storm.
     */
    private void recoveries(HealthSnapshot before, HealthSnapshot now) {
        if (before == null) {
            return;
        }
        for (Backend b : Backend.values()) {
            BackendStatus was = before.get(b);
            boolean failed = was.state() == BackendStatus.State.DOWN || was.state() == BackendStatus.State.MISCONFIGURED;
            if (failed && now.get(b).ok()) {
                outbox.recovered(b);
                for (EnvironmentPane p : panes) {
                    p.recovered(b);
                }
            }
        }
    }

    private void closeCurrent() {
        slots.detach();
        metrics.detach();
        outbox.detach();
        backups.detach();
        panes.forEach(EnvironmentPane::detach);
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // list removal
            }
        }
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
        if (handle != null) {
            EnvironmentHandle h = handle;
            handle = null;
            scheduler.execute(h::close); // closing sockets is IO: never on the FX thread
        }
    }

    @Override
    public void close() {
        closeCurrent();
        backupFiles.shutdownNow();
    }
}
