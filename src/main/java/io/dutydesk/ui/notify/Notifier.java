package io.dutydesk.ui.notify;

import io.dutydesk.core.ports.Notifier.Notice;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.stage.Window;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The console's one notifier, for every pane: a toast in the window ({@link Toasts}: over the pane area,
 * never over the window's header, readable at 1024x640) and,
 * when the window is not focused (or not shown), a desktop notification through the injected desktop
 * notifier ({@code notify-send}). A repeat of a key within a minute is dropped. Callable from any thread.
 */
public final class Notifier implements io.dutydesk.core.ports.Notifier {
    static final java.time.Duration REPEAT = java.time.Duration.ofMinutes(1);
    private static final int KEEP = 200;

    private final Executor fx;
    private final Supplier<Window> window;
    private final io.dutydesk.core.ports.Notifier desktop;
    private final Clock clock;
    private final boolean inWindow;
    private final Map<String, Instant> lastShown = new HashMap<>();
    private final ObservableList<Notice> shown = FXCollections.observableArrayList();
    private Toasts toasts;

    /**
     * @param inWindow false to show nothing in the window (headless tests of the policy); true shows toasts
     *                 in the layer given to {@link #showIn}
     */
    public Notifier(Executor fx, Supplier<Window> window, io.dutydesk.core.ports.Notifier desktop, Clock clock, boolean inWindow) {
        this.fx = fx;
        this.window = window;
        this.desktop = desktop;
        this.clock = clock;
        this.inWindow = inWindow;
    }

    /** Where the window's toasts go (the shell's layer over the pane area); on the FX thread. */
    public void showIn(Toasts layer) {
        this.toasts = layer;
    }

    /** What was shown, newest last (for a notifications list and tests); on the FX thread. */
    public ObservableList<Notice> shown() {
        return shown;
    }

    @Override
    public void notify(Notice n) {
        fx.execute(() -> show(n));
    }

    private void show(Notice n) {
        Instant now = clock.instant();
        Instant last = lastShown.get(n.key());
        if (last != null && now.isBefore(last.plus(REPEAT))) {
            return;
        }
        lastShown.put(n.key(), now);
        shown.add(n);
        if (shown.size() > KEEP) {
            shown.remove(0, shown.size() - KEEP);
        }
        Window w = window.get();
        if (inWindow && toasts != null && w != null && w.isShowing()) {
            toasts.show(n);
        }
        if (w == null || !w.isShowing() || !w.isFocused()) {
            desktop.notify(n);
        }
    }
}
