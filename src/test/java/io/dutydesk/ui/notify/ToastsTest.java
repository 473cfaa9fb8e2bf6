package io.dutydesk.ui.notify;

import io.dutydesk.core.ports.Notifier.Level;
import io.dutydesk.core.ports.Notifier.Notice;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A toast goes after its time without an animation: an animation keeps JavaFX's pulse timer ticking and the FX
 * thread pulsing 60 times a second for as long as it runs, here 8 or 20 s of a screen where nothing moves.
 */
@ExtendWith(ApplicationExtension.class)
class ToastsTest {
    private final List<Map.Entry<Duration, Runnable>> later = new CopyOnWriteArrayList<>();
    private final Toasts toasts = new Toasts((d, r) -> later.add(Map.entry(d, r)));
    private final Toasts asShipped = new Toasts();

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(new Label("window"), toasts.node(), asShipped.node()), 400, 300));
        stage.show();
    }

    @org.junit.jupiter.api.AfterEach
    void sizeBack() throws Exception {
        // TestFX's stage is shared: the next test (of any class) starts at its scene's size, not the 700 px set here
        WaitForAsyncUtils.asyncFx(() -> stage.sizeToScene()).get();
    }

    @Test
    void showingAToastStartsNoAnimation() throws Exception {
        List<Object> started = WaitForAsyncUtils.asyncFx(() -> {
            List<Object> before = animations();
            asShipped.show(new Notice("k1", Level.WARNING, "Warning", "goes after 8 s"));
            asShipped.show(new Notice("k2", Level.CRITICAL, "Critical", "goes after 20 s"));
            List<Object> after = animations();
            after.removeIf(before::contains);
            return after;
        }).get();
        assertEquals(List.of(), started, "animations (pulse receivers, animation timers) the toasts started");
        assertEquals(2, asShipped.shown().size());
    }

    @Test
    void aToastGoesAfter8sACriticalOneAfter20sAndOneClosedBeforeItsTimeStaysClosed(FxRobot robot) {
        Notice warning = new Notice("k1", Level.WARNING, "Warning", "goes after 8 s");
        Notice critical = new Notice("k2", Level.CRITICAL, "Critical", "goes after 20 s");
        robot.interact(() -> {
            toasts.show(warning);
            toasts.show(critical);
        });
        assertEquals(List.of(Duration.ofSeconds(8), Duration.ofSeconds(20)), later.stream().map(Map.Entry::getKey).toList());
        robot.interact(() -> later.get(0).getValue().run());
        assertEquals(1, toasts.shown().size(), "the warning went, the critical one stays");
        robot.interact(() -> robot.from(toasts.node()).lookup(".toast-close").queryButton().fire());
        assertEquals(0, toasts.shown().size(), "closed by its ×");
        robot.interact(() -> later.get(1).getValue().run()); // its time comes after it was closed: nothing else goes
        assertEquals(0, toasts.shown().size());
    }

    /**
     * A short pane area keeps two toasts, the newest: three stood over half of a 1024x640 window's (the trial); a tall
     * one keeps three.
     */
    @Test
    void aShortPaneAreaKeepsTwoToastsATallOneThree(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, // laid out in its 300 px
                () -> WaitForAsyncUtils.asyncFx(() -> ((javafx.scene.layout.Region) toasts.node()).getHeight() > 0).get());
        robot.interact(() -> {
            for (int i = 1; i <= 4; i++) {
                toasts.show(new Notice("k" + i, Level.WARNING, "Warning " + i, "down"));
            }
        });
        assertEquals(List.of("Warning 3", "Warning 4"), titles(), "300 px: the newest two");
        robot.interact(() -> {
            stage.setHeight(700);
        });
        // laid out at the new height (a pulse after the resize)
        WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(() -> ((javafx.scene.layout.Region) toasts.node()).getHeight() >= Toasts.TALL).get());
        robot.interact(() -> {
            toasts.show(new Notice("k5", Level.WARNING, "Warning 5", "down"));
            toasts.show(new Notice("k6", Level.WARNING, "Warning 6", "down"));
        });
        assertEquals(List.of("Warning 4", "Warning 5", "Warning 6"), titles(), "700 px: the newest three");
    }

    private List<String> titles() {
        return toasts.shown().stream().map(n -> ((javafx.scene.control.Label) n.lookup(".toast-title")).getText()).toList();
    }

    /** What keeps JavaFX pulsing: the primary timer's pulse receivers (animations) and animation timers (FX thread). */
    private static List<Object> animations() throws ReflectiveOperationException {
        Object primary = com.sun.javafx.tk.Toolkit.getToolkit().getPrimaryTimer();
        List<Object> out = new ArrayList<>();
        for (String name : new String[] {"receivers", "animationTimers"}) {
            java.lang.reflect.Field f = com.sun.scenario.animation.AbstractPrimaryTimer.class.getDeclaredField(name);
            f.setAccessible(true);
            for (Object r : (Object[]) f.get(primary)) {
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
