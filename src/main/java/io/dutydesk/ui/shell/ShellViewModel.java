package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.HealthMonitor;
import io.dutydesk.core.health.HealthSnapshot;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.ui.fx.Pane;
import io.dutydesk.ui.fx.PaneModel;
import io.dutydesk.ui.fx.PaneSpec;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
 *
 * <p>It knows the panes by their {@link PaneSpec}s only (the app builds them): a background pane is built with the
 * shell, every other one when it is first {@link #show shown}; it attaches each built pane to the selected
 * environment, tells it the header's health, and which one is shown.
 */
public final class ShellViewModel implements AutoCloseable {
    private final Map<String, Environment> environments;
    private final EnvironmentConnector connector;
    private final HostKeyPrompt hostKeys;
    private final SecretPrompt secrets;
    private final ScheduledExecutorService scheduler;
    private final Executor ui;
    private final Clock clock;
    private final List<PaneSpec> specs;
    /** The panes built so far, in navigation order of building. */
    private final Map<String, Pane> built = new LinkedHashMap<>();
    private String shownPane;
    /** What a pane adds to the title (the slots' live slot), once that pane is built. */
    private final StringProperty titlePart = new SimpleStringProperty("");
    /** What a pane puts in the header whichever pane is shown (the maintenance lock), once that pane is built. */
    private final ObjectProperty<io.dutydesk.ui.fx.HeaderNote> headerNote = new SimpleObjectProperty<>(io.dutydesk.ui.fx.HeaderNote.NONE);
    /** pane id → its own state (built panes that have one, while they have read something): for the navigation's badges. */
    private final javafx.collections.ObservableMap<String, io.dutydesk.ui.fx.PaneState> paneStates = FXCollections.observableHashMap();

    private final ObservableList<String> environmentNames = FXCollections.observableArrayList();
    private final StringProperty selected = new SimpleStringProperty();
    private final StringProperty target = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("no environment");
    private final ObjectProperty<BackendStatus.State> summaryState = new SimpleObjectProperty<>(BackendStatus.State.UNKNOWN);
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final Map<Backend, BackendIndicatorViewModel> indicators = new EnumMap<>(Backend.class);
    private final Map<BackendStatus.State, BackendGroupViewModel> groups = new EnumMap<>(BackendStatus.State.class);
    private final List<Consumer<HealthSnapshot>> healthListeners = new ArrayList<>();

    private EnvironmentHandle handle;
    private final io.dutydesk.ui.doctor.DoctorViewModel doctor;
    private HealthMonitor monitor;
    private AutoCloseable subscription;
    private HealthSnapshot latest;
    private final StringProperty title = new SimpleStringProperty("Dutydesk");

    /** {@code panes}: the panes in navigation order, as the app wires them. */
    public ShellViewModel(Map<String, Environment> environments, EnvironmentConnector connector, HostKeyPrompt hostKeys,
                          SecretPrompt secrets, ScheduledExecutorService scheduler, Executor ui, Clock clock,
                          List<PaneSpec> panes) {
        this.environments = environments;
        this.connector = connector;
        this.hostKeys = hostKeys;
        this.secrets = secrets;
        this.scheduler = scheduler;
        this.ui = ui;
        this.clock = clock;
        this.specs = List.copyOf(panes);
        this.doctor = new io.dutydesk.ui.doctor.DoctorViewModel(ui);
        environmentNames.setAll(environments.keySet());
        for (Backend b : Backend.values()) {
            indicators.put(b, new BackendIndicatorViewModel(b, clock));
        }
        for (BackendStatus.State st : BackendStatus.State.values()) {
            groups.put(st, new BackendGroupViewModel(st));
        }
        regroup();
        title.bind(javafx.beans.binding.Bindings.createStringBinding(this::makeTitle, selected, titlePart));
        for (PaneSpec spec : specs) {
            if (spec.background()) {
                build(spec, false); // built for what the header or the notifications need; not on the screen yet
            }
        }
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
        String part = titlePart.get();
        return part == null || part.isEmpty() ? "Dutydesk — " + env : "Dutydesk — " + env + " — " + part;
    }

    public ObservableList<String> environmentNames() { return environmentNames; }

    /**
     * The header's chip of the selected environment, whichever pane is shown: "LOCKED by alice@ws since 09:12: db
     * migration", "lock state unknown" or nothing ({@link io.dutydesk.ui.fx.HeaderNote#NONE}).
     */
    public ReadOnlyObjectProperty<io.dutydesk.ui.fx.HeaderNote> headerNoteProperty() { return headerNote; }

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

    /**
     * pane id → the pane's own state ({@link PaneModel#paneState()}), for each built pane that has one and has read
     * something: what its header and banners show now, so that its navigation badge never says better
     * ({@link io.dutydesk.ui.fx.PaneState#badge}). On the ui executor.
     */
    public javafx.collections.ObservableMap<String, io.dutydesk.ui.fx.PaneState> paneStates() { return paneStates; }

    /** The panes in navigation order, built or not. */
    public List<PaneSpec> panes() { return specs; }

    /** The pane {@code id} if it was built. */
    public Optional<Pane> pane(String id) {
        return Optional.ofNullable(built.get(id));
    }

    /** The model of pane {@code id}, built now if it was not (not shown: a hidden pane polls nothing of its own). */
    public <M extends PaneModel> M model(String id, Class<M> type) {
        Pane p = built.get(id);
        if (p == null) {
            p = build(spec(id), false);
        }
        return type.cast(p.model());
    }

    /** Shows pane {@code id} (building it the first time) and hides the one shown before. On the ui executor. */
    public Pane show(String id) {
        PaneSpec spec = spec(id);
        if (shownPane != null && !shownPane.equals(id) && built.containsKey(shownPane)) {
            built.get(shownPane).hidden();
        }
        shownPane = id;
        Pane p = built.get(id);
        if (p == null) {
            p = build(spec, true);
        }
        p.shown();
        return p;
    }

    /** The pane on the screen, if any. */
    public Optional<String> shownPane() {
        return Optional.ofNullable(shownPane);
    }

    private PaneSpec spec(String id) {
        return specs.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pane " + id));
    }

    /**
     * Builds a pane's model and attaches it to the environment open now (and tells it what the header shows); one not
     * {@code shown} is told so first, so it starts without reading what only it shows.
     */
    private Pane build(PaneSpec spec, boolean shown) {
        Pane p = spec.build();
        built.put(spec.id(), p);
        if (!shown) {
            p.hidden();
        }
        PaneModel m = p.model();
        m.onAnswered(this::answered);
        ObservableStringValue part = m.titlePart();
        if (part != null && !titlePart.isBound()) {
            titlePart.bind(part);
        }
        javafx.beans.value.ObservableValue<io.dutydesk.ui.fx.HeaderNote> note = m.headerNote();
        if (note != null && !headerNote.isBound()) {
            headerNote.bind(note);
        }
        javafx.beans.value.ObservableValue<io.dutydesk.ui.fx.PaneState> state = m.paneState();
        if (state != null) {
            String id = spec.id();
            java.util.function.Consumer<io.dutydesk.ui.fx.PaneState> put = st -> {
                if (st == null) {
                    paneStates.remove(id);
                } else {
                    paneStates.put(id, st);
                }
            };
            state.addListener((o, a, st) -> put.accept(st));
            put.accept(state.getValue());
        }
        if (handle != null) {
            m.attach(handle.environment(), handle);
            if (latest != null) {
                m.health(latest);
            }
        }
        return p;
    }

    public Optional<HealthSnapshot> latestHealth() { return Optional.ofNullable(latest); }

    /** Called (on the ui executor) with every health snapshot applied: for the launch benchmark and tests. */
    public void onHealth(Consumer<HealthSnapshot> listener) {
        healthListeners.add(listener);
    }

    /**
     * Whether the selected environment has two slots (blue-green): one of one stack ({@code deploy.model: single}), or
     * none selected, has no slot to roll back to, and Ctrl+Shift+R does nothing there.
     */
    public boolean twoSlotsSelected() {
        Environment env = selected.get() == null ? null : environments.get(selected.get());
        return env != null && !env.deploy().single();
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
        for (Pane p : built.values()) {
            p.model().attach(env, handle);
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

    /** Polls every backend now, without waiting for the next tick. */
    public void refresh() {
        if (handle != null) {
            handle.askAgain(); // a refused host key or a declined password is asked again on request only
        }
        if (monitor != null) {
            monitor.refreshNow();
        }
        built.values().forEach(p -> p.model().refresh());
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
        for (Pane p : built.values()) {
            p.model().health(s);
        }
        sourcesBack(before, s);
        recoveries(before, s);
        for (Consumer<HealthSnapshot> l : healthListeners) {
            l.accept(s);
        }
    }

    /**
     * SSH or Docker answer again after being down: every backend still shown down (all reached through SSH) is probed
     * now rather than after its backoff.
     */
    private void sourcesBack(HealthSnapshot before, HealthSnapshot now) {
        if (before == null || monitor == null) {
            return;
        }
        boolean recovered = false;
        for (Backend b : List.of(Backend.SSH, Backend.DOCKER)) {
            if (now.get(b).ok() && before.get(b).state() == BackendStatus.State.DOWN) {
                recovered = true;
            }
        }
        if (recovered && now.all().stream().anyMatch(x -> x.state() == BackendStatus.State.DOWN)) {
            monitor.refreshNow();
        }
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
                for (Pane p : built.values()) {
                    p.model().recovered(b);
                }
            }
        }
    }

    private void closeCurrent() {
        built.values().forEach(p -> p.model().detach());
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
        built.values().forEach(Pane::close);
    }
}
