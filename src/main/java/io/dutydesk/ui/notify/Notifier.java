package io.dutydesk.ui.notify;

import io.dutydesk.core.ports.Notifier.Notice;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The console's one notifier, for every pane: a ControlsFX notification in the window's corner and,
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

    /**
     * @param inWindow false to skip the ControlsFX popup (headless tests of the policy)
     */
    public Notifier(Executor fx, Supplier<Window> window, io.dutydesk.core.ports.Notifier desktop, Clock clock, boolean inWindow) {
        this.fx = fx;
        this.window = window;
        this.desktop = desktop;
        this.clock = clock;
        this.inWindow = inWindow;
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
        if (inWindow && w != null && w.isShowing()) {
            Notifications popup = Notifications.create().owner(w).title(n.title()).text(n.text()).position(Pos.TOP_RIGHT)
                    .hideAfter(Duration.seconds(n.level() == Level.CRITICAL ? 20 : 8));
            switch (n.level()) {
                case CRITICAL -> popup.showError();
                case WARNING -> popup.showWarning();
                default -> popup.showInformation();
            }
        }
        if (w == null || !w.isShowing() || !w.isFocused()) {
            desktop.notify(n);
        }
    }
}
