package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.ReleaseHistory;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The releases of the environment (when, by whom, which slot runs them, still on the host), and the way to roll back to
 * one of them (its image on the host: deployed to the idle slot, checked, switched) or to run a declared rollback type.
 * Choosing one plans it and opens the usual confirmation.
 */
final class ReleasesDialog {

    private final MaintenanceViewModel vm;
    private final Executor ui;
    private final Window owner;
    private final Consumer<CompletableFuture<Plan>> confirm;

    ReleasesDialog(MaintenanceViewModel vm, Executor ui, Window owner, Consumer<CompletableFuture<Plan>> confirm) {
        this.vm = vm;
        this.ui = ui;
        this.owner = owner;
        this.confirm = confirm;
    }

    void show() {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Releases of " + vm.environment());
        d.setResizable(true);
        TableView<ReleaseHistory.Release> table = new TableView<>();
        table.setId("releases-table");
        table.setPrefSize(760, 320);
        table.getColumns().add(column("Version", ReleaseHistory.Release::version));
        table.getColumns().add(column("Last deployed", r -> r.whenText(ZoneId.systemDefault())));
        table.getColumns().add(column("By", r -> r.by().isEmpty() ? "—" : r.by()));
        table.getColumns().add(column("Runs in", r -> r.runningIn().isEmpty() ? "—" : String.join(", ", r.runningIn())));
        table.getColumns().add(column("On the host", r -> r.available() ? "yes" : "no (image gone)"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label status = new Label("reading the server…");
        status.setId("releases-status");
        status.setWrapText(true);
        Button rollback = new Button("Roll back to this release…");
        rollback.setId("action-rollback-to");
        rollback.getStyleClass().add("danger");
        rollback.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            ReleaseHistory.Release r = table.getSelectionModel().getSelectedItem();
            return r == null || !r.available() || r.live();
        }, table.getSelectionModel().selectedItemProperty()));
        rollback.setOnAction(e -> {
            ReleaseHistory.Release r = table.getSelectionModel().getSelectedItem();
            d.close();
            confirm.accept(vm.slotsRollout(x -> x.planRelease(r.version(), false)));
        });
        HBox actions = new HBox(8, rollback);
        for (String type : vm.rollbackTypes()) {
            Button b = new Button("Rollback " + type + "…");
            b.setId("action-rollback-type-" + type);
            b.getStyleClass().add("danger");
            b.setOnAction(e -> {
                d.close();
                confirm.accept(vm.slotsRollout(x -> x.planType(type, false)));
            });
            actions.getChildren().add(b);
        }
        d.getDialogPane().setContent(new VBox(8, status, table, actions));
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        vm.releases().whenComplete((l, e) -> ui.execute(() -> {
            if (e != null) {
                status.setText("Releases: cannot be read now — " + Errors.describe(e));
                return;
            }
            table.getItems().setAll(l.releases());
            status.setText(l.releases().size() + " releases of " + (l.repositories().isEmpty() ? "(no container names the images)"
                    : String.join(", ", l.repositories())) + "; deploys and rollbacks from this workstation's audit log, the others "
                    + "from the images on the host. A rollback deploys the release to the idle slot, checks it, then switches.");
        }));
        d.show();
    }

    private static TableColumn<ReleaseHistory.Release, String> column(String name, Function<ReleaseHistory.Release, String> value) {
        TableColumn<ReleaseHistory.Release, String> c = new TableColumn<>(name);
        c.setCellValueFactory(x -> new SimpleStringProperty(value.apply(x.getValue())));
        return c;
    }
}
