package io.dutydesk.ui.slots;

import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** One slot: its name, LIVE or IDLE, how many services are healthy, and a row per service. */
final class SlotCard {
    private final VBox root = new VBox(6);
    private final Label name = new Label();
    private final Label role = new Label();
    private final Label count = new Label();
    private final TableView<ServiceState> table = new TableView<>();

    SlotCard(String slot, Consumer<ServiceState> logs, Consumer<ServiceState> restart) {
        root.getStyleClass().add("slot-card");
        root.setId("slot-" + slot);
        name.getStyleClass().add("slot-name");
        name.setText(slot.toUpperCase());
        role.getStyleClass().addAll("badge");
        role.setId("role-" + slot);
        count.getStyleClass().add("slot-count");
        count.setId("count-" + slot);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox title = new HBox(10, name, role, spacer, count);
        title.setAlignment(Pos.CENTER_LEFT);

        table.setId("services-" + slot);
        table.getStyleClass().add("services");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_SUBSEQUENT_COLUMNS);
        table.setFixedCellSize(38);
        table.setMinHeight(30 + 4 * 38 + 4);
        table.setPlaceholder(new Label("no containers"));
        TableColumn<ServiceState, ServiceState> svc = new TableColumn<>("Service / container");
        svc.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        svc.setCellFactory(c -> new TableCell<>() {
            private final Label service = new Label();
            private final Label container = new Label();
            private final VBox box = new VBox(0, service, container);

            {
                service.getStyleClass().add("service-name");
                container.getStyleClass().add("container-name");
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
        svc.setMinWidth(172);
        TableColumn<ServiceState, String> cond = new TableColumn<>("State");
        cond.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().condition()));
        cond.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeIf(x -> x.startsWith("cond-"));
                setText(empty ? null : s);
                if (!empty && s != null) {
                    getStyleClass().add("cond-" + (s.equals("healthy") || s.equals("running") ? "good"
                            : s.equals("starting") ? "wait" : "bad"));
                }
            }
        });
        cond.setPrefWidth(84);
        cond.setMinWidth(80);
        TableColumn<ServiceState, String> ver = new TableColumn<>("Version");
        ver.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().container().map(x -> x.version()).orElse("—")));
        ver.setPrefWidth(64);
        ver.setMinWidth(62);
        TableColumn<ServiceState, String> up = new TableColumn<>("Up");
        up.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().container()
                .filter(x -> x.running() && x.startedAt() != null).map(x -> uptime(x.startedAt())).orElse("—")));
        up.setPrefWidth(54);
        up.setMinWidth(50);
        TableColumn<ServiceState, String> rs = new TableColumn<>("Restarts");
        rs.setMinWidth(68);
        rs.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().container().map(x -> String.valueOf(x.restarts())).orElse("—")));
        rs.setPrefWidth(70);
        TableColumn<ServiceState, ServiceState> act = new TableColumn<>("");
        act.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        act.setCellFactory(c -> new TableCell<>() {
            private final MenuItem logsItem = new MenuItem("Tail logs…");
            private final MenuItem restartItem = new MenuItem("Restart…");
            private final ContextMenu items = new ContextMenu(logsItem, restartItem);
            private final Button menu = new Button("⋯");

            {
                menu.getStyleClass().addAll("flat", "small", "row-menu");
                menu.setOnAction(e -> items.show(menu, javafx.geometry.Side.BOTTOM, 0, 0));
                menu.setTooltip(new Tooltip("Logs, restart"));
            }

            @Override
            protected void updateItem(ServiceState s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null || !s.exists()) {
                    setGraphic(null);
                    return;
                }
                logsItem.setOnAction(e -> logs.accept(s));
                restartItem.setOnAction(e -> restart.accept(s));
                menu.setId("menu-" + s.containerName());
                setGraphic(menu);
            }
        });
        act.setPrefWidth(34);
        act.setMinWidth(34);
        act.setMaxWidth(34);
        act.setSortable(false);
        table.getColumns().setAll(List.of(svc, cond, ver, up, rs, act));
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(ServiceState s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().remove("bad");
                if (!empty && s != null && !s.ready()) {
                    getStyleClass().add("bad");
                }
                setOnMouseClicked(e -> {
                    if (e.getClickCount() == 2 && s != null && s.exists()) {
                        logs.accept(s);
                    }
                });
                setTooltip(empty || s == null ? null : new Tooltip(s.containerName()
                        + s.container().map(c -> "\nstate " + c.state() + ", health " + c.health() + "\nimage " + c.image()
                        + "\nstarted " + c.startedAt() + "\nrestarts " + c.restarts()).orElse("\nno such container")));
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        root.getChildren().addAll(title, table);
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

    void show(SlotState s, boolean stale) {
        role.setText(s.live() ? "LIVE" : "IDLE");
        role.getStyleClass().removeAll("live", "idle");
        role.getStyleClass().add(s.live() ? "live" : "idle");
        root.getStyleClass().removeAll("live", "stale");
        if (s.live()) {
            root.getStyleClass().add("live");
        }
        if (stale) {
            root.getStyleClass().add("stale");
        }
        count.setText(s.empty() ? "empty" : s.readyCount() + "/" + s.services().size() + " healthy");
        count.getStyleClass().removeAll("good", "bad");
        count.getStyleClass().add(s.allReady() ? "good" : "bad");
        table.getItems().setAll(s.services());
    }
}
