package io.dutydesk.app;

import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.core.metrics.QueryStore;
import io.dutydesk.core.outbox.OutboxService;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.Notifier;
import io.dutydesk.core.ports.OutboxHistory;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.ui.alerts.AlertsView;
import io.dutydesk.ui.alerts.AlertsViewModel;
import io.dutydesk.ui.backups.BackupsView;
import io.dutydesk.ui.backups.BackupsViewModel;
import io.dutydesk.ui.fx.Icon;
import io.dutydesk.ui.fx.PaneSpec;
import io.dutydesk.ui.metrics.MetricsView;
import io.dutydesk.ui.metrics.MetricsViewModel;
import io.dutydesk.ui.metrics.Ticker;
import io.dutydesk.ui.outbox.OutboxContext;
import io.dutydesk.ui.outbox.OutboxView;
import io.dutydesk.ui.outbox.OutboxViewModel;
import io.dutydesk.ui.slots.SingleStackView;
import io.dutydesk.ui.slots.SingleStackViewModel;
import io.dutydesk.ui.slots.SlotsContext;
import io.dutydesk.ui.slots.SlotsPaneModel;
import io.dutydesk.ui.slots.SlotsView;
import io.dutydesk.ui.today.TodayView;
import io.dutydesk.ui.today.TodayViewModel;
import io.dutydesk.core.check.CheckService;
import io.dutydesk.ui.slots.SlotsViewModel;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The wiring of the five panes: each pane's view-model built from its core services of the opened environment (the
 * shell only hands over the {@link EnvironmentHandle}), its view of that model, and what the panes share — the
 * rollout service of an environment (the Slots and Outbox panes restart through the same one) and the Backups pane's
 * local file pool, owned here, not by the shell. The Slots and Alerts panes are background panes (built with the
 * window: the title and the rollback chip read the slots, the notifications come from the alerts feed); Outbox,
 * Backups and Metrics are built when first shown.
 */
public final class Panes implements AutoCloseable {
    /** What the panes need of the process: where they keep things, who acts, how they notify. */
    public record Needs(Executor ui, ScheduledExecutorService scheduler, Clock clock, AuditLog audit, String actor,
                        OutboxHistory outboxHistory, QueryStore queryStore, AlertHistory alertHistory, Notifier notifier,
                        Consumer<String> openUrl) {}

