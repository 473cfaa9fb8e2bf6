package io.dutydesk.ui.outbox;

import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.StreamInfo;
import io.dutydesk.ui.fx.RestartConfirmation;
import io.dutydesk.ui.fx.ColumnWidths;
import io.dutydesk.ui.fx.FxmlLayout;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.Function;

/**
 * The Outbox pane: a header coloured by the backlog's state, the counts, the missing-index notice,
 * the trend of the last 24 h, the oldest pending events, the stream's groups and consumers, and the
 * relay container. Thin: state lives in {@link OutboxViewModel}.
 */
public final class OutboxView {
    static final List<String> HEADER_CLASSES = List.of("outbox-unknown", "outbox-ok", "outbox-warn", "outbox-critical", "outbox-down",
            "outbox-misconfigured");

    private final OutboxViewModel vm;
    // the static layout: OutboxView.fxml (this view is its controller)
    @FXML private BorderPane root;
    @FXML private Label header;
    @FXML private Label pending;
    @FXML private Label processing;
    @FXML private Label failed;
    @FXML private Label published;
    @FXML private Label oldestAge;
    @FXML private Label pgProblem;
    @FXML private Label redisProblem;
    @FXML private Label relayProblem;
    @FXML private VBox indexNotice;
    @FXML private TextField indexSql;
    @FXML private Button copy;
    @FXML private Label streamTitle;
    @FXML private Label relayText;
    @FXML private Button restartRelay;
    @FXML private Label actionStatus;
    @FXML private HBox tiles;
    @FXML private VBox processingTile;
    @FXML private VBox trendBox;
    @FXML private Label historyNote;
    @FXML private Label oldestTitle;
    @FXML private TableView<OutboxBacklog.OldEvent> oldestTable;
    @FXML private TableColumn<OutboxBacklog.OldEvent, String> oldestTypeColumn;
    @FXML private TableColumn<OutboxBacklog.OldEvent, String> oldestAgeColumn;
    @FXML private TableView<OutboxViewModel.GroupRow> groupsTable;
    @FXML private TableColumn<OutboxViewModel.GroupRow, String> groupColumn;
    @FXML private TableColumn<OutboxViewModel.GroupRow, String> idleColumn;
    private static final javafx.css.PseudoClass STALE = javafx.css.PseudoClass.getPseudoClass("stale");

    /** With the trend on the console's one time-series chart. */
    public OutboxView(OutboxViewModel vm) {
        this(vm, new OutboxTrend(vm, java.time.Clock.systemDefaultZone()).chart());
    }

