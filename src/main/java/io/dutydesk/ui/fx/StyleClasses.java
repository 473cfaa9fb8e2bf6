package io.dutydesk.ui.fx;

import javafx.collections.ObservableList;
import javafx.scene.Node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Style classes set to what a state says, changing only what differs. Every change of a node's style classes makes
 * JavaFX style the node and all it holds again (and lay it out and paint it): a view that removed and re-added the
 * same classes at each poll restyled its slot cards, tables and header every 5 s with nothing changed — most of an
 * idle window's CPU (IdleBenchmark). Call on the FX thread.
 */
public final class StyleClasses {
    private StyleClasses() {}

    /** The node's classes of {@code family} become exactly {@code wanted} (which should be of the family). */
    public static void set(Node n, Predicate<String> family, Collection<String> wanted) {
        ObservableList<String> classes = n.getStyleClass();
        List<String> drop = null;
        for (String c : classes) {
            if (family.test(c) && !wanted.contains(c)) {
                if (drop == null) {
                    drop = new ArrayList<>(2);
                }
                drop.add(c);
            }
        }
        if (drop != null) {
            classes.removeAll(drop);
        }
        for (String w : wanted) {
            if (!classes.contains(w)) {
                classes.add(w);
            }
        }
    }

    /** {@code chosen} (none when null) the one class of {@code family} the node has. */
    public static void oneOf(Node n, String chosen, String... family) {
        List<String> f = List.of(family);
        set(n, f::contains, chosen == null ? List.of() : List.of(chosen));
    }

    /** {@code chosen} (none when null) the one class starting with {@code prefix} the node has. */
    public static void oneWithPrefix(Node n, String prefix, String chosen) {
        set(n, c -> c.startsWith(prefix), chosen == null ? List.of() : List.of(chosen));
    }

    /** Class {@code c} on the node when {@code on}, off when not. */
    public static void toggle(Node n, String c, boolean on) {
        set(n, c::equals, on ? List.of(c) : List.of());
    }
}
