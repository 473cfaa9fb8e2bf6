package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.OutboxFakes;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.NavBadge;
import io.dutydesk.ui.fx.Theme;
import io.dutydesk.ui.outbox.OutboxViewModel;
import io.dutydesk.ui.today.TodayViewModel;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window trial's three findings, in the window the app wires (the shell, the Today pane's badges and header
 * statement following the built panes' own states, as {@code DutydeskApp} does):
 * <ol>
 *   <li>the Outbox badge followed the newest check run ("ok") while the Outbox pane's banner said PostgreSQL down: it
 *       is drawn from the pane's state now, never better;</li>
 *   <li>the header said "stale since T1" (the last answer) and the status bar "down since T2" (the first failed check)
 *       for one outage: both name the last answer now, in the same words;</li>
 *   <li>at 1024 px the navigation showed a pane's state by a tint only: its words are under the icon now.</li>
 * </ol>
 * Screenshots at 1400x900 and 1024x640 (target/screenshots).
 */
@ExtendWith(ApplicationExtension.class)
class PaneStateInTheWindowTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    final FakeBackends backends = new FakeBackends();
    final OutboxFakes outbox = new OutboxFakes();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    ShellViewModel vm;
    ShellView view;
    TodayViewModel today;
    Scene scene;

    @Start
    void start(Stage stage) {
        backends.slots = Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of());
        backends.backlog = outbox;
        backends.stream = outbox;
        var env = OutboxFakes.environment(Duration.ofMillis(200));
        vm = new ShellViewModel(Map.of("ref", env.withPoll(new io.dutydesk.core.config.Environment.Poll(Duration.ofMillis(200),
                Duration.ofMillis(800), Duration.ofSeconds(2)))), backends, HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler,
                FxThread.INSTANCE, Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler,
                io.dutydesk.testing.MemoryAuditLog.create(), Set.of("slots", "outbox", "today")));
        view = new ShellView(vm);
        // the app's wiring of the badges and the header's statement (DutydeskApp)
        today = vm.model("today", TodayViewModel.class);
        view.badges(today.badges());
        view.production(today.productionProperty(), today.productionStateProperty(), today.productionDetailProperty());
        today.followPanes(vm.paneStates());
        scene = new Scene(view.root(), 1024, 640);
        stage.setScene(scene);
        stage.sizeToScene(); // TestFX's stage is shared: an earlier class may have resized it
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get();
        scheduler.shutdownNow();
    }

    static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    NavBadge badge(String pane) {
        return fx(() -> today.badges().get(pane));
    }

    /**
     * The window at {@code w}x{@code h}, laid out, as a PNG under target/screenshots; {@code check} runs on it then (on the
     * FX thread). The window's own size (1024x640) is drawn as it is; another is laid out and drawn in a scene of that
     * size in no window (the same nodes), then put back: Monocle's headless screen is 1280x800 (a larger window overflows
     * its frame buffer), and TestFX's stage is shared by the classes after this one (one resized stays that size).
     */
    void shot(double w, double h, String name, java.util.function.Consumer<Scene> check) {
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> {
            if (scene.getWidth() == w && scene.getHeight() == h) {
                settle(scene);
                Screenshots.save(scene, name);
                check.accept(scene);
                return null;
            }
            javafx.scene.Parent root = scene.getRoot();
            scene.setRoot(new javafx.scene.Group());
            Scene other = new Scene(root, w, h);
            try {
                settle(other);
                Screenshots.save(other, name);
                check.accept(other);
            } finally {
                other.setRoot(new javafx.scene.Group());
                scene.setRoot(root);
                settle(scene);
            }
            return null;
        });
    }

    static void settle(Scene s) {
        for (int i = 0; i < 3; i++) {
            s.getRoot().applyCss();
            s.getRoot().layout();
        }
    }

    /** The morning check ran with the outbox fine, then the Outbox pane is on the screen. */
    void checkedThenOutboxShown(FxRobot robot) {
        fx(() -> {
            view.showPane("today");
            return null;
        });
        await(() -> "the check's outbox badge: " + badge("outbox"), WAIT, () -> fx(() -> today.latestProperty().get() != null)
                && badge("outbox") != null && "pass".equals(badge("outbox").state()));
        fx(() -> {
            view.showPane("outbox");
            return null;
        });
        await("the Outbox pane read", WAIT, () -> fx(() -> robot.lookup("#outbox-header").tryQuery()
                .map(n -> ((Label) n).getText().startsWith("Outbox: 5 pending")).orElse(false)));
    }

    /**
     * PostgreSQL stops answering the Outbox pane's read (the header's probe of it still answers: the trial's case, where
     * nothing made the check's badge unknown): the badge says "down" with the pane's banner, never the run's "ok"; the
     * pane reads it again and the badge is "ok" again. At 1024 px the badge's words are under the icon, whole.
     */
    @Test
    void theOutboxBadgeNeverSaysBetterThanThePane(FxRobot robot) {
        checkedThenOutboxShown(robot);
        outbox.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        Label banner = robot.lookup("#pg-problem").queryAs(Label.class);
        await(() -> "the banner: " + fx(banner::getText), WAIT, () -> fx(banner::isVisible));
        await(() -> "the badge with the banner: " + badge("outbox"), WAIT, () -> "down".equals(badge("outbox").text()));
        NavBadge b = badge("outbox");
        assertEquals("unknown", b.state(), "never green beside a down banner");
        assertTrue(fx(banner::getText).startsWith("PostgreSQL: down; last answer at "), fx(banner::getText));
        assertEquals(OutboxViewModel.HeaderState.DOWN, fx(() -> vm.model("outbox", OutboxViewModel.class).headerStateProperty().get()));
        assertNotEquals("pass", fx(() -> today.productionStateProperty().get()), "nor the header's statement: " + fx(() -> today.productionProperty().get()));
        shot(1400, 900, "trial-outbox-down-badge-1400x900", s -> {
            Label wide = (Label) s.lookup("#badge-outbox");
            assertEquals("down", wide.getText(), "titles shown, the badge beside");
            assertTrue(!wide.getStyleClass().contains("compact"));
            statusBarInSight(s);
        });
        shot(1024, 640, "trial-outbox-down-badge-1024x640", this::statusBarInSight);
        compactBadgesAreWords(robot);

        outbox.pgDown = null;
        await(() -> "read again: " + badge("outbox"), WAIT, () -> "ok".equals(badge("outbox").text()));
        assertEquals("pass", badge("outbox").state());
    }

    /**
     * The status bar whole inside the window: the Outbox pane's minimum with PostgreSQL's banner shown (590 px) pushed it
     * below a 1024x640 window's edge.
     */
    void statusBarInSight(Scene s) {
        Node bar = s.lookup("#status-bar");
        Bounds b = bar.localToScene(bar.getBoundsInLocal());
        assertTrue(b.getMinY() >= 0 && b.getMaxY() <= s.getHeight() + 0.5, "the status bar " + b + " in the window of "
                + s.getHeight() + " px");
        Node pane = s.lookup("#pane-outbox");
        Bounds p = pane.localToScene(pane.getBoundsInLocal());
        assertTrue(p.getMaxY() <= b.getMinY() + 0.5, "the pane " + p + " ends above the status bar " + b);
    }

    /**
     * At 1024x640 the navigation is icons only: each badge's words are under its icon (a screen reader hears them too),
     * whole, inside the navigation's column — the state is not said by colour alone.
     */
    void compactBadgesAreWords(FxRobot robot) {
        ListView<?> nav = robot.lookup("#navigation").queryAs(ListView.class);
        assertTrue(fx(() -> nav.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("compact"))), "icons only at 1024 px");
        fx(() -> {
            Bounds column = nav.localToScene(nav.getBoundsInLocal());
            int seen = 0;
            for (String pane : today.badges().keySet()) {
                Node n = robot.lookup("#badge-" + pane).tryQuery().orElse(null);
                if (n == null) {
                    continue; // a pane whose cell is not laid out
                }
                seen++;
                Label l = (Label) n;
                assertTrue(l.isVisible() && l.getStyleClass().contains("compact"), pane + ": the badge under the icon");
                assertEquals(today.badges().get(pane).text(), l.getText());
                Text shown = (Text) l.lookup(".text");
                assertEquals(l.getText(), shown.getText(), pane + ": its words whole, not cut");
                Bounds b = l.localToScene(l.getBoundsInLocal());
                assertTrue(b.getMinX() >= column.getMinX() && b.getMaxX() <= column.getMaxX(), pane + ": inside the column " + b + " of " + column);
                assertTrue(b.getHeight() >= 10, pane + ": legible, " + b.getHeight() + " px high");
                javafx.scene.control.ListCell<?> cell = (javafx.scene.control.ListCell<?>) l.getParent().getParent();
                assertTrue(cell.getAccessibleText().contains(l.getText()), "a screen reader hears it: " + cell.getAccessibleText());
            }
            assertTrue(seen >= 2, "badges seen: " + seen);
            return null;
        });
    }

    /**
     * One outage, one time: PostgreSQL down, the header's statement and the status bar name the same last answer, in
     * the same words ("PostgreSQL down; last answer at T"); the status bar's hover says the first failed check apart.
     */
    @Test
    void theHeaderAndTheStatusBarNameTheSameLastAnswer(FxRobot robot) {
        checkedThenOutboxShown(robot);
        BackendIndicatorViewModel pg = vm.indicator(Backend.POSTGRES);
        outbox.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        backends.down(Backend.POSTGRES, "PostgreSQL 127.0.0.1:5432: Connection refused");
        await(() -> "down in the status bar and the header: " + fx(() -> pg.textProperty().get()) + " / "
                + fx(() -> today.productionProperty().get()), WAIT,
                () -> fx(() -> pg.stateProperty().get() == BackendStatus.State.DOWN
                        && today.productionProperty().get().contains("PostgreSQL down")));
        String bar = fx(() -> pg.textProperty().get());
        String header = fx(() -> today.productionProperty().get());
        Matcher m = Pattern.compile("down; last answer at ((?:[A-Z][a-z]{2} \\d{1,2} )?\\d\\d:\\d\\d:\\d\\d)").matcher(bar);
        assertTrue(m.matches(), bar);
        assertEquals("ref: PostgreSQL down; last answer at " + m.group(1), header, "the header names the status bar's time");
        String hover = fx(() -> pg.detailsProperty().get());
        assertTrue(hover.matches("(?s)PostgreSQL: down; last answer at " + m.group(1) + " \\(first failed check at ([A-Z][a-z]{2} \\d{1,2} )?\\d\\d:\\d\\d:\\d\\d\\).*"), hover);
        shot(1400, 900, "trial-one-outage-one-time-1400x900", s -> {
            // the status bar's full form at 1400 px: one indicator each, PostgreSQL's saying the header's time
            Label statusText = (Label) s.lookup("#indicator-postgres").lookup(".indicator-text");
            assertTrue(statusText.isVisible() && statusText.getParent().getParent().isVisible(), "the full form is shown");
            assertEquals(bar, statusText.getText());
            statusBarInSight(s);
        });
        shot(1024, 640, "trial-one-outage-one-time-1024x640", this::statusBarInSight);
    }
}