    public OutboxView(OutboxViewModel vm, Node trend) {
        this.vm = vm;
        FxmlLayout.load(this);

        header.textProperty().bind(vm.headerProperty());
        vm.headerStateProperty().addListener((o, a, b) -> headerClass(b));
        headerClass(vm.headerStateProperty().get());

        processingTile.visibleProperty().bind(vm.processingShownProperty()); // an outbox without that state: no tile, not "0"
        processingTile.managedProperty().bind(processingTile.visibleProperty());

        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(indexSql.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        vm.indexAdviceProperty().addListener((o, a, b) -> showIndex(b));
        showIndex(vm.indexAdviceProperty().get());

        restartRelay.setOnAction(e -> confirmRestart());
        actionStatus.textProperty().bind(vm.actionStatusProperty());

        bottom();
        trendBox.getChildren().add(0, trend);
        VBox.setVgrow(trend, Priority.ALWAYS);
        historyNote.textProperty().bind(vm.historyNoteProperty());

        vm.backlogProperty().addListener((o, a, b) -> showBacklog());
        vm.backlogProblemProperty().addListener((o, a, b) -> showBacklog());
        vm.streamProperty().addListener((o, a, b) -> showStream());
        vm.streamProblemProperty().addListener((o, a, b) -> showStream());
        vm.streamConfiguredProperty().addListener((o, a, b) -> showStream());
        vm.relayProperty().addListener((o, a, b) -> showRelay());
        vm.relayProblemProperty().addListener((o, a, b) -> showRelay());
        vm.relayNotApplicableProperty().addListener((o, a, b) -> showRelay());
        showBacklog();
        showStream();
        showRelay();
    }

    public Node root() {
        return root;
    }

    private void bottom() {
        oldestTable.setItems(vm.oldest());
        // the type gives way first, the age never: it is what the header's "act now" is about
        oldestTable.setColumnResizePolicy(io.dutydesk.ui.fx.ColumnWidths.flex(oldestTypeColumn));
        vm.oldest().addListener((javafx.collections.ListChangeListener<OutboxBacklog.OldEvent>) c -> fitAges());
        // an age read before PostgreSQL stopped answering is said to be that age then ("3 h 24 min at 12:00:00")
        FxmlLayout.cellTexts(oldestTable, List.<Function<OutboxBacklog.OldEvent, String>>of(
                OutboxBacklog.OldEvent::id,
                OutboxBacklog.OldEvent::type,
                vm::ageText));
        // says what the table holds: "5 pending events, oldest first", not "10 oldest" over 5 rows; and "as of T" when stale
        oldestTitle.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(vm::oldestTitle, oldestTable.getItems(),
                vm.backlogStaleSinceProperty(), vm.backlogProperty()));

        groupsTable.setItems(vm.groups());
        // the idle time gives way first, a group's name never: "analysis-work..." said which group lags by half its name
        groupsTable.setColumnResizePolicy(io.dutydesk.ui.fx.ColumnWidths.flex(idleColumn));
        vm.groups().addListener((javafx.collections.ListChangeListener<OutboxViewModel.GroupRow>) c -> fitGroups());
        FxmlLayout.cellTexts(groupsTable, List.<Function<OutboxViewModel.GroupRow, String>>of(
                OutboxViewModel.GroupRow::group,
                OutboxViewModel.GroupRow::consumer,
                r -> r.consumer().isEmpty() ? String.valueOf(r.consumers()) : "",
                r -> String.valueOf(r.pending()),
                OutboxViewModel.GroupRow::lag,
                r -> r.idle().isEmpty() ? "" : r.idle() + vm.asOfSuffix(vm.streamStaleSinceProperty())));
        groupsTable.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(OutboxViewModel.GroupRow r, boolean empty) {
                super.updateItem(r, empty);
                io.dutydesk.ui.fx.StyleClasses.toggle(this, "group-row", !empty && r != null && r.consumer().isEmpty());
            }
        });
    }

    private void headerClass(OutboxViewModel.HeaderState s) {
        io.dutydesk.ui.fx.StyleClasses.set(header, HEADER_CLASSES::contains, List.of("outbox-" + s.name().toLowerCase(java.util.Locale.ROOT)));
    }

    private static void problem(Label l, String text) {
        l.setText(text == null ? "" : text);
        l.setVisible(text != null);
        l.setManaged(text != null);
    }

    /** An empty table's text: what is known of why it has no row (OutboxViewModel), never "none" before a read. */
    private static void placeholder(TableView<?> table, String text) {
        Label l = table.getPlaceholder() instanceof Label p ? p : new Label();
        l.setText(text);
        l.setWrapText(true); // a narrow table shows the whole reason, not "Pending events unknown: ..."
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // its wrapped lines: a Label's maximum is one line's height
        l.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        l.setPadding(new javafx.geometry.Insets(0, 8, 0, 8));
        table.setPlaceholder(l);
    }

    private void showIndex(String sql) {
        indexSql.setText(sql == null ? "" : sql);
        indexNotice.setVisible(sql != null);
        indexNotice.setManaged(sql != null);
    }

    private void showBacklog() {
        OutboxBacklog b = vm.backlogProperty().get();
        String p = vm.backlogProblemProperty().get();
        problem(pgProblem, p);
        io.dutydesk.ui.fx.StyleClasses.toggle(tiles, "stale", p != null);
        boolean stale = vm.backlogStaleSinceProperty().get() != null;
        oldestTable.pseudoClassStateChanged(STALE, stale);
        oldestTable.refresh(); // the ages say "at T" while stale, and stop saying it when fresh
        fitAges();
        placeholder(oldestTable, vm.oldestPlaceholder());
        if (b == null) {
            for (Label l : List.of(pending, processing, failed, published, oldestAge)) {
                l.setText(p == null ? "…" : "down");
            }
            return;
        }
        pending.setText(String.valueOf(b.pending()));
        processing.setText(String.valueOf(b.processing()));
        failed.setText(String.valueOf(b.failed()));
        published.setText(b.publishedEstimate() == null ? "unknown" : "~" + b.publishedEstimate());
        oldestAge.setText(vm.oldestPendingText()); // "3 h 24 min as of 12:00:00" while PostgreSQL is down: it was that old then
        String asOf = stale ? vm.asOf(vm.backlogStaleSinceProperty()) + " (PostgreSQL down)" : null;
        for (Label l : List.of(pending, processing, failed, published, oldestAge)) {
            l.setTooltip(asOf == null ? null : new Tooltip(asOf));
        }
    }

    /**
     * The age column as wide as its widest text ("12 h 47 min", "12 h 47 min at 03:12:09" while stale), then the columns
     * laid out again as a resize does: fixed widths (80 fresh, 150 stale) cut "12 h 47 min" to "12 h 4..." at 1024 px and
     * the stale time off at any width, and the table's own policy did not run again when they changed, leaving the age
     * cut beside a blank strip after an outage.
     */
    private void fitAges() {
        ColumnWidths.fix(oldestTable, oldestAgeColumn, ColumnWidths.fitting(
                vm.oldest().stream().map(vm::ageText).toList(), ColumnWidths.cellFont(oldestTable), 60));
    }

    /**
     * The group column as wide as its widest name, a group's row in bold: at 140 px the window trial's "analysis-workers"
     * was drawn "analysis-work..." at every window size, the last column taking the room left over.
     */
    private void fitGroups() {
        javafx.scene.text.Font font = ColumnWidths.cellFont(groupsTable);
        javafx.scene.text.Font bold = javafx.scene.text.Font.font(font.getFamily(), javafx.scene.text.FontWeight.BOLD, font.getSize());
        // a group's own row (no consumer) is bold (.group-row)
        double groups = ColumnWidths.fitting(vm.groups().stream().filter(r -> r.consumer().isEmpty()).map(OutboxViewModel.GroupRow::group).toList(), bold, 60);
        double consumers = ColumnWidths.fitting(vm.groups().stream().filter(r -> !r.consumer().isEmpty()).map(OutboxViewModel.GroupRow::group).toList(), font, 60);
        ColumnWidths.fix(groupsTable, groupColumn, Math.max(groups, consumers));
    }

    private void showStream() {
        StreamInfo s = vm.streamProperty().get();
        problem(redisProblem, vm.streamProblemProperty().get());
        placeholder(groupsTable, vm.groupsPlaceholder());
        groupsTable.setVisible(vm.streamConfiguredProperty().get());
        groupsTable.setManaged(vm.streamConfiguredProperty().get());
        if (!vm.streamConfiguredProperty().get()) {
            streamTitle.setText("Stream: " + OutboxViewModel.STREAM_NOT_CONFIGURED);
            return;
        }
        String key = vm.environment().map(e -> e.redis().stream()).orElse("");
        String asOf = vm.asOf(vm.streamStaleSinceProperty());
        streamTitle.setText(s == null ? "Stream " + key : "Stream " + s.key() + " — length " + s.length()
                + (s.missingGroups().isEmpty() ? "" : " — missing group(s): " + String.join(", ", s.missingGroups()))
                + (asOf.isEmpty() ? "" : " — " + asOf + ", stale (Redis down)"));
        groupsTable.pseudoClassStateChanged(STALE, !asOf.isEmpty());
        groupsTable.refresh();
    }

    private void showRelay() {
        OutboxViewModel.Relay r = vm.relayProperty().get();
        problem(relayProblem, vm.relayProblemProperty().get());
        String notApplicable = vm.relayNotApplicableProperty().get();
        if (notApplicable != null) {
            io.dutydesk.ui.fx.StyleClasses.oneOf(relayText, null, "bad", "good", "stale");
            relayText.setText("Relay: " + notApplicable);
            restartRelay.setDisable(true);
            return;
        }
        if (r == null) {
            io.dutydesk.ui.fx.StyleClasses.oneOf(relayText, null, "bad", "good", "stale");
            relayText.setText("Relay: …");
            restartRelay.setDisable(true);
            return;
        }
        String asOf = vm.asOf(vm.relayStaleSinceProperty());
        relayText.setText("Relay " + r.container() + " (" + r.slot() + ", live): " + r.state()
                + ("none".equals(r.health()) ? "" : ", " + r.health())
                + (asOf.isEmpty() ? "" : " — " + asOf + ", stale"));
        // what was read before the relay's source stopped answering is never green (nor red): it is not known now
        io.dutydesk.ui.fx.StyleClasses.oneOf(relayText, !asOf.isEmpty() ? "stale" : r.ready() ? "good" : "bad", "bad", "good", "stale");
        restartRelay.setDisable(r.state().equals("missing"));
        restartRelay.setTooltip(new Tooltip("docker restart " + r.container() + " (confirmed, audited)"));
    }

    private void confirmRestart() {
        OutboxViewModel.Relay r = vm.relayProperty().get();
        if (r == null) {
            return;
        }
        if (RestartConfirmation.confirm(root.getScene() == null ? null : root.getScene().getWindow(),
                vm.environment().map(e -> e.name()).orElse(""), r.container(), "outbox relay", true)) {
            vm.restartRelay();
        }
    }
}
