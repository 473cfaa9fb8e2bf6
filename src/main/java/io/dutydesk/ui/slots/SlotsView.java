package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
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
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
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
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MMM d HH:mm:ss").withZone(ZoneId.systemDefault());

    /** The action log's lines that stay visible at the window's minimum size. */
    static final int LOG_MIN_LINES = 4;

    static final javafx.css.PseudoClass DEGRADED = javafx.css.PseudoClass.getPseudoClass("degraded");

    private final SlotsViewModel vm;
    private final Executor ui;
    private final BorderPane root = new BorderPane();
    private final Label live = new Label("…");
    private final Label rollback = new Label("…");
    private final Label updated = new Label();
    private final Label problem = new Label();
    private final Map<String, SlotCard> cards = new LinkedHashMap<>();
    private final GridPane grid = new GridPane();

    public SlotsView(SlotsViewModel vm, Executor ui) {
        this.vm = vm;
        this.ui = ui;
        root.getStyleClass().add("slots-pane");
        root.setId("pane-slots");
        root.setTop(header());
        grid.getStyleClass().add("slot-grid");
        grid.setHgap(12);
        // the cards scroll when the window is short; the action log below keeps LOG_MIN_LINES lines whatever
        // the cards need (a SplitPane gives way to its children's minimum heights, and the cards' tables have one)
        javafx.scene.control.ScrollPane cardsScroll = new javafx.scene.control.ScrollPane(grid);
        cardsScroll.setId("slot-cards");
        cardsScroll.getStyleClass().add("slot-cards");
        cardsScroll.setFitToWidth(true);
        cardsScroll.setFitToHeight(true);
        cardsScroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        cardsScroll.setMinHeight(0);
        SplitPane split = new SplitPane(cardsScroll, bottom());
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.62);
        root.setCenter(split);
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

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    private Node header() {
        live.setId("live-badge");
        live.getStyleClass().addAll("live-badge");
        live.textProperty().bind(vm.headlineProperty());
        vm.liveDegradedProperty().addListener((o, a, d) -> live.pseudoClassStateChanged(DEGRADED, d));
        rollback.setId("rollback-badge");
        rollback.getStyleClass().add("rollback-badge");
        rollback.setWrapText(true);
        rollback.textProperty().bind(vm.rollbackTextProperty());
        vm.rollbackStateProperty().addListener((o, a, r) -> readiness(r));
        readiness(vm.rollbackStateProperty().get());
        updated.getStyleClass().add("muted");
        updated.textProperty().bind(vm.updatedProperty());
        problem.setId("slots-problem");
        problem.getStyleClass().add("stale-banner");
        problem.setWrapText(true);
        problem.setMaxWidth(Double.MAX_VALUE);

        TextField version = new TextField();
        version.setId("deploy-version");
        version.setPromptText("version, e.g. " + vm.versionExample());
        version.setPrefColumnCount(12);
        version.setMinWidth(Region.USE_PREF_SIZE);
        version.textProperty().bindBidirectional(vm.versionProperty());
        version.setTooltip(new Tooltip("The version to deploy to the idle slot; Enter deploys (you confirm first)"));
        Label versionHint = new Label();
        versionHint.setId("version-hint");
        versionHint.getStyleClass().add("field-error");
        versionHint.setWrapText(true);
        versionHint.setMaxWidth(Double.MAX_VALUE);
        Runnable hint = () -> {
            String why = vm.versionProblem();
            versionHint.setText(why);
            versionHint.setVisible(!why.isEmpty());
            versionHint.setManaged(!why.isEmpty());
            version.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("danger"), !why.isEmpty());
        };
        version.textProperty().addListener((o, a, b) -> hint.run());
        hint.run();
        Button deploy = action("Deploy", "deploy", Verb.DEPLOY);
        deploy.disableProperty().bind(vm.deployAllowed().not());
        // Enter in the field submits, as a form would: the confirmation still comes first
        version.setOnAction(e -> {
            if (!deploy.isDisabled()) {
                confirmAndRun(Verb.DEPLOY);
            } else {
                hint.run();
            }
        });
        Button sw = action("Switch", "switch", Verb.SWITCH);
        Button rb = action("Rollback", "rollback", Verb.ROLLBACK);
        rb.getStyleClass().add("danger");
        rb.setTooltip(new Tooltip("Roll back to the idle slot (Ctrl+Shift+R); you confirm first"));
        Button cl = action("Cleanup…", "cleanup", Verb.CLEANUP);
        for (Button b : List.of(sw, rb, cl)) {
            b.disableProperty().bind(vm.actionRunningProperty());
        }
        for (Button b : List.of(deploy, sw, rb, cl)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
            String normal = b.getTooltip() == null ? null : b.getTooltip().getText();
            Tooltip t = b.getTooltip() != null ? b.getTooltip() : new Tooltip();
            b.setTooltip(t);
            Runnable say = () -> t.setText(vm.staleProperty().get()
                    ? "What this pane shows is stale: " + b.getText().replace("…", "") + " reads the server again first, and asks you with what it finds"
                    : normal != null ? normal : b.getText().replace("…", "") + ": reads the server first, then asks you to confirm");
            vm.staleProperty().addListener((o, x, y) -> say.run());
            say.run();
        }
        live.setMinWidth(Region.USE_PREF_SIZE);
        HBox top = new HBox(12, live, rollback);
        HBox.setHgrow(rollback, Priority.ALWAYS);
        top.setAlignment(Pos.CENTER_LEFT);
        top.getStyleClass().add("slots-header");
        Label deployTo = new Label("Deploy to the idle slot:");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        MaintenanceBar maintenance = new MaintenanceBar(new MaintenanceViewModel(vm, ui, java.time.Clock.systemUTC()), ui,
                this::window, p -> confirmAndRun("roll back", p));
        HBox actions = new HBox(8, deployTo, version, deploy, spacer, sw, rb, cl, maintenance.menu());
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.getStyleClass().add("slots-actions");
        root.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(ROLLBACK_KEY, () -> {
                    if (root.isVisible() && !vm.actionRunningProperty().get()) {
                        confirmAndRun(Verb.ROLLBACK);
                    }
                });
            }
        });
        VBox box = new VBox(6, top, maintenance.state(), problem, actions, versionHint, updated);
        box.getStyleClass().add("slots-top");
        return box;
    }

    private Button action(String text, String id, Verb verb) {
        Button b = new Button(text);
        b.setId("action-" + id);
        b.setOnAction(e -> confirmAndRun(verb));
        return b;
    }

    /** Plans from the server's state, shows the facts, runs only what the user confirmed. */
    void confirmAndRun(Verb verb) {
        confirmAndRun(verb.id(), vm.plan(verb, false));
    }

    /** A plan being made (a rollback to a chosen release, a typed rollback): confirmed and run as every action. */
    void confirmAndRun(String what, java.util.concurrent.CompletableFuture<io.dutydesk.core.rollout.Plan> planning) {
        planning.whenComplete((plan, e) -> ui.execute(() -> {
            if (e != null) {
                Alert a = new Alert(Alert.AlertType.ERROR, Errors.describe(e), ButtonType.OK);
                a.initOwner(window());
                a.setHeaderText("Cannot " + what);
                a.showAndWait();
                return;
            }
            // the open dialog follows the server (the pane's reads) until it closes; the click re-reads it once more
            try (SlotsViewModel.Confirmation open = vm.confirm(plan)) {
                new ConfirmActionDialog(window(), open).ask().ifPresent(vm::run);
            }
        }));
    }

    private Node bottom() {
        ListView<String> log = new ListView<>(vm.actionLog());
        log.setId("action-log");
        log.getStyleClass().add("log-lines");
        log.setCellFactory(LogText.cells());
        vm.actionLog().addListener((javafx.collections.ListChangeListener<String>) c -> {
            if (!log.getItems().isEmpty()) {
                log.scrollTo(log.getItems().size() - 1);
            }
        });
        Label status = new Label();
        status.setId("action-status");
        status.getStyleClass().add("action-status");
        status.textProperty().bind(vm.actionStatusProperty());
        status.setWrapText(true);
        javafx.scene.control.ProgressIndicator busy = new javafx.scene.control.ProgressIndicator();
        busy.setId("action-progress");
        busy.setPrefSize(16, 16);
        busy.setMinSize(16, 16);
        busy.visibleProperty().bind(vm.actionRunningProperty());
        busy.managedProperty().bind(vm.actionRunningProperty());
        HBox headline = new HBox(6, busy, status);
        headline.setAlignment(Pos.CENTER_LEFT);
        VBox logBox = new VBox(4, headline, log);
        VBox.setVgrow(log, Priority.ALWAYS);
        // a few lines of the log stay readable however little room the window has (the cards scroll instead)
        log.minHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> (log.getFixedCellSize() > 0 ? log.getFixedCellSize() : 24) * LOG_MIN_LINES + 4, log.fixedCellSizeProperty()));
        Tab logTab = new Tab("Action log", logBox);

        TableView<AuditEntry> audit = new TableView<>(vm.audit());
        audit.setId("audit-table");
        audit.setPlaceholder(new Label("No action recorded yet."));
        audit.getColumns().setAll(List.of(
                col("When", 128, e -> e.start() == null ? "" : WHEN.format(e.start())),
                col("Who", 150, AuditEntry::actor),
                col("Env", 64, AuditEntry::environment),
                col("Action", 130, e -> e.action() + (e.args().isEmpty() ? "" : " " + String.join(" ", e.args()))),
                col("Result", 96, AuditEntry::result),
                col("Exit", 44, e -> e.exitCode() == null ? "" : String.valueOf(e.exitCode())),
                col("Live", 110, e -> (e.liveBefore() == null ? "?" : e.liveBefore()) + " → " + (e.liveAfter() == null ? "?" : e.liveAfter())),
                col("Took", 64, e -> e.start() == null || e.end() == null ? ""
                        : String.format("%.1f s", java.time.Duration.between(e.start(), e.end()).toMillis() / 1000.0)),
                col("Details", 420, e -> e.message() == null ? "" : e.message())));
        audit.getColumns().get(audit.getColumns().size() - 1).setMinWidth(220);
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
        Tab auditTab = new Tab("Audit", audit);
        auditTab.setOnSelectionChanged(e -> vm.refreshAudit());
        TabPane tabs = new TabPane(logTab, auditTab) {
            // a TabPane's skin gives it no minimum height: the split above would take all the room and leave the
            // tab headers only. Its minimum: the headers and the log's (a few lines).
            @Override
            protected double computeMinHeight(double width) {
                Node header = lookup(".tab-header-area");
                double content = logBox.getParent() instanceof Region r
                        ? r.snappedTopInset() + logBox.minHeight(-1) + r.snappedBottomInset() : logBox.minHeight(-1);
                return snappedTopInset() + (header == null ? 0 : header.prefHeight(-1)) + content + snappedBottomInset();
            }
        };
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("slots-tabs");
        return tabs;
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

    private static TableColumn<AuditEntry, String> col(String name, double w, java.util.function.Function<AuditEntry, String> f) {
        TableColumn<AuditEntry, String> c = new TableColumn<>(name);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(w);
        c.setMinWidth(w);
        return c;
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
        rollback.getStyleClass().removeAll("ready", "not-ready", "unknown");
        rollback.getStyleClass().add(switch (r) {
            case READY -> "ready";
            case NOT_READY -> "not-ready";
            case UNKNOWN -> "unknown";
        });
    }

    private void show(SlotsSnapshot s) {
        live.getStyleClass().removeIf(c -> c.startsWith("slot-"));
        live.pseudoClassStateChanged(DEGRADED, vm.liveDegradedProperty().get());
        if (s == null) {
            grid.getChildren().clear();
            cards.clear();
            return;
        }
        live.getStyleClass().add("slot-" + s.liveSlot());
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
