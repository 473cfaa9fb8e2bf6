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

    @Start
    void start(Stage stage) {
        vm = new ShellViewModel(environments(), backends, HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler,
                FxThread.INSTANCE, Clock.systemDefaultZone(),
                io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, io.dutydesk.testing.MemoryAuditLog.create(), Set.of("slots")));
        ShellView view = new ShellView(vm);
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
