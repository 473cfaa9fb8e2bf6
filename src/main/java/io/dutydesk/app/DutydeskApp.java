package io.dutydesk.app;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.adapters.desktop.NotifySend;
import io.dutydesk.adapters.keyring.SecretToolKeyring;
import io.dutydesk.ui.notify.Notifier;
import io.dutydesk.core.config.ConfigException;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Icon;
import io.dutydesk.ui.fx.Theme;
import io.dutydesk.ui.shell.FxHostKeyPrompt;
import io.dutydesk.ui.shell.FxSecretPrompt;
import io.dutydesk.ui.shell.ShellView;
import io.dutydesk.ui.shell.ShellViewModel;
import io.dutydesk.ui.slots.SlotsViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** The window. Wiring by constructors; the shell's state lives in {@link ShellViewModel}. */
public final class DutydeskApp extends Application {
    // read on the launching thread, before the toolkit starts: no file IO on the FX thread
    private static EnvironmentsFile loaded;
    private static ConfigException configError;
    private static String actor;
    private static Optional<String> initialEnv = Optional.empty();

    /** The smallest window in which everything stays readable: the environment's name, every column. */
    public static final int MIN_WIDTH = 1024;
    public static final int MIN_HEIGHT = 640;

    private ShellViewModel vm;
    private ScheduledExecutorService scheduler;
    private LocalStore store;
    private NotifySend desktop;
    private Panes panes;

    static void launch(Path config, Optional<String> env) {
        try {
            loaded = EnvironmentsFile.load(config);
        } catch (ConfigException e) {
            configError = e; // shown in the window, which is where the user looks
        }
        actor = Actor.local();
        initialEnv = env;
        Application.launch(DutydeskApp.class);
    }

