package io.dutydesk.ui.fx;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;

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
     * A label that gives way to its neighbours (shortened with "…" in a narrow window) keeps its whole text in its
     * tooltip, as a shortened table cell does; no tooltip while it has no text.
     */
    public static void wholeInTooltip(Labeled label) {
        Tooltip whole = new Tooltip();
        whole.textProperty().bind(label.textProperty());
        Runnable set = () -> label.setTooltip(label.getText() == null || label.getText().isEmpty() ? null : whole);
        label.textProperty().addListener((o, was, now) -> set.run());
        set.run();
    }

    /**
     * Keeps the end of {@code list} (showing {@code items}) in view as lines are added: once per pulse, before the
     * layout, scrolled to the last line (a burst of lines costs one scroll, not one each); once laid out, when a wrapped
     * line's height is known, that line whole (not cut at the bottom).
     */
    public static <T> void followEnd(ListView<T> list, ObservableList<T> items) {
        boolean[] added = {false};
        int[] settle = {0}; // layouts left to bring the last line whole into view
        Runnable beforeLayout = () -> {
            if (added[0] && !items.isEmpty()) {
                added[0] = false;
                list.scrollTo(items.size() - 1);
                settle[0] = 2;
            }
        };
        items.addListener((ListChangeListener<T>) c -> added[0] = true);
        list.sceneProperty().addListener((o, was, now) -> {
            if (was != null) {
                was.removePreLayoutPulseListener(beforeLayout);
            }
            if (now != null) {
                now.addPreLayoutPulseListener(beforeLayout);
            }
        });
        if (list.getScene() != null) {
            list.getScene().addPreLayoutPulseListener(beforeLayout);
        }
        Runnable watch = () -> {
            if (list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
                flow.needsLayoutProperty().addListener((p, before, needs) -> {
                    if (!needs && settle[0] > 0 && !items.isEmpty()) {
                        settle[0] = wholeInView(flow, items.size() - 1) ? 0 : settle[0] - 1;
                        added[0] |= settle[0] > 0; // not where it was scrolled to yet: again at the next pulse
                    }
                });
            }
        };
        list.skinProperty().addListener((o, was, skin) -> watch.run());
        if (list.getSkin() != null) {
            watch.run();
        }
    }

    /** Scrolls {@code flow} to show its cell {@code index} whole, by its real height: false while no such cell is laid out. */
    private static <C extends javafx.scene.control.IndexedCell<?>> boolean wholeInView(VirtualFlow<C> flow, int index) {
        C cell = flow.getVisibleCell(index);
        if (cell != null) {
            flow.scrollTo(cell);
        }
        return cell != null;
    }

    /**
     * Makes {@code cell} (a list's cell showing one log line) wrap the line to the list's width: the cell's own width
     * never widens the list (no horizontal scrolling), its height grows by the lines the text takes. The list must have
     * no fixed cell size (a wrapped line is taller than one line): style class {@code wrapped} beside {@code log-lines}.
     */
    public static <T> ListCell<T> wrapping(ListCell<T> cell) {
        cell.setWrapText(true);
        cell.setPrefWidth(0); // the flow sizes every cell to its width: a long line wraps there instead of widening it
        cell.getStyleClass().add("wrapping");
        return cell;
    }
}
