package io.dutydesk.ui.fx;

import javafx.scene.Node;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A pane as the shell knows it before it is built: its place in the navigation (id, title, icon, what it is for)
 * and how the app builds it — its view-model from the core services ({@code model}) and its view of that model
 * ({@code view}, on the FX thread). A {@code background} pane's model is built with the window because the header
 * or the notifications need what it reads (the slots for the title and the rollback chip, the alerts for their
 * notifications); every other pane is built when it is first shown.
 */
public record PaneSpec(String id, String title, Icon icon, String purpose, boolean background,
                       Supplier<? extends PaneModel> model, Function<PaneModel, Node> view) {

    /** A spec whose view takes the model's own type. */
    @SuppressWarnings("unchecked")
    public static <M extends PaneModel> PaneSpec of(String id, String title, Icon icon, String purpose, boolean background,
                                                    Supplier<M> model, Function<M, Node> view) {
        return new PaneSpec(id, title, icon, purpose, background, model, m -> view.apply((M) m));
    }

    /** Builds the pane (its model now, its node when first asked for). */
    public Pane build() {
        return new Pane(this, model.get());
    }
}
