package io.dutydesk.ui.shell;

import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, window trial: the maintenance lock of the selected environment is in the window's header whichever pane is
 * shown — visible and readable at the window's minimum width (1024 px), its tooltip with the holder, the message and
 * since when — gone when released, and never carried over to another environment.
 */
@ExtendWith(ApplicationExtension.class)
class HeaderLockChipTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    ShellView view;
    Stage window;
    Scene scene;

    static String lockFile(String actor, String message, Instant start) {
        String id = "20261203-091200-lock-0a1b2c3d";
        return id + "\n{\"id\":\"" + id + "\",\"action\":\"lock\",\"env\":\"ref\",\"args\":\"" + message + "\",\"actor\":\"" + actor
                + "\",\"message\":\"" + message + "\",\"start\":\"" + start + "\"}\n";
    }

    /** Taken on a day before any run of this test: the chip says "since Mar 1" whatever the time of the run (no midnight to cross). */
    static final Instant TAKEN = Instant.parse("2026-03-01T09:12:00Z");

    @Start
    void start(Stage primary) {
        backends.slots = Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of());
        backends.maintenanceFile = lockFile("alice@ws1", "db migration", TAKEN);
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(100)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), Set.of("slots")));
        view = new ShellView(vm);
        // as in the app: the Today pane's "production" statement next to the backends' one
        view.production(new javafx.beans.property.SimpleStringProperty("ref: outbox warn"), new javafx.beans.property.SimpleStringProperty("warn"));
        // a window of its own at the minimum width (the fork's primary stage keeps its size for the next test class)
        window = new Stage();
        scene = new Scene(view.root(), 1024, 640);
        window.setScene(scene);
        window.show();
        vm.select("ref");
        view.showPane("outbox"); // not the Slots pane: the header says the lock all the same
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            vm.close();
            window.close();
        }).get();
        scheduler.shutdownNow();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    private static void waitFor(String what, Callable<Boolean> c) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (Exception e) {
            throw new AssertionError("not within 10 s: " + what, e);
        }
    }

    Label chip() throws Exception {
        return fx(() -> (Label) scene.lookup("#header-lock"));
    }

    @Test
    void theLockIsVisibleInTheHeaderAt1024PxWhicheverPaneIsShownAndGoesWithTheUnlockAndTheSwitch() throws Exception {
        Label chip = chip();
        waitFor("the lock in the header", () -> chip.isVisible() && chip.getText().startsWith("LOCKED by alice@ws1 since "));
        assertTrue(fx(() -> vm.shownPane().orElse("")).equals("outbox"), "another pane is shown");
        String day = java.time.format.DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ROOT).withZone(java.time.ZoneId.systemDefault())
                .format(TAKEN);
        org.junit.jupiter.api.Assertions.assertEquals("LOCKED by alice@ws1 since " + day + ": db migration", fx(chip::getText));
        assertTrue(fx(() -> chip.getStyleClass().contains("warn")), fx(() -> chip.getStyleClass().toString()));
        String tip = fx(() -> io.dutydesk.ui.fx.LazyTooltip.of(chip).getText());
        assertTrue(tip.contains("ref is locked for maintenance by alice@ws1 since ") && tip.contains("\"db migration\""), tip);

        fx(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        // what the label draws (its text node: "…" where it is cut): the holder and since when whole, the message may give way
        String drawn = fx(() -> ((javafx.scene.text.Text) chip.lookup(".text")).getText());
        String head = fx(chip::getText).substring(0, fx(chip::getText).indexOf(": ") + 1);
        assertTrue(drawn.startsWith(head), "at 1024 px the chip draws '" + drawn + "', not '" + head + "'");
        double right = fx(() -> chip.localToScene(chip.getBoundsInLocal()).getMaxX());
        assertTrue(right <= 1024.5, "the chip ends at " + right);
        Node theme = fx(() -> scene.lookup("#theme-toggle"));
        double themeRight = fx(() -> theme.localToScene(theme.getBoundsInLocal()).getMaxX());
        assertTrue(themeRight <= 1024.5, "the theme toggle ends at " + themeRight);
        Label summary = fx(() -> (Label) scene.lookup("#health-summary"));
        assertTrue(fx(summary::getWidth) >= fx(() -> summary.prefWidth(-1)) - 0.5 || !fx(() -> vm.summaryProperty().get()).startsWith("all"),
                "the backends' statement stays whole: " + fx(summary::getText));

        // released: gone (the next read)
        backends.maintenanceFile = null;
        fx(() -> {
            vm.refresh();
            return null;
        });
        waitFor("the chip goes", () -> !chip.isVisible() && !chip.isManaged());

        // locked again, then another environment (not locked): the chip never shows ref's lock there
        backends.maintenanceFile = lockFile("alice@ws1", "db migration", TAKEN);
        fx(() -> {
            vm.refresh();
            return null;
        });
        waitFor("locked again", () -> chip.isVisible() && chip.getText().startsWith("LOCKED"));
        String after = fx(() -> {
            backends.maintenanceFile = null;
            vm.select("prod");
            return chip.getText();
        });
        assertFalse(after.startsWith("LOCKED"), "prod shows ref's lock: " + after);
        waitFor("prod read: no chip", () -> !chip.isVisible());
    }
}
