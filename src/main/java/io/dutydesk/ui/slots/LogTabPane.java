package io.dutydesk.ui.slots;

import javafx.scene.Node;
import javafx.scene.control.TabPane;
import javafx.scene.layout.Region;

/**
 * The slots pane's Action log / Audit tabs. A TabPane's skin gives it no minimum height: a split above it would take
 * all the room and leave the tab headers only. This one's minimum: the headers and the first tab's content's (the
 * action log's few lines). Public with a no-argument constructor, for SlotsView.fxml and Scene Builder.
 */
public class LogTabPane extends TabPane {
    @Override
    protected double computeMinHeight(double width) {
        Node header = lookup(".tab-header-area");
        Node log = getTabs().isEmpty() ? null : getTabs().get(0).getContent();
        double content = log == null ? 0 : log.getParent() instanceof Region r
                ? r.snappedTopInset() + log.minHeight(-1) + r.snappedBottomInset() : log.minHeight(-1);
        return snappedTopInset() + (header == null ? 0 : header.prefHeight(-1)) + content + snappedBottomInset();
    }
}
