package io.dutydesk.ui.fx;

import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A label of a pane that polls while hidden says its text only while the pane is shown; shown again, the latest. */
@ExtendWith(ApplicationExtension.class)
class WhileShownTest {
    private final StackPane host = new StackPane();

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(host, 300, 200));
        stage.show();
    }

    @Test
    void hiddenTheLabelKeepsWhatItSaidShownItSaysTheLatest() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            Label l = new Label();
            host.getChildren().add(l);
            SimpleStringProperty text = new SimpleStringProperty("read at 10:00:00");
            SimpleBooleanProperty shown = new SimpleBooleanProperty(true);
            WhileShown.text(l, text, shown);
            assertEquals("read at 10:00:00", l.getText(), "at once");
            text.set("read at 10:00:05");
            assertEquals("read at 10:00:05", l.getText(), "shown: follows");
            shown.set(false);
            text.set("read at 10:00:10");
            text.set("read at 10:00:15");
            assertEquals("read at 10:00:05", l.getText(), "hidden: not redrawn");
            shown.set(true);
            assertEquals("read at 10:00:15", l.getText(), "shown again: the latest at once");
        }).get();
    }
}
