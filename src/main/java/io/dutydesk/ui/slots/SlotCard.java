package io.dutydesk.ui.slots;

import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.css.PseudoClass;
import javafx.scene.shape.Circle;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Consumer;

/**
 * One slot: its name, LIVE or IDLE, how many services are healthy, and a row per service. Rows are
 * keyed by container and updated in place: a refresh changes what a row shows, not the row, so an
 * open row menu, the selection and the scroll position survive it.
 */
final class SlotCard {
    static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");

    /** One table row: a container, and what the last read said of it. */
    static final class Row {
        final String container;
        final ObjectProperty<ServiceState> state;
        /** The Up column's text, given at each read: it changes when its minute (or, under a minute, second) does. */
        final javafx.beans.property.StringProperty up = new javafx.beans.property.SimpleStringProperty();

        Row(ServiceState s) {
            this.container = s.containerName();
            this.state = new SimpleObjectProperty<>(s);
            up.set(upText(s));
        }

        /**
         * What a read says of this row: its state only when it differs (a property fires on every new object, and every
         * read makes new ones: each cell would be updated, laid out and repainted at each poll of an idle window).
         */
        void take(ServiceState s) {
            if (!s.equals(state.get())) {
                state.set(s);
            }
            up.set(upText(s));
        }

        ServiceState get() {
            return state.get();
        }
    }

    private final VBox root = new VBox(6);
    private final Label name = new Label();
    private final Label role = new Label();
    private final Label count = new Label();
    private final Label version = new Label();
    private final TableView<Row> table = new TableView<>();
    private TableColumn<Row, String> versionColumn;
    private final javafx.beans.property.StringProperty versionTip = new javafx.beans.property.SimpleStringProperty();

