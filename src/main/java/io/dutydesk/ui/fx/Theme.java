package io.dutydesk.ui.fx;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;

import java.util.prefs.Preferences;

/** Light and dark mode: an AtlantaFX theme for the tokens plus styles/dutydesk.css for components. */
public final class Theme {
    private static final String KEY = "theme.dark";
    private static final Preferences PREFS = Preferences.userRoot().node("io/dutydesk");

    private Theme() {}

    public static boolean savedDark() {
        return PREFS.getBoolean(KEY, false);
    }

    public static void apply(Scene scene, boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheetBSS()
                : new PrimerLight().getUserAgentStylesheetBSS());
        String css = Theme.class.getResource("/io/dutydesk/styles/dutydesk.css").toExternalForm();
        if (!scene.getStylesheets().contains(css)) {
            scene.getStylesheets().add(css);
        }
        scene.getRoot().pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"), dark);
        PREFS.putBoolean(KEY, dark);
    }
}
