package io.dutydesk.ui.shell;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ctrl+Shift+R, the rollback's key, with the app's own panes on Monocle: from whichever pane is shown it asks about the
 * rollback of an environment of two slots; on an environment of one stack (its Slots pane the stack's) it does nothing —
 * there is no slot to roll back to, and the slots' view-model is detached ("Cannot rollback: no environment" was all
 * it said once the key no longer looked at its view's visibility).
 */
@ExtendWith(ApplicationExtension.class)
class RollbackKeyTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    ShellView view;
    Stage window;

    static Map<String, Environment> environments() {
        EnvironmentsFile f = EnvironmentsFile.parse(Path.of("test.yaml"), """
                environments:
                  ref:
                    description: two slots
                    ssh: { host: 127.0.0.1, port: 24022, user: dutydesk-deploy }
                  life:
                    description: one stack
                    ssh: { host: 127.0.0.1, port: 24022, user: dutydesk-deploy }
                    deploy: { model: single }
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                """);
        Map<String, Environment> out = new LinkedHashMap<>();
        Duration d = Duration.ofMillis(200);
        f.environments().forEach((k, e) -> out.put(k, e.withPoll(new Environment.Poll(d, d.multipliedBy(4), Duration.ofSeconds(2)))));
        return out;
    }

    @Start
    void start(Stage stage) {
        vm = new ShellViewModel(environments(), backends, HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler,
                FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create()));
        view = new ShellView(vm);
        view.showFirstOn(io.dutydesk.ui.slots.SlotsView.ROLLBACK_KEY, "slots", vm::twoSlotsSelected); // as the app does
        window = new Stage();
        window.setScene(new Scene(view.root(), 1180, 640));
        window.show();
    }

    @AfterEach
    void stop() throws Exception {
        closeOthers();
        WaitForAsyncUtils.asyncFx(() -> {
            vm.close();
            window.close();
        }).get();
        scheduler.shutdownNow();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    /** The windows shown besides the console's (a confirmation, an error), by title. */
    List<String> others() throws Exception {
        return fx(() -> Window.getWindows().stream().filter(w -> w != window && w.isShowing() && w instanceof Stage)
                .map(w -> String.valueOf(((Stage) w).getTitle())).toList());
    }

    void closeOthers() throws Exception {
        fx(() -> {
            List.copyOf(Window.getWindows()).stream().filter(w -> w != window && w.isShowing() && w instanceof Stage)
                    .forEach(w -> ((Stage) w).close());
            return null;
        });
    }

    /** The Slots pane shown (built) on {@code env}, then another pane, and Ctrl+Shift+R pressed there. */
    void rollbackKeyFromOutbox(FxRobot robot, String env) throws Exception {
        fx(() -> {
            vm.select(env);
            view.showPane("slots");
            view.showPane("outbox");
            return null;
        });
        robot.clickOn("#navigation"); // the window has the keyboard
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.R);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void onAnEnvironmentOfOneStackTheRollbackKeyAsksNothing(FxRobot robot) throws Exception {
        rollbackKeyFromOutbox(robot, "life");
        // the plan of a detached view-model fails at once: its error would be shown by now
        assertEquals(List.of(), others(), "nothing to roll back to on a single stack");
        assertEquals("outbox", fx(() -> vm.shownPane().orElse("")), "the pane it was pressed on stays shown");
        fx(() -> {
            view.showPane("slots");
            return null;
        });
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.R);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), others(), "nor on its own Slots pane");
    }

    @Test
    void onAnEnvironmentOfTwoSlotsTheRollbackKeyAsksFromAnotherPane(FxRobot robot) throws Exception {
        rollbackKeyFromOutbox(robot, "ref");
        // the fake server answers no command: the rollback's plan says why it cannot be made — asked all the same
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !others().isEmpty());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Ctrl+Shift+R from the Outbox pane asked nothing");
        }
        // over the Slots pane, whose action log shows the rollback run (it was asked over the Outbox pane)
        assertEquals("slots", fx(() -> vm.shownPane().orElse("")), "the Slots pane shown with the question");
    }
}
