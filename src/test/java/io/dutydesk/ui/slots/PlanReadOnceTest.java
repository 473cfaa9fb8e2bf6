package io.dutydesk.ui.slots;

import io.dutydesk.core.rollout.Plan;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An action's plan is read from the server before its question (up to the timeout: 12 s with Docker hung). Meanwhile the
 * pane says so, and pressing Ctrl+Shift+R again or clicking Rollback again reads nothing more: each had opened its own
 * window when its read ended (three "Cannot rollback" stacked in the window trial; two questions with a slow server).
 */
@ExtendWith(ApplicationExtension.class)
class PlanReadOnceTest {
    SlotsView view;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        SlotsViewModel vm = new SlotsViewModel(FxThread.INSTANCE, Executors.newSingleThreadScheduledExecutor(), Clock.systemDefaultZone());
        view = new SlotsView(vm, FxThread.INSTANCE);
        Scene scene = new Scene(new javafx.scene.layout.StackPane(view.root()), 1090, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void closeOthers() throws Exception {
        fx(() -> {
            List.copyOf(Window.getWindows()).stream().filter(w -> w != stage && w.isShowing() && w instanceof Stage)
                    .forEach(w -> ((Stage) w).close());
            return null;
        });
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    /** The windows shown besides the pane's (a confirmation, an error). */
    private List<Window> others() throws Exception {
        return fx(() -> Window.getWindows().stream().filter(w -> w != stage && w.isShowing()).toList());
    }

    @Test
    void aSecondRollbackWhileThePlanIsReadAsksNothingMore(FxRobot robot) throws Exception {
        CompletableFuture<Plan> first = new CompletableFuture<>();
        CompletableFuture<Plan> second = new CompletableFuture<>();
        fx(() -> {
            view.confirmAndRun("rollback", first);
            view.confirmAndRun("rollback", second); // the key pressed again: nothing to show yet
            return null;
        });
        Label status = robot.lookup("#action-status").queryAs(Label.class);
        assertEquals("rollback: reading the server before asking you…", fx(status::getText), "the pane says what it waits for");
        assertTrue(fx(() -> robot.lookup("#action-rollback").queryAs(Button.class).isDisabled()), "Rollback not clicked twice");

        IOException hung = new IOException("Docker on the server did not answer within 12 s");
        first.completeExceptionally(hung);
        second.completeExceptionally(hung);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, others().size(), "one answer to one question");
        closeOthers();
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(fx(status::getText).contains("reading the server"), fx(status::getText));
        assertFalse(fx(() -> robot.lookup("#action-rollback").queryAs(Button.class).isDisabled()), "asked again at the next press");
    }
}
