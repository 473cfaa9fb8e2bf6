package io.dutydesk.ui.fx;

import javafx.scene.Node;

import java.util.Objects;

/**
 * One built pane of the console: its {@link PaneSpec}, its {@link PaneModel} and its node, built the first time it
 * is asked for (on the FX thread). The shell calls {@link #shown()} and {@link #hidden()} as the navigation changes
 * and {@link #close()} when the window closes.
 *
 * <pre>
 *   app (wiring) ── PaneSpec(id, title, icon, background, model(), view(model)) ──► shell
 *   shell: first shown ─► Pane = spec.build() ─► model.attach(env, handle) ─► node()
 *          navigation  ─► shown() / hidden()     header health ─► model.health / recovered
 *   model: PolledValue (Poller ─► one hop ─► "down; last answer at T") ─ paused while hidden
 * </pre>
 */
public final class Pane implements AutoCloseable {
    private final PaneSpec spec;
    private final PaneModel model;
    private Node node;
    /** Null until the shell first says: a model starts as if shown (its own tests need no shell). */
    private Boolean shown;

    Pane(PaneSpec spec, PaneModel model) {
        this.spec = Objects.requireNonNull(spec);
        this.model = Objects.requireNonNull(model);
    }

    public PaneSpec spec() {
        return spec;
    }

    public String id() {
        return spec.id();
    }

    public PaneModel model() {
        return model;
    }

    /** The pane's node, built on first call (on the FX thread). */
    public Node node() {
        if (node == null) {
            node = spec.view().apply(model);
        }
        return node;
    }

    /** Whether its node was built. */
    public boolean built() {
        return node != null;
    }

    public boolean isShown() {
        return Boolean.TRUE.equals(shown);
    }

    public void shown() {
        if (!Boolean.TRUE.equals(shown)) {
            shown = true;
            model.shown();
        }
    }

    public void hidden() {
        if (!Boolean.FALSE.equals(shown)) {
            shown = false;
            model.hidden();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
