package io.dutydesk.ui.outbox;

import io.dutydesk.core.outbox.BacklogSample;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

import java.time.Duration;

/**
 * Stands where the trend chart goes until the console's one time-series chart ({@code ui/chart},
 * issue 7) is available: it says so, and what the chart would show (how many samples, over what span),
 * rather than drawing a second chart.
 */
final class TrendPlaceholder {
    private final VBox root = new VBox(6);
    private final Label summary = new Label();

    TrendPlaceholder(OutboxViewModel vm) {
        Label title = new Label("Trend (last 24 h): pending, oldest pending age, stream length, group lag");
        title.getStyleClass().add("section-title");
        Label wait = new Label("The chart is drawn by the console's shared time-series chart, which is not built yet "
                + "(Metrics pane, issue 7). The samples are already being kept.");
        wait.setWrapText(true);
        wait.getStyleClass().add("muted");
        summary.setId("trend-summary");
        root.getChildren().setAll(title, wait, summary);
        root.setId("trend-placeholder");
        root.getStyleClass().add("trend-placeholder");
        vm.history().addListener((ListChangeListener<BacklogSample>) c -> show(vm));
        show(vm);
    }

    private void show(OutboxViewModel vm) {
        var h = vm.history();
        if (h.isEmpty()) {
            summary.setText("No sample yet.");
            return;
        }
        long console = h.stream().filter(s -> s.source() == BacklogSample.Source.CONSOLE).count();
        long prometheus = h.size() - console;
        Duration span = Duration.between(h.get(0).at(), h.get(h.size() - 1).at());
        summary.setText(h.size() + " samples over " + OutboxViewModel.age(span.toSeconds()) + " (" + console + " polled by the console"
                + (prometheus > 0 ? ", " + prometheus + " from Prometheus" : "") + ")");
    }

    Node root() {
        return root;
    }
}
