package io.dutydesk.ui.fx;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;

/**
 * A pane's static layout from its FXML file: {@code <View>.fxml} next to the view's class (in the jar's
 * resources), whose {@code fx:controller} is the view itself. The view passes itself: its {@code @FXML} fields
 * are injected, then it wires the view-model in Java. The FXML is read when the view is constructed, so a pane
 * built only when first shown reads its FXML only then.
 */
public final class FxmlLayout {
    private FxmlLayout() {
    }

    /** The FXML file of {@code view}'s class: {@code <SimpleName>.fxml} in its package. */
    public static URL resource(Class<?> view) {
        URL url = view.getResource(view.getSimpleName() + ".fxml");
        if (url == null) {
            throw new IllegalStateException("no " + view.getSimpleName() + ".fxml next to " + view.getName());
        }
        return url;
    }

    /**
     * Loads the layout of {@code view}'s class with {@code view} as its controller (the file names the view's class
     * as {@code fx:controller}, for Scene Builder; the loader is handed this instance, never a new one).
     */
    public static <T extends Parent> T load(Object view) {
        Class<?> type = view.getClass();
        FXMLLoader loader = new FXMLLoader(resource(type));
        loader.setClassLoader(type.getClassLoader());
        loader.setControllerFactory(asked -> {
            if (!asked.isInstance(view)) {
                throw new IllegalStateException(resource(type) + " names controller " + asked.getName() + ", not " + type.getName());
            }
            return view;
        });
        try {
            T root = loader.load();
            if (loader.getController() != view) {
                throw new IllegalStateException(resource(type) + " names no fx:controller: its @FXML fields stay empty");
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + resource(type), e);
        }
    }
}
