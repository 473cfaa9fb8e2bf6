package io.dutydesk.ui.fx;

import javafx.scene.Scene;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.skin.TextInputControlSkin;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's stylesheet gives every text field and area a caret that stops blinking a while after the last key (a
 * blinking caret is an animation: 60 pulses a second for as long as the field has the focus), drawn still then, and
 * blinking again at the next key. Read from JavaFX's own skin (its isCaretBlinking, the caret's Timeline running;
 * its caretVisible, the caret drawn: stopped, JavaFX's skin hid it).
 */
@ExtendWith(ApplicationExtension.class)
class CalmCaretTest {
    TextField field;
    PasswordField password;
    TextArea area;
    Duration saved;

    @Start
    void start(Stage stage) {
        saved = CalmCaret.blinkFor;
        CalmCaret.blinkFor = Duration.ofMillis(3000); // long beside a check just after a key, short for the test
        field = new TextField();
        field.setId("field");
        password = new PasswordField();
        area = new TextArea();
        area.setId("area");
        Scene scene = new Scene(new VBox(8, field, password, area), 400, 300);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void restore() {
        CalmCaret.blinkFor = saved;
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    /** JavaFX's skin's own answer: its caret's Timeline is running (package-private "for testing only"). */
    private static boolean blinking(TextInputControl c) throws Exception {
        return fx(() -> {
            Method m = TextInputControlSkin.class.getDeclaredMethod("isCaretBlinking");
            m.setAccessible(true);
            return (Boolean) m.invoke(c.getSkin());
        });
    }

    /** JavaFX's skin's own answer: its caret is drawn (caretVisible: focused, not in the blink's off half). */
    private static boolean caretDrawn(TextInputControl c) throws Exception {
        return fx(() -> {
            Method m = TextInputControlSkin.class.getDeclaredMethod("caretVisibleProperty");
            m.setAccessible(true);
            return ((javafx.beans.value.ObservableBooleanValue) m.invoke(c.getSkin())).get();
        });
    }

    private static void await(String what, Callable<Boolean> c) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " within 10 s");
        }
    }

    @Test
    void everyTextFieldAndAreaHasTheCalmSkin() throws Exception {
        assertInstanceOf(CalmCaret.Field.class, fx(field::getSkin));
        assertInstanceOf(CalmCaret.Field.class, fx(password::getSkin));
        assertInstanceOf(CalmCaret.Area.class, fx(area::getSkin));
    }

    @Test
    void theCaretBlinksAfterAKeyThenStopsUntilTheNext(FxRobot robot) throws Exception {
        for (TextInputControl c : new TextInputControl[] {field, area}) {
            robot.clickOn(c);
            robot.write("up");
            assertTrue(blinking(c), c.getId() + ": blinks just after the keys");
            await(c.getId() + ": stops blinking", () -> !blinking(c));
            assertTrue(fx(c::isFocused), c.getId() + ": still focused");
            assertTrue(caretDrawn(c), c.getId() + ": its caret drawn still, not hidden");
            robot.push(KeyCode.END);
            robot.write("{");
            assertTrue(blinking(c), c.getId() + ": a key starts it again");
            await(c.getId() + ": stops again", () -> !blinking(c));
            assertTrue(caretDrawn(c), c.getId() + ": drawn again once still");
        }
        // the focus elsewhere: the field left does not blink
        robot.clickOn(password);
        assertFalse(blinking(field));
        assertFalse(caretDrawn(field), "no caret in the field left");
    }
}
