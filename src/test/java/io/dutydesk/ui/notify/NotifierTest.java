package io.dutydesk.ui.notify;

import io.dutydesk.core.ports.Notifier.Level;
import io.dutydesk.core.ports.Notifier.Notice;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one notifier: in the window, on the desktop when the window is not focused, a repeat dropped. */
@ExtendWith(ApplicationExtension.class)
class NotifierTest {
    Stage stage;
    final Toasts toasts = new Toasts();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new javafx.scene.layout.StackPane(new Label("window"), toasts.node()), 400, 300));
        stage.show();
    }

    @Test
    void showsInTheWindowAndOnTheDesktopWhenNotFocusedOncePerKey(FxRobot robot) {
        List<Notice> desktop = new CopyOnWriteArrayList<>();
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T03:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Notifier n = new Notifier(FxThread.INSTANCE, () -> stage, desktop::add, clock, true);
        n.showIn(toasts);
        Notice crit = new Notice("alert:ref:abc", Level.CRITICAL, "ServiceDown (critical) on ref", "analysis-worker (green) is down");
        n.notify(crit);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(crit), n.shown());
        // Monocle's window is never focused by a desktop: the notice went to the desktop too
        assertEquals(stage.isFocused() ? 0 : 1, desktop.size());
        n.notify(crit);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, n.shown().size(), "a repeat within a minute is dropped");
        now.set(now.get().plus(Duration.ofMinutes(2)));
        n.notify(crit);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, n.shown().size());
        assertTrue(robot.lookup("analysis-worker (green) is down").tryQuery().isPresent(), "the in-window notification shows");
    }

    @Test
    void desktopCommandHasNoShell() {
        List<String> cmd = io.dutydesk.adapters.desktop.NotifySendAccess.command(
                new Notice("k", Level.CRITICAL, "ServiceDown; rm -rf /", "$(reboot)", true));
        assertEquals(List.of("/usr/bin/notify-send", "--app-name=Dutydesk", "--urgency=critical", "--icon=dialog-warning",
                "--hint=string:sound-name:dialog-warning", "--", "ServiceDown; rm -rf /", "$(reboot)"), cmd);
    }
}
