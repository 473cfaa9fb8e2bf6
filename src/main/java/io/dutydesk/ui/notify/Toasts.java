package io.dutydesk.ui.notify;

import io.dutydesk.core.ports.Notifier.Level;
import io.dutydesk.core.ports.Notifier.Notice;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The window's toasts: a layer over the pane area only — below the window's header, which it can never
 * cover (it is not over it, and it is clipped to its own bounds) — with the newest notices in its
 * bottom-right corner, away from every pane's own header and actions too. At most {@link #MAX} are shown
 * (older ones go first; one fewer in a pane area under {@link #TALL} px); each is at most {@link #WIDTH} px wide (less in a narrow window), its text
 * wrapped, never cut mid-word; a click or its × closes it, else it goes after 8 s (critical: 20 s). On the
 * FX thread.
 *
 * <p>Its going is a delay, not an animation: a {@code PauseTransition} kept JavaFX's pulse timer ticking and the FX
 * thread pulsing 60 times a second for the toast's whole 8 or 20 s (and on after a click closed it), while nothing on
 * the screen moved — the idle window's FX thread sleeps otherwise ({@link io.dutydesk.ui.fx.PausingPulseTimer}).
 */
public final class Toasts {
    static final int MAX = 3;
    /** A pane area shorter than this shows one toast fewer than {@link #MAX}. */
    static final double TALL = 600;
    static final double WIDTH = 380;
    private static final double MARGIN = 12;

    static final Duration SHOWN = Duration.ofSeconds(8);
    static final Duration SHOWN_CRITICAL = Duration.ofSeconds(20);

    /** Runs {@code r} on the FX thread once {@code d} has passed. */
    interface Later {
        void after(Duration d, Runnable r);
    }

    /** The JDK's one delay thread (CompletableFuture's, which the window uses already), then the FX thread. */
    private static final Later DELAYED = (d, r) -> CompletableFuture
            .delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS, io.dutydesk.ui.fx.FxThread.INSTANCE).execute(r);

    private final VBox layer = new VBox(8);
    private final Later later;

    public Toasts() {
        this(DELAYED);
    }

    Toasts(Later later) {
        this.later = later;
        layer.setId("toasts");
        layer.getStyleClass().add("toasts");
        layer.setAlignment(Pos.BOTTOM_RIGHT);
        layer.setPadding(new Insets(MARGIN));
        layer.setPickOnBounds(false); // clicks between toasts reach the pane below
        layer.setMinSize(0, 0);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(layer.widthProperty());
        clip.heightProperty().bind(layer.heightProperty());
        layer.setClip(clip);
    }

    /** The layer, to be stacked over the pane area (not over the header). */
    public Node node() {
        return layer;
    }

    /** Shows {@code n}, newest at the bottom; the oldest goes when there are more than {@link #MAX}. */
    public void show(Notice n) {
        Label title = new Label(n.title());
        title.getStyleClass().add("toast-title");
        title.setWrapText(true);
        Label text = new Label(n.text());
        text.getStyleClass().add("toast-text");
        text.setWrapText(true);
        text.setTooltip(new Tooltip(n.title() + "\n" + n.text()));
        Button close = new Button("×");
        close.getStyleClass().addAll("flat", "toast-close");
        close.setAccessibleText("Close the notification");
        VBox words = new VBox(2, title, text);
        BorderPane toast = new BorderPane(words);
        toast.setRight(close);
        BorderPane.setAlignment(close, Pos.TOP_RIGHT);
        toast.getStyleClass().addAll("toast", "toast-" + n.level().name().toLowerCase(java.util.Locale.ROOT));
        toast.setAccessibleText(n.title() + ": " + n.text());
        // as wide as it needs up to WIDTH, never wider than the pane area leaves
        toast.maxWidthProperty().bind(javafx.beans.binding.Bindings.min(WIDTH, layer.widthProperty().subtract(2 * MARGIN)));
        toast.setMaxHeight(Region.USE_PREF_SIZE);
        toast.setMinHeight(Region.USE_PREF_SIZE);
        Runnable remove = () -> layer.getChildren().remove(toast);
        close.setOnAction(e -> remove.run());
        toast.setOnMouseClicked(e -> remove.run());
        layer.getChildren().add(toast);
        // a short pane area (a 1024x640 window's: ~550 px) keeps two: three stood over half its height (the trial)
        int max = layer.getHeight() > 0 && layer.getHeight() < TALL ? MAX - 1 : MAX;
        while (layer.getChildren().size() > max) {
            layer.getChildren().remove(0);
        }
        later.after(n.level() == Level.CRITICAL ? SHOWN_CRITICAL : SHOWN, remove); // gone already: removes nothing
    }

    /** The toasts shown now, oldest first (tests). */
    java.util.List<Node> shown() {
        return java.util.List.copyOf(layer.getChildren());
    }
}
