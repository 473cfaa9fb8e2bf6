package io.dutydesk.ui.doctor;

import io.dutydesk.core.doctor.Check;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The "Check configuration…" window: the doctor's results as they arrive, problems with their fix. */
public final class DoctorDialog {
    private final Stage stage = new Stage();
    private final DoctorViewModel vm;

    public DoctorDialog(Window owner, DoctorViewModel vm, String env, Runnable again) {
        this.vm = vm;
        stage.initOwner(owner);
        stage.setTitle("Check configuration — " + env);
        ListView<Check> list = new ListView<>(vm.results());
        list.setId("doctor-results");
        list.setCellFactory(lv -> new ListCell<>() {
            @Override
            protected void updateItem(Check c, boolean empty) {
                super.updateItem(c, empty);
                getStyleClass().removeAll("doctor-ok", "doctor-problem");
                if (empty || c == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Label badge = new Label(c.ok() ? "ok" : "problem");
                badge.getStyleClass().addAll("env-summary", c.ok() ? "ok" : "misconfigured");
                badge.setMinWidth(Region.USE_PREF_SIZE);
                badge.setPrefWidth(90);
                badge.setAlignment(javafx.geometry.Pos.CENTER);
                // every word shown: the text wraps to the list's width (no ellipsis), the fix on its own line
                Label text = new Label(DoctorViewModel.text(c));
                text.setWrapText(true);
                text.maxWidthProperty().bind(lv.widthProperty().subtract(140));
                text.setMinHeight(Region.USE_PREF_SIZE);
                HBox row = new HBox(10, badge, text);
                setText(null);
                setGraphic(row);
                getStyleClass().add(c.ok() ? "doctor-ok" : "doctor-problem");
            }
        });
        Label summary = new Label();
        summary.setId("doctor-summary");
        summary.textProperty().bind(vm.summaryProperty());
        Button rerun = new Button("Check again");
        rerun.setId("doctor-again");
        rerun.disableProperty().bind(vm.runningProperty());
        rerun.setOnAction(e -> again.run());
        Button close = new Button("Close");
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bottom = new HBox(8, summary, spacer, rerun, close);
        bottom.setPadding(new Insets(8));
        BorderPane root = new BorderPane(list, null, null, bottom, null);
        root.getStyleClass().add("doctor-dialog");
        Scene scene = new Scene(root, 820, 560);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            root.getStyleClass().addAll(owner.getScene().getRoot().getStyleClass());
        }
        stage.setScene(scene);
    }

    public boolean showing() {
        return stage.isShowing();
    }

    /** Shows the window for {@code env} (the one whose checks run now). */
    public void show(String env) {
        stage.setTitle("Check configuration — " + env);
        stage.show();
        stage.toFront();
    }

    public DoctorViewModel viewModel() {
        return vm;
    }
}
