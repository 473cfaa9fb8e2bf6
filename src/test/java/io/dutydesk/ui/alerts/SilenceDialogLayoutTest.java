package io.dutydesk.ui.alerts;

import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The silence dialog over a window at its minimum size (1024x640), as the app shows it: every choice readable. */
@ExtendWith(ApplicationExtension.class)
class SilenceDialogLayoutTest {
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Scene scene = new Scene(new StackPane(), 1024, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    /** What a label draws: its text node's text, "…" where the skin cut it. */
    static String rendered(Labeled l) {
        return String.join("", l.lookupAll(".text").stream().filter(Text.class::isInstance).map(n -> ((Text) n).getText()).toList());
    }

    @Test
    void theDurationChoicesShowTheirWholeTextAt1024x640(FxRobot robot) throws Exception {
        AtomicReference<SilenceDialog> dialog = new AtomicReference<>();
        // a real ServiceDown's labels, as the dialog prefills them
        List<Matcher> prefill = List.of(Matcher.eq("alertname", "ServiceDown"), Matcher.eq("instance", "127.0.0.1:24104"),
                Matcher.eq("job", "services"), Matcher.eq("service", "analysis-worker"), Matcher.eq("severity", "critical"),
                Matcher.eq("slot", "green"));
        robot.interact(() -> {
            dialog.set(new SilenceDialog(stage, prefill, "oncall@laptop-of-someone", "ref", Clock.systemDefaultZone(),
                    r -> new CompletableFuture<>()));
            dialog.get().show();
        });
        WaitForAsyncUtils.waitForFxEvents();
        SilenceDialog d = dialog.get();
        List<String> shown = new ArrayList<>();
        robot.interact(() -> {
            for (Labeled choice : List.of(d.oneHour, d.fourHours, d.tomorrow, d.custom)) {
                shown.add(rendered(choice));
            }
        });
        assertEquals(List.of("1 h", "4 h", "until 09:00 tomorrow", "custom"), shown);
        // the window trial: the environment was named only in the title bar, and the last matchers were cut off
        assertEquals("Environment: ref", rendered(d.environment), "the environment is named inside the dialog");
        assertTrue(d.getHeaderText().contains(" ref:"), d.getHeaderText());
        AtomicReference<String> why = new AtomicReference<>();
        robot.interact(() -> {
            javafx.scene.control.ScrollPane sp = (javafx.scene.control.ScrollPane) d.matchers.lookup(".scroll-pane");
            if (sp == null) {
                why.set("the matchers are one line: " + d.matchers);
                return;
            }
            double content = sp.getContent().getLayoutBounds().getHeight();
            double viewport = sp.getViewportBounds().getHeight();
            if (content > viewport + 0.5) {
                why.set("the matchers need " + content + " px, " + viewport + " shown");
            }
        });
        assertEquals(null, why.get(), "every matcher is shown without scrolling");
        assertTrue(d.matchers.getText().endsWith("slot=\"green\""), d.matchers.getText());
        // a line break typed or pasted stays one line of matchers
        robot.interact(() -> d.matchers.setText("alertname=\"ServiceDown\",\nslot=\"green\""));
        assertEquals("alertname=\"ServiceDown\", slot=\"green\"", d.matchers.getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(d.getDialogPane().getScene(), "alerts-silence-dialog-1024x640")).get();
        robot.interact(d::close);
    }
}
