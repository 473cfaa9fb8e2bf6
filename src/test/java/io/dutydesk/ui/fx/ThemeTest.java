package io.dutydesk.ui.fx;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Paint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The theme is AtlantaFX's binary stylesheet (.bss: no 170 KB of CSS text parsed at every launch) and styles the
 * controls exactly as its CSS text does, light and dark.
 */
@ExtendWith(ApplicationExtension.class)
class ThemeTest {
    /** A button's background and a label's text colour in a new scene styled by the user-agent sheet {@code sheet}. */
    private static List<Paint> styled(String sheet) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            Application.setUserAgentStylesheet(sheet);
            Button b = new Button("Rollback");
            Label l = new Label("live: blue");
            Scene scene = new Scene(new StackPane(new VBox(b, l)), 300, 200);
            scene.getRoot().applyCss();
            return List.<Paint>of(b.getBackground().getFills().get(b.getBackground().getFills().size() - 1).getFill(), l.getTextFill());
        }).get();
    }

    @Test
    void theBinaryThemeStylesAsItsTextDoes() throws Exception {
        boolean saved = Theme.savedDark();
        try {
            List<List<Paint>> byMode = new java.util.ArrayList<>();
            for (boolean dark : new boolean[] {false, true}) {
                String applied = WaitForAsyncUtils.asyncFx(() -> {
                    Theme.apply(new Scene(new StackPane(), 10, 10), dark);
                    return Application.getUserAgentStylesheet();
                }).get();
                assertTrue(applied.endsWith(".bss"), "the binary stylesheet: " + applied);
                List<Paint> fromBinary = styled(applied);
                List<Paint> fromText = styled(dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
                assertEquals(fromText, fromBinary, (dark ? "dark" : "light") + ": the .bss styles as the .css");
                byMode.add(fromBinary);
            }
            assertNotEquals(byMode.get(0), byMode.get(1), "dark is not light");
        } finally {
            WaitForAsyncUtils.asyncFx(() -> Theme.apply(new Scene(new StackPane(), 10, 10), saved)).get();
        }
    }
}
