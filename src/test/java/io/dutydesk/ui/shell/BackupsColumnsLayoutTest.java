package io.dutydesk.ui.shell;

import io.dutydesk.core.backups.BackupCatalog;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.backups.BackupsViewModel;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.PaneSpec;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window trial's Backups pane in the whole window at 1024x640 (its minimum) and 1400x900: the "Verified" column was
 * clipped at 1400 px and off-screen at 1024 px. Every column stating a fact the user acts on (file, kind, size, age,
 * verified) is inside the table's visible bounds, header and cells; a shortened text starts with what it states and
 * its tooltip holds the whole text; the verification state (✓ / ✗ / not verified) is always drawn.
 */
@ExtendWith(ApplicationExtension.class)
class BackupsColumnsLayoutTest {
    static final List<String> FACTS = List.of("Name", "Kind", "Size", "Age", "Verified");
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final Instant now = Instant.now();
    ShellViewModel vm;
    Scene scene;
    javafx.scene.Parent root;
    Environment env;

    @Start
    void start(Stage stage) {
        Map<String, Environment> envs = TestEnvironments.fastPolling(Duration.ofHours(1));
        env = envs.get("ref");
        backends.backupFolders.put(env.backups().folders().get(0), files());
        List<PaneSpec> specs = io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler,
                io.dutydesk.testing.MemoryAuditLog.create(), Set.of("backups"));
        vm = new ShellViewModel(envs, backends, HostKeyPrompt.REFUSE, SecretPrompt.NONE, scheduler, FxThread.INSTANCE,
                Clock.systemDefaultZone(), specs);
        root = new ShellView(vm).root();
        scene = new Scene(root, 1024, 640);
        stage.setScene(scene);
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get();
        scheduler.shutdownNow();
    }

    List<RemoteShell.RemoteFile> files() {
        return List.of(
                new RemoteShell.RemoteFile(name("full", 5), 518_000, now.minusSeconds(5 * 3600), false),
                new RemoteShell.RemoteFile(name("incr", 1), 506_000, now.minusSeconds(3600), false),
                new RemoteShell.RemoteFile(name("full", 29), 517_000, now.minusSeconds(29 * 3600), false),
                new RemoteShell.RemoteFile(name("predeploy", 30), 518_100, now.minusSeconds(30 * 3600), false),
                new RemoteShell.RemoteFile(name("incr", 2), 506_100, now.minusSeconds(2 * 3600), false),
                new RemoteShell.RemoteFile(name("incr", 3), 506_200, now.minusSeconds(3 * 3600), false),
                new RemoteShell.RemoteFile(name("incr", 4), 506_300, now.minusSeconds(4 * 3600), false),
                new RemoteShell.RemoteFile(name("full", 53), 516_000, now.minusSeconds(53 * 3600), false),
                new RemoteShell.RemoteFile("selfology_premigration_20261112_120000.dump", 98_000,
                        Instant.parse("2026-11-12T12:00:00Z"), false));
    }

    String name(String kind, long hoursAgo) {
        return "selfology_" + kind + "_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(now.minusSeconds(hoursAgo * 3600)) + ".sql.gz";
    }

    /** The fake's listing with two verifications as long as the real ones: one passed, one failed. */
    BackupListing verified() {
        String folder = env.backups().folders().get(0);
        List<RemoteShell.RemoteFile> files = files();
        String ok = folder + "/" + files.get(0).name();
        String bad = folder + "/" + files.get(2).name();
        return BackupCatalog.listing("ref", env.backups(), Map.of(folder, files), Map.of(folder, 84_500_000_000L), Map.of(
                ok, new Verification(ok, 518_000, files.get(0).modified(), true, "gzip -t: intact; plain SQL: pg_dump header, "
                        + "1 COPY blocks terminated, completion footer; sha256 sidecar matches", now),
                bad, new Verification(bad, 517_000, files.get(2).modified(), false, "plain SQL: the COPY block of "
                        + "selfology.event_outbox is not terminated (truncated?); gzip -t: intact", now)), now);
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    private void settle() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        for (int i = 0; i < 3; i++) {
            fx(() -> {
                root.applyCss();
                root.layout();
                return null;
            });
        }
    }

    /** Once every backend answered, the Backups pane shown from the navigation (as a click does); its view-model. */
    private BackupsViewModel showBackups() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> vm.summaryProperty().get().startsWith("all ")));
        fx(() -> {
            @SuppressWarnings("unchecked")
            ListView<PaneSpec> nav = (ListView<PaneSpec>) scene.lookup("#navigation");
            nav.getSelectionModel().select(nav.getItems().stream().filter(p -> p.id().equals("backups")).findFirst().orElseThrow());
            return null;
        });
        BackupsViewModel backups = vm.model("backups", BackupsViewModel.class);
        return backups;
    }

    @Test
    void everyFactColumnIsReadableAt1024And1400(FxRobot robot) throws Exception {
        BackupsViewModel backups = showBackups();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> backups.listingProperty().get() != null));
        robot.interact(() -> backups.show(verified()));
        settle();
        fx(() -> Screenshots.save(scene, "backups-columns-1024x640"));
        List<String> at1024 = fx(this::unreadable);
        // a stale list says when each age was true ("5.0 h at 12:00:00"): wider, and still every column in the table
        robot.interact(() -> backups.sourceDown("SSH down; last answer at 12:00:00"));
        settle();
        fx(() -> Screenshots.save(scene, "backups-columns-1024x640-stale"));
        List<String> stale = fx(this::unreadable);
        BackupListing shown = fx(() -> backups.listingProperty().get());
        robot.interact(() -> backups.sourceDown(null)); // answers again: read at once (the fake's list, unverified)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> backups.listingProperty().get() != shown));
        robot.interact(() -> backups.show(verified()));

        // 1400x900 is larger than Monocle's screen: the same content in a scene of its own (as MinimumSizeLayoutTest)
        Scene small = scene;
        robot.interact(() -> {
            small.setRoot(new javafx.scene.layout.Pane());
            scene = new Scene(root, 1400, 900);
        });
        settle();
        fx(() -> Screenshots.save(scene, "backups-columns-1400x900"));
        List<String> at1400 = fx(this::unreadable);
        at1400.addAll(fx(() -> shortened("Name", "Kind")));
        robot.interact(() -> {
            scene.setRoot(new javafx.scene.layout.Pane());
            small.setRoot(root);
        });
        assertTrue(at1024.isEmpty(), "at 1024x640: " + at1024);
        assertTrue(stale.isEmpty(), "at 1024x640, the list stale: " + stale);
        assertTrue(at1400.isEmpty(), "at 1400x900: " + at1400);
    }

    /** The Backups pane's job log (verify, restore) wraps a long line as the Slots pane's action log does. */
    @Test
    void aLongJobLineWrapsInTheLogAt1024(FxRobot robot) throws Exception {
        BackupsViewModel backups = showBackups();
        String line = "✗ restore refused: the backup selfology_full_20261204_020000.sql.gz FAILED verification (plain SQL: "
                + "the COPY block of selfology.event_outbox is not terminated (truncated?)); type 'force ref' to restore it "
                + "anyway, or verify it again first — nothing was run on the server";
        robot.interact(() -> backups.log().setAll("$ restore selfology_full_20261204_020000.sql.gz", line));
        WaitForAsyncUtils.waitForFxEvents();
        fx(() -> Screenshots.save(scene, "backups-log-wrapped-1024x640"));
        List<String> problems = fx(() -> ActionLogWrapTest.notWhole(scene, "#backups-log", line));
        assertTrue(problems.isEmpty(), "at 1024x640: " + problems);
    }

    /**
     * The window trial: the status line under the table was cut with "…" (a wrapping label in a one-line row) and the
     * free space shortened without its whole text. At 1024x640 and 1400x900 the status is drawn whole, wrapped inside the
     * window; the free space is drawn whole or its tooltip holds the whole text.
     */
    @Test
    void theStatusLineIsWholeAndTheFreeSpaceHasItsWholeTextAt1024And1400(FxRobot robot) throws Exception {
        BackupsViewModel backups = showBackups();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> backups.listingProperty().get() != null));
        robot.interact(() -> backups.show(verified()));
        String status = "Refused or failed: the restore of selfology_full_20261204_020000.sql.gz was refused on the server: "
                + "not enough free space in /var/backups/selfology for the safety backup (needs 612.0 MB, 410.2 MB free); "
                + "nothing was changed — free some space or prune old backups, then restore again";
        robot.interact(() -> {
            javafx.scene.control.Label l = (javafx.scene.control.Label) scene.lookup("#backups-status");
            l.textProperty().unbind();
            l.setText(status);
        });
        settle();
        fx(() -> Screenshots.save(scene, "backups-status-1024x640"));
        List<String> problems = new ArrayList<>(fx(() -> notWhole("1024x640")));
        Scene small = scene;
        robot.interact(() -> {
            small.setRoot(new javafx.scene.layout.Pane());
            scene = new Scene(root, 1400, 900);
        });
        settle();
        fx(() -> Screenshots.save(scene, "backups-status-1400x900"));
        problems.addAll(fx(() -> notWhole("1400x900")));
        robot.interact(() -> {
            scene.setRoot(new javafx.scene.layout.Pane());
            small.setRoot(root);
        });
        assertTrue(problems.isEmpty(), problems.toString());
    }

    /** The status drawn shortened or outside the window; the free space shortened without its whole text in a tooltip. */
    private List<String> notWhole(String where) {
        List<String> out = new ArrayList<>();
        javafx.scene.control.Label status = (javafx.scene.control.Label) scene.lookup("#backups-status");
        Text drawn = (Text) status.lookup(".text");
        if (drawn == null || !drawn.getText().replace("\n", " ").replace("  ", " ").strip()
                .equals(status.getText().strip())) {
            out.add(where + ": the status drawn as '" + (drawn == null ? null : drawn.getText()) + "'");
        }
        Bounds b = status.localToScene(status.getLayoutBounds());
        if (b.getMaxX() > scene.getWidth() + 0.5 || b.getMaxY() > scene.getHeight() + 0.5) {
            out.add(where + ": the status at " + b + " is outside the window");
        }
        javafx.scene.control.Label free = (javafx.scene.control.Label) scene.lookup("#free-space");
        Text f = (Text) free.lookup(".text");
        String freeDrawn = f == null ? "" : f.getText();
        if (free.getText().isEmpty()) {
            out.add(where + ": no free space shown");
        } else if (!freeDrawn.equals(free.getText())
                && (free.getTooltip() == null || !free.getTooltip().getText().equals(free.getText()))) {
            out.add(where + ": the free space '" + free.getText() + "' drawn as '" + freeDrawn + "' without a tooltip");
        }
        return out;
    }

    /** What is not readable: a fact column's header or cell outside the table's viewport, or a text cut without its whole. */
    private List<String> unreadable() {
        List<String> out = new ArrayList<>();
        TableView<?> table = (TableView<?>) scene.lookup("#backups-table");
        if (table.lookupAll(".scroll-bar").stream().noneMatch(b -> b.isVisible()
                && ((javafx.scene.control.ScrollBar) b).getOrientation() == javafx.geometry.Orientation.VERTICAL)) {
            out.add("no vertical scroll bar: the rows do not take its room as a long list does");
        }
        Node flow = table.lookup(".virtual-flow");
        Node clip = table.lookup(".clipped-container");
        Bounds view = clip != null ? clip.localToScene(clip.getLayoutBounds()) : flow.localToScene(flow.getLayoutBounds());
        Bounds window = new javafx.geometry.BoundingBox(0, 0, scene.getWidth(), scene.getHeight());
        for (TableColumn<?, ?> c : table.getColumns()) {
            if (!FACTS.contains(c.getText())) {
                continue;
            }
            for (Node h : table.lookupAll(".column-header")) {
                if (h instanceof javafx.scene.control.skin.TableColumnHeader th && th.getTableColumn() == c) {
                    Bounds b = h.localToScene(h.getLayoutBounds());
                    if (!inside(b, view) || !inside(b, window) || !h.isVisible()) {
                        out.add("the header '" + c.getText() + "' at " + span(b) + ", the table shows " + span(view));
                    }
                }
            }
        }
        int rows = 0;
        for (Node n : table.lookupAll(".table-cell")) {
            TableCell<?, ?> cell = (TableCell<?, ?>) n;
            if (cell.getTableRow() == null || cell.getTableRow().getItem() == null || cell.getText() == null
                    || !FACTS.contains(cell.getTableColumn().getText()) || !cell.isVisible()) {
                continue;
            }
            rows++;
            Bounds b = cell.localToScene(cell.getLayoutBounds());
            String col = cell.getTableColumn().getText();
            if (!inside(b, view) || !inside(b, window)) {
                out.add(col + " '" + cell.getText() + "' at " + span(b) + ", the table shows " + span(view));
            }
            String drawn = cell.lookup(".text") instanceof Text t ? t.getText() : cell.getText();
            if (!drawn.equals(cell.getText())) {
                String whole = cell.getTooltip() == null ? "" : cell.getTooltip().getText();
                if (!whole.contains(cell.getText())) {
                    out.add(col + " '" + cell.getText() + "' drawn as '" + drawn + "' without its whole text in a tooltip");
                }
            }
            if (col.equals("Verified") && !(drawn.startsWith("✓ verified") || drawn.startsWith("✗ FAILED")
                    || drawn.equals("not verified"))) {
                out.add("the verification state is not said: '" + drawn + "' for '" + cell.getText() + "'");
            }
        }
        if (rows < FACTS.size() * 4) {
            out.add("only " + rows + " fact cells drawn, 4 rows wanted");
        }
        return out;
    }

    /** The cells of {@code columns} drawn shorter than their text (in a window wide enough for them). */
    private List<String> shortened(String... columns) {
        List<String> out = new ArrayList<>();
        for (Node n : scene.lookup("#backups-table").lookupAll(".table-cell")) {
            TableCell<?, ?> cell = (TableCell<?, ?>) n;
            String drawn = cell.lookup(".text") instanceof Text t ? t.getText() : cell.getText();
            if (cell.getText() != null && List.of(columns).contains(cell.getTableColumn().getText()) && !cell.getText().equals(drawn)) {
                out.add(cell.getTableColumn().getText() + " '" + cell.getText() + "' drawn as '" + drawn + "' at 1400 px");
            }
        }
        return out;
    }

    private static boolean inside(Bounds b, Bounds view) {
        return b.getMinX() >= view.getMinX() - 0.5 && b.getMaxX() <= view.getMaxX() + 0.5;
    }

    private static String span(Bounds b) {
        return Math.round(b.getMinX()) + "-" + Math.round(b.getMaxX()) + " px";
    }
}
