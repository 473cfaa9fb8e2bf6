package io.dutydesk.ui.slots;

import io.dutydesk.ui.fx.ConfirmActionDialog;

import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.ui.fx.Theme;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A confirmation over a 1024x640 window with a header: inside the window, below the header, all of it readable. */
@ExtendWith(ApplicationExtension.class)
class ConfirmPlacementTest {
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        HBox header = new HBox(new Label("Dutydesk   ref   all 7 backends ok"));
        header.getStyleClass().add("top-bar");
        BorderPane root = new BorderPane(new Label("the pane"));
        root.setTop(header);
        Scene scene = new Scene(root, 1024, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    private static Bounds onScreen(Node n) {
        return n.localToScreen(n.getBoundsInLocal());
    }

    @Test
    void aLongPlanScrollsInsideTheWindowBelowTheHeaderWithItsButtonsReachable(FxRobot robot) throws Exception {
        List<String> blocked = new ArrayList<>();
        for (int i = 1; i <= 14; i++) {
            blocked.add("rollback to green refused: selfology-service-" + i + "-green: unhealthy (its health check has failed for "
                    + "10 minutes; the last answer was HTTP 503 from /health)");
        }
        Plan plan = new Plan("prod", Verb.ROLLBACK, Optional.empty(), "blue", "green", Optional.empty(), "traffic blue -> green",
                List.of("green 0/14 healthy", "green runs v1.0.0", "outbox pending 12"), "blue keeps running as the way back",
                blocked, Optional.empty(), false);
        AtomicReference<ConfirmActionDialog> d = new AtomicReference<>();
        robot.interact(() -> {
            ConfirmActionDialog dialog = new ConfirmActionDialog(stage, plan);
            d.set(dialog);
            dialog.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane pane = robot.lookup("#confirm-dialog").queryAs(DialogPane.class);
        Window w = pane.getScene().getWindow();
        Bounds header = onScreen(robot.lookup(".top-bar").query());
        Bounds window = new BoundingBox(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
        Bounds dialog = new BoundingBox(w.getX(), w.getY(), w.getWidth(), w.getHeight());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-long-1024x640")).get();
        assertTrue(!dialog.intersects(header), "the dialog " + dialog + " is over the header " + header);
        assertTrue(window.contains(dialog), "the dialog " + dialog + " is inside the 1024x640 window " + window);
        for (String id : List.of("#confirm-action", "#confirm-cancel")) {
            Bounds b = onScreen(robot.lookup(id).queryAs(Button.class));
            assertTrue(dialog.contains(b) && window.contains(b), id + " is reachable: " + b);
        }
        assertTrue(robot.lookup("#confirm-scroll").query().isVisible());
        robot.interact(() -> d.get().close());
    }
}
