package io.dutydesk.ui.today;

import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import static io.dutydesk.ui.today.FakeChecks.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Today pane on Monocle over a fake checklist: every state's row, the changed marks, the links, folding, the
 * history selector, the row per environment and the report actions. Every node is read on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class TodayViewTest {
    static final Instant T0 = Instant.parse("2026-03-10T07:30:00Z");
    Stage stage;
    Scene scene;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        scene = new Scene(new StackPane(), 1180, 720);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A lookup on the FX thread after CSS: the rows live in a ScrollPane whose content joins the scene graph only when
     * its skin is made (a pulse or applyCss), so a lookup before the first pulse would find nothing.
     */
    Node find(String selector) {
        scene.getRoot().applyCss();
        return scene.lookup(selector);
    }

    String text(Scene s, String id) {
        Node n = find("#" + id);
        return n instanceof Label l ? l.getText() : n instanceof Hyperlink h ? h.getText() : null;
    }

    record Built(TodayViewModel vm, TodayView view, FakeChecks fake, List<String> navigated, File[] saveTo) {}

    /** Yesterday's run kept, a run now: slots pass, outbox warn (was pass), alerts fail, error-rate unknown (was pass). */
    Built build() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        FakeChecks fake = new FakeChecks(clock, List.of(), ZoneId.of("Europe/Berlin"));
        fake.keep(T0.minus(Duration.ofDays(1)), List.of(
                result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.PASS, "pending 3 < 100, oldest 4 s"),
                result("alerts", CheckSource.ALERTS, CheckStatus.FAIL, "ServiceDown firing"),
                result("error-rate", CheckSource.PROMETHEUS, CheckStatus.PASS, "0.2 % < 1 %")));
        fake.next = at -> List.of(
                result("slots", CheckSource.SLOTS, CheckStatus.PASS, "live blue healthy, rollback ready"),
                result("outbox", CheckSource.OUTBOX, CheckStatus.WARN, "pending 140 ≥ 100, oldest 34 min"),
                result("alerts", CheckSource.ALERTS, CheckStatus.FAIL, "ServiceDown fired 02:14, still firing"),
                result("error-rate", CheckSource.PROMETHEUS, CheckStatus.UNKNOWN, "prometheus not read: connection refused"));
        List<String> navigated = new ArrayList<>();
        File[] saveTo = {null};
        return fx(() -> {
            TodayViewModel vm = new TodayViewModel(Runnable::run, null, clock, h -> fake, () -> List.of("ref", "staging"),
                    null);
            vm.setNavigate(navigated::add);
            TodayView view = new TodayView(vm, owner -> saveTo[0]);
            scene.setRoot(view.root());
            vm.attach(fake.env, null);
            return new Built(vm, view, fake, navigated, saveTo);
        });
    }

    @Test
    void eachCheckShowsItsStateEvidenceAndChangedMark() {
        Built b = build();
        assertEquals("WARN", fx(() -> text(scene, "status-outbox")));
        assertEquals("FAIL", fx(() -> text(scene, "status-alerts")));
        assertEquals("UNKNOWN", fx(() -> text(scene, "status-error-rate")));
        assertEquals("pending 140 ≥ 100, oldest 34 min", fx(() -> text(scene, "evidence-outbox")));
        assertTrue(fx(() -> find("#status-error-rate").getStyleClass().contains("unknown")), "unknown is styled unknown, not pass");
        // changed since yesterday's run: outbox (pass → warn) and error-rate (pass → unknown); alerts failed both times
        assertEquals("changed: was pass", fx(() -> text(scene, "changed-outbox")));
        assertEquals("changed: was pass", fx(() -> text(scene, "changed-error-rate")));
        assertNull(fx(() -> find("#changed-alerts")));
        // the passing check is folded; unfolding shows it
        assertNull(fx(() -> find("#check-slots")));
        assertTrue(fx(() -> text(scene, "show-passing")).startsWith("1 passing check folded"));
        fx(() -> {
            ((Hyperlink) find("#show-passing")).fire();
            return null;
        });
        assertEquals("PASS", fx(() -> text(scene, "status-slots")));
        assertTrue(fx(() -> find("#status-slots").getStyleClass().contains("pass")));
        assertTrue(fx(() -> text(scene, "since-yesterday")).contains("outbox pass → warn"));
    }

    /** At 1024 px the pane has ~970 px (icons-only navigation): its toolbar wraps rather than pushing the window's edge (Monocle's fonts are narrower than a desktop's: the bound has room for that). */
    @Test
    void thePaneFitsTheWidthLeftAt1024() {
        Built b = build();
        double min = fx(() -> {
            scene.getRoot().applyCss();
            return b.view().root().minWidth(-1);
        });
        assertTrue(min <= 600, "the Today pane's minimum width " + min + " px fits 1024 px less the navigation");
    }

    @Test
    void theLinksShowThePaneThatTellsMore() {
        Built b = build();
        fx(() -> {
            ((Hyperlink) find("#open-outbox")).fire();
            ((Hyperlink) find("#open-error-rate")).fire();
            ((Hyperlink) find("#open-alerts")).fire();
            return null;
        });
        assertEquals(List.of("outbox", "metrics", "alerts"), b.navigated());
        assertEquals("Outbox →", fx(() -> text(scene, "open-outbox")));
    }

    @Test
    void theHistorySelectorShowsYesterdaysRunAndRunNowRunsAgain() {
        Built b = build();
        @SuppressWarnings("unchecked")
        ComboBox<CheckRun> runs = fx(() -> (ComboBox<CheckRun>) find("#run-history"));
        assertEquals(2, fx(() -> runs.getItems().size()));
        assertEquals(T0, fx(() -> runs.getValue().at()), "the selector shows the run on the screen (the kept runs read after it)");
        fx(() -> {
            runs.setValue(runs.getItems().get(1)); // yesterday's
            return null;
        });
        assertNull(fx(() -> find("#check-outbox")), "yesterday's outbox passed: folded");
        // back to the newest, then one click on "yesterday" shows yesterday's run again; "a week ago": none kept, said
        fx(() -> {
            runs.setValue(runs.getItems().get(0));
            ((Hyperlink) find("#show-yesterday")).fire();
            return null;
        });
        assertEquals(T0.minus(Duration.ofDays(1)), fx(() -> b.vm().shownRunProperty().get().at()));
        fx(() -> {
            ((Hyperlink) find("#show-week-ago")).fire();
            return null;
        });
        assertTrue(fx(() -> text(scene, "today-status")).contains("no run kept from 7 days before"), fx(() -> text(scene, "today-status")));
        assertEquals(T0.minus(Duration.ofDays(1)), fx(() -> b.vm().shownRunProperty().get().at()), "the run on the screen stays");
        fx(() -> {
            b.vm().foldPassingProperty().set(false);
            return null;
        });
        assertEquals("PASS", fx(() -> text(scene, "status-outbox")), "yesterday's outbox");
        assertNull(fx(() -> find("#changed-outbox")));
        fx(() -> {
            ((Button) find("#run-now")).fire();
            return null;
        });
        assertEquals(2, b.fake().runs.get());
        assertEquals(3, fx(() -> runs.getItems().size()));
        assertEquals("WARN", fx(() -> text(scene, "status-outbox")), "the new run is shown");
        assertNotNull(fx(() -> runs.getValue()), "the selector shows the new run");
        assertEquals(0, fx(() -> runs.getSelectionModel().getSelectedIndex()),
                "the new run is the selector's first item (the store's copy replaced by the run on the screen)");
        assertTrue(fx(() -> runs.getItems().contains(runs.getValue())));
        assertTrue(fx(() -> { scene.getRoot().applyCss(); return ((javafx.scene.control.ListCell<?>) runs.getButtonCell()).getText(); }).contains("·"),
                "the selector's button shows the run");
        // the environments: this one from its run, the other not run (nothing kept, no connection opened)
        assertTrue(fx(() -> find("#env-ref").toString() != null));
        assertEquals(Set.of("FAIL", "NOT RUN"), fx(() -> Set.of(
                ((Label) ((javafx.scene.layout.HBox) find("#env-ref")).getChildren().get(1)).getText(),
                ((Label) ((javafx.scene.layout.HBox) find("#env-staging")).getChildren().get(1)).getText())));
    }

    @Test
    void theReportIsCopiedAsMarkdownAndSavedAsHtmlReadableByTheUserOnly(@TempDir Path dir) throws Exception {
        Built b = build();
        fx(() -> {
            ((Button) find("#copy-markdown")).fire();
            return null;
        });
        String md = fx(() -> Clipboard.getSystemClipboard().getString());
        assertNotNull(md);
        assertTrue(md.contains("pending 140 ≥ 100, oldest 34 min"), md);
        assertTrue(md.contains("ref"), md);
        File out = dir.resolve("report.html").toFile();
        b.saveTo()[0] = out;
        fx(() -> {
            ((Button) find("#save-html")).fire();
            return null;
        });
        String html = Files.readString(out.toPath());
        assertTrue(html.contains("ServiceDown fired 02:14, still firing"), html);
        assertTrue(html.contains("<html") || html.contains("<!DOCTYPE"), html);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.toPath())));
        assertTrue(fx(() -> text(scene, "today-status")).contains("saved"));
        // a folder one cannot write to: said, not thrown
        b.saveTo()[0] = new File("/proc/no-such/report.html");
        fx(() -> {
            ((Button) find("#save-html")).fire();
            return null;
        });
        assertTrue(fx(() -> text(scene, "today-status")).contains("not saved"), fx(() -> text(scene, "today-status")));
        assertFalse(fx(() -> text(scene, "today-status")).contains("· saved"));
    }
}
