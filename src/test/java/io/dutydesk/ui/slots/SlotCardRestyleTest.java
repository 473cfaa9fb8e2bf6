package io.dutydesk.ui.slots;

import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.testing.Snapshots;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poll that reads the same state changes no style class in a slot card (a change makes JavaFX style, lay out and paint the
 * card and its table again: every 5 s with nothing changed, most of an idle window's CPU); a changed state still shows.
 */
@ExtendWith(ApplicationExtension.class)
class SlotCardRestyleTest {
    private final StackPane host = new StackPane();

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(host, 900, 500));
        stage.show();
    }

    private static void watch(Node n, List<String> changes) {
        n.getStyleClass().addListener((ListChangeListener<String>) c -> changes.add(n.getClass().getSimpleName() + " " + c));
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                watch(child, changes);
            }
        }
    }

    @Test
    void theSameStateAgainRestylesNothing() throws Exception {
        SlotsSnapshot s = Snapshots.of("blue", "v1.0.0", "v0.9.0", Set.of("analysis-worker-blue"), Set.of());
        SlotCard card = WaitForAsyncUtils.asyncFx(() -> new SlotCard("blue", x -> { }, x -> { })).get();
        SlotState blue = s.slots().stream().filter(x -> x.name().equals("blue")).findFirst().orElseThrow();
        WaitForAsyncUtils.asyncFx(() -> {
            host.getChildren().setAll(card.root());
            card.show(blue, false);
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<String> changes = new ArrayList<>();
        WaitForAsyncUtils.asyncFx(() -> {
            card.root().applyCss();
            watch(card.root(), changes);
            card.show(blue, false); // the next poll: the same state (a new but equal snapshot)
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), changes, "style classes changed for the same state");

        SlotsSnapshot healed = Snapshots.of("blue", "v1.0.0", "v0.9.0", Set.of(), Set.of());
        SlotState healedBlue = healed.slots().stream().filter(x -> x.name().equals("blue")).findFirst().orElseThrow();
        WaitForAsyncUtils.asyncFx(() -> card.show(healedBlue, false)).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(changes.stream().anyMatch(c -> c.contains("good")), "a healed slot is restyled good: " + changes);
    }

    @Test
    void theSameStateReadAgainUpdatesNoRow() throws Exception {
        SlotCard card = WaitForAsyncUtils.asyncFx(() -> new SlotCard("blue", x -> { }, x -> { })).get();
        WaitForAsyncUtils.asyncFx(() -> {
            host.getChildren().setAll(card.root());
            card.show(blue(Set.of("analysis-worker-blue")), false);
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<String> fired = new ArrayList<>();
        WaitForAsyncUtils.asyncFx(() -> {
            for (SlotCard.Row r : card.table().getItems()) {
                r.state.addListener(o -> fired.add(r.container));
                r.up.addListener(o -> fired.add(r.container + " up"));
            }
            // the next poll: a new snapshot read from the server, equal to the last
            card.show(blue(Set.of("analysis-worker-blue")), false);
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), fired, "rows told of a change for an equal read (each cell would be updated and repainted)");

        WaitForAsyncUtils.asyncFx(() -> card.show(blue(Set.of()), false)).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("selfology-analysis-worker-blue"), fired, "the one row that changed, and only it");
    }

    private static SlotState blue(Set<String> unhealthy) {
        return Snapshots.of("blue", "v1.0.0", "v0.9.0", unhealthy, Set.of()).slots().stream().filter(x -> x.name().equals("blue"))
                .findFirst().orElseThrow();
    }
}
