package io.dutydesk.ui.fx;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.function.Function;

/**
 * A pane's static layout from its FXML file: {@code <View>.fxml} next to the view's class (in the jar's
 * resources), whose {@code fx:controller} is the view itself. The view passes itself: its {@code @FXML} fields
 * are injected, then it wires the view-model in Java. The FXML is read when the view is constructed, so a pane
 * built only when first shown reads its FXML only then.
 */
public final class FxmlLayout {
    private FxmlLayout() {
    }

    /** A one-label FXML: what FXMLLoader's first use costs, paid by whichever thread calls {@link #warmUp()}. */
    private static final String WARM_UP = """
            <?xml version="1.0" encoding="UTF-8"?>
            <?import javafx.scene.control.Label?>
            <Label xmlns:fx="http://javafx.com/fxml/1" fx:id="warm" text="warm"/>
            """;

    /**
     * Loads a one-label FXML: FXMLLoader's classes, the XML parser's factory and the first controls' classes are
     * loaded and initialised by the calling thread. Safe on any thread (nothing is shown): called on a background
     * thread while the window opens, it takes that first-use cost (about 180 ms of CPU on the 2-core machine,
     * {@code PaneLayoutBenchmark warmed}) off the FX thread's first pane. Returns the label.
     */
    public static Parent warmUp() {
        try {
            return new FXMLLoader().load(new java.io.ByteArrayInputStream(WARM_UP.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /**
     * The columns of {@code table}, as its FXML lists them (titles, widths), show {@code texts} in that order: one
     * text per column, or the FXML and the view disagree (an {@link IllegalStateException} when the view is built).
     */
    public static <T> void cellTexts(TableView<T> table, List<Function<T, String>> texts) {
        if (table.getColumns().size() != texts.size()) {
            throw new IllegalStateException(table.getId() + ": the FXML has " + table.getColumns().size() + " columns, the view "
                    + texts.size() + " texts");
        }
        for (int i = 0; i < texts.size(); i++) {
            Function<T, String> f = texts.get(i);
            @SuppressWarnings("unchecked")
            TableColumn<T, String> c = (TableColumn<T, String>) table.getColumns().get(i);
            c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        }
    }
}