    private final Needs n;
    /** Local file work of the Backups pane (hashing a download): bounded, its own, never the common pool. */
    private final ExecutorService backupFiles = Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "dutydesk-backup-files");
        t.setDaemon(true);
        return t;
    });
    /** The rollout service of the handle last opened: one per environment, shared by Slots and Outbox. */
    private EnvironmentHandle rolloutOf;
    private RolloutService rollout;
    private SlotsReader reader;
    private Consumer<String> openMetrics;
    private Consumer<String> navigate;
    private io.dutydesk.core.ports.CheckHistory checkHistory = io.dutydesk.core.ports.CheckHistory.NONE;
    private List<String> environments = List.of();

    public Panes(Needs needs) {
        this.n = needs;
    }

    /** The alerts' "open this expression in Metrics" (set once the window exists). */
    public void openMetricsWith(Consumer<String> hook) {
        this.openMetrics = hook;
    }

    private volatile Function<String, CompletableFuture<io.dutydesk.core.check.CheckRun>> checkOther;

    /** The Today pane's "Run all environments": another environment's checklist over its own connection. */
    public void checkOthersWith(Function<String, CompletableFuture<io.dutydesk.core.check.CheckRun>> hook) {
        this.checkOther = hook;
    }

    /** The Today pane's links: show pane {@code id} (set once the window exists). */
    public void navigateWith(Consumer<String> hook) {
        this.navigate = hook;
    }

    /**
     * The checklist's store (its runs kept, the history selector, other environments' newest run) and the
     * environments of the file (the Today pane's row per environment). Before {@link #specs()} is used.
     */
    public void checks(io.dutydesk.core.ports.CheckHistory history, List<String> environmentNames) {
        this.checkHistory = history;
        this.environments = List.copyOf(environmentNames);
    }

    /** The panes in navigation order (Ctrl+1 … Ctrl+6). */
    public List<PaneSpec> specs() {
        return List.of(
                PaneSpec.of("slots", "Slots", Icon.SLOTS,
                        "Which slot is live, whether it is healthy, and whether you can roll back right now; "
                                + "deploy, switch, rollback and cleanup with the facts that decide them.", true,
                        // an environment of one stack (deploy.model: single) shows that stack instead of two slots
                        () -> new SlotsPaneModel(new SlotsViewModel(n.ui(), n.scheduler(), n.clock(), this::slots),
                                new SingleStackViewModel(n.ui(), n.scheduler(), n.clock(), n.audit(), n.actor())),
                        this::slotsView),
                PaneSpec.of("outbox", "Outbox", Icon.OUTBOX,
                        "Events pending, processing, failed and published in the transactional outbox, "
                                + "and the Redis stream's consumer groups, pending entries and lag.", false,
                        () -> new OutboxViewModel(n.ui(), n.scheduler(), n.clock(), this::outbox),
                        m -> new OutboxView(m).root()),
                PaneSpec.of("alerts", "Alerts", Icon.ALERTS,
                        "Alertmanager's firing and silenced alerts, grouped, with what the runbook says to do.", true,
                        this::alerts,
                        m -> new AlertsView(m, n.clock(), n.openUrl()).root()),
                PaneSpec.of("backups", "Backups", Icon.BACKUPS,
                        "Backups by kind (daily full, hourly incremental, pre-migration, pre-deployment), "
                                + "their age against retention, and restore.", false,
                        () -> new BackupsViewModel(n.ui(), n.scheduler(), n.clock(), this::backups),
                        m -> new BackupsView(m).root()),
                PaneSpec.of("metrics", "Metrics", Icon.METRICS,
                        "Prometheus queries and the error rate, latency and backlog of each service.", false,
                        () -> new MetricsViewModel(n.ui(), n.clock(), Ticker.SYSTEM, this::metrics),
                        m -> new MetricsView(m, n.scheduler()).root()),
                PaneSpec.of("today", "Today", Icon.TODAY,
                        "The morning checklist: every check pass, warn, fail or unknown with its evidence, what changed "
                                + "since the previous run, yesterday's and last week's runs, every environment's worst state.",
                        true, this::today,
                        m -> new TodayView(m).root()));
    }

    private TodayViewModel today() {
        TodayViewModel vm = new TodayViewModel(n.ui(), n.scheduler(), n.clock(),
                h -> TodayViewModel.Checks.of(CheckService.of(h, n.alertHistory(), checkHistory, n.audit(), n.actor(), n.clock(), backupFiles)),
                () -> environments, checkHistory);
        if (checkOther != null) {
            vm.setRunOther(checkOther);
        }
        vm.setNavigate(id -> {
            Consumer<String> hook = navigate;
            if (hook != null) {
                hook.accept(id);
            }
        });
        return vm;
    }

    /** The slots' view and the single stack's, one shown: the hidden one is unmanaged, so it takes no room. */
    private javafx.scene.Node slotsView(SlotsPaneModel m) {
        javafx.scene.Node slotsRoot = new SlotsView(m.slots(), m.maintenance(), n.ui()).root();
        javafx.scene.Node singleRoot = new SingleStackView(m.single(), n.ui()).root();
        slotsRoot.visibleProperty().bind(m.single().activeProperty().not());
        singleRoot.visibleProperty().bind(m.single().activeProperty());
        slotsRoot.managedProperty().bind(slotsRoot.visibleProperty());
        singleRoot.managedProperty().bind(singleRoot.visibleProperty());
        return new javafx.scene.layout.StackPane(slotsRoot, singleRoot);
    }

    private AlertsViewModel alerts() {
        AlertsViewModel vm = new AlertsViewModel(n.ui(), n.scheduler(), n.clock(),
                AlertsViewModel.services(n.alertHistory(), n.audit(), n.actor(), n.clock()), n.notifier());
        // built with the window, before the hook exists: it is looked up at the click
        vm.setOpenMetrics(expr -> {
            Consumer<String> hook = openMetrics;
            if (hook != null) {
                hook.accept(expr);
            }
        });
        return vm;
    }

    private synchronized RolloutService rollout(EnvironmentHandle h) {
        if (rolloutOf != h) {
            Environment env = h.environment();
            reader = new SlotsReader(env, h.containers(), h.shell(), n.clock());
            rollout = new RolloutService(env, reader, h.outbox(), h.containers(), h.shell(), n.audit(), n.actor(), n.clock());
            rolloutOf = h;
        }
        return rollout;
    }

    private SlotsContext slots(EnvironmentHandle h) {
        RolloutService r = rollout(h);
        SlotsReader shared;
        synchronized (this) {
            shared = reader; // the reader the rollout plans with: the pane shows what the plan decides on
        }
        return new SlotsContext(h.environment(), shared, r, h.containers(), n.audit());
    }

    private OutboxContext outbox(EnvironmentHandle h) {
        Environment env = h.environment();
        RolloutService r = rollout(h);
        SlotsReader shared;
        synchronized (this) {
            shared = reader; // the Slots pane's reader: the relay's tick shares a read under way (one server read for both)
        }
        return new OutboxContext(new OutboxService(env, h.backlog(), h.stream(), n.clock()), shared, r, n.outboxHistory(),
                prometheusOf(h));
    }

    private BackupsService backups(EnvironmentHandle h) {
        return new BackupsService(h.environment(), h.shell(), h.verifications(), n.audit(), n.actor(), n.clock(), backupFiles,
                h::secret);
    }

    private MetricsService metrics(EnvironmentHandle h) {
        Environment env = h.environment();
        return new MetricsService(env, h.metrics(), n.queryStore(), n.audit(), env.poll().timeout().plusSeconds(26));
    }

    private static Optional<io.dutydesk.core.metrics.MetricsPort> prometheusOf(EnvironmentHandle h) {
        try {
            return Optional.of(h.metrics());
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        backupFiles.shutdownNow();
    }
}
