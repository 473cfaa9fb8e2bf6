package io.dutydesk.ui.shell;

import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Scene;
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
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell with the app's own six panes on Monocle: only the background panes exist at start (no node built but
 * the one shown), each other pane is built when first shown, and the one left is hidden.
 */
@ExtendWith(ApplicationExtension.class)
class ShellPanesViewTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    ShellView view;

    @Start
    void start(Stage stage) {
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(100)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create()));
        view = new ShellView(vm);
        stage.setScene(new Scene(view.root(), 1180, 640));
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.close()).get();
        scheduler.shutdownNow();
    }

    /** What is built and shown, read on the FX thread: "id:node-built:shown" per built pane. */
    List<String> built() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> vm.panes().stream().flatMap(s -> vm.pane(s.id()).stream())
                .map(p -> p.id() + ":" + p.built() + ":" + p.isShown()).toList()).get();
    }

    @Test
    void panesAreBuiltWhenFirstShownAndTheOneLeftIsHidden(FxRobot robot) throws Exception {
        assertEquals(List.of("slots:true:true", "alerts:false:false", "today:false:false"), built(),
                "at start: the background panes' models, the shown one's node");
        for (int i = 1; i < vm.panes().size(); i++) {
            int pane = i;
            WaitForAsyncUtils.asyncFx(() -> view.showPane(pane)).get();
            String id = vm.panes().get(i).id();
            assertTrue(built().contains(id + ":true:true"), id + " built and shown: " + built());
            assertTrue(robot.lookup("#navigation").tryQuery().isPresent());
        }
        List<String> all = built();
        assertEquals(6, all.size(), all.toString());
        assertEquals(1, all.stream().filter(s -> s.endsWith(":true")).count(), "one pane shown: " + all);
        assertTrue(all.contains("today:true:true"));
        WaitForAsyncUtils.asyncFx(() -> view.showPane(1)).get();
        assertTrue(built().contains("outbox:true:true"));
        assertFalse(built().contains("today:true:true"), "the pane left is hidden");
    }

    /**
     * A pane shown again is the same nodes, never taken out of the scene: taking it out and back cost each showing all
     * its CSS again and its tables' cells made anew (40-150 ms of the FX thread, P7's longest pulse gaps). A hidden
     * pane is invisible and unmanaged (its size counts for nothing), and the keyboard never reaches into it.
     */
    @Test
    void aPaneShownAgainIsTheSameNodesAndAHiddenOneIsOutOfReach(FxRobot robot) throws Exception {
        int panes = vm.panes().size();
        for (int i = 0; i < panes; i++) {
            int pane = i;
            WaitForAsyncUtils.asyncFx(() -> view.showPane(pane)).get();
        }
        WaitForAsyncUtils.asyncFx(() -> view.showPane(0)).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<javafx.scene.Node> nodes = WaitForAsyncUtils.asyncFx(() -> vm.panes().stream()
                .map(s -> vm.pane(s.id()).orElseThrow().node()).toList()).get();
        javafx.scene.Node shown = nodes.get(0);
        for (int i = 1; i < panes; i++) {
            javafx.scene.Node hidden = nodes.get(i);
            String id = vm.panes().get(i).id();
            assertTrue(hidden.getScene() == shown.getScene(), id + " stays in the scene while hidden");
            assertFalse(hidden.isVisible(), id + " hidden: not drawn");
            assertFalse(hidden.isManaged(), id + " hidden: its size counts for nothing");
        }
        assertTrue(shown.isVisible() && shown.isManaged());
        // shown again: the very nodes of its first showing
        WaitForAsyncUtils.asyncFx(() -> view.showPane(1)).get();
        javafx.scene.Node again = WaitForAsyncUtils.asyncFx(() -> vm.pane(vm.panes().get(1).id()).orElseThrow().node()).get();
        assertTrue(again == nodes.get(1) && again.isVisible() && again.isManaged() && !shown.isVisible());
        WaitForAsyncUtils.asyncFx(() -> view.showPane(0)).get();
        // Tab through the window: the focus never lands in a hidden pane
        robot.clickOn("#navigation");
        for (int i = 0; i < 40; i++) {
            robot.push(javafx.scene.input.KeyCode.TAB);
            javafx.scene.Node owner = WaitForAsyncUtils.asyncFx(() -> shown.getScene().getFocusOwner()).get();
            for (javafx.scene.Node n = owner; n != null; n = n.getParent()) {
                int at = nodes.indexOf(n);
                assertTrue(at <= 0, "Tab reached " + owner + " in the hidden pane " + (at < 0 ? "" : vm.panes().get(at).id()));
            }
        }
    }

    /**
     * A screen reader is handed the shown pane only, as when the others were out of the scene: the pane area's
     * accessible children are the shown pane's node, whichever panes were built before (Parent hands every child, a
     * hidden one too).
     */
    @Test
    void aScreenReaderIsHandedTheShownPaneOnly() throws Exception {
        for (int i = vm.panes().size() - 1; i >= 0; i--) {
            int pane = i;
            WaitForAsyncUtils.asyncFx(() -> view.showPane(pane)).get();
        }
        for (int i : new int[]{2, 0}) {
            WaitForAsyncUtils.asyncFx(() -> view.showPane(i)).get();
            javafx.scene.Node shown = WaitForAsyncUtils.asyncFx(() -> vm.pane(vm.panes().get(i).id()).orElseThrow().node()).get();
            Object children = WaitForAsyncUtils.asyncFx(() -> shown.getParent()
                    .queryAccessibleAttribute(javafx.scene.AccessibleAttribute.CHILDREN)).get();
            assertEquals(List.of(shown), children, vm.panes().get(i).id() + " shown: a screen reader is handed it alone");
        }
    }

    /**
     * The keyboard leaves a pane as it is hidden, for the navigation: at once, not at the next pulse (until then the
     * hidden field had the keys: Ctrl+5's typed digit opened the PromQL completion list over the other pane), and not
     * for the next focusable node in the scene (the Slots pane's version field left the focus to the Outbox pane's
     * "Restart relay…", which the Enter that followed pressed). The window trial's Ctrl+2 from a typed-in field.
     */
    @Test
    void theKeyboardLeavesAHiddenPaneForTheNavigation(FxRobot robot) throws Exception {
        for (String from : List.of("slots", "metrics")) {
            String field = from.equals("slots") ? "#deploy-version" : "#promql-editor";
            WaitForAsyncUtils.asyncFx(() -> view.showPane(from)).get();
            WaitForAsyncUtils.waitForFxEvents();
            robot.clickOn(field).write("v1");
            javafx.scene.Node pane = WaitForAsyncUtils.asyncFx(() -> vm.pane(from).orElseThrow().node()).get();
            javafx.scene.Scene scene = pane.getScene();
            assertTrue(WaitForAsyncUtils.asyncFx(() -> inside(scene.getFocusOwner(), pane)).get(), from + ": typed into " + field);
            // as Ctrl+2 does: the pane shown, and the focus looked at before any pulse
            javafx.scene.Node owner = WaitForAsyncUtils.asyncFx(() -> {
                view.showPane("outbox");
                return scene.getFocusOwner();
            }).get();
            assertFalse(inside(owner, pane), from + " hidden: the keys still went to " + owner);
            WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.Node later = WaitForAsyncUtils.asyncFx(scene::getFocusOwner).get();
            assertEquals("navigation", later == null ? null : later.getId(), from + " hidden: the focus is on " + later);
        }
    }

    private static boolean inside(javafx.scene.Node n, javafx.scene.Node pane) {
        for (javafx.scene.Node c = n; c != null; c = c.getParent()) {
            if (c == pane) {
                return true;
            }
        }
        return false;
    }
}
