package io.dutydesk.ui.fx;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.event.Event;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A hover text made at the first hover, not when the window is built; it follows its text, and none while that is empty. */
@ExtendWith(ApplicationExtension.class)
class LazyTooltipTest {
    private final StackPane host = new StackPane();

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(host, 300, 200));
        stage.show();
    }

    private static void enter(javafx.scene.Node n) {
        Event.fireEvent(n, new MouseEvent(MouseEvent.MOUSE_ENTERED, 5, 5, 5, 5, MouseButton.NONE, 0, false, false, false, false,
                false, false, false, false, false, false, null));
    }

    private static Tooltip installed(javafx.scene.Node n) {
        return (Tooltip) n.getProperties().get("javafx.scene.control.Tooltip");
    }

    @Test
    void madeAtTheFirstHoverFollowingItsTextAndNoneWhileItIsEmpty() throws Exception {
        StringProperty text = new SimpleStringProperty("Docker: ok, answered in 4 ms");
        Label control = new Label("Docker");
        HBox plain = new HBox(new Label("SSH"));
        WaitForAsyncUtils.asyncFx(() -> {
            host.getChildren().setAll(new HBox(control, plain));
            LazyTooltip.install(control, text);
            LazyTooltip.install(plain, text, LazyTooltip.PROMPT);
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(control.getTooltip(), "no popup window made while nobody hovers");
        assertNull(installed(plain));

        WaitForAsyncUtils.asyncFx(() -> {
            enter(control);
            enter(plain);
        }).get();
        assertNotNull(control.getTooltip());
        assertEquals("Docker: ok, answered in 4 ms", control.getTooltip().getText());
        assertEquals(javafx.util.Duration.millis(200), installed(plain).getShowDelay(), "its set-up ran");

        WaitForAsyncUtils.asyncFx(() -> text.set("Docker: DOWN since 10:00:00")).get();
        assertEquals("Docker: DOWN since 10:00:00", installed(plain).getText(), "it follows its text");
        WaitForAsyncUtils.asyncFx(() -> text.set("")).get();
        assertNull(control.getTooltip(), "an empty text: no tooltip (an empty popup would show)");
        assertNull(installed(plain));
        WaitForAsyncUtils.asyncFx(() -> text.set("back")).get();
        assertEquals("back", control.getTooltip().getText());
        assertSame(control.getTooltip(), WaitForAsyncUtils.asyncFx(() -> LazyTooltip.of(control)).get(), "one tooltip, made once");
    }

    @Test
    void ofMakesItAtOnce() throws Exception {
        Label l = new Label("x");
        WaitForAsyncUtils.asyncFx(() -> LazyTooltip.install(l, "Check every backend now (Ctrl+R)")).get();
        assertNull(l.getTooltip());
        assertEquals("Check every backend now (Ctrl+R)", WaitForAsyncUtils.asyncFx(() -> LazyTooltip.of(l).getText()).get());
        assertSame(l.getTooltip(), WaitForAsyncUtils.asyncFx(() -> LazyTooltip.of(l)).get());
    }
}