    @Override
    public void start(Stage stage) {
        LaunchTiming.mark("fx-start");
        // an idle window's FX thread sleeps instead of waking 60 times a second (GtkTimer cannot pause)
        io.dutydesk.ui.fx.PausingPulseTimer.install();
        EnvironmentsFile file = loaded;
        if (configError != null && configError.isMissing()) {
            firstRun(configError.file());
            Platform.exit();
            return;
        }
        if (configError != null) {
            ConfigException e = configError;
            Alert a = new Alert(Alert.AlertType.ERROR, e.getMessage());
            a.setTitle("Dutydesk: the environments file has an error");
            a.setHeaderText(e.file() + (e.line() > 0 ? ", line " + e.line() : ""));
            a.getDialogPane().setMinWidth(560);
            System.err.println("dutydesk: " + e.getMessage());
            a.showAndWait();
            Platform.exit();
            return;
        }
        AtomicInteger n = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "dutydesk-poll-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        JsonlAuditLog audit = new JsonlAuditLog(JsonlAuditLog.defaultFile(System::getenv));
        // the one local store and the one notifier, shared by the panes
        desktop = new NotifySend();
        Notifier notifier = new Notifier(FxThread.INSTANCE, () -> stage, desktop, Clock.systemDefaultZone(), true);
        // the panes are wired here, from their core services; the shell knows their specs and builds each when first shown
        panes = new Panes(new Panes.Needs(FxThread.INSTANCE, scheduler, Clock.systemDefaultZone(), audit, actor,
                store().outboxHistory(), store().queryStore(), store().alertHistory(), notifier,
                url -> getHostServices().showDocument(url)));
        panes.checks(store().checkHistory(), List.copyOf(file.environments().keySet()));
        Connector connector = new Connector(new SecretToolKeyring(), store());
        FxHostKeyPrompt hostKeys = new FxHostKeyPrompt(FxThread.INSTANCE, () -> stage);
        FxSecretPrompt secrets = new FxSecretPrompt(FxThread.INSTANCE, () -> stage);
        // Today's "Run all environments": each other environment over a connection of its own, one at a time, closed after
        otherChecks = new OtherEnvironmentChecks(file.environments(), connector, hostKeys, secrets, store().alertHistory(),
                store().checkHistory(), audit, actor, Clock.systemDefaultZone());
        panes.checkOthersWith(otherChecks);
        vm = new ShellViewModel(file.environments(), connector, hostKeys, secrets,
                scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(), panes.specs());
        vm.darkProperty().set(Theme.savedDark());
        // connect first: the SSH handshake and the first pings overlap building the window
        String env = initialEnv.orElse(file.environments().keySet().iterator().next());
        if (!file.environments().containsKey(env)) {
            System.err.println("dutydesk: no environment '" + env + "' in " + file.file() + "; it has: "
                    + String.join(", ", file.environments().keySet()));
            Platform.exit();
            return;
        }
        vm.select(env);
        LaunchTiming.mark("connecting");
        ShellView view = new ShellView(vm);
        // an alert's generator URL opens its expression in the Metrics pane (built then if it was not yet)
        int metricsPane = vm.panes().stream().map(p -> p.id()).toList().indexOf("metrics");
        panes.openMetricsWith(expr -> {
            view.showPane(metricsPane);
            io.dutydesk.ui.metrics.MetricsViewModel metrics = vm.model("metrics", io.dutydesk.ui.metrics.MetricsViewModel.class);
            metrics.expressionProperty().set(expr);
            metrics.run();
        });
        // the Today pane: its links show a pane; its worst states are the navigation's badges and the header's
        // "production" statement (the Alerts badge live from the alerts feed, polled anyway for the notifications)
        panes.navigateWith(view::showPane);
        io.dutydesk.ui.today.TodayViewModel today = vm.model("today", io.dutydesk.ui.today.TodayViewModel.class);
        view.badges(today.badges());
        // a built pane's own state (the Outbox pane's header): its badge, and the header's statement, never say better
        today.followPanes(vm.paneStates());
        view.production(today.productionProperty(), today.productionStateProperty(), today.productionDetailProperty());
        io.dutydesk.ui.alerts.AlertsViewModel alertsVm = vm.model("alerts", io.dutydesk.ui.alerts.AlertsViewModel.class);
        Runnable alertsBadge = () -> today.liveBadge("alerts", io.dutydesk.ui.today.TodayViewModel.alertsBadge(alertsVm.counts(),
                alertsVm.feedProperty().get() != null, alertsVm.problemProperty().get(), alertsVm.notConfiguredProperty().get(),
                alertsVm.unknownProperty().get() == null ? 0 : alertsVm.unknownProperty().get(), alertsVm.cannotFireProperty().get()));
        alertsVm.counts().addListener((javafx.collections.ListChangeListener<java.util.Map.Entry<String, Long>>) c -> alertsBadge.run());
        alertsVm.problemProperty().addListener((o, a, b) -> alertsBadge.run());
        alertsVm.notConfiguredProperty().addListener((o, a, b) -> alertsBadge.run());
        // a first read with nothing firing changes no count; another environment sets the feed back to none
        alertsVm.feedProperty().addListener((o, a, b) -> alertsBadge.run());
        alertsVm.unknownProperty().addListener((o, a, b) -> alertsBadge.run());
        alertsVm.cannotFireProperty().addListener((o, a, b) -> alertsBadge.run());
        alertsBadge.run();
        today.latestProperty().addListener((o, a, r) -> {
            if (r != null) {
                System.out.println("dutydesk: " + r.env() + ": checks: " + r.worst().id() + " (" + r.summary() + ")");
            }
        });
        view.showFirstOn(io.dutydesk.ui.slots.SlotsView.ROLLBACK_KEY, "slots", vm::twoSlotsSelected); // not on a single stack
        // before todayFirstBefore (the environment's zone) the window opens on the Today pane; after it Slots stays first
        if (io.dutydesk.ui.today.TodayViewModel.firstPane(file.environments().get(env).checks(), Clock.systemDefaultZone())) {
            view.showPane("today");
        }
        notifier.showIn(view.toasts()); // toasts over the pane area, never over the header
        LaunchTiming.mark("view-built");
        Scene scene = new Scene(view.root(), 1240, 740);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), vm::refresh);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN),
                () -> vm.darkProperty().set(!vm.darkProperty().get()));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), stage::close);
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5, KeyCode.DIGIT6};
        for (int i = 0; i < digits.length; i++) {
            int pane = i;
            scene.getAccelerators().put(new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN),
                    () -> view.showPane(pane));
        }
        // one line per change of the overall state, for whoever watches the console's output
        vm.summaryProperty().addListener((o, a, s) -> System.out.println("dutydesk: " + vm.selectedProperty().get() + ": " + s));
        SlotsViewModel slots = vm.model("slots", io.dutydesk.ui.slots.SlotsPaneModel.class).slots();
        slots.lastResultProperty().addListener((o, a, r) -> r.ifPresent(x -> System.out.println("dutydesk: "
                + vm.selectedProperty().get() + ": " + x.verb().id() + (x.succeeded() ? " succeeded: " : " FAILED: ") + x.message())));
        // and of what the slots pane says: the window title (live slot, degraded, stale) and the rollback chip
        vm.titleProperty().addListener((o, a, t) -> System.out.println("dutydesk: title: " + t));
        slots.rollbackTextProperty().addListener((o, a, t) -> System.out.println("dutydesk: "
                + vm.selectedProperty().get() + ": " + t));
        LaunchTiming.attach(vm, scene);


        // the title says the environment and its live slot (degraded, stale): what a task bar shows
        stage.titleProperty().bind(vm.titleProperty());
        // the window's icons (four PNGs) decoded off the FX thread, set when ready: not on the first frame's path
        java.util.concurrent.CompletableFuture.supplyAsync(Icon::appIcons, scheduler)
                .thenAccept(icons -> FxThread.INSTANCE.execute(() -> stage.getIcons().setAll(icons)))
                .exceptionally(e -> {
                    System.err.println("dutydesk: the window's icon could not be read: " + e);
                    return null;
                });
        stage.setScene(scene);
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        // on the screen whole: 1240x740 centred where it fits, the screen's usable area (at least 1024x640) where not
        javafx.geometry.Rectangle2D at = io.dutydesk.ui.fx.Placement.mainWindow(javafx.stage.Screen.getPrimary().getVisualBounds(),
                1240, 740, MIN_WIDTH, MIN_HEIGHT);
        stage.setX(at.getMinX());
        stage.setY(at.getMinY());
        stage.setWidth(at.getWidth());
        stage.setHeight(at.getHeight());
        stage.show();
        // under a window manager (openbox) JavaFX 21's GTK stage drops a size set before it is shown and opens at its
        // minimum — while its width still says the size asked for, until the window manager's answer comes; set once
        // more now, it is kept (without a window manager this changes nothing)
        stage.setWidth(at.getWidth());
        stage.setHeight(at.getHeight());
        LaunchTiming.mark("shown");
        // the other environments' audit entries a console left open: completed in the background, each said — once the
        // shown environment's every backend has answered (or 10 s on): a read of the whole audit log and SSH handshakes
        // to other hosts are not the launch's work, the glance is
        openEntries = new OpenEntriesAtStart(file.environments(), connector, audit, actor, Clock.systemDefaultZone());
        java.util.concurrent.CompletableFuture<Void> glanced = new java.util.concurrent.CompletableFuture<>();
        vm.onHealth(h -> {
            if (h.allAnswered()) {
                glanced.complete(null);
            }
        });
        glanced.completeOnTimeout(null, 10, java.util.concurrent.TimeUnit.SECONDS)
                .thenRun(() -> openEntries.start(env, o -> OpenEntriesAtStart.say(o, notifier)));
        io.dutydesk.ui.fx.PulseGaps.startIfEnabled(); // FX-thread stalls, only with --metrics-port
    }

    /**
     * The window's one local store, for every pane and every environment's adapters (its file is
     * opened on first use, off the FX thread).
     */
    private LocalStore store() {
        if (store == null) {
            store = LocalStore.openDefault();
        }
        return store;
    }

    /**
     * No environments file yet: say where it is looked for, show a starter to copy, offer to write it
     * there (readable by the user alone) for editing.
     */
    private static void firstRun(Path file) {
        System.err.println("dutydesk: " + configError.getMessage());
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.setTitle("Dutydesk: no environments file yet");
        a.setHeaderText("No environments file at " + file.toAbsolutePath());
        javafx.scene.control.Label what = new javafx.scene.control.Label(
                "Dutydesk reads the environments it watches from this file (or from --config FILE, or $DUTYDESK_CONFIG). "
                        + "A starter with one environment — replace the host, user and workdir; every other setting has a default:");
        what.setWrapText(true);
        javafx.scene.control.TextArea starter = new javafx.scene.control.TextArea(EnvironmentsFile.STARTER);
        starter.setId("starter");
        starter.setEditable(false);
        starter.setPrefRowCount(10);
        starter.setStyle("-fx-font-family: monospace;");
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(10, what, starter);
        box.setPrefWidth(640);
        a.getDialogPane().setContent(box);
        javafx.scene.control.ButtonType create = new javafx.scene.control.ButtonType("Write this starter there",
                javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(create, javafx.scene.control.ButtonType.CLOSE);
        if (a.showAndWait().filter(b -> b == create).isPresent()) {
            Alert done;
            try {
                writeStarter(file);
                done = new Alert(Alert.AlertType.INFORMATION, "Written: " + file.toAbsolutePath()
                        + "\nEdit the host, user and workdir, then start Dutydesk again.");
            } catch (java.io.IOException | RuntimeException ex) {
                done = new Alert(Alert.AlertType.ERROR, "Could not write " + file.toAbsolutePath() + ": " + ex.getMessage());
            }
            done.setHeaderText(null);
            done.showAndWait();
        }
    }

    /** Writes the starter file, mode 600, never over an existing file. */
    static void writeStarter(Path file) throws java.io.IOException {
        Path dir = file.toAbsolutePath().getParent();
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(file, EnvironmentsFile.STARTER, java.nio.file.StandardOpenOption.CREATE_NEW);
        try {
            java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }

    private OtherEnvironmentChecks otherChecks;
    private OpenEntriesAtStart openEntries;

    @Override
    public void stop() {
        // the window closes while an action runs on the server: its audit entry says so (the action goes on there)
        io.dutydesk.core.rollout.DetachedActions.interruptAll(Clock.systemUTC(), java.time.Duration.ofSeconds(3));
        if (vm != null) {
            vm.close();
        }
        if (panes != null) {
            panes.close();
        }
        if (otherChecks != null) {
            otherChecks.close(); // a Run all under way: its connection is closed with the window
        }
        if (openEntries != null) {
            openEntries.close(); // what was not read yet stays open, completed at the next start
        }
        if (scheduler != null) {
            scheduler.shutdown();
        }
        if (desktop != null) {
            desktop.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
