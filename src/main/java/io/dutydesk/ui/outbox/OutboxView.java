package io.dutydesk.ui.outbox;

import io.dutydesk.core.Ages;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.outbox.StreamInfo;
import io.dutydesk.ui.fx.RestartConfirmation;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
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
    private final BorderPane root = new BorderPane();
    private final Label header = new Label();
    private final Label pending = value("pending-value");
    private final Label processing = value("processing-value");
    private final Label failed = value("failed-value");
    private final Label published = value("published-value");
    private final Label oldestAge = value("oldest-age-value");
    private final Label pgProblem = problemLabel("pg-problem");
    private final Label redisProblem = problemLabel("redis-problem");
    private final Label relayProblem = problemLabel("relay-problem");
    private final VBox indexNotice = new VBox(4);
    private final TextField indexSql = new TextField();
    private final Label streamTitle = new Label("Stream");
    private final Label relayText = new Label("Relay: …");
    private final Button restartRelay = new Button("Restart relay…");
    private final Label actionStatus = new Label();
    private final HBox tiles;
    private static final javafx.css.PseudoClass STALE = javafx.css.PseudoClass.getPseudoClass("stale");
    private TableView<OutboxBacklog.OldEvent> oldestTable;
    private TableColumn<OutboxBacklog.OldEvent, String> oldestAgeColumn;
    private TableView<OutboxViewModel.GroupRow> groupsTable;

    /** With the trend on the console's one time-series chart. */
    public OutboxView(OutboxViewModel vm) {
        this(vm, new OutboxTrend(vm, java.time.Clock.systemDefaultZone()).chart());
    }

    public OutboxView(OutboxViewModel vm, Node trend) {
        this.vm = vm;
        root.getStyleClass().add("outbox-pane");
        root.setId("pane-outbox");

        header.setId("outbox-header");
        header.getStyleClass().add("outbox-header");
        header.setMaxWidth(Double.MAX_VALUE);
        header.textProperty().bind(vm.headerProperty());
        vm.headerStateProperty().addListener((o, a, b) -> headerClass(b));
        headerClass(vm.headerStateProperty().get());

        VBox processingTile = tile("Processing", processing);
        processingTile.setId("processing-tile");
        processingTile.visibleProperty().bind(vm.processingShownProperty()); // an outbox without that state: no tile, not "0"
        processingTile.managedProperty().bind(processingTile.visibleProperty());
        tiles = new HBox(10, tile("Pending", pending), processingTile, tile("Failed", failed),
                tile("Published (estimate)", published), tile("Oldest pending", oldestAge));
        tiles.getStyleClass().add("outbox-tiles");

        indexSql.setEditable(false);
        indexSql.setId("index-sql");
        indexSql.getStyleClass().add("mono");
        Button copy = new Button("Copy");
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(indexSql.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        HBox.setHgrow(indexSql, Priority.ALWAYS);
        Label noticeText = new Label("No index serves the backlog queries: every poll reads the whole table. "
                + "The console never creates it; a DBA can run (it does not lock writes):");
        noticeText.setWrapText(true);
        indexNotice.getChildren().setAll(noticeText, new HBox(6, indexSql, copy));
        indexNotice.setId("index-notice");
        indexNotice.getStyleClass().add("index-notice");
        vm.indexAdviceProperty().addListener((o, a, b) -> showIndex(b));
        showIndex(vm.indexAdviceProperty().get());

        relayText.setId("relay-text");
        relayText.setMinWidth(Region.USE_PREF_SIZE); // its "as of T, stale" is never cut off by the banner beside it
        restartRelay.setMinWidth(Region.USE_PREF_SIZE);
        restartRelay.setId("restart-relay");
        restartRelay.setOnAction(e -> confirmRestart());
        restartRelay.setDisable(true);
        actionStatus.setId("relay-action-status");
        actionStatus.getStyleClass().add("muted");
        actionStatus.textProperty().bind(vm.actionStatusProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox relayRow = new HBox(10, relayText, relayProblem, spacer, actionStatus, restartRelay);
        relayRow.getStyleClass().add("relay-row");

        VBox top = new VBox(8, header, relayRow, tiles, pgProblem, indexNotice);
        top.getStyleClass().add("outbox-top");
        root.setTop(top);

        Node bottom = bottom();
        VBox trendBox = new VBox(4, trend);
        VBox.setVgrow(trend, Priority.ALWAYS);
        Label note = new Label();
        note.setId("history-note");
        note.getStyleClass().add("muted");
        note.textProperty().bind(vm.historyNoteProperty());
        trendBox.getChildren().add(note);
        SplitPane split = new SplitPane(trendBox, bottom);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        root.setCenter(split);

        vm.backlogProperty().addListener((o, a, b) -> showBacklog());
        vm.backlogProblemProperty().addListener((o, a, b) -> showBacklog());
        vm.streamProperty().addListener((o, a, b) -> showStream());
        vm.streamProblemProperty().addListener((o, a, b) -> showStream());
        vm.streamConfiguredProperty().addListener((o, a, b) -> showStream());
        vm.relayProperty().addListener((o, a, b) -> showRelay());
        vm.relayProblemProperty().addListener((o, a, b) -> showRelay());
        showBacklog();
        showStream();
        showRelay();
    }

    public Node root() {
        return root;
    }

    private Node bottom() {
        TableView<OutboxBacklog.OldEvent> oldest = new TableView<>(vm.oldest());
        oldestTable = oldest;
        oldest.setId("oldest-table");
        oldest.getStyleClass().add("outbox-table");
        // an age read before PostgreSQL stopped answering is said to be that age then ("3 h 24 min at 12:00:00")
        oldestAgeColumn = column("age", 80, vm::ageText);
        oldest.getColumns().setAll(List.of(
                column("id", 90, OutboxBacklog.OldEvent::id),
                column("type", 180, OutboxBacklog.OldEvent::type),
                oldestAgeColumn));
        oldest.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        oldest.setPlaceholder(new Label("Nothing pending."));
        Label oldestTitle = new Label();
        oldestTitle.setId("oldest-title");
        // says what the table holds: "5 pending events, oldest first", not "10 oldest" over 5 rows; and "as of T" when stale
        oldestTitle.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(vm::oldestTitle, oldest.getItems(),
                vm.backlogStaleSinceProperty()));
        oldestTitle.getStyleClass().add("section-title");
        VBox left = new VBox(4, oldestTitle, oldest);
        VBox.setVgrow(oldest, Priority.ALWAYS);

        TableView<OutboxViewModel.GroupRow> groups = new TableView<>(vm.groups());
        groupsTable = groups;
        groups.setId("groups-table");
        groups.getStyleClass().add("outbox-table");
        groups.getColumns().setAll(List.of(
                column("group", 140, OutboxViewModel.GroupRow::group),
                column("consumer", 100, OutboxViewModel.GroupRow::consumer),
                column("consumers", 105, r -> r.consumer().isEmpty() ? String.valueOf(r.consumers()) : ""),
                column("pending", 80, r -> String.valueOf(r.pending())),
                column("lag", 75, OutboxViewModel.GroupRow::lag),
                column("idle", 70, r -> r.idle().isEmpty() ? "" : r.idle() + vm.asOfSuffix(vm.streamStaleSinceProperty()))));
        groups.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        groups.setPlaceholder(new Label("No consumer group."));
        groups.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(OutboxViewModel.GroupRow r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().remove("group-row");
                if (!empty && r != null && r.consumer().isEmpty()) {
                    getStyleClass().add("group-row");
                }
            }
        });
        streamTitle.setId("stream-title");
        streamTitle.getStyleClass().add("section-title");
        VBox right = new VBox(4, streamTitle, redisProblem, groups);
        VBox.setVgrow(groups, Priority.ALWAYS);

        SplitPane split = new SplitPane(left, right);
        split.setDividerPositions(0.42);
        return split;
    }

    private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> f) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, Math.max(60, title.length() * 9 + 14)));
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setSortable(false);
        return c;
    }

    private static Label value(String id) {
        Label l = new Label("—");
        l.setId(id);
        l.getStyleClass().add("tile-value");
        return l;
    }

    private static Label problemLabel(String id) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().add("stale-banner");
        l.setWrapText(true);
        l.setManaged(false);
        l.setVisible(false);
        return l;
    }

    private static VBox tile(String title, Label value) {
        Label t = new Label(title);
        t.getStyleClass().add("tile-title");
        VBox v = new VBox(2, t, value);
        v.getStyleClass().add("outbox-tile");
        return v;
    }

    private void headerClass(OutboxViewModel.HeaderState s) {
        header.getStyleClass().removeAll(HEADER_CLASSES);
        header.getStyleClass().add("outbox-" + s.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static void problem(Label l, String text) {
        l.setText(text == null ? "" : text);
        l.setVisible(text != null);
        l.setManaged(text != null);
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
        tiles.getStyleClass().remove("stale");
        if (p != null) {
            tiles.getStyleClass().add("stale");
        }
        boolean stale = vm.backlogStaleSinceProperty().get() != null;
        oldestTable.pseudoClassStateChanged(STALE, stale);
        oldestAgeColumn.setMinWidth(stale ? 150 : 60);
        oldestAgeColumn.setPrefWidth(stale ? 150 : 80);
        oldestTable.refresh(); // the ages say "at T" while stale, and stop saying it when fresh
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

    private void showStream() {
        StreamInfo s = vm.streamProperty().get();
        problem(redisProblem, vm.streamProblemProperty().get());
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
        relayText.getStyleClass().removeAll("bad", "good", "stale");
        if (r == null) {
            relayText.setText("Relay: …");
            restartRelay.setDisable(true);
            return;
        }
        String asOf = vm.asOf(vm.relayStaleSinceProperty());
        relayText.setText("Relay " + r.container() + " (" + r.slot() + ", live): " + r.state()
                + ("none".equals(r.health()) ? "" : ", " + r.health())
                + (asOf.isEmpty() ? "" : " — " + asOf + ", stale"));
        // what was read before the relay's source stopped answering is never green (nor red): it is not known now
        relayText.getStyleClass().add(!asOf.isEmpty() ? "stale" : r.ready() ? "good" : "bad");
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
