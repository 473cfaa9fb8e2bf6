package io.dutydesk.ui.fx;

import javafx.beans.value.ObservableValue;
import javafx.event.EventHandler;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.util.Duration;

import java.util.function.Consumer;

/**
 * A hover text made when the pointer first enters its node, not when the window is built: each JavaFX tooltip is a popup
 * window with a scene of its own (~2 ms each once warm, 150-220 ms for 25 in a fresh JVM), and the window has ~75 of
 * them, most never hovered. Its text follows {@code text}; while the text is empty no tooltip is shown (as a
 * {@code setTooltip(null)} would). {@link #of} makes it at once (tests, or a caller that needs it now).
 */
public final class LazyTooltip {
    private static final String KEY = LazyTooltip.class.getName();

    private LazyTooltip() {}

    /** A tooltip shown after 200 ms and for as long as the pointer stays (the status bar's and the header's). */
    public static final Consumer<Tooltip> PROMPT = t -> {
        t.setShowDelay(Duration.millis(200));
        t.setShowDuration(Duration.INDEFINITE);
    };

    public static void install(Node node, ObservableValue<String> text) {
        install(node, text, t -> { });
    }

    /** A fixed text. */
    public static void install(Node node, String text) {
        install(node, new javafx.beans.property.ReadOnlyStringWrapper(text), t -> { });
    }

    /** {@code setup}: what the tooltip needs besides its text (delays, wrapping), run once when it is made. */
    public static void install(Node node, ObservableValue<String> text, Consumer<Tooltip> setup) {
        Lazy lazy = new Lazy(node, text, setup);
        node.getProperties().put(KEY, lazy);
        node.addEventHandler(MouseEvent.MOUSE_ENTERED, lazy);
    }

    /** The node's tooltip, made now if the pointer has not made it yet; null if the node has none of this kind. */
    public static Tooltip of(Node node) {
        Object l = node.getProperties().get(KEY);
        return l instanceof Lazy lazy ? lazy.make() : null;
    }

    private static final class Lazy implements EventHandler<MouseEvent> {
        private final Node node;
        private final ObservableValue<String> text;
        private final Consumer<Tooltip> setup;
        private Tooltip made;

        Lazy(Node node, ObservableValue<String> text, Consumer<Tooltip> setup) {
            this.node = node;
            this.text = text;
            this.setup = setup;
        }

        @Override
        public void handle(MouseEvent e) {
            make();
        }

        Tooltip make() {
            if (made == null) {
                node.removeEventHandler(MouseEvent.MOUSE_ENTERED, this);
                made = new Tooltip();
                made.textProperty().bind(text);
                setup.accept(made);
                text.addListener((o, a, b) -> show());
                show();
            }
            return made;
        }

        /** Installed exactly while there is a text. */
        private void show() {
            String s = text.getValue();
            Tooltip want = s == null || s.isEmpty() ? null : made;
            if (node instanceof Control c) {
                if (c.getTooltip() != want) {
                    c.setTooltip(want);
                }
                return;
            }
            Object now = node.getProperties().get("javafx.scene.control.Tooltip");
            if (now != want) {
                if (now instanceof Tooltip old) {
                    Tooltip.uninstall(node, old);
                }
                if (want != null) {
                    Tooltip.install(node, want);
                }
            }
        }
    }
}
