package io.dutydesk.ui.slots;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.util.Callback;

/**
 * Script output as shown: the runbook's emoji (✅ ❌ ⚠️ 🚀) become symbols the monospace font has.
 * Display only: the audit digest is taken of the raw output.
 */
final class LogText {
    private LogText() {}

    static String display(String line) {
        return line.replace("✅", "✔").replace("❌", "✖").replace("⚠️", "⚠").replace("\uFE0F", "")
                .replace("🚀", "»").replace("⛔", "✖");
    }

    static Callback<ListView<String>, ListCell<String>> cells() {
        return lv -> new ListCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : display(s));
                getStyleClass().removeAll("ok-line", "bad-line");
                if (!empty && s != null) {
                    if (s.contains("✅") || s.startsWith("✔")) {
                        getStyleClass().add("ok-line");
                    } else if (s.contains("❌") || s.startsWith("✖")) {
                        getStyleClass().add("bad-line");
                    }
                }
            }
        };
    }
}
