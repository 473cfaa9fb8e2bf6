package io.dutydesk.ui.fx;

import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListUpdatesTest {
    private record Row(String name, String uptime) {}

    @Test
    void anEqualListChangesNothingAndASameLengthListOnlyTheRowsThatDiffer() {
        ObservableList<Row> list = FXCollections.observableArrayList(new Row("app", "1m"), new Row("worker", "1m"));
        Row kept = list.get(0);
        List<String> events = new ArrayList<>();
        list.addListener((ListChangeListener<Row>) c -> {
            while (c.next()) {
                events.add(c.wasReplaced() ? "replaced " + c.getFrom() + ".." + c.getTo() : c.toString());
            }
        });

        assertFalse(ListUpdates.replace(list, List.of(new Row("app", "1m"), new Row("worker", "1m"))), "the same rows, read again");
        assertEquals(List.of(), events, "no event: no cell updated");

        assertTrue(ListUpdates.replace(list, List.of(new Row("app", "1m"), new Row("worker", "2m"))));
        assertEquals(List.of("replaced 1..2"), events, "only the row that changed");
        assertSame(kept, list.get(0), "the unchanged row is the same object");

        events.clear();
        assertTrue(ListUpdates.replace(list, List.of(new Row("app", "1m"))));
        assertEquals(List.of(new Row("app", "1m")), list);
        assertEquals(1, events.size(), "another length: replaced whole, one event");
    }
}
