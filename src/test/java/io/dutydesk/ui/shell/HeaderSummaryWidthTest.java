package io.dutydesk.ui.shell;

import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The header's "backends reachable" statement of an environment with parts not configured is whole at the window's
 * minimum size and at the largest a test can show: the window trial read "all 6 backends ok (1 not co…" at 1400x900
 * while the host line, which may give way, still had room.
 */
@ExtendWith(ApplicationExtension.class)
class HeaderSummaryWidthTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    Scene scene;
    Stage stage;
    ShellView view;
    /** The header's second statement (the Today pane's in the app). */
    final javafx.beans.property.StringProperty production = new javafx.beans.property.SimpleStringProperty("");
    final javafx.beans.property.StringProperty productionState = new javafx.beans.property.SimpleStringProperty("unknown");

    @Start
    void start(Stage stage) {
        vm = new ShellViewModel(environments(), backends, HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler,
                FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), Set.of("slots")));
        view = new ShellView(vm);
        this.stage = stage;
        scene = new Scene(view.root(), 1024, 640);
        stage.setScene(scene);
        stage.show();
        vm.select("small");
    }

    /** As the reference host's ref-single: parts not configured and a long description in the host line. */
    static java.util.Map<String, io.dutydesk.core.config.Environment> environments() {
        io.dutydesk.core.config.EnvironmentsFile f = io.dutydesk.core.config.EnvironmentsFile.parse(java.nio.file.Path.of("test.yaml"), """
                environments:
                  small:
                    description: Local reference host, LifeOS conventions (one stack replaced in place by ./deploy.sh)
                    ssh: { host: small.example, user: dutydesk-deploy, port: 24022 }
                    redis: false
                    alertmanager: false
                    backups: false
                """);
        java.time.Duration i = java.time.Duration.ofMillis(50);
        java.util.Map<String, io.dutydesk.core.config.Environment> out = new java.util.LinkedHashMap<>();
        f.environments().forEach((k, e) -> out.put(k, e.withPoll(new io.dutydesk.core.config.Environment.Poll(i, i.multipliedBy(4),
                java.time.Duration.ofSeconds(2)))));
        return out;
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get();
        scheduler.shutdownNow();
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    /** The scene laid out at {@code w} x 640 (a scene in no window is laid out by hand). */
    private void layOut(double w) throws Exception {
        fx(() -> {
            javafx.scene.Parent root = scene.getRoot();
            scene.setRoot(new javafx.scene.layout.Pane());
            scene = new Scene(root, w, 640);
            ((javafx.scene.layout.Region) root).resize(w, 640);
            for (int i = 0; i < 3; i++) {
                root.applyCss();
                root.layout();
            }
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private double right(String id) throws Exception {
        javafx.scene.Node n = fx(() -> scene.lookup(id));
        return fx(() -> n.localToScene(n.getBoundsInLocal()).getMaxX());
    }

    private boolean whole(String id) throws Exception {
        javafx.scene.layout.Region l = fx(() -> (javafx.scene.layout.Region) scene.lookup(id));
        return fx(() -> l.getWidth() >= l.prefWidth(-1) - 0.5);
    }

    /**
     * With the check's statement beside the backends' ("ref-single: warn (checks 03:14)", as the app shows it), the header
     * still fits the window at its minimum size: the app's name (the logo and the window's title say it) gives way, then
     * the statement is cut ("…", whole in its tooltip) — never the window. The window trial at 1024x640 on ref-single saw
     * the header 43 px wider than the window, and with it every pane and the status bar: the theme toggle, "Backup now",
     * the stack's last column cut at the right edge.
     */
    @Test
    void theHeaderWithBothStatementsFitsTheWindowAndNothingIsPushedOut(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> fx(() -> vm.summaryStateProperty().get() == BackendStatus.State.OK));
        fx(() -> {
            view.production(production, productionState);
            production.set("small: warn (checks 03:14)");
            productionState.set("warn");
            return null;
        });
        layOut(1024);
        javafx.scene.layout.BorderPane root = fx(() -> (javafx.scene.layout.BorderPane) scene.getRoot());
        assertTrue(fx(() -> root.getTop().getLayoutBounds().getWidth()) <= 1024.5,
                "the header is wider than the window: " + fx(() -> root.getTop().getLayoutBounds().getWidth()));
        assertTrue(fx(() -> root.getCenter().localToScene(root.getCenter().getLayoutBounds()).getMaxX()) <= 1024.5,
                "the pane area runs out of the window");
        assertTrue(right("#theme-toggle") <= 1024.5, "the theme toggle ends at " + right("#theme-toggle"));
        assertTrue(whole("#health-summary"), "the backends' statement is cut");
        assertTrue(whole("#production-summary"), "the check's statement is cut while the app's name could give way");
        assertTrue(whole("#environment-picker"), "the environment's name is cut");

        // wider: the app's name is back, and still everything fits
        layOut(1280);
        javafx.scene.Node name = fx(() -> robot.from(root.getTop()).lookup(".app-title").query());
        assertTrue(fx(name::isVisible), "the app's name at 1280 px");
        assertTrue(right("#theme-toggle") <= 1280.5, "the theme toggle ends at " + right("#theme-toggle"));

        // a statement too long for what is left is cut, whole in its tooltip; the window still holds everything
        fx(() -> {
            production.set("small: SSH down; last answer at 03:14:05 — outbox fail, alerts warn, backups unknown (checks 03:14)");
            return null;
        });
        layOut(1024);
        assertTrue(fx(() -> root.getTop().getLayoutBounds().getWidth()) <= 1024.5,
                "the header is wider than the window: " + fx(() -> root.getTop().getLayoutBounds().getWidth()));
        assertTrue(right("#theme-toggle") <= 1024.5, "the theme toggle ends at " + right("#theme-toggle"));
        assertTrue(right("#production-summary") <= right("#refresh"), "the statement runs under the refresh button");
        assertTrue(whole("#health-summary"), "the backends' statement is cut");
        assertTrue(whole("#environment-picker"), "the environment's name is cut");
    }

    @Test
    void allOkWithPartsNotConfiguredIsWhole(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> fx(() -> vm.summaryStateProperty().get() == BackendStatus.State.OK));
        assertEquals("all 4 backends ok (3 not configured)", fx(() -> vm.summaryProperty().get()));
        for (double w : new double[] {1024, 1280}) {
            // a scene of that width (not the stage resized: the test fork's primary stage would keep that size for the
            // next test class); a scene in no window is laid out by hand
            fx(() -> {
                javafx.scene.Parent root = scene.getRoot();
                scene.setRoot(new javafx.scene.layout.Pane());
                scene = new Scene(root, w, 640);
                ((javafx.scene.layout.Region) root).resize(w, 640);
                for (int i = 0; i < 3; i++) {
                    root.applyCss();
                    root.layout();
                }
                return null;
            });
            WaitForAsyncUtils.waitForFxEvents();
            Label summary = fx(() -> (Label) scene.lookup("#health-summary"));
            double width = fx(summary::getWidth);
            double pref = fx(() -> summary.prefWidth(-1));
            assertTrue(width >= pref - 0.5, "at " + w + " px '" + fx(summary::getText) + "' is cut: " + width + " of " + pref + " px");
            // and nothing after it is pushed out of the window: the host line gave way
            javafx.scene.Node theme = fx(() -> scene.lookup("#theme-toggle"));
            double right = fx(() -> theme.localToScene(theme.getBoundsInLocal()).getMaxX());
            assertTrue(right <= w + 0.5, "at " + w + " px the theme toggle ends at " + right);
        }
    }
}
