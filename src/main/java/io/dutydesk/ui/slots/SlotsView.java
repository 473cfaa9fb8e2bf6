package io.dutydesk.ui.slots;

import io.dutydesk.ui.fx.ConfirmActionDialog;
import io.dutydesk.ui.fx.RestartConfirmation;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.ui.fx.FxmlLayout;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Which slot is live, is it healthy, can I roll back right now — and the buttons that act on it. */
public final class SlotsView {
    public static final KeyCombination ROLLBACK_KEY = new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", java.util.Locale.ROOT).withZone(ZoneId.systemDefault());

    /** The action log's lines that stay visible at the window's minimum size. */
    static final int LOG_MIN_LINES = 4;
    /** One line of the action log (a wrapped line is as many times taller): {@code .log-lines .list-cell}'s height. */
    static final double LOG_LINE_HEIGHT = 22;

    static final javafx.css.PseudoClass DEGRADED = javafx.css.PseudoClass.getPseudoClass("degraded");

    private final SlotsViewModel vm;
    private final Executor ui;
    private final Map<String, SlotCard> cards = new LinkedHashMap<>();
    private MaintenanceViewModel maintenanceVm;
    // the static layout: SlotsView.fxml (this view is its controller)
    @FXML private BorderPane root;
    @FXML private javafx.scene.layout.VBox topBox;
    @FXML private javafx.scene.layout.HBox actions;
    @FXML private Label live;
    @FXML private Label rollback;
    @FXML private Label updated;
    @FXML private Label problem;
    @FXML private TextField version;
    @FXML private Button deploy;
    @FXML private Button switchButton;
    @FXML private Button rollbackButton;
    @FXML private Button cleanupButton;
    @FXML private Label versionHint;
    @FXML private javafx.scene.control.SplitPane split;
    @FXML private javafx.scene.control.ScrollPane cardsArea;
    @FXML private GridPane grid;
    @FXML private TabPane tabs;
    @FXML private ProgressIndicator busy;
    @FXML private Label status;
    @FXML private ListView<String> log;
    @FXML private Tab auditTab;
    @FXML private TableView<AuditEntry> audit;
    @FXML private Label auditProblem;
    /**
     * The action whose plan is being read from the server before its question ("rollback"), or "": one at a time. The
     * read takes up to the timeout (12 s with Docker hung) and said nothing meanwhile: Ctrl+Shift+R pressed again, or
     * Rollback clicked, read again each time, and each read then opened its own window (three "Cannot rollback" stacked:
     * the window trial) — with the server slow rather than hung, two rollback questions over each other.
     */
    private final javafx.beans.property.StringProperty planning = new javafx.beans.property.SimpleStringProperty("");

    public SlotsView(SlotsViewModel vm, Executor ui) {
        this(vm, null, ui);
    }

    /** {@code maintenance}: the pane model's read of the maintenance lock (null: one of its own). */
    public SlotsView(SlotsViewModel vm, MaintenanceViewModel maintenance, Executor ui) {
        this.vm = vm;
        this.ui = ui;
        this.maintenanceVm = maintenance;
        FxmlLayout.load(this);
        header();
        bottom();
        vm.snapshotProperty().addListener((o, a, s) -> show(s));
        vm.problemProperty().addListener((o, a, p) -> showProblem());
        vm.staleProperty().addListener((o, a, p) -> showProblem());
        vm.staleNoteProperty().addListener((o, a, p) -> showProblem());
        showProblem();
        show(vm.snapshotProperty().get());
    }

    public Node root() {
        return root;
    }

