package io.dutydesk.it;

import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.ui.fx.ConfirmActionDialog;
import io.dutydesk.ui.fx.Theme;
import javafx.application.Platform;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The program {@link ConfirmGrowsIT} runs on a real display (GTK glass): a window of {@code W H} at 0,0 with the header,
 * a rollback's confirmation that follows the plan over it; "change" on stdin makes the state change while it is open
 * (the "✖ State changed since this was planned …" line appears). It prints where JavaFX put things, in screen pixels:
 * {@code shown dialog=x,y,w,h} and {@code changed dialog=… buttons=x,y,w,h} (both buttons' box).
 */
public final class ConfirmGrowsWindow {
    public static final String TITLE = "Confirm rollback on ref";

    private ConfirmGrowsWindow() {}

    public static void main(String[] args) throws Exception {
        int width = Integer.parseInt(args[0]);
        int height = Integer.parseInt(args[1]);
        SimpleStringProperty changed = new SimpleStringProperty("");
        Window[] dialog = new Window[1];
        Platform.startup(() -> {
            HBox header = new HBox(new Label("Dutydesk   ref   all 7 backends ok"));
            header.getStyleClass().add("top-bar");
            header.setMinHeight(52);
            BorderPane root = new BorderPane(new Label("the pane"));
            root.setTop(header);
            Stage stage = new Stage();
            Scene scene = new Scene(root, width, height);
            Theme.apply(scene, false);
            stage.setScene(scene);
            stage.setX(0);
            stage.setY(0);
            stage.show();
            Plan plan = new Plan("ref", Verb.ROLLBACK, Optional.empty(), "blue", "green", Optional.empty(), "traffic blue -> green",
                    List.of("green 4/4 healthy", "green runs v0.9.0", "outbox pending 5"), "blue keeps running as the way back",
                    List.of(), Optional.empty(), false);
            ConfirmActionDialog d = new ConfirmActionDialog(stage, new SimpleObjectProperty<>(plan), changed, new SimpleStringProperty(""));
            javafx.event.EventHandler<javafx.scene.control.DialogEvent> fit = d.getOnShown();
            d.setOnShown(e -> {
                fit.handle(e); // its own: sized to its content
                dialog[0] = d.getDialogPane().getScene().getWindow();
                Platform.runLater(() -> System.out.println("shown dialog=" + box(dialog[0])));
            });
            d.show();
        });
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String l; (l = in.readLine()) != null; ) {
            if (l.equals("change")) {
                Platform.runLater(() -> {
                    changed.set("the green slot is now unhealthy (selfology-analysis-worker-green: unhealthy)");
                    Platform.runLater(() -> { // laid out at the next pulse
                        Node ok = dialog[0].getScene().lookup("#confirm-action");
                        Node cancel = dialog[0].getScene().lookup("#confirm-cancel");
                        Bounds a = ok.localToScreen(ok.getBoundsInLocal());
                        Bounds b = cancel.localToScreen(cancel.getBoundsInLocal());
                        double x = Math.min(a.getMinX(), b.getMinX());
                        double y = Math.min(a.getMinY(), b.getMinY());
                        System.out.println("changed dialog=" + box(dialog[0]) + " buttons=" + Math.round(x) + "," + Math.round(y) + ","
                                + Math.round(Math.max(a.getMaxX(), b.getMaxX()) - x) + "," + Math.round(Math.max(a.getMaxY(), b.getMaxY()) - y));
                    });
                });
            }
        }
        Platform.exit();
    }

    private static String box(Window w) {
        return Math.round(w.getX()) + "," + Math.round(w.getY()) + "," + Math.round(w.getWidth()) + "," + Math.round(w.getHeight());
    }
}
