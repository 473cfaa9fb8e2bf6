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
        SplitPane split = new SplitPane(grid, bottom());
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.62);
        root.setCenter(split);
        vm.snapshotProperty().addListener((o, a, s) -> show(s));
        vm.problemProperty().addListener((o, a, p) -> showProblem(p));
        showProblem(vm.problemProperty().get());
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
        rollback.setId("rollback-badge");
        rollback.getStyleClass().add("rollback-badge");
        rollback.setWrapText(true);
        updated.getStyleClass().add("muted");
        updated.textProperty().bind(vm.updatedProperty());
        problem.setId("slots-problem");
        problem.getStyleClass().add("stale-banner");
        problem.setWrapText(true);
        problem.setMaxWidth(Double.MAX_VALUE);

        TextField version = new TextField();
        version.setId("deploy-version");
        version.setPromptText("version, e.g. v1.2.0");
        version.setPrefColumnCount(12);
        version.textProperty().bindBidirectional(vm.versionProperty());
        Tooltip vt = new Tooltip();
        version.setTooltip(vt);
        version.textProperty().addListener((o, a, b) -> {
            String why = vm.versionProblem();
            vt.setText(why.isEmpty() ? "The version to deploy to the idle slot" : why);
            version.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("danger"), !why.isEmpty());
        });
        Button deploy = action("Deploy", "deploy", Verb.DEPLOY);
        deploy.disableProperty().bind(vm.deployAllowed().not());
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
        }
        live.setMinWidth(Region.USE_PREF_SIZE);
        HBox top = new HBox(12, live, rollback);
        HBox.setHgrow(rollback, Priority.ALWAYS);
        top.setAlignment(Pos.CENTER_LEFT);
        top.getStyleClass().add("slots-header");
        Label deployTo = new Label("Deploy to the idle slot:");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox actions = new HBox(8, deployTo, version, deploy, spacer, sw, rb, cl);
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
        VBox box = new VBox(6, top, problem, actions, updated);
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
        vm.plan(verb, false).whenComplete((plan, e) -> ui.execute(() -> {
            if (e != null) {
                Alert a = new Alert(Alert.AlertType.ERROR, Errors.describe(e), ButtonType.OK);
                a.initOwner(window());
                a.setHeaderText("Cannot " + verb.id());
                a.showAndWait();
                return;
            }
            new ConfirmActionDialog(window(), plan).ask().ifPresent(vm::run);
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
        Tab logTab = new Tab("Action log", logBox);

        TableView<AuditEntry> audit = new TableView<>(vm.audit());
        audit.setId("audit-table");
        audit.setPlaceholder(new Label("No action recorded yet."));
        audit.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        audit.getColumns().setAll(List.of(
                col("When", 130, e -> e.start() == null ? "" : WHEN.format(e.start())),
                col("Who", 130, AuditEntry::actor),
                col("Env", 60, AuditEntry::environment),
                col("Action", 110, e -> e.action() + (e.args().isEmpty() ? "" : " " + String.join(" ", e.args()))),
                col("Result", 80, AuditEntry::result),
                col("Exit", 40, e -> e.exitCode() == null ? "" : String.valueOf(e.exitCode())),
                col("Live", 90, e -> (e.liveBefore() == null ? "?" : e.liveBefore()) + " → " + (e.liveAfter() == null ? "?" : e.liveAfter())),
                col("Took", 60, e -> e.start() == null || e.end() == null ? ""
                        : String.format("%.1f s", java.time.Duration.between(e.start(), e.end()).toMillis() / 1000.0)),
                col("Details", 300, e -> e.message() == null ? "" : e.message())));
        Tab auditTab = new Tab("Audit", audit);
        auditTab.setOnSelectionChanged(e -> vm.refreshAudit());
        TabPane tabs = new TabPane(logTab, auditTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("slots-tabs");
        return tabs;
    }

    private static TableColumn<AuditEntry, String> col(String name, double w, java.util.function.Function<AuditEntry, String> f) {
        TableColumn<AuditEntry, String> c = new TableColumn<>(name);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    private void showProblem(String p) {
        problem.setText(p == null ? "" : p);
        problem.setVisible(p != null);
        problem.setManaged(p != null);
        cards.values().forEach(c -> c.root().getStyleClass().remove("stale"));
        if (p != null) {
            cards.values().forEach(c -> c.root().getStyleClass().add("stale"));
            live.getStyleClass().add("stale");
        } else {
            live.getStyleClass().remove("stale");
        }
    }

    private void show(SlotsSnapshot s) {
        if (s == null) {
            live.setText("LIVE: …");
            rollback.setText("Rollback: …");
            rollback.getStyleClass().removeAll("ready", "not-ready");
            grid.getChildren().clear();
            cards.clear();
            return;
        }
        live.setText("LIVE: " + s.liveSlot().toUpperCase());
        live.getStyleClass().removeIf(c -> c.startsWith("slot-"));
        live.getStyleClass().add("slot-" + s.liveSlot());
        rollback.getStyleClass().removeAll("ready", "not-ready");
        if (s.rollbackReady()) {
            rollback.setText("✔ Rollback ready: " + s.idle().summary());
            rollback.getStyleClass().add("ready");
        } else {
            rollback.setText("✖ Rollback NOT ready: " + String.join("; ", s.rollbackBlockers()));
            rollback.getStyleClass().add("not-ready");
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
        boolean stale = vm.problemProperty().get() != null;
        for (SlotState slot : s.slots()) {
            cards.get(slot.name()).show(slot, stale);
        }
    }

    private void logs(ServiceState s) {
        vm.context().ifPresent(ctx -> LogsWindow.open(window(), ctx.containers(), s.containerName(), ui));
    }

    private void restart(ServiceState s) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", ButtonType.CANCEL);
        ButtonType go = new ButtonType("_Restart " + s.service(), javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(go, ButtonType.CANCEL);
        a.initOwner(window());
        a.setHeaderText((vm.context().map(c -> c.environment().name() + ": ").orElse("")) + "restart " + s.containerName() + "?");
        a.setContentText((s.slot() + " is " + (cards.containsKey(s.slot()) && vm.snapshotProperty().get() != null
                && vm.snapshotProperty().get().liveSlot().equals(s.slot()) ? "LIVE: requests to this service fail while it restarts."
                : "idle: no live traffic is affected.")));
        Button cancel = (Button) a.getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setDefaultButton(true);
        ((Button) a.getDialogPane().lookupButton(go)).setDefaultButton(false);
        a.setOnShown(e -> cancel.requestFocus());
        a.getDialogPane().setId("restart-dialog");
        if (vm.actionRunningProperty().get()) {
            return; // one action at a time; the log shows the running one
        }
        a.showAndWait().filter(b -> b == go).ifPresent(b -> vm.restart(s.containerName()));
    }
}