    /** The maintenance lock's line and reads (the action buttons are disabled while it is held). */
    MaintenanceViewModel maintenance() {
        return maintenanceVm;
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    private void header() {
        live.textProperty().bind(vm.headlineProperty());
        vm.liveDegradedProperty().addListener((o, a, d) -> live.pseudoClassStateChanged(DEGRADED, d));
        io.dutydesk.ui.fx.WhileShown.text(updated, vm.updatedProperty(), vm.shownProperty());

        version.setPromptText("version, e.g. " + vm.versionExample());
        version.textProperty().bindBidirectional(vm.versionProperty());
        Runnable hint = () -> {
            String why = vm.versionProblem();
            versionHint.setText(why);
            versionHint.setVisible(!why.isEmpty());
            versionHint.setManaged(!why.isEmpty());
            version.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("danger"), !why.isEmpty());
        };
        version.textProperty().addListener((o, a, b) -> hint.run());
        hint.run();
        // while the maintenance lock is held every action is refused (the server's check inside its lock is the judge when
        // a click races the lock): the buttons say so before a click
        MaintenanceViewModel maintenanceVm = this.maintenanceVm != null ? this.maintenanceVm
                : new MaintenanceViewModel(vm, ui, java.time.Clock.systemUTC());
        this.maintenanceVm = maintenanceVm;
        // a ready rollback is refused while the lock is held: never a green "✔ Rollback ready" beside the LOCKED line
        var locked = maintenanceVm.lockedProperty();
        rollback.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> locked.get()
                && vm.rollbackStateProperty().get() == SlotsViewModel.Readiness.READY
                ? MaintenanceViewModel.refusedWhileLocked(vm.rollbackTextProperty().get().replaceFirst("^✔ Rollback ", ""))
                : vm.rollbackTextProperty().get(), vm.rollbackTextProperty(), vm.rollbackStateProperty(), locked));
        Runnable ready = () -> readiness(locked.get() && vm.rollbackStateProperty().get() == SlotsViewModel.Readiness.READY
                ? SlotsViewModel.Readiness.NOT_READY : vm.rollbackStateProperty().get());
        vm.rollbackStateProperty().addListener((o, a, r) -> ready.run());
        locked.addListener((o, a, l) -> ready.run());
        ready.run();
        action(deploy, Verb.DEPLOY);
        deploy.disableProperty().bind(vm.deployAllowed().not().or(maintenanceVm.lockedProperty()));
        // Enter in the field submits, as a form would: the confirmation still comes first
        version.setOnAction(e -> {
            if (!deploy.isDisabled()) {
                confirmAndRun(Verb.DEPLOY);
            } else {
                hint.run();
            }
        });
        action(switchButton, Verb.SWITCH);
        action(rollbackButton, Verb.ROLLBACK);
        action(cleanupButton, Verb.CLEANUP);
        for (Button b : List.of(switchButton, rollbackButton, cleanupButton)) {
            b.disableProperty().bind(vm.actionRunningProperty().or(maintenanceVm.lockedProperty()).or(planning.isNotEmpty()));
        }
        for (Button b : List.of(deploy, switchButton, rollbackButton, cleanupButton)) {
            String normal = b.getTooltip() == null ? null : b.getTooltip().getText();
            Tooltip t = b.getTooltip() != null ? b.getTooltip() : new Tooltip();
            b.setTooltip(t);
            Runnable say = () -> t.setText(maintenanceVm.lockProperty().get().isPresent()
                    ? "Refused while " + maintenanceVm.environment() + " is " + maintenanceVm.lockProperty().get().get()
                    .describe(java.time.ZoneId.systemDefault()) + " (lock " + maintenanceVm.lockProperty().get().get().id() + "); unlock first"
                    : vm.staleProperty().get()
                    ? "What this pane shows is stale: " + b.getText().replace("…", "") + " reads the server again first, and asks you with what it finds"
                    : normal != null ? normal : b.getText().replace("…", "") + ": reads the server first, then asks you to confirm");
            vm.staleProperty().addListener((o, x, y) -> say.run());
            maintenanceVm.lockProperty().addListener((o, x, y) -> say.run());
            say.run();
        }
        MaintenanceBar maintenance = new MaintenanceBar(maintenanceVm, ui,
                this::window, p -> confirmAndRun("roll back", p));
        actions.getChildren().add(maintenance.menu());
        topBox.getChildren().add(1, maintenance.state()); // under the live / rollback line
        root.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                // from whichever pane is shown (3 a.m.: no need to find the Slots pane first); the confirmation reads
                // the server and states what it found. Only with two slots attached: an environment of one stack has no
                // slot to roll back to (the view-model is detached: "Cannot rollback: no environment" was all it said) —
                // root.isVisible() had said so until the panes stayed in the scene and that check went with them
                scene.getAccelerators().put(ROLLBACK_KEY, () -> {
                    if (vm.attached() && !vm.actionRunningProperty().get() && !maintenanceVm.lockedProperty().get()) {
                        confirmAndRun(Verb.ROLLBACK);
                    }
                });
            }
        });
    }

    private void action(Button b, Verb verb) {
        b.setOnAction(e -> confirmAndRun(verb));
    }

    /** Plans from the server's state, shows the facts, runs only what the user confirmed. */
    void confirmAndRun(Verb verb) {
        if (planning.get().isEmpty()) {
            confirmAndRun(verb.id(), vm.plan(verb, false));
        }
    }

    /** A plan being made (a rollback to a chosen release, a typed rollback): confirmed and run as every action. */
    void confirmAndRun(String what, java.util.concurrent.CompletableFuture<io.dutydesk.core.rollout.Plan> plans) {
        if (!planning.get().isEmpty()) {
            return; // one question at a time: the one being read is asked
        }
        planning.set(what);
        plans.whenComplete((plan, e) -> ui.execute(() -> {
            planning.set("");
            if (e != null) {
                Alert a = new Alert(Alert.AlertType.ERROR, Errors.describe(e), ButtonType.OK);
                a.initOwner(window());
                a.setHeaderText("Cannot " + what);
                a.showAndWait();
                return;
            }
            // the open dialog follows the server (the pane's reads) until it closes; at the click the server checks it inside the lock
            try (SlotsViewModel.Confirmation open = vm.confirm(plan)) {
                new ConfirmActionDialog(window(), open.planProperty(), open.changedProperty(), open.noteProperty()).ask().ifPresent(vm::run);
            }
        }));
    }

    private void bottom() {
        log.setItems(vm.actionLog());
        log.setCellFactory(LogText.wrappedCells());
        io.dutydesk.ui.fx.TextCells.followEnd(log, vm.actionLog());
        // while an action's plan is read the pane says so (it said nothing for as long as the read took)
        status.textProperty().bind(javafx.beans.binding.Bindings.when(planning.isEmpty()).then(vm.actionStatusProperty())
                .otherwise(javafx.beans.binding.Bindings.concat(planning, ": reading the server before asking you…")));
        busy.visibleProperty().bind(vm.actionRunningProperty().or(planning.isNotEmpty()));
        busy.managedProperty().bind(busy.visibleProperty());
        // a few lines of the log stay readable however little room the window has (the cards scroll instead) — once it has
        // lines: before the session's first action it keeps one, and the cards their whole tables (at 1024x640 under an
        // outage's banner the empty log kept 4 lines' room and the cards showed one service of four)
        Runnable room = () -> {
            boolean none = vm.actionLog().isEmpty();
            double logMin = LOG_LINE_HEIGHT * (none ? 1 : LOG_MIN_LINES) + 4;
            double cardsMin = none ? grid.minHeight(-1) + cardsArea.snappedTopInset() + cardsArea.snappedBottomInset() : 0;
            if (log.getMinHeight() != logMin || cardsArea.getMinHeight() != cardsMin) {
                log.setMinHeight(logMin);
                cardsArea.setMinHeight(cardsMin);
                for (javafx.scene.Parent p = log.getParent(); p != null && p != split; p = p.getParent()) {
                    p.requestLayout(); // their minimums again (a change made while they were laid out reaches no parent)
                }
                split.requestLayout();
            }
        };
        vm.actionLog().addListener((javafx.collections.ListChangeListener<String>) c -> room.run());
        grid.layoutBoundsProperty().addListener((o, a, b) -> room.run()); // the cards built, styled, a slot added
        room.run();
        // that minimum moves the divider up in a short window: it comes back when the window is taller again
        io.dutydesk.ui.fx.SplitDivider.keep(split);

        audit.setItems(vm.audit());
        // a failed read says so above the rows it leaves (an earlier read's, dated), until a read succeeds
        auditProblem.textProperty().bind(vm.auditProblemProperty());
        auditProblem.visibleProperty().bind(vm.auditProblemProperty().isNotEmpty());
        auditProblem.managedProperty().bind(auditProblem.visibleProperty());
        FxmlLayout.cellTexts(audit, List.<java.util.function.Function<AuditEntry, String>>of(
                e -> e.start() == null ? "" : WHEN.format(e.start()),
                AuditEntry::actor,
                AuditEntry::environment,
                AuditEntry::action,
                AuditEntry::result,
                e -> e.exitCode() == null ? "" : String.valueOf(e.exitCode()),
                e -> (e.liveBefore() == null ? "?" : e.liveBefore()) + " → " + (e.liveAfter() == null ? "?" : e.liveAfter()),
                e -> e.start() == null || e.end() == null ? ""
                        : String.format("%.1f s", java.time.Duration.between(e.start(), e.end()).toMillis() / 1000.0),
                e -> String.join(" ", e.args()),
                e -> e.message() == null ? "" : e.message()));
        // columns keep the width their content needs; a narrow window scrolls sideways instead of cutting results
        Runnable fit = () -> {
            double need = audit.getColumns().stream().mapToDouble(TableColumn::getMinWidth).sum() + 20;
            var policy = audit.getWidth() >= need ? TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN
                    : TableView.UNCONSTRAINED_RESIZE_POLICY;
            if (audit.getColumnResizePolicy() != policy) {
                audit.setColumnResizePolicy(policy);
            }
        };
        audit.widthProperty().addListener((o, a, w) -> fit.run());
        vm.audit().addListener((javafx.collections.ListChangeListener<AuditEntry>) c -> {
            fitToContent(audit);
            fit.run();
        });
        fit.run();
        audit.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(AuditEntry e, boolean empty) {
                super.updateItem(e, empty);
                getStyleClass().removeAll("audit-succeeded", "audit-failed", "audit-refused");
                setTooltip(null);
                if (!empty && e != null) {
                    if (e.result() != null) {
                        getStyleClass().add("audit-" + e.result());
                    }
                    // the whole entry on hover, whatever the column widths
                    setTooltip(new Tooltip(e.action() + (e.args().isEmpty() ? "" : " " + String.join(" ", e.args()))
                            + " on " + e.environment() + " by " + e.actor() + ": " + e.result()
                            + (e.exitCode() == null ? "" : " (exit " + e.exitCode() + ")")
                            + (e.start() == null ? "" : "\nstarted " + WHEN.format(e.start()))
                            + (e.end() == null ? "" : ", ended " + WHEN.format(e.end()))
                            + (e.message() == null ? "" : "\n" + e.message())
                            + (e.outputSha256() == null ? "" : "\noutput sha256 " + e.outputSha256())));
                }
            }
        });
        auditTab.setOnSelectionChanged(e -> vm.auditShown(auditTab.isSelected()));
        vm.auditShown(auditTab.isSelected());
    }

    /**
     * Every column but the last as wide as its widest text (in the font the cells are drawn with),
     * so a time, an action or a result is never cut; the last column (details) takes the rest.
     */
    private static void fitToContent(TableView<AuditEntry> table) {
        javafx.scene.text.Font font = table.lookupAll(".table-cell").stream()
                .filter(n -> n instanceof javafx.scene.control.Labeled).map(n -> ((javafx.scene.control.Labeled) n).getFont())
                .findFirst().orElse(javafx.scene.text.Font.font(Math.max(14, javafx.scene.text.Font.getDefault().getSize())));
        javafx.scene.text.Text probe = new javafx.scene.text.Text();
        probe.setFont(javafx.scene.text.Font.font(font.getFamily(), javafx.scene.text.FontWeight.BOLD, font.getSize()));
        var cols = table.getColumns();
        for (int i = 0; i < cols.size() - 1; i++) {
            TableColumn<AuditEntry, ?> c = cols.get(i);
            probe.setText(c.getText());
            double w = probe.getLayoutBounds().getWidth();
            for (int row = 0; row < table.getItems().size(); row++) {
                Object v = c.getCellData(row);
                probe.setText(v == null ? "" : v.toString());
                w = Math.max(w, probe.getLayoutBounds().getWidth());
            }
            double need = Math.ceil(w) + 28; // cell padding and a little air
            c.setMinWidth(need);
            c.setPrefWidth(need);
        }
    }

    /** The banner: why the slots cannot be read, and what of the shown state is stale. Idempotent (pseudo-classes). */
    private void showProblem() {
        String p = vm.problemProperty().get();
        String note = vm.staleNoteProperty().get();
        String text = p == null ? note : note.isEmpty() ? p : p + "\n" + note;
        problem.setText(text);
        problem.setVisible(!text.isEmpty());
        problem.setManaged(!text.isEmpty());
        boolean stale = vm.staleProperty().get();
        live.pseudoClassStateChanged(SlotCard.STALE, stale);
        rollback.pseudoClassStateChanged(SlotCard.STALE, stale);
        cards.values().forEach(c -> c.markStale(stale));
    }

    private void readiness(SlotsViewModel.Readiness r) {
        io.dutydesk.ui.fx.StyleClasses.oneOf(rollback, switch (r) {
            case READY -> "ready";
            case NOT_READY -> "not-ready";
            case UNKNOWN -> "unknown";
        }, "ready", "not-ready", "unknown");
    }

    private void show(SlotsSnapshot s) {
        io.dutydesk.ui.fx.StyleClasses.oneWithPrefix(live, "slot-", s == null ? null : "slot-" + s.liveSlot());
        live.pseudoClassStateChanged(DEGRADED, vm.liveDegradedProperty().get());
        if (s == null) {
            grid.getChildren().clear();
            cards.clear();
            return;
        }
        if (cards.size() != s.slots().size() || !cards.keySet().equals(s.slots().stream().map(SlotState::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)))) {
            cards.clear();
            grid.getChildren().clear();
            int col = 0;
            for (SlotState slot : s.slots()) {
                SlotCard card = new SlotCard(slot.name(), this::logs, this::restart);
                cards.put(slot.name(), card);
                grid.add(card.root(), col++, 0);
                GridPane.setHgrow(card.root(), Priority.ALWAYS);
                GridPane.setVgrow(card.root(), Priority.ALWAYS);
            }
            var c1 = new javafx.scene.layout.ColumnConstraints();
            c1.setPercentWidth(50);
            var c2 = new javafx.scene.layout.ColumnConstraints();
            c2.setPercentWidth(50);
            grid.getColumnConstraints().setAll(c1, c2);
        }
        boolean stale = vm.staleProperty().get();
        for (SlotState slot : s.slots()) {
            cards.get(slot.name()).show(slot, stale);
        }
    }

    private void logs(ServiceState s) {
        vm.context().ifPresent(ctx -> LogsWindow.open(window(), ctx.containers(), s.containerName(), ui));
    }

    private void restart(ServiceState s) {
        if (vm.actionRunningProperty().get()) {
            return; // one action at a time; the log shows the running one
        }
        boolean live = vm.snapshotProperty().get() != null && vm.snapshotProperty().get().liveSlot().equals(s.slot());
        if (RestartConfirmation.confirm(window(), vm.context().map(c -> c.environment().name()).orElse(""), s.containerName(),
                s.service(), live)) {
            vm.restart(s.containerName());
        }
    }
}
