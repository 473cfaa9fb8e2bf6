package io.dutydesk.ui.fx;

import javafx.collections.ListChangeListener;
import javafx.scene.layout.Pane;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Style classes set to a state: what differs changes, nothing else (a change restyles the node's whole subtree). */
class StyleClassesTest {
    private static List<String> changes(Pane l) {
        List<String> seen = new ArrayList<>();
        l.getStyleClass().addListener((ListChangeListener<String>) c -> seen.add(c.toString()));
        return seen;
    }

    @Test
    void theSameStateTwiceChangesNothing() {
        Pane l = new Pane();
        l.getStyleClass().addAll("pane", "count");
        StyleClasses.oneOf(l, "good", "good", "bad");
        List<String> seen = changes(l);
        StyleClasses.oneOf(l, "good", "good", "bad");
        StyleClasses.toggle(l, "live", false);
        StyleClasses.oneWithPrefix(l, "cond-", null);
        StyleClasses.set(l, Set.of("good", "bad")::contains, List.of("good"));
        assertEquals(List.of(), seen, "no change for the same state");
        assertEquals(List.of("pane", "count", "good"), l.getStyleClass());
    }

    @Test
    void aNewStateReplacesOnlyItsFamily() {
        Pane l = new Pane();
        l.getStyleClass().addAll("pane", "slot-blue", "live");
        StyleClasses.oneWithPrefix(l, "slot-", "slot-green");
        assertEquals(List.of("pane", "live", "slot-green"), l.getStyleClass());
        StyleClasses.toggle(l, "live", false);
        StyleClasses.toggle(l, "stale", true);
        assertEquals(List.of("pane", "slot-green", "stale"), l.getStyleClass());
        StyleClasses.set(l, c -> c.startsWith("slot-") || c.equals("stale"), List.of());
        assertEquals(List.of("pane"), l.getStyleClass());
        StyleClasses.set(l, Set.of("alert-row", "sev-1", "suppressed")::contains, List.of("alert-row", "sev-1", "suppressed"));
        assertEquals(List.of("pane", "alert-row", "sev-1", "suppressed"), l.getStyleClass());
    }
}
