package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.ports.ContainersPort;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.concurrent.Executor;

/** A container's last lines, optionally followed, in a window of its own; closing it stops the stream. */
final class LogsWindow {
    private static final int TAIL = 200;
    private static final int MAX = 10_000;

    private LogsWindow() {}

    static Stage open(Window owner, ContainersPort containers, String container, Executor ui) {
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle("Logs — " + container);
        ListView<String> lines = new ListView<>();
        // the end kept in view once per pulse, as the panes' logs do (a scroll per streamed line was a layout per line)
        io.dutydesk.ui.fx.TextCells.followEnd(lines, lines.getItems());
        lines.getStyleClass().add("log-lines");
        lines.setId("logs-lines");
        lines.setCellFactory(LogText.cells());
        CheckBox follow = new CheckBox("Follow");
        follow.setId("logs-follow");
        follow.setSelected(true); // what one opens a container's logs for: what it is doing now
        Label status = new Label();
        BorderPane root = new BorderPane(lines);
        HBox bar = new HBox(12, follow, status);
        bar.getStyleClass().add("logs-bar");
        root.setTop(bar);
        Scene scene = new Scene(root, 900, 520);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        // Escape closes, as any secondary window; closing stops the stream (setOnHidden below)
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> { // a filter: the list would consume Escape
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE) {
                e.consume();
                stage.close();
            }
        });
        stage.setScene(scene);
        AutoCloseable[] stream = new AutoCloseable[1];
        Runnable load = () -> {
            close(stream);
            lines.getItems().clear();
            status.setText(follow.isSelected() ? "following the last " + TAIL + " lines…" : "last " + TAIL + " lines");
            containers.logs(container, TAIL, follow.isSelected(), (stderr, l) -> ui.execute(() -> {
                lines.getItems().add(l);
                if (lines.getItems().size() > MAX) {
                    lines.getItems().remove(0);
                }
            })).whenComplete((h, e) -> ui.execute(() -> {
                if (e != null) {
                    status.setText("could not read the logs: " + Errors.describe(e));
                } else {
                    stream[0] = h;
                    h.ended().whenComplete((v, x) -> ui.execute(() -> {
                        if (stream[0] == h && follow.isSelected()) {
                            status.setText(x == null ? "the stream ended: the container stopped or restarted (tick Follow again to resume)"
                                    : "the stream broke: " + Errors.describe(x));
                        }
                    }));
                }
            }));
        };
        follow.selectedProperty().addListener((o, a, b) -> load.run());
        stage.setOnHidden(e -> close(stream));
        load.run();
        stage.show();
        return stage;
    }

    private static void close(AutoCloseable[] stream) {
        if (stream[0] != null) {
            try {
                stream[0].close();
            } catch (Exception ignored) {
                // the stream is gone already
            }
            stream[0] = null;
        }
    }
}
