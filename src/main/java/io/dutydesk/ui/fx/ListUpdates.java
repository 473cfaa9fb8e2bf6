package io.dutydesk.ui.fx;

import javafx.collections.ObservableList;

import java.util.List;
import java.util.Objects;

/**
 * A polled list shown in a table, brought to its new content with only what changed: an equal list changes nothing
 * (no list event, so no cell is updated, laid out or repainted: an idle window's polls mostly read what was there), a
 * list of the same length replaces only the rows that differ, any other is replaced whole.
 */
public final class ListUpdates {
    private ListUpdates() {}

    /**
     * Makes {@code list} equal to {@code next} in one list event, or none when equal: for a list whose view is rebuilt
     * whole at each event (the Today pane's checks), where {@link #replace}'s event per changed row rebuilt it as many times;
     * and for a {@code ListView}'s items: one row replaced keeps its index selected, so another row taking the selected
     * one's place would be selected in its stead (a table clears that selection).
     */
    public static <T> boolean replaceWhole(ObservableList<T> list, List<? extends T> next) {
        if (list.equals(next)) {
            return false;
        }
        list.setAll(next);
        return true;
    }

    /** Makes {@code list} equal to {@code next}; returns whether anything changed. FX thread (a shown list). */
    public static <T> boolean replace(ObservableList<T> list, List<? extends T> next) {
        if (list.equals(next)) {
            return false;
        }
        if (list.size() != next.size()) {
            list.setAll(next);
            return true;
        }
        for (int i = 0; i < next.size(); i++) {
            if (!Objects.equals(list.get(i), next.get(i))) {
                list.set(i, next.get(i));
            }
        }
        return true;
    }
}
