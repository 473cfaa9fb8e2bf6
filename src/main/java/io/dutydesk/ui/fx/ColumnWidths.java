package io.dutydesk.ui.fx;

import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.Callback;

import java.util.List;

/**
 * A table's columns fill its width the same way whatever the way there (a window made narrow then wide again, a list
 * gone stale and back): each column its preferred width when there is room, the {@code flex} column taking what is left
 * over; short of room, the flex column gives way first down to its minimum, then every other column in proportion to
 * what it can give (preferred − minimum). Below the sum of the minimums the table scrolls. Dragging a column's edge sets
 * its preferred width.
 */
public final class ColumnWidths {
    /** Room beside a cell's text: the cell's padding and the table's rounding. */
    public static final double CELL_PADDING = 24;

    private ColumnWidths() {
    }

    /** The font {@code table}'s cells draw their text in (before any row: its placeholder's, else the default). */
    public static javafx.scene.text.Font cellFont(TableView<?> table) {
        return table.lookupAll(".table-cell").stream().flatMap(c -> c.lookupAll(".text").stream())
                .filter(t -> t instanceof javafx.scene.text.Text).map(t -> ((javafx.scene.text.Text) t).getFont()).findFirst()
                .orElse(table.getPlaceholder() instanceof javafx.scene.control.Labeled l ? l.getFont() : javafx.scene.text.Font.getDefault());
    }

    /** A column's width that draws the widest of {@code texts} in {@code font} whole, with the cell's padding; at least {@code min}. */
    public static double fitting(Iterable<String> texts, javafx.scene.text.Font font, double min) {
        javafx.scene.text.Text measure = new javafx.scene.text.Text();
        measure.setFont(font);
        double widest = 0;
        for (String t : texts) {
            measure.setText(t);
            widest = Math.max(widest, measure.getLayoutBounds().getWidth());
        }
        return Math.max(min, Math.ceil(widest) + CELL_PADDING);
    }

    /** Sets {@code column}'s minimum and preferred width to {@code w}, then lays {@code table}'s columns out again as a resize does. */
    public static void fix(TableView<?> table, TableColumn<?, ?> column, double w) {
        column.setMinWidth(w);
        column.setPrefWidth(w);
        table.getColumnResizePolicy().call(new TableView.ResizeFeatures<>(table, null, 0.0));
    }

    public static <S> Callback<TableView.ResizeFeatures, Boolean> flex(TableColumn<S, ?> flex) {
        return rf -> {
            TableView<?> table = rf.getTable();
            TableColumn<?, ?> dragged = rf.getColumn();
            if (dragged != null) {
                dragged.setPrefWidth(Math.max(dragged.getMinWidth(), Math.min(dragged.getMaxWidth(), dragged.getWidth() + rf.getDelta())));
            }
            List<? extends TableColumn<?, ?>> cols = table.getVisibleLeafColumns();
            double room = Math.floor(rf.getContentWidth());
            if (room <= 0 || cols.isEmpty()) {
                return false;
            }
            double prefs = 0;
            double mins = 0;
            for (TableColumn<?, ?> c : cols) {
                prefs += pref(c);
                mins += c.getMinWidth();
            }
            boolean flexShown = cols.contains(flex);
            double flexGive = flexShown ? pref(flex) - flex.getMinWidth() : 0;
            double othersGive = prefs - mins - flexGive;
            double short_ = Math.max(0, prefs - room);
            double flexCut = Math.min(short_, flexGive);
            double share = othersGive <= 0 ? 0 : Math.min(1, (short_ - flexCut) / othersGive);
            double used = 0;
            for (TableColumn<?, ?> c : cols) {
                if (c != flex) {
                    double w = Math.floor(pref(c) - share * (pref(c) - c.getMinWidth()));
                    rf.setColumnWidth(c, w);
                    used += w;
                }
            }
            if (flexShown) {
                rf.setColumnWidth(flex, Math.max(flex.getMinWidth(), room - used)); // the rest, the rounding too
            }
            return true;
        };
    }

    private static double pref(TableColumn<?, ?> c) {
        return Math.max(c.getMinWidth(), Math.min(c.getMaxWidth(), c.getPrefWidth()));
    }
}