    SlotCard(String slot, Consumer<ServiceState> logs, Consumer<ServiceState> restart) {
        root.getStyleClass().add("slot-card");
        root.setId("slot-" + slot);
        name.getStyleClass().add("slot-name");
        name.setText(slot.toUpperCase());
        role.getStyleClass().addAll("badge");
        role.setId("role-" + slot);
        count.getStyleClass().add("slot-count");
        count.setId("count-" + slot);
        count.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        version.getStyleClass().add("slot-version");
        version.setId("version-" + slot);
        version.setMinWidth(0);
        io.dutydesk.ui.fx.LazyTooltip.install(version, versionTip);
        HBox title = new HBox(10, name, role, version, spacer, count);
        title.setAlignment(Pos.CENTER_LEFT);

        table.setId("services-" + slot);
        table.getStyleClass().add("services");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_SUBSEQUENT_COLUMNS);
        table.setFixedCellSize(38);
        table.setMinHeight(30 + 4 * 38 + 4);
        table.setPlaceholder(new Label("no containers"));
        TableColumn<Row, ServiceState> svc = new TableColumn<>("Service / container");
        svc.setCellValueFactory(c -> c.getValue().state);
        svc.setCellFactory(c -> new TableCell<>() {
            private final Label service = new Label();
            private final Label container = new Label();
            private final VBox box = new VBox(0, service, container);

            {
                service.getStyleClass().add("service-name");
                container.getStyleClass().add("container-name");
                // "selfology-ses…ment-green": the slot at the end stays readable when the column is narrow
                container.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
                service.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
            }

            @Override
            protected void updateItem(ServiceState s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setGraphic(null);
                    return;
                }
                service.setText(s.service());
                container.setText(s.containerName());
                setGraphic(box);
            }
        });
        svc.setPrefWidth(185);
        svc.setMinWidth(150);
        TableColumn<Row, String> cond = text("State", ServiceState::condition);
        cond.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                io.dutydesk.ui.fx.StyleClasses.oneWithPrefix(this, "cond-", empty || s == null ? null : "cond-"
                        + (s.equals("healthy") || s.equals("running") ? "good" : s.equals("starting") ? "wait" : "bad"));
            }
        });
        cond.setPrefWidth(92);
        cond.setMinWidth(92);
        TableColumn<Row, String> ver = text("Version", s -> s.container().map(x -> x.version()).orElse("—"));
        ver.setPrefWidth(84);
        ver.setMinWidth(80);
        // one version for the whole slot is shown in its title; the column appears when they differ
        ver.setVisible(false);
        versionColumn = ver;
        TableColumn<Row, String> up = new TableColumn<>("Up");
        up.setCellValueFactory(x -> x.getValue().up);
        up.setPrefWidth(64);
        up.setMinWidth(62);
        TableColumn<Row, String> rs = text("Restarts", s -> s.container().map(x -> String.valueOf(x.restarts())).orElse("—"));
        rs.setMinWidth(76);
        rs.setPrefWidth(76);
        TableColumn<Row, Row> act = new TableColumn<>("");
        act.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        act.setCellFactory(c -> new TableCell<>() {
            private ContextMenu items; // made at the first click (a popup window each: not one per row at launch)
            private final Button menu = new Button(null, dots());
            private final ChangeListener<ServiceState> exists = (o, a, b) -> menu.setVisible(b != null && b.exists());
            private Row row;

            {
                menu.getStyleClass().addAll("flat", "row-menu");
                menu.setMinSize(32, 28);
                menu.setPrefSize(32, 28);
                menu.setOnAction(e -> {
                    if (items == null) {
                        items = rowMenu(() -> row, logs, restart);
                    }
                    items.show(menu, javafx.geometry.Side.BOTTOM, 0, 0);
                });
                io.dutydesk.ui.fx.LazyTooltip.install(menu, "Logs, restart");
                menu.setAccessibleText("Actions for this container");
            }

            @Override
            protected void updateItem(Row r, boolean empty) {
                super.updateItem(r, empty);
                if (row != null && row != r) {
                    row.state.removeListener(exists);
                }
                if (empty || r == null) {
                    row = null;
                    setGraphic(null);
                    return;
                }
                if (row != r) {
                    row = r;
                    r.state.addListener(exists);
                }
                menu.setId("menu-" + r.container);
                menu.setVisible(r.get().exists());
                setGraphic(menu);
            }
        });
        act.setPrefWidth(42);
        act.setMinWidth(42);
        act.setMaxWidth(42);
        act.setSortable(false);
        table.getColumns().setAll(List.of(svc, cond, ver, up, rs, act));
        // columns keep the width their content needs: a table too narrow for them scrolls sideways
        // rather than cutting "unhealthy" to "unhe…"
        table.widthProperty().addListener((o, a, w) -> fitColumns());
        ver.visibleProperty().addListener((o, a, v) -> fitColumns());
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            private final ChangeListener<ServiceState> changed = (o, a, b) -> showState(b);
            private Row row;
            private ContextMenu rowMenu; // made at the first right click
            private final javafx.beans.property.StringProperty tip = new javafx.beans.property.SimpleStringProperty();

            {
                io.dutydesk.ui.fx.LazyTooltip.install(this, tip);
                // the row's menu on a right click too, the same as its "more" button
                setOnContextMenuRequested(e -> {
                    if (row != null && row.get().exists()) {
                        if (rowMenu == null) {
                            rowMenu = rowMenu(() -> row, logs, restart);
                        }
                        rowMenu.show(this, e.getScreenX(), e.getScreenY());
                        e.consume();
                    }
                });
            }

            {
                setOnMouseClicked(e -> {
                    if (e.getClickCount() == 2 && row != null && row.get().exists()) {
                        logs.accept(row.get());
                    }
                });
            }

            @Override
            protected void updateItem(Row r, boolean empty) {
                super.updateItem(r, empty);
                if (row != null) {
                    row.state.removeListener(changed);
                }
                row = empty ? null : r;
                if (row != null) {
                    row.state.addListener(changed);
                }
                showState(row == null ? null : row.get());
            }

            private void showState(ServiceState s) {
                io.dutydesk.ui.fx.StyleClasses.toggle(this, "bad", s != null && !s.ready());
                tip.set(s == null ? null : s.containerName()
                        + s.container().map(c -> "\nstate " + c.state() + ", health " + c.health() + "\nimage " + c.image()
                        + "\nstarted " + c.startedAt() + "\nrestarts " + c.restarts()).orElse("\nno such container"));
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        root.getChildren().addAll(title, table);
    }

    /** A row's menu: its actions act on the row's current state, not the one the menu was built with. */
    private static ContextMenu rowMenu(java.util.function.Supplier<Row> row, Consumer<ServiceState> logs, Consumer<ServiceState> restart) {
        MenuItem logsItem = new MenuItem("Tail logs…");
        MenuItem restartItem = new MenuItem("Restart…");
        logsItem.setOnAction(e -> { Row r = row.get(); if (r != null) { logs.accept(r.get()); } });
        restartItem.setOnAction(e -> { Row r = row.get(); if (r != null) { restart.accept(r.get()); } });
        return new ContextMenu(logsItem, restartItem);
    }

    private void fitColumns() {
        double need = table.getColumns().stream().filter(TableColumn::isVisible).mapToDouble(TableColumn::getMinWidth).sum() + 4;
        var policy = table.getWidth() >= need ? TableView.CONSTRAINED_RESIZE_POLICY_SUBSEQUENT_COLUMNS
                : TableView.UNCONSTRAINED_RESIZE_POLICY;
        if (table.getColumnResizePolicy() != policy) {
            table.setColumnResizePolicy(policy);
        }
    }

    /** A column of text derived from the row's current state: it follows the row, the cell is not rebuilt. */
    private static TableColumn<Row, String> text(String title, Function<ServiceState, String> f) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> {
            Row r = x.getValue();
            return Bindings.createStringBinding(() -> f.apply(r.get()), r.state);
        });
        return c;
    }

    /** "More" as three dots drawn, not a font glyph that a system may lack. */
    private static Node dots() {
        HBox box = new HBox(3);
        box.setAlignment(Pos.CENTER);
        for (int i = 0; i < 3; i++) {
            Circle c = new Circle(2.2);
            c.getStyleClass().add("icon");
            box.getChildren().add(c);
        }
        return box;
    }

    static String upText(ServiceState s) {
        return s.container().filter(x -> x.running() && x.startedAt() != null).map(x -> uptime(x.startedAt())).orElse("—");
    }

    static String uptime(Instant started) {
        Duration d = Duration.between(started, Instant.now());
        if (d.isNegative()) {
            return "0s";
        }
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    Node root() {
        return root;
    }

    TableView<Row> table() {
        return table;
    }

    void show(SlotState s, boolean stale) {
        role.setText(s.live() ? "LIVE" : "IDLE");
        io.dutydesk.ui.fx.StyleClasses.oneOf(role, s.live() ? "live" : "idle", "live", "idle");
        io.dutydesk.ui.fx.StyleClasses.toggle(root, "live", s.live());
        markStale(stale);
        count.setText(s.empty() ? "empty" : s.readyCount() + "/" + s.services().size() + " healthy");
        io.dutydesk.ui.fx.StyleClasses.oneOf(count, s.allReady() ? "good" : "bad", "good", "bad");
        var versions = s.services().stream().flatMap(x -> x.container().stream()).map(c -> c.version())
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        version.setText(versions.size() == 1 ? versions.first() : versions.isEmpty() ? "" : "mixed versions");
        versionTip.set(versions.isEmpty() ? null : s.name() + " runs " + String.join(", ", versions));
        versionColumn.setVisible(versions.size() > 1);
        update(s.services());
    }

    /** Stale: what the card shows was read before the server stopped answering. Idempotent. */
    void markStale(boolean stale) {
        root.pseudoClassStateChanged(STALE, stale);
        count.pseudoClassStateChanged(STALE, stale);
    }

    /** Same containers in the same order: each row takes its new state; otherwise rows are re-made, kept where the container is. */
    private void update(List<ServiceState> services) {
        var items = table.getItems();
        boolean same = items.size() == services.size();
        for (int i = 0; same && i < services.size(); i++) {
            same = items.get(i).container.equals(services.get(i).containerName());
        }
        if (same) {
            for (int i = 0; i < services.size(); i++) {
                items.get(i).take(services.get(i));
            }
            return;
        }
        Map<String, Row> old = new HashMap<>();
        items.forEach(r -> old.put(r.container, r));
        List<Row> rows = new ArrayList<>();
        for (ServiceState s : services) {
            Row r = old.get(s.containerName());
            if (r == null) {
                r = new Row(s);
            } else {
                r.take(s);
            }
            rows.add(r);
        }
        items.setAll(rows);
    }
}
