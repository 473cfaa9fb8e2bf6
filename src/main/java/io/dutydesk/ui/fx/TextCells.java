package io.dutydesk.ui.fx;

import javafx.scene.control.ListCell;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;

import java.util.function.Function;

/**
 * Cells whose text is readable whatever the room: a table cell shortened to its column's width keeps the whole text in
 * its tooltip; a log line wraps to the list's width instead of running off its right edge.
 */
public final class TextCells {
    private TextCells() {
    }

    /**
     * A table cell showing {@code text} of its value ("—" for none). With {@code overrun} (how a text too long for the
     * column is shortened: the end, or the middle of a file name whose date is at its end) its tooltip holds the whole
     * text; null: never shortened by design (the column is as wide as its widest text), no tooltip.
     */
    public static <S, T> TableCell<S, T> table(Function<T, String> text, OverrunStyle overrun) {
        return new TableCell<>() {
            private final Tooltip whole = overrun == null ? null : new Tooltip();

            {
                if (overrun != null) {
                    setTextOverrun(overrun);
                }
            }

            @Override
            protected void updateItem(T v, boolean empty) {
                super.updateItem(v, empty);
                String s = empty ? null : v == null ? "—" : text.apply(v);
                setText(s);
                if (whole != null) {
                    whole.setText(s);
                    setTooltip(s == null ? null : whole);
                }
            }
        };
    }

    /**
     * Makes {@code cell} (a list's cell showing one log line) wrap the line to the list's width: the cell's own width
     * never widens the list (no horizontal scrolling), its height grows by the lines the text takes. The list must have
     * no fixed cell size (a wrapped line is taller than one line).
     */
    public static <T> ListCell<T> wrapping(ListCell<T> cell) {
        cell.setWrapText(true);
        cell.setPrefWidth(0); // the flow sizes every cell to its width: a long line wraps there instead of widening it
        cell.getStyleClass().add("wrapping");
        return cell;
    }
}
