package io.dutydesk.ui.slots;

import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A container's logs: followed from the start, closed with Escape (which stops the stream). */
@ExtendWith(ApplicationExtension.class)
class LogsWindowTest {
    Stage owner;
    final List<Boolean> followed = new CopyOnWriteArrayList<>();
    final AtomicBoolean streamClosed = new AtomicBoolean();

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int tail, boolean follow, RemoteShell.OutputListener lines) {
            followed.add(follow);
            lines.line(false, "question-selection started on :8000");
            lines.line(false, "GET /health 200");
            CompletableFuture<Void> ended = new CompletableFuture<>();
            return CompletableFuture.completedFuture(new LogStream(() -> {
                streamClosed.set(true);
                ended.complete(null);
            }, ended));
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            return CompletableFuture.completedFuture(null);
        }
    };

    @Start
    void start(Stage stage) {
        owner = stage;
        stage.setScene(new Scene(new javafx.scene.layout.StackPane(), 300, 200));
        stage.show();
    }

    @Test
    void followsByDefaultAndEscapeClosesIt(FxRobot robot) throws Exception {
        AtomicReference<Stage> logs = new AtomicReference<>();
        robot.interact(() -> logs.set(LogsWindow.open(owner, containers, "selfology-question-selection-blue", FxThread.INSTANCE)));
        assertEquals(List.of(true), followed, "the first read follows");
        assertTrue(robot.lookup("#logs-follow").queryAs(CheckBox.class).isSelected());
        ListView<?> shown = (ListView<?>) logs.get().getScene().lookup("#logs-lines");
        assertEquals(2, shown.getItems().size(), shown.getItems().toString());
        // Escape pressed where the focus is in that window: the list of lines
        robot.interact(() -> javafx.event.Event.fireEvent(shown, new javafx.scene.input.KeyEvent(
                javafx.scene.input.KeyEvent.KEY_PRESSED, "", "", KeyCode.ESCAPE, false, false, false, false)));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> !logs.get().isShowing());
        assertFalse(logs.get().isShowing());
        assertTrue(streamClosed.get(), "closing stops the stream");
    }
}
