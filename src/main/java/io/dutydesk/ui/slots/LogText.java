package io.dutydesk.ui.slots;

import io.dutydesk.ui.fx.TextCells;
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

    /**
     * What to add to an action's {@code log} for its {@code failure} ("✖ …"): nothing when a line says it already — a
     * refusal inside the lock is streamed as the job's own line ("✖ state changed since you confirmed: …; nothing was
     * run") and is the failure's message too —, only what the failure adds to such a line (the audit log not written)
     * as a warning, else the failure.
     */
    static java.util.List<String> failure(java.util.List<String> log, String failure) {
        for (String l : log) {
            if (l.startsWith("✖ ") && (failure.equals(l) || failure.startsWith(l + "; "))) {
                return failure.equals(l) ? java.util.List.of() : java.util.List.of("⚠ " + failure.substring(l.length() + 2));
            }
        }
        return java.util.List.of(failure);
    }

    /**
     * The action log's cells: a line longer than the log is wide wraps (the end of a refusal or an error is read
     * without scrolling sideways); the list must have no fixed cell size ({@code .log-lines.wrapped}).
     */
    static Callback<ListView<String>, ListCell<String>> wrappedCells() {
        Callback<ListView<String>, ListCell<String>> cells = cells();
        return lv -> TextCells.wrapping(cells.call(lv));
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
