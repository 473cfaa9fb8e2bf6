package io.dutydesk.ui.slots;

import io.dutydesk.ui.fx.ConfirmActionDialog;

import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.ui.fx.Theme;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.shape.PathElement;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The confirmations as the window trial met them, over a 1024x640 window with the header: sized to their content
 * inside the window, the environment, the messages, the field to type in and the buttons always on the screen,
 * one message once the plan changed, the focus in the field. Everything is read from the rendered nodes.
 */
@ExtendWith(ApplicationExtension.class)
class ConfirmLayoutTest {
    Stage stage;
    final AtomicReference<ConfirmActionDialog> open = new AtomicReference<>();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        HBox header = new HBox(new Label("Dutydesk   ref   all 7 backends ok"));
        header.getStyleClass().add("top-bar");
        header.setMinHeight(52);
        BorderPane root = new BorderPane(new Label("the pane"));
        root.setTop(header);
        Scene scene = new Scene(root, 1024, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        if (open.get() != null) {
            robot.interact(() -> open.get().close());
        }
    }

    static Bounds onScreen(Node n) {
        return n.localToScreen(n.getBoundsInLocal());
    }

    Bounds window() {
        return new BoundingBox(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
    }

    static Bounds dialog(Window w) {
        return new BoundingBox(w.getX(), w.getY(), w.getWidth(), w.getHeight());
    }

    /** What a label draws: its text node's text, with "…" where the skin cut it. */
    static String rendered(Labeled l) {
        return String.join("", l.lookupAll(".text").stream().filter(Text.class::isInstance).map(n -> ((Text) n).getText()).toList());
    }

    /** The y of the line character {@code i} of a label's drawn text is on. */
    static double lineOf(Labeled l, int i) {
        Text t = (Text) l.lookupAll(".text").stream().filter(Text.class::isInstance).findFirst().orElseThrow();
        PathElement[] caret = t.caretShape(i, true);
        return ((javafx.scene.shape.MoveTo) caret[0]).getY();
    }

    /** {@code n} is drawn inside the dialog's visible area and inside the 1024x640 window. */
    void fullyShown(Node n, Window dialogWindow, String what) {
        Bounds b = onScreen(n);
        assertTrue(n.isVisible() && b != null, what + " is shown");
        assertTrue(dialog(dialogWindow).contains(b), what + " " + b + " is inside the dialog " + dialog(dialogWindow));
        assertTrue(window().contains(b), what + " " + b + " is inside the window " + window());
    }

    /** {@code n} lies inside the scroll's viewport as it is scrolled now (no scrolling needed to read it). */
    static void inViewport(Node n, ScrollPane scroll, String what) {
        Bounds viewport = scroll.localToScreen(scroll.getLayoutBounds());
        Bounds b = onScreen(n);
        assertTrue(b.getMinY() >= viewport.getMinY() - 0.5 && b.getMaxY() <= viewport.getMaxY() + 0.5,
                what + " " + b + " is inside the viewport " + viewport + " without scrolling");
    }

    static Plan rollback(List<String> facts, List<String> blocked) {
        return new Plan("ref", Verb.ROLLBACK, Optional.empty(), "blue", "green", Optional.empty(), "traffic blue -> green",
                facts, "blue keeps running as the way back", blocked, Optional.empty(), false);
    }

    /**
     * 11-/12-/13-rollback-confirm: the target turns unhealthy while the confirmation is open. It grows to show all of
     * it, says it in ONE message, and offers no force box (which could be ticked but would do nothing).
     */
    @Test
    void whenThePlanChangesTheDialogGrowsAndSaysItOnceWithoutAForceThatDoesNothing(FxRobot robot) throws Exception {
        SimpleObjectProperty<Plan> plan = new SimpleObjectProperty<>(rollback(List.of("green 4/4 healthy", "green runs v0.9.0",
                "outbox pending 5"), List.of()));
        SimpleStringProperty changed = new SimpleStringProperty("");
        robot.interact(() -> {
            open.set(new ConfirmActionDialog(stage, plan, changed, new SimpleStringProperty("")));
            open.get().show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane pane = robot.lookup("#confirm-dialog").queryAs(DialogPane.class);
        Window w = pane.getScene().getWindow();
        double before = w.getHeight();
        Button ok = robot.lookup("#confirm-action").queryAs(Button.class);
        assertFalse(ok.isDisabled());

        robot.interact(() -> {
            plan.set(rollback(List.of("green 3/4 healthy", "green runs v0.9.0", "live blue itself only 3/4 healthy "
                    + "(selfology-analysis-worker-blue: unhealthy)", "outbox pending 5"),
                    List.of("rollback to green refused: selfology-analysis-worker-green: unhealthy")));
            changed.set("the green slot is now unhealthy (selfology-analysis-worker-green: unhealthy)");
        });
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-rollback-changed-1024x640")).get();
        assertTrue(w.getHeight() > before, "the dialog grew with its content: " + before + " -> " + w.getHeight());
        assertTrue(window().contains(dialog(w)), "and stays inside the window: " + dialog(w));

        List<String> red = new ArrayList<>();
        robot.interact(() -> pane.lookupAll(".blocked").stream().filter(Node::isVisible)
                .filter(n -> n.getParent() == null || n.getParent().isVisible()).forEach(n -> red.add(((Labeled) n).getText())));
        assertEquals(List.of("✖  State changed since this was planned: the green slot is now unhealthy "
                + "(selfology-analysis-worker-green: unhealthy); cancel and plan again."), red, "one message, not two");
        Label msg = robot.lookup("#confirm-changed").queryAs(Label.class);
        fullyShown(msg, w, "the message");
        assertFalse(rendered(msg).contains("…"), rendered(msg));
        CheckBox force = robot.lookup("#force").queryAs(CheckBox.class);
        assertFalse(force.isVisible(), "no force box once the plan changed: the button stays disabled whatever it says");
        assertTrue(ok.isDisabled());

        ScrollPane scroll = robot.lookup("#confirm-scroll").queryAs(ScrollPane.class);
        for (Node fact : pane.lookupAll(".fact")) {
            inViewport(fact, scroll, ((Labeled) fact).getText());
            fullyShown(fact, w, ((Labeled) fact).getText());
        }
        Label risk = (Label) pane.lookup(".risk");
        inViewport(risk, scroll, "the risk");
        fullyShown(robot.lookup("#confirm-environment").query(), w, "the environment");
        fullyShown(ok, w, "the action");
        fullyShown(robot.lookup("#confirm-cancel").query(), w, "Cancel");

        // it holds again: the blocker and its force box are the plan's own again only when it is blocked and unchanged
        robot.interact(() -> changed.set(""));
        assertTrue(force.isVisible(), "a plan blocked from the start keeps its way out");
        robot.interact(() -> force.setSelected(true));
        assertFalse(ok.isDisabled());
    }

    /** 33-/36-/99-/101-restore-confirm: a long restore confirmation at 1024x640. */
    @Test
    void aLongRestoreConfirmationKeepsTheEnvironmentTheFieldAndTheButtonsOnScreenWithTheFocusInTheField(FxRobot robot)
            throws Exception {
        List<String> facts = List.of(
                "selfology_full_20261203_020000.sql.gz — full, 495.2 KiB, taken 2026-12-03 02:00:00 UTC (10.3 h ago)",
                "job bound: none: runs until it ends (backups.restoreTimeoutSeconds not set; deploy.actionTimeoutSeconds does not apply)",
                "verification: ok at 2026-12-03 12:11:39 UTC for this very file (same size and time): reused, not run again — gzip -t: "
                        + "intact; plain SQL: pg_dump header, 1 COPY blocks terminated, completion footer; sha256 matches "
                        + "selfology_full_20261203_020000.sql.gz.sha256",
                "first a safety backup of the live selfology into /tmp/dutydesk-refhost/srv/backups (built in, kind pre-restore, "
                        + "pre-restore backups older than 90 days pruned): the free space is checked against the database's size, "
                        + "the file verified complete; no restore if any of it fails",
                "then the live database selfology is replaced by the backup, detached on the server under the deploy lock",
                "force: not needed",
                "one more line so that it cannot all fit: " + "the quick brown fox jumps over the lazy dog ".repeat(6),
                "and another: " + "the quick brown fox jumps over the lazy dog ".repeat(6));
        robot.interact(() -> {
            open.set(new ConfirmActionDialog(stage, new ConfirmActionDialog.Request("ref", "Confirm restore on ref",
                    "Replace the live database of ref with selfology_full_20261203_020000.sql.gz?", facts,
                    "everything written since 2026-12-03 02:00 is lost from the live database (it stays in the safety backup)",
                    Optional.of("ref"), "_Restore ref")));
            open.get().show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane pane = robot.lookup("#confirm-dialog").queryAs(DialogPane.class);
        Window w = pane.getScene().getWindow();
        TextField typed = robot.lookup("#typed-confirmation").queryAs(TextField.class);
        Label env = robot.lookup("#confirm-environment").queryAs(Label.class);
        assertEquals("Environment: ref", env.getText(), "spelt as it must be typed");
        assertEquals("Type ref to confirm:", robot.lookup("#typed-label").queryAs(Label.class).getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-restore-1024x640")).get();

        assertTrue(window().contains(dialog(w)), "inside the window: " + dialog(w));
        Bounds header = onScreen(robot.lookup(".top-bar").query());
        assertFalse(dialog(w).intersects(header), "not over the header");
        fullyShown(env, w, "the environment");
        fullyShown(typed, w, "the field to type in");
        fullyShown(robot.lookup("#typed-label").query(), w, "what to type");
        fullyShown(robot.lookup("#confirm-action").query(), w, "the action");
        fullyShown(robot.lookup("#confirm-cancel").query(), w, "Cancel");
        ScrollPane scroll = robot.lookup("#confirm-scroll").queryAs(ScrollPane.class);
        assertTrue(scroll.getContent().getLayoutBounds().getHeight() > scroll.getViewportBounds().getHeight(),
                "too long for the window: the facts scroll");

        // scrolled to the end, the environment and the field are still there
        robot.interact(() -> scroll.setVvalue(scroll.getVmax()));
        WaitForAsyncUtils.waitForFxEvents();
        fullyShown(env, w, "the environment, scrolled");
        fullyShown(typed, w, "the field, scrolled");

        // typing right after it opened goes into the field
        assertTrue(typed.isFocused(), "the focus is in the field; focus owner: " + pane.getScene().getFocusOwner());
        // key presses go to the window that has the keyboard, as a user's do (write() would pick a target window itself)
        robot.type(javafx.scene.input.KeyCode.R, javafx.scene.input.KeyCode.E, javafx.scene.input.KeyCode.F);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("ref", typed.getText(), "dialog focused " + w.isFocused() + ", window focused " + stage.isFocused());
        assertFalse(robot.lookup("#confirm-action").queryAs(Button.class).isDisabled());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-restore-typed-1024x640")).get();
    }

    /** A short confirmation is as tall as its content: no scrolling, no empty space. */
    @Test
    void aShortConfirmationIsSizedToItsContentWithNothingToScroll(FxRobot robot) throws Exception {
        robot.interact(() -> {
            open.set(new ConfirmActionDialog(stage, rollback(List.of("green 4/4 healthy", "green runs v0.9.0", "outbox pending 5"),
                    List.of())));
            open.get().show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane pane = robot.lookup("#confirm-dialog").queryAs(DialogPane.class);
        ScrollPane scroll = robot.lookup("#confirm-scroll").queryAs(ScrollPane.class);
        double content = scroll.getContent().getLayoutBounds().getHeight();
        double viewport = scroll.getViewportBounds().getHeight();
        assertTrue(content <= viewport + 0.5, "all of it shows: content " + content + ", viewport " + viewport);
        assertTrue(viewport - content < 24, "and no empty space below it: content " + content + ", viewport " + viewport);
        assertTrue(robot.lookup("#confirm-cancel").queryAs(Button.class).isFocused(), "Cancel has the focus");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-rollback-1024x640")).get();
    }

    /** 47-remove-leftovers-confirm: the bullet was alone on its line and the path broken mid-name. */
    @Test
    void aLeftoverFactKeepsItsBulletWithItsNameAndTheNameOnOneLine(FxRobot robot) throws Exception {
        String name = "selfology_full_20261203_110000.sql.gz.part";
        robot.interact(() -> {
            open.set(new ConfirmActionDialog(stage, io.dutydesk.ui.backups.BackupsView.leftoversRequest("ref", List.of(
                    new io.dutydesk.core.backups.Leftover(name, "/tmp/dutydesk-refhost/srv/backups", "/tmp/dutydesk-refhost/srv/backups/"
                            + name, 300_000, java.time.Instant.parse("2026-12-03T11:12:00Z"))))));
            open.get().show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        Labeled fact = (Labeled) robot.lookup("#confirm-dialog").queryAs(DialogPane.class).lookup(".fact");
        List<Double> lines = new ArrayList<>();
        robot.interact(() -> {
            lines.add(lineOf(fact, 0));
            lines.add(lineOf(fact, 3));
            lines.add(lineOf(fact, 3 + name.length() - 1));
        });
        assertEquals(lines.get(0), lines.get(1), "the bullet and the name start on one line");
        assertEquals(lines.get(1), lines.get(2), "the name is not broken");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(fact.getScene(), "confirm-remove-leftovers-1024x640")).get();
    }
}
