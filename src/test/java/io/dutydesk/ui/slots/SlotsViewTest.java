package io.dutydesk.ui.slots;

import io.dutydesk.ui.fx.ConfirmActionDialog;

import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slots pane on Monocle: what an on-call engineer reads in one glance, and the confirmations. */
@ExtendWith(ApplicationExtension.class)
class SlotsViewTest {
    SlotsViewModel vm;
    Scene scene;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        vm = new SlotsViewModel(FxThread.INSTANCE, Executors.newSingleThreadScheduledExecutor(), Clock.systemDefaultZone());
        scene = new Scene(new javafx.scene.layout.StackPane(new SlotsView(vm, FxThread.INSTANCE).root()), 1090, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void oneUnhealthyIdleServiceReadsInOneGlance(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of("analysis-worker-green"), Set.of())));
        Label live = robot.lookup("#live-badge").queryAs(Label.class);
        assertEquals("LIVE: BLUE", live.getText());
        assertTrue(live.getStyleClass().contains("slot-blue"));
        Label rb = robot.lookup("#rollback-badge").queryAs(Label.class);
        assertTrue(rb.getText().startsWith("✖ Rollback NOT ready"), rb.getText());
        assertTrue(rb.getText().contains("selfology-analysis-worker-green: unhealthy"), rb.getText());
        assertTrue(rb.getStyleClass().contains("not-ready"));
        assertEquals("LIVE", robot.lookup("#role-blue").queryAs(Label.class).getText());
        assertEquals("IDLE", robot.lookup("#role-green").queryAs(Label.class).getText());
        Label green = robot.lookup("#count-green").queryAs(Label.class);
        assertEquals("3/4 healthy", green.getText());
        assertTrue(green.getStyleClass().contains("bad"));
        assertEquals("4/4 healthy", robot.lookup("#count-blue").queryAs(Label.class).getText());
        // the table's rows are made in a layout pass, which a pulse runs some time after the state is shown: counted after one
        robot.interact(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
        });
        assertEquals(1, robot.lookup(".table-row-cell.bad").queryAll().size(), () -> "the one unhealthy row stands out: " + robot.lookup(".table-row-cell.bad").queryAll().stream().map(n -> n.getStyleClass() + " " + ((javafx.scene.control.TableRow<?>) n).getItem()).toList());
        assertTrue(robot.lookup("unhealthy").tryQuery().isPresent());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "slots-one-unhealthy")).get();
    }

    @Test
    void readyRollbackSaysSoWithTheTarget(FxRobot robot) {
        robot.interact(() -> vm.show(Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of())));
        Label rb = robot.lookup("#rollback-badge").queryAs(Label.class);
        assertEquals("✔ Rollback ready: blue 4/4 healthy", rb.getText());
        assertTrue(rb.getStyleClass().contains("ready"));
        assertEquals("LIVE: GREEN", robot.lookup("#live-badge").queryAs(Label.class).getText());
    }

    @Test
    void aCleanedUpIdleSlotIsNotARollbackTarget(FxRobot robot) {
        robot.interact(() -> vm.show(Snapshots.of("blue", "v1.0.0", "", Set.of(), Set.of("green"))));
        Label rb = robot.lookup("#rollback-badge").queryAs(Label.class);
        assertTrue(rb.getText().contains("the green slot has no containers"), rb.getText());
        assertEquals("empty", robot.lookup("#count-green").queryAs(Label.class).getText());
    }

    private static Plan rollback(List<String> blocked) {
        return new Plan("prod", Verb.ROLLBACK, Optional.empty(), "blue", "green", Optional.empty(), "traffic blue -> green",
                List.of("green 4/4 healthy", "green runs v1.0.0", "outbox pending 12"), "blue keeps running as the way back",
                blocked, Optional.empty(), false);
    }

    private DialogPane open(FxRobot robot, Plan plan, AtomicReference<ConfirmActionDialog> dialog) {
        robot.interact(() -> {
            ConfirmActionDialog d = new ConfirmActionDialog(stage, plan);
            dialog.set(d);
            d.show();
        });
        return robot.lookup("#confirm-dialog").queryAs(DialogPane.class);
    }

    @Test
    void theConfirmationStatesWhatWillHappenAndTheFacts(FxRobot robot) throws Exception {
        AtomicReference<ConfirmActionDialog> d = new AtomicReference<>();
        DialogPane pane = open(robot, rollback(List.of()), d);
        assertEquals("prod: roll back, traffic blue → green?", pane.getHeaderText());
        assertEquals("Environment: prod   ·   live now: blue", robot.lookup("#confirm-environment").queryAs(Label.class).getText());
        assertTrue(robot.lookup("•  green 4/4 healthy").tryQuery().isPresent());
        assertTrue(robot.lookup("•  outbox pending 12").tryQuery().isPresent());
        assertTrue(robot.lookup("Risk: blue keeps running as the way back").tryQuery().isPresent());
        Button ok = (Button) pane.lookupButton(d.get().confirm);
        assertEquals("_Roll back to green", ok.getText());
        assertTrue(ok.isMnemonicParsing(), "Alt+R");
        assertFalse(ok.isDisabled());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-rollback")).get();
        robot.interact(ok::fire);
        assertNotNull(d.get().getResult());
        assertFalse(d.get().getResult().forced());
    }

    @Test
    void aBlockedRollbackCanOnlyBeForcedOnPurpose(FxRobot robot) {
        AtomicReference<ConfirmActionDialog> d = new AtomicReference<>();
        DialogPane pane = open(robot, rollback(List.of("rollback to green refused: selfology-analysis-worker-green: unhealthy")), d);
        assertTrue(robot.lookup("✖  rollback to green refused: selfology-analysis-worker-green: unhealthy").tryQuery().isPresent());
        Button ok = (Button) pane.lookupButton(d.get().confirm);
        assertTrue(ok.isDisabled(), "blocked: no confirm without force");
        assertFalse(ok.isDefaultButton());
        robot.interact(() -> robot.lookup("#force").queryAs(CheckBox.class).setSelected(true));
        assertFalse(ok.isDisabled());
        robot.interact(ok::fire);
        assertTrue(d.get().getResult().forced());
    }

    @Test
    void cleanupNeedsTheSlotNameTyped(FxRobot robot) throws Exception {
        Plan cleanup = new Plan("prod", Verb.CLEANUP, Optional.empty(), "blue", "green", Optional.of("green"), "clean up green (idle)",
                List.of("4 containers of green (v1.0.0) will be stopped and removed", "blue 4/4 healthy stays live"),
                "destroys the rollback target: no rollback until the next deploy", List.of(), Optional.of("green"), false);
        AtomicReference<ConfirmActionDialog> d = new AtomicReference<>();
        DialogPane pane = open(robot, cleanup, d);
        Button ok = (Button) pane.lookupButton(d.get().confirm);
        TextField typed = robot.lookup("#typed-confirmation").queryAs(TextField.class);
        assertTrue(ok.isDisabled());
        robot.interact(() -> typed.setText("gren"));
        assertTrue(ok.isDisabled(), "a typo does not confirm");
        robot.interact(() -> typed.setText("green"));
        assertFalse(ok.isDisabled());
        assertFalse(ok.isDefaultButton(), "Enter does not destroy the rollback target");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-cleanup")).get();
        robot.interact(ok::fire);
        assertEquals(Verb.CLEANUP, d.get().getResult().verb());
    }

    @Test
    void enterOnTheRollbackConfirmationDoesNotRollBack(FxRobot robot) {
        AtomicReference<ConfirmActionDialog> d = new AtomicReference<>();
        DialogPane pane = open(robot, rollback(List.of()), d);
        Button ok = (Button) pane.lookupButton(d.get().confirm);
        Button cancel = robot.lookup("#confirm-cancel").queryAs(Button.class);
        assertFalse(ok.isDefaultButton(), "the action is never the default button");
        assertTrue(cancel.isDefaultButton(), "Cancel is");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(cancel.isFocused(), "the focus starts on Cancel");
        robot.type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(d.get().isShowing(), "Enter closed the dialog");
        assertEquals(null, d.get().getResult(), "Enter cancels: nothing runs");
    }

    @Test
    void theMnemonicRunsTheAction(FxRobot robot) {
        AtomicReference<ConfirmActionDialog> d = new AtomicReference<>();
        open(robot, rollback(List.of()), d);
        WaitForAsyncUtils.waitForFxEvents();
        robot.press(javafx.scene.input.KeyCode.ALT).type(javafx.scene.input.KeyCode.R).release(javafx.scene.input.KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(d.get().isShowing());
        assertNotNull(d.get().getResult(), "Alt+R confirms the rollback");
        assertEquals("prod", d.get().getResult().environment());
    }

    @Test
    void everyActionsConfirmationDefaultsToCancel(FxRobot robot) {
        for (Verb v : Verb.values()) {
            Plan p = new Plan("prod", v, v == Verb.DEPLOY ? Optional.of("v1.2.0") : Optional.empty(), "blue", "green",
                    v == Verb.CLEANUP ? Optional.of("green") : Optional.empty(), "h", List.of(), "r", List.of(),
                    v == Verb.CLEANUP ? Optional.of("green") : Optional.empty(), false);
            AtomicReference<ConfirmActionDialog> d = new AtomicReference<>();
            DialogPane pane = open(robot, p, d);
            Button ok = (Button) pane.lookupButton(d.get().confirm);
            assertFalse(ok.isDefaultButton(), v + ": the action is not the default");
            assertTrue(ok.getText().contains("_"), v + ": the action has a mnemonic: " + ok.getText());
            assertTrue(robot.lookup("#confirm-cancel").queryAs(Button.class).isDefaultButton(), v + ": Cancel is the default");
            robot.interact(() -> d.get().close());
        }
    }
}
