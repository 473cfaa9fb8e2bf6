package io.dutydesk.ui.slots;

import io.dutydesk.core.Backend;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
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

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slots pane fed by a polling view-model on Monocle: refreshes, outages, the version field. */
@ExtendWith(ApplicationExtension.class)
class SlotsLiveViewTest {
    static final PseudoClass STALE = PseudoClass.getPseudoClass("stale");
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final FakeBackends backends = new FakeBackends();
    SlotsViewModel vm;
    Scene scene;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        vm = new SlotsViewModel(FxThread.INSTANCE, scheduler, Clock.systemDefaultZone());
        scene = new Scene(new javafx.scene.layout.StackPane(new SlotsView(vm, FxThread.INSTANCE).root()), 1090, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> vm.close()).get();
        scheduler.shutdownNow();
    }

    /** Attaches the view-model to the fake server, polled every 250 ms (faster starves Monocle's robot on a loaded machine). */
    private void attach(FxRobot robot) {
        Environment env = TestEnvironments.fastPolling(Duration.ofMillis(250)).get("ref");
        EnvironmentHandle h = backends.open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE);
        SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), Clock.systemUTC());
        AuditLog audit = MemoryAuditLog.create();
        robot.interact(() -> vm.attach(new SlotsContext(env, reader, new RolloutService(env, reader, h.outbox(), h.containers(),
                h.shell(), audit, "t@d", Clock.systemUTC()), h.containers(), audit)));
    }

    private static void waitFor(String what, Callable<Boolean> c) {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (Exception e) {
            throw new AssertionError("not within 10 s: " + what, e);
        }
    }

    private static boolean stale(Node n) {
        return n.getPseudoClassStates().contains(STALE);
    }

    @Test
    void theRowMenuStaysOpenAndTheSelectionStaysAcrossRefreshes(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of())));
        TableView<?> blue = robot.lookup("#services-blue").queryAs(TableView.class);
        robot.interact(() -> blue.getSelectionModel().select(2));
        Button menu = robot.lookup("#menu-selfology-analysis-worker-blue").queryAs(Button.class);
        assertTrue(menu.getWidth() >= 32 && menu.getHeight() >= 24, "a target one hits: " + menu.getWidth() + "x" + menu.getHeight());
        robot.clickOn(menu);
        ContextMenu open = (ContextMenu) Window.getWindows().stream().filter(w -> w instanceof ContextMenu && w.isShowing())
                .findFirst().orElseThrow(() -> new AssertionError("the row menu did not open"));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "slots-row-menu-open")).get();

        // three refreshes, one of which changes the row under the open menu
        robot.interact(() -> vm.show(Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of())));
        robot.interact(() -> vm.show(Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of("analysis-worker-blue"), Set.of())));
        robot.interact(() -> vm.show(Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of("analysis-worker-blue"), Set.of())));
        assertTrue(open.isShowing(), "the menu survives the refresh");
        assertEquals(2, blue.getSelectionModel().getSelectedIndex(), "the selection survives the refresh");
        assertTrue(robot.lookup("#services-blue .table-row-cell.bad").queryAll().size() == 1, "the row itself shows the change");
        assertTrue(robot.from(blue).lookup("unhealthy").tryQuery().isPresent(), "the state cell follows its row");
        robot.interact(open::hide);
    }

    @Test
    void anOutageMarksTheChipBadgeAndCountsStaleAndRecoveryUnmarksThem(FxRobot robot) throws Exception {
        backends.slots = Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of());
        attach(robot);
        Label live = robot.lookup("#live-badge").queryAs(Label.class);
        Label rb = robot.lookup("#rollback-badge").queryAs(Label.class);
        waitFor("ready", () -> rb.getStyleClass().contains("ready"));
        Label count = robot.lookup("#count-blue").queryAs(Label.class);
        Node card = robot.lookup("#slot-blue").query();

        backends.down(Backend.DOCKER, "the Docker socket /var/run/docker.sock on the server does not answer");
        waitFor("stale", () -> stale(live) && stale(rb) && stale(count) && stale(card));
        // several failed polls: the mark is a state, not a pile of classes
        int polls = vm.problemProperty().get() == null ? 0 : 1;
        waitFor("more failed polls", () -> vm.problemProperty().get() != null);
        assertTrue(rb.getStyleClass().contains("unknown"), rb.getStyleClass().toString());
        assertFalse(rb.getStyleClass().contains("ready"), "not green while nothing is known");
        assertTrue(rb.getText().startsWith("? Rollback unknown — at "), rb.getText());
        Label banner = robot.lookup("#slots-problem").queryAs(Label.class);
        assertTrue(banner.isVisible() && banner.getText().contains("reads the server again before it asks you"), banner.getText());
        Button rollback = robot.lookup("#action-rollback").queryAs(Button.class);
        assertTrue(rollback.getTooltip().getText().contains("reads the server again first"), rollback.getTooltip().getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "slots-stale")).get();

        backends.up(Backend.DOCKER);
        robot.interact(vm::refresh);
        waitFor("fresh", () -> !stale(live) && rb.getStyleClass().contains("ready"));
        assertFalse(stale(rb) || stale(count) || stale(card), "no stale mark left");
        assertEquals(1, rb.getStyleClass().stream().filter(c -> c.equals("ready")).count());
        assertEquals("✔ Rollback ready: blue 4/4 healthy", rb.getText());
        assertFalse(banner.isVisible());
        assertTrue(polls >= 0);
    }

    /**
     * Stale, a card says nothing green: its "4/4 healthy" and its containers' "healthy" are in the muted colour, not the
     * success one, until a read is fresh again (a known failure keeps its red). The trial at 3 a.m. with Docker stopped —
     * every service down — still read "4/4 healthy" and "healthy" in green under the banner: the stale rule for the count
     * came before the green one in the stylesheet and lost, and the cells had none.
     */
    @Test
    void aStaleCardSaysNothingInGreen(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of())));
        Label count = robot.lookup("#count-blue").queryAs(Label.class);
        javafx.scene.control.Labeled cell = robot.from(robot.lookup("#services-blue").queryAs(TableView.class)).lookup(".cond-good")
                .queryAs(javafx.scene.control.Labeled.class);
        javafx.scene.paint.Paint green = WaitForAsyncUtils.asyncFx(count::getTextFill).get();
        assertEquals(green, WaitForAsyncUtils.asyncFx(cell::getTextFill).get(), "fresh: both in the success colour");
        // the live card's frame and its LIVE tag: the success colour while fresh, muted while stale
        javafx.scene.layout.Region card = robot.lookup("#slot-blue").queryAs(javafx.scene.layout.Region.class);
        javafx.scene.layout.Region tag = robot.from(card).lookup(".badge.live").queryAs(javafx.scene.layout.Region.class);
        java.util.concurrent.Callable<javafx.scene.paint.Paint> frame = () -> card.getBorder() == null ? null
                : card.getBorder().getStrokes().get(0).getTopStroke();
        java.util.concurrent.Callable<javafx.scene.paint.Paint> tagFill = () -> tag.getBackground() == null ? null
                : tag.getBackground().getFills().get(0).getFill();
        javafx.scene.paint.Paint frameFresh = WaitForAsyncUtils.asyncFx(frame).get();
        javafx.scene.paint.Paint tagFresh = WaitForAsyncUtils.asyncFx(tagFill).get();

        robot.interact(() -> vm.sourceDown("Docker down; last answer at 03:22:19"));
        waitFor("stale", () -> stale(count));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(green.equals(WaitForAsyncUtils.asyncFx(count::getTextFill).get()), "'" + count.getText() + "' in green while stale");
        assertFalse(green.equals(WaitForAsyncUtils.asyncFx(cell::getTextFill).get()), "'" + cell.getText() + "' in green while stale");
        assertFalse(frameFresh.equals(WaitForAsyncUtils.asyncFx(frame).get()), "the live card's frame in its fresh green while stale");
        assertFalse(tagFresh.equals(WaitForAsyncUtils.asyncFx(tagFill).get()), "the LIVE tag in its fresh green while stale");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "slots-stale-muted")).get();

        robot.interact(() -> vm.sourceDown(null));
        waitFor("fresh", () -> !stale(count));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(green, WaitForAsyncUtils.asyncFx(count::getTextFill).get(), "green again once fresh");
        assertEquals(green, WaitForAsyncUtils.asyncFx(cell::getTextFill).get());
        assertEquals(frameFresh, WaitForAsyncUtils.asyncFx(frame).get());
        assertEquals(tagFresh, WaitForAsyncUtils.asyncFx(tagFill).get());
    }

    @Test
    void aDegradedLiveSlotShowsInTheHeaderInTheWarningColour(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of("analysis-worker-green"), Set.of())));
        Label live = robot.lookup("#live-badge").queryAs(Label.class);
        assertEquals("LIVE: GREEN — 3/4 healthy", live.getText());
        assertTrue(live.getPseudoClassStates().contains(PseudoClass.getPseudoClass("degraded")));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "slots-live-degraded")).get();
        robot.interact(() -> vm.show(Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of())));
        assertEquals("LIVE: GREEN", live.getText());
        assertFalse(live.getPseudoClassStates().contains(PseudoClass.getPseudoClass("degraded")));
    }

    @Test
    void aRefusedVersionIsExplainedInlineAndEnterSubmitsAGoodOne(FxRobot robot) throws Exception {
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of());
        attach(robot);
        waitFor("read", () -> vm.snapshotProperty().get() != null);
        TextField version = robot.lookup("#deploy-version").queryAs(TextField.class);
        Label hint = robot.lookup("#version-hint").queryAs(Label.class);
        assertFalse(hint.isVisible());
        robot.clickOn(version).write("1.0;rm");
        assertTrue(hint.isVisible());
        assertTrue(hint.getText().startsWith("“1.0;rm” is not a version ref deploys: write it like v1.2.0"), hint.getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "slots-version-refused")).get();
        robot.type(KeyCode.ENTER);
        assertTrue(robot.lookup("#confirm-dialog").tryQuery().isEmpty(), "a refused version does not submit");

        robot.interact(() -> version.setText(""));
        robot.clickOn(version).write("v1.5.0");
        assertFalse(hint.isVisible());
        robot.type(KeyCode.ENTER);
        waitFor("the confirmation", () -> robot.lookup("#confirm-dialog").tryQuery().isPresent());
        robot.type(KeyCode.ESCAPE);
    }
    @Test
    void anOpenRollbackConfirmationFollowsTheServerAndDisablesItsButtonWhenTheTargetTurnsUnhealthy(FxRobot robot)
            throws Exception {
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of());
        attach(robot);
        Label rb = robot.lookup("#rollback-badge").queryAs(Label.class);
        waitFor("ready", () -> rb.getStyleClass().contains("ready"));
        robot.clickOn("#action-rollback");
        waitFor("the confirmation", () -> robot.lookup("#confirm-dialog").tryQuery().isPresent());
        Button ok = robot.lookup("#confirm-action").queryAs(Button.class);
        Label changed = robot.lookup("#confirm-changed").queryAs(Label.class);
        assertTrue(robot.lookup("•  green 4/4 healthy").tryQuery().isPresent());
        assertFalse(ok.isDisabled());
        assertFalse(changed.isVisible());

        // while it is open, the target turns unhealthy on the server
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of("analysis-worker-green"), Set.of());
        waitFor("the pane says NOT ready", () -> rb.getStyleClass().contains("not-ready"));
        waitFor("and so does the dialog", () -> robot.lookup("•  green 3/4 healthy").tryQuery().isPresent());
        assertTrue(robot.lookup("•  green 4/4 healthy").tryQuery().isEmpty(), "the old fact is gone");
        assertTrue(ok.isDisabled(), "its button is disabled");
        assertTrue(changed.isVisible());
        assertEquals("✖  State changed since this was planned: the green slot is now unhealthy "
                + "(selfology-analysis-worker-green: unhealthy); cancel and plan again.", changed.getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(ok.getScene(), "confirm-rollback-target-unhealthy")).get();

        // healthy again: the button comes back
        backends.slots = Snapshots.of("blue", "v1.0.0", "v1.4.2", Set.of(), Set.of());
        waitFor("enabled again", () -> !ok.isDisabled() && robot.lookup("•  green 4/4 healthy").tryQuery().isPresent());
        robot.type(KeyCode.ESCAPE);
        waitFor("closed", () -> robot.lookup("#confirm-dialog").tryQuery().isEmpty());
    }
}
