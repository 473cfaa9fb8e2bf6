package io.dutydesk.ui.shell;

import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.slots.SlotsPaneModel;
import io.dutydesk.ui.slots.SlotsViewModel;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window trial's Slots pane at 1024x640: the end of a long refusal in the Action log was off-screen (the lines did
 * not wrap). A 300-character line is drawn whole, wrapped inside the log, with no sideways scrolling; thousands of lines
 * still make only the cells that are shown.
 */
@ExtendWith(ApplicationExtension.class)
class ActionLogWrapTest {
    static final String REFUSAL = "✖ refused: state changed since you confirmed: the live slot is now green (you confirmed "
            + "blue), analysis-worker-green is unhealthy (health check failed 3 times: connection refused on :8080), the "
            + "idle slot's version is v1.4.3, not v1.4.2 as stated; nothing was run — read the pane again, confirm again.";
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    Scene scene;

    @Start
    void start(Stage stage) {
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of());
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofSeconds(30)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), Set.of("slots")));
        scene = new Scene(new ShellView(vm).root(), 1024, 640);
        stage.setScene(scene);
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get();
        scheduler.shutdownNow();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    @Test
    void aLongLineWrapsInsideTheLogAndThousandsOfLinesStayVirtual(FxRobot robot) throws Exception {
        assertEquals(300, REFUSAL.length(), "the trial's length");
        SlotsViewModel slots = vm.model("slots", SlotsPaneModel.class).slots();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> slots.snapshotProperty().get() != null));
        robot.interact(() -> slots.actionLog().setAll("$ rollback   (roll back to blue)", "… running on the server", REFUSAL));
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> Screenshots.save(scene, "action-log-wrapped-1024x640"));
        List<String> problems = fx(this::notWhole);
        assertTrue(problems.isEmpty(), "at 1024x640: " + problems);

        // 5,000 lines (the view-model's cap) ending with the refusal: still only the cells shown are made
        List<String> many = new ArrayList<>(IntStream.range(0, 4999).mapToObj(i -> "line " + i + " of the job's output").toList());
        many.add(REFUSAL);
        robot.interact(() -> slots.actionLog().setAll(many));
        WaitForAsyncUtils.waitForFxEvents();
        int cells = fx(() -> scene.lookup("#action-log").lookupAll(".list-cell").size());
        assertTrue(cells < 60, cells + " cells for 5,000 lines");
        problems = fx(this::notWhole);
        assertTrue(problems.isEmpty(), "after 5,000 lines: " + problems);

        // streamed as a job prints, one FX hop per line (the view-model's sink), long lines among them: the end followed
        for (int i = 1; i <= 3000; i++) {
            String l = i == 3000 || i % 10 == 0 ? REFUSAL : "streamed line " + i;
            javafx.application.Platform.runLater(() -> slots.actionLog().add(l));
        }
        WaitForAsyncUtils.waitForFxEvents();
        problems = fx(this::notWhole);
        assertTrue(problems.isEmpty(), "after 3,000 lines streamed: " + problems);
    }

    private List<String> notWhole() {
        return notWhole(scene, "#action-log", REFUSAL);
    }

    /**
     * What keeps {@code line}, the last of the log {@code id}, from being read whole: cut, wider than the log, outside it,
     * not wrapped, or a sideways scroll bar.
     */
    static List<String> notWhole(Scene scene, String id, String line) {
        List<String> out = new ArrayList<>();
        ListView<?> log = (ListView<?>) scene.lookup(id);
        Node clip = log.lookup(".clipped-container");
        Bounds view = clip.localToScene(clip.getLayoutBounds());
        if (view.getMaxX() > scene.getWidth() + 0.5) {
            out.add("the log " + view + " is wider than the window");
        }
        for (Node n : log.lookupAll(".scroll-bar")) {
            if (n.isVisible() && ((ScrollBar) n).getOrientation() == Orientation.HORIZONTAL) {
                out.add("a horizontal scroll bar");
            }
        }
        ListCell<?> cell = log.lookupAll(".list-cell").stream().map(n -> (ListCell<?>) n)
                .filter(c -> c.isVisible() && c.getIndex() == log.getItems().size() - 1 && line.equals(c.getItem()))
                .findFirst().orElse(null);
        if (cell == null) {
            out.add("the last line is not shown; shown: " + log.lookupAll(".list-cell").stream().map(n -> (ListCell<?>) n)
                    .filter(Node::isVisible).map(c -> c.getIndex() + "@" + Math.round(c.localToScene(0, 0).getY())).toList());
            return out;
        }
        Text text = (Text) cell.lookup(".text");
        String drawn = text == null ? "" : text.getText().replace("\n", "");
        if (!drawn.equals(cell.getText())) {
            out.add("drawn as '" + drawn + "'");
        }
        Bounds t = text == null ? cell.localToScene(cell.getLayoutBounds()) : text.localToScene(text.getLayoutBounds());
        if (t.getMinX() < view.getMinX() - 0.5 || t.getMaxX() > view.getMaxX() + 0.5
                || t.getMinY() < view.getMinY() - 0.5 || t.getMaxY() > view.getMaxY() + 0.5) {
            out.add("the text at " + t + " is not inside the log's view " + view);
        }
        if (t.getHeight() < 2 * 15) {
            out.add("one line " + Math.round(t.getWidth()) + " px wide: not wrapped");
        }
        return out;
    }
}
