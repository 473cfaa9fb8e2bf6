package io.dutydesk.ui.backups;

import io.dutydesk.core.backups.BackupCatalog;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backups pane on Monocle: the RPO warning, and the restore that needs the environment's name typed. */
@ExtendWith(ApplicationExtension.class)
class BackupsViewTest {
    final Instant now = Instant.now();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final MemoryAuditLog audit = MemoryAuditLog.create();
    BackupsViewModel vm;
    Scene scene;
    Environment env;

    final RemoteShell shell = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            commands.add(command);
            return CompletableFuture.failedFuture(new IOException("the server is not reachable in this test"));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new IOException(folder + ": the server is not reachable in this test"));
        }
    };

    @Start
    void start(Stage stage) {
        env = TestEnvironments.fastPolling(Duration.ofHours(1)).get("prod");
        vm = new BackupsViewModel(FxThread.INSTANCE, Executors.newSingleThreadScheduledExecutor(), Clock.systemDefaultZone());
        scene = new Scene(new javafx.scene.layout.StackPane(new BackupsView(vm).root()), 1240, 600);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    BackupListing listing(double fullAgeHours) {
        return listing(fullAgeHours, true);
    }

    BackupListing listing(double fullAgeHours, boolean verifiedOk) {
        String folder = env.backups().folders().get(0);
        List<RemoteShell.RemoteFile> files = List.of(
                new RemoteShell.RemoteFile(name("full", fullAgeHours), 518_000, now.minusSeconds((long) (fullAgeHours * 3600)), false),
                new RemoteShell.RemoteFile(name("incr", 1), 506_000, now.minusSeconds(3600), false),
                new RemoteShell.RemoteFile(name("incr", 2), 506_100, now.minusSeconds(7200), false),
                new RemoteShell.RemoteFile(name("predeploy", 30), 518_100, now.minusSeconds(30 * 3600), false),
                new RemoteShell.RemoteFile("selfology_premigration_20261112_120000.dump", 98_000, Instant.parse("2026-11-12T12:00:00Z"), false));
        String full = folder + "/" + name("full", fullAgeHours);
        return BackupCatalog.listing("prod", env.backups(), Map.of(folder, files), Map.of(folder, 84_500_000_000L),
                Map.of(full, new Verification(full, 518_000, files.get(0).modified(), verifiedOk, verifiedOk
                        ? "gzip -t: intact; plain SQL: pg_dump header, 1 COPY blocks terminated, completion footer"
                        : "plain SQL: no \"dump complete\" footer (truncated?); gzip -t: intact", now)), now);
    }

    String name(String kind, double hoursAgo) {
        return "selfology_" + kind + "_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(now.minusSeconds((long) (hoursAgo * 3600))) + ".sql.gz";
    }

    @Test
    void aFullBackupOlderThanTheRpoIsAWarningInRed(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(listing(5)));
        Label rpo = robot.lookup("#rpo-banner").queryAs(Label.class);
        assertTrue(rpo.getText().startsWith("RPO met: full backup selfology_full_"), rpo.getText());
        assertTrue(rpo.getText().endsWith(" verified, 5.0 h old (RPO 26 h)"), rpo.getText());
        assertTrue(rpo.getStyleClass().contains("ok"));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "backups-pane")).get();

        robot.interact(() -> vm.show(listing(30)));
        assertTrue(rpo.getText().startsWith("RPO not met: newest full backup selfology_full_"), rpo.getText());
        assertTrue(rpo.getText().endsWith("is 30.0 h old: older than the RPO of 26 h"), rpo.getText());
        assertTrue(rpo.getStyleClass().contains("bad"));
        assertFalse(rpo.getStyleClass().contains("ok"));
        assertTrue(rpo.isVisible());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "backups-rpo-warning")).get();
    }

    /** The trial's 44-verify-truncated: an older verified full backup meets the RPO, the newest one FAILED verification. */
    @Test
    void theNewestFullBackupThatFailedVerificationMakesTheBannerAmberAndSaysSoFirst(FxRobot robot) throws Exception {
        String folder = env.backups().folders().get(0);
        List<RemoteShell.RemoteFile> files = List.of(
                new RemoteShell.RemoteFile(name("full", 9.2), 330_700, now.minusSeconds((long) (9.2 * 3600)), false),
                new RemoteShell.RemoteFile(name("full", 10.2), 495_200, now.minusSeconds((long) (10.2 * 3600)), false));
        String bad = folder + "/" + files.get(0).name();
        String good = folder + "/" + files.get(1).name();
        BackupListing l = BackupCatalog.listing("prod", env.backups(), Map.of(folder, files), Map.of(folder, 84_500_000_000L),
                Map.of(bad, new Verification(bad, 330_700, files.get(0).modified(), false,
                                "plain SQL: the COPY block of selfology.event_outbox is not terminated (truncated?)", now),
                        good, new Verification(good, 495_200, files.get(1).modified(), true, "gzip -t: intact", now)), now);
        robot.interact(() -> vm.show(l));
        Label rpo = robot.lookup("#rpo-banner").queryAs(Label.class);
        assertTrue(rpo.getText().startsWith("The newest full backup failed verification: " + files.get(0).name() + ", 9.2 h old"),
                rpo.getText());
        assertTrue(rpo.getText().contains("the RPO is still met by " + files.get(1).name()), rpo.getText());
        assertEquals(List.of("unverified"), rpo.getStyleClass().stream()
                .filter(c -> List.of("ok", "bad", "unverified", "unknown").contains(c)).toList(), "amber, never green");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "backups-rpo-newest-failed")).get();
    }

    @Test
    void anUnverifiedOrStaleRpoIsNeverGreenAndStaleAgesSayWhen(FxRobot robot) throws Exception {
        BackupListing l = listing(5);
        BackupListing unverified = new BackupListing(l.env(), l.folders(), l.backups().stream()
                .map(b -> b.withVerification(java.util.Optional.empty())).toList(), l.newestFull(), l.newestFullAgeHours(),
                l.rpoHours(), l.rpoOk(), l.takenAt(), l.rpoKinds());
        robot.interact(() -> vm.show(unverified));
        Label rpo = robot.lookup("#rpo-banner").queryAs(Label.class);
        assertTrue(rpo.getText().startsWith("RPO met, unverified: "), rpo.getText());
        assertEquals(List.of("unverified"), rpo.getStyleClass().stream().filter(c -> List.of("ok", "bad", "unverified", "unknown").contains(c)).toList());

        robot.interact(() -> {
            vm.show(l);
            vm.sourceDown("SSH down; last answer at 12:00:00");
        });
        assertTrue(rpo.getText().startsWith("RPO unknown: the backups cannot be read now; last answer at "), rpo.getText());
        assertEquals(List.of("unknown"), rpo.getStyleClass().stream().filter(c -> List.of("ok", "bad", "unverified", "unknown").contains(c)).toList());
        TableView<?> table = robot.lookup("#backups-table").queryAs(TableView.class);
        assertTrue(table.getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("stale")));
        assertTrue(robot.lookup(".table-cell").queryAll().stream().anyMatch(c -> c instanceof javafx.scene.control.Labeled x
                && x.getText() != null && x.getText().matches("5\\.0 h at \\d\\d:\\d\\d:\\d\\d")), "the age says when it was true");
        // SSH down: the summary says so and nothing that runs on the server can be started
        assertTrue(robot.lookup("#backups-updated").queryAs(Label.class).getText().contains("SSH down; last answer at 12:00:00"),
                robot.lookup("#backups-updated").queryAs(Label.class).getText());
        robot.interact(() -> table.getSelectionModel().select(0));
        for (String id : List.of("#verify", "#download", "#scratch-restore", "#restore", "#backup-now")) {
            assertTrue(robot.lookup(id).queryAs(javafx.scene.control.Button.class).isDisabled(), id + " is disabled while SSH is down");
        }
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "backups-stale")).get();
        robot.interact(() -> vm.sourceDown(null));
        assertFalse(robot.lookup("#backup-now").queryAs(javafx.scene.control.Button.class).isDisabled(), "usable again");
    }

    /**
     * The window trial at 1024x640 with SSH down: the stale ages were drawn "13.7 h at 15:44..." (a fixed 140 px column).
     * In the pane's width there, every age drawn is whole, its time too, and the verification's state still shows.
     */
    @Test
    void staleAgesAreDrawnWholeInANarrowWindow(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.show(listing(13.7));
            vm.sourceDown("SSH down; last answer at 12:00:00");
        });
        javafx.stage.Stage narrow = WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Parent root = scene.getRoot();
            scene.setRoot(new javafx.scene.layout.Pane());
            javafx.stage.Stage s = new javafx.stage.Stage();
            Scene sc = new Scene(root, 974, 552);
            Theme.apply(sc, false);
            s.setScene(sc);
            s.show();
            return s;
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<String> ages;
        List<String> cut;
        try {
            WaitForAsyncUtils.asyncFx(() -> Screenshots.save(narrow.getScene(), "backups-stale-1024")).get();
            ages = new java.util.ArrayList<>();
            cut = WaitForAsyncUtils.asyncFx(() -> {
                TableView<?> t = (TableView<?>) narrow.getScene().lookup("#backups-table");
                t.applyCss();
                t.layout();
                List<String> out = new java.util.ArrayList<>();
                for (javafx.scene.Node n : t.lookupAll(".table-cell")) {
                    if (n instanceof javafx.scene.control.TableCell<?, ?> c && !c.isEmpty() && c.getText() != null
                            && c.getText().matches("\\d+\\.\\d [hd] at \\d\\d:\\d\\d:\\d\\d")) {
                        ages.add(c.getText());
                        String drawn = c.lookupAll(".text").stream().filter(x -> x instanceof javafx.scene.text.Text)
                                .map(x -> ((javafx.scene.text.Text) x).getText()).findFirst().orElse("");
                        if (!drawn.equals(c.getText())) {
                            out.add("'" + c.getText() + "' drawn as '" + drawn + "'");
                        }
                    }
                    if (n instanceof javafx.scene.control.TableCell<?, ?> c && !c.isEmpty() && c.getText() != null
                            && c.getText().startsWith("✓ verified")) {
                        String drawn = c.lookupAll(".text").stream().filter(x -> x instanceof javafx.scene.text.Text)
                                .map(x -> ((javafx.scene.text.Text) x).getText()).findFirst().orElse("");
                        if (!drawn.startsWith("✓ verified")) {
                            out.add("the verification drawn as '" + drawn + "'");
                        }
                    }
                }
                double cols = t.getVisibleLeafColumns().stream().mapToDouble(javafx.scene.control.TableColumn::getWidth).sum();
                double room = t.lookup(".column-header-background").getLayoutBounds().getWidth();
                if (cols > room + 1) {
                    out.add("the columns need " + cols + " of " + room + " px: the table scrolls sideways");
                }
                return out;
            }).get();
        } finally {
            robot.interact(narrow::close);
        }
        assertTrue(ages.stream().anyMatch(a -> a.startsWith("13.7 h at ")), "the stale ages: " + ages);
        assertTrue(cut.isEmpty(), cut.toString());
    }

    /** In the pane's width at 1024x640 the kind filter keeps "Kind:" and its value (the trial saw "…" and an empty box). */
    @Test
    void theKindFilterIsWholeInANarrowWindow(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(listing(5)));
        // a window of its own at that width, closed after (the test fork's primary stage keeps the size it is given)
        javafx.stage.Stage narrow = WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Parent root = scene.getRoot();
            scene.setRoot(new javafx.scene.layout.Pane());
            javafx.stage.Stage s = new javafx.stage.Stage();
            Scene sc = new Scene(root, 974, 600);
            Theme.apply(sc, false);
            s.setScene(sc);
            s.show();
            return s;
        }).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<String> cut;
        try {
            cut = WaitForAsyncUtils.asyncFx(() -> {
                List<String> out = new java.util.ArrayList<>();
                javafx.scene.layout.Region kind = (javafx.scene.layout.Region) narrow.getScene().lookup("#kind-filter");
                if (kind.getWidth() < kind.prefWidth(-1) - 0.5) {
                    out.add("the kind filter " + kind.getWidth() + " of " + kind.prefWidth(-1) + " px");
                }
                for (javafx.scene.Node n : kind.getParent().getChildrenUnmodifiable()) {
                    if (n instanceof javafx.scene.control.Label l && "Kind:".equals(l.getText()) && l.getWidth() < l.prefWidth(-1) - 0.5) {
                        out.add("'Kind:' " + l.getWidth() + " of " + l.prefWidth(-1) + " px");
                    }
                }
                return out;
            }).get();
        } finally {
            robot.interact(narrow::close);
        }
        assertTrue(cut.isEmpty(), "cut: " + cut);
    }

    /** "Taken" shows the whole date and time: the window trial read "2026-12-03 22:…" in every row, the hour cut. */
    @Test
    void theTakenColumnShowsTheWholeDateAndTime(FxRobot robot) throws Exception {
        robot.interact(() -> vm.show(listing(5)));
        WaitForAsyncUtils.waitForFxEvents();
        List<String> cut = WaitForAsyncUtils.asyncFx(() -> {
            List<String> out = new java.util.ArrayList<>();
            TableView<?> table = (TableView<?>) scene.lookup("#backups-table");
            table.applyCss();
            table.layout();
            for (javafx.scene.Node c : table.lookupAll(".table-cell")) {
                javafx.scene.control.TableCell<?, ?> cell = (javafx.scene.control.TableCell<?, ?>) c;
                if ("Taken".equals(cell.getTableColumn().getText()) && cell.getText() != null && !cell.getText().isEmpty()) {
                    javafx.scene.Node shown = cell.lookup(".text");
                    String drawn = shown instanceof javafx.scene.text.Text t ? t.getText() : cell.getText();
                    if (!drawn.equals(cell.getText())) {
                        out.add(cell.getText() + " drawn as " + drawn);
                    }
                }
            }
            return out;
        }).get();
        assertTrue(cut.isEmpty(), "cut: " + cut);
    }

    @Test
    void theVersionColumnShowsWhatEachBackupsSidecarRecordsOrUnknown(FxRobot robot) throws Exception {
        String folder = env.backups().folders().get(0);
        String full = name("full", 5);
        String incr = name("incr", 1);
        List<RemoteShell.RemoteFile> files = List.of(
                new RemoteShell.RemoteFile(full, 518_000, now.minusSeconds(5 * 3600), false),
                new RemoteShell.RemoteFile(full + ".version", 7, now.minusSeconds(5 * 3600), false),
                new RemoteShell.RemoteFile(incr, 506_000, now.minusSeconds(3600), false),
                new RemoteShell.RemoteFile(incr + ".version", 9, now.minusSeconds(3600), false));
        BackupListing l = BackupCatalog.listing("prod", env.backups(), Map.of(folder, files), Map.of(), Map.of(), Map.of(),
                java.util.Optional.empty(), Map.of(folder + "/" + full + ".version", "v1.4.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        folder + "/" + incr + ".version", "\u00ff garbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), now);
        robot.interact(() -> vm.show(l));
        // every node is looked up and read on the FX thread
        Map<String, String> cells = WaitForAsyncUtils.asyncFx(() -> {
            Map<String, String> out = new java.util.TreeMap<>();
            TableView<?> table = (TableView<?>) scene.lookup("#backups-table");
            table.layout();
            for (javafx.scene.Node n : table.lookupAll(".table-row-cell")) {
                javafx.scene.control.TableRow<?> row = (javafx.scene.control.TableRow<?>) n;
                if (row.getItem() instanceof BackupEntry e) {
                    for (javafx.scene.Node c : row.lookupAll(".table-cell")) {
                        javafx.scene.control.TableCell<?, ?> cell = (javafx.scene.control.TableCell<?, ?>) c;
                        if ("backup-version-column".equals(cell.getTableColumn().getId())) {
                            out.put(e.name(), cell.getText() + " | " + (cell.getTooltip() == null ? "" : cell.getTooltip().getText()));
                        }
                    }
                }
            }
            return out;
        }).get();
        assertEquals(2, cells.size(), "two backups, the sidecars are not rows: " + cells);
        assertEquals("v1.4.0 | Version deployed when the backup was taken: v1.4.0 (recorded with the backup)", cells.get(full));
        assertEquals("unknown | Version deployed when the backup was taken: unknown (" + incr + ".version is not text)", cells.get(incr));
    }

    @Test
    void theSelectedBackupStaysSelectedWhenTheListIsReadAgain(FxRobot robot) {
        robot.interact(() -> vm.show(listing(5)));
        @SuppressWarnings("unchecked")
        TableView<Object> table = robot.lookup("#backups-table").queryAs(TableView.class);
        robot.interact(() -> table.getSelectionModel().select(fullRow(table)));
        String path = ((BackupEntry) table.getSelectionModel().getSelectedItem()).path();
        BackupListing l = listing(5);
        // what a finished Verify does: the list read again, this backup now with a new verification
        List<BackupEntry> verified = l.backups().stream().map(b -> !b.path().equals(path) ? b
                : b.withVerification(java.util.Optional.of(new Verification(path, b.sizeBytes(), b.modifiedAt(), true, "gzip -t: intact", now))))
                .toList();
        robot.interact(() -> vm.show(new BackupListing(l.env(), l.folders(), verified, l.newestFull(), l.newestFullAgeHours(),
                l.rpoHours(), l.rpoOk(), l.takenAt())));
        assertNotNull(table.getSelectionModel().getSelectedItem(), "still a selection after the refresh");
        assertEquals(path, ((BackupEntry) table.getSelectionModel().getSelectedItem()).path());
        assertFalse(robot.lookup("#verify").queryAs(Button.class).isDisabled(), "Verify stays usable on it");
    }

    /** The same backups read again two hours later: their ages (the listing's time, not the rows') move with it. */
    @Test
    void theAgesFollowTheListingWhenTheSameBackupsAreReadAgain(FxRobot robot) {
        BackupListing l = listing(5);
        robot.interact(() -> vm.show(l));
        assertTrue(cellTexts(robot).contains("5.0 h"), cellTexts(robot).toString());
        robot.interact(() -> vm.show(new BackupListing(l.env(), l.folders(), l.backups(), l.newestFull(),
                l.newestFullAgeHours().map(h -> h + 2), l.rpoHours(), l.rpoOk(), l.takenAt().plus(java.time.Duration.ofHours(2)),
                l.rpoKinds())));
        assertTrue(cellTexts(robot).contains("7.0 h") && !cellTexts(robot).contains("5.0 h"), cellTexts(robot).toString());
    }

    private static List<String> cellTexts(FxRobot robot) {
        return robot.lookup(".table-cell").queryAll().stream().filter(c -> c instanceof javafx.scene.control.Labeled)
                .map(c -> ((javafx.scene.control.Labeled) c).getText()).filter(java.util.Objects::nonNull).toList();
    }

    @Test
    void aRestoreNeedsTheEnvironmentsNameTyped(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.attach(new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", Clock.systemDefaultZone(), Runnable::run));
            vm.show(listing(5));
        });
        @SuppressWarnings("unchecked")
        TableView<Object> table = robot.lookup("#backups-table").queryAs(TableView.class);
        Button restore = robot.lookup("#restore").queryAs(Button.class);
        assertTrue(restore.isDisabled(), "nothing selected");
        robot.interact(() -> table.getSelectionModel().select(fullRow(table)));
        assertFalse(restore.isDisabled());
        robot.clickOn("#restore");
        await("the confirmation", Duration.ofSeconds(10), () -> robot.lookup("#typed-confirmation").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#confirm-dialog").queryAs(DialogPane.class);
        Button ok = robot.lookup("#confirm-action").queryAs(Button.class);
        TextField typed = robot.lookup("#typed-confirmation").queryAs(TextField.class);
        assertTrue(pane.getHeaderText().startsWith("Replace the live database of prod with selfology_full_"), pane.getHeaderText());
        assertTrue(robot.lookup(l -> l instanceof Label && ((Label) l).getText() != null
                && ((Label) l).getText().contains("first a safety backup of the live")).tryQuery().isPresent());
        assertTrue(ok.isDisabled());
        robot.interact(() -> typed.setText("ref"));
        assertTrue(ok.isDisabled(), "another environment's name does not confirm");
        robot.interact(() -> typed.setText("prd"));
        assertTrue(ok.isDisabled(), "a typo does not confirm");
        robot.interact(() -> typed.setText("prod"));
        assertFalse(ok.isDisabled());
        assertFalse(ok.isDefaultButton(), "Enter does not restore");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-restore")).get();
        robot.interact(ok::fire);
        // confirmed: the restore goes to the server (which this test's stand-in refuses to reach)
        await(() -> "the restore was tried and audited: " + audit.entries + " / " + vm.statusProperty().get(), Duration.ofSeconds(10), () -> audit.entries.stream()
                .anyMatch(e -> e.action().equals("restore") && e.result().equals("failed") && e.message().contains("not reachable")));
        await("the failure is shown", Duration.ofSeconds(10), () -> vm.statusProperty().get().contains("not reachable"));
    }

    @Test
    void theRestoreConfirmationShowsTheBoundAndTheVerificationAndABackupThatFailedItNeedsForceTyped(FxRobot robot) throws Exception {
        robot.interact(() -> {
            vm.attach(new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", Clock.systemDefaultZone(), Runnable::run));
            vm.show(listing(5, false));
        });
        @SuppressWarnings("unchecked")
        TableView<Object> table = robot.lookup("#backups-table").queryAs(TableView.class);
        robot.interact(() -> table.getSelectionModel().select(fullRow(table)));
        robot.clickOn("#restore");
        await("the confirmation", Duration.ofSeconds(10), () -> robot.lookup("#typed-confirmation").tryQuery().isPresent());
        DialogPane pane = robot.lookup("#confirm-dialog").queryAs(DialogPane.class);
        Button ok = robot.lookup("#confirm-action").queryAs(Button.class);
        TextField typed = robot.lookup("#typed-confirmation").queryAs(TextField.class);
        for (String fact : List.of("job bound: none: runs until it ends (backups.restoreTimeoutSeconds not set",
                "verification: FAILED at ", "plain SQL: no \"dump complete\" footer (truncated?)",
                "force: it FAILED verification — type 'force prod' to restore it anyway (audited as forced)",
                "the free space is checked against the database's size")) {
            assertTrue(robot.lookup(l -> l instanceof Label && ((Label) l).getText() != null && ((Label) l).getText().contains(fact))
                    .tryQuery().isPresent(), "the dialog says: " + fact);
        }
        assertTrue(robot.lookup(l -> l instanceof Label && ((Label) l).getText() != null
                && ((Label) l).getText().startsWith("Risk: the backup FAILED verification")).tryQuery().isPresent());
        robot.interact(() -> typed.setText("prod"));
        assertTrue(ok.isDisabled(), "the environment's name alone does not force a restore of a backup that failed verification");
        robot.interact(() -> typed.setText("force prod"));
        assertFalse(ok.isDisabled());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(pane.getScene(), "confirm-forced-restore")).get();
        robot.interact(ok::fire);
        await(() -> "the forced restore was tried: " + vm.log(), Duration.ofSeconds(10),
                () -> vm.log().stream().anyMatch(l -> l.contains("(FORCED past a failed verification)")));
        await("and audited", Duration.ofSeconds(10), () -> audit.entries.stream().anyMatch(e -> e.action().equals("restore")));
    }

    @Test
    void cancellingTheRestoreRunsNothing(FxRobot robot) {
        robot.interact(() -> {
            vm.attach(new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", Clock.systemDefaultZone(), Runnable::run));
            vm.show(listing(5));
        });
        @SuppressWarnings("unchecked")
        TableView<Object> table = robot.lookup("#backups-table").queryAs(TableView.class);
        robot.interact(() -> table.getSelectionModel().select(fullRow(table)));
        commands.clear();
        robot.clickOn("#restore");
        await("the confirmation", Duration.ofSeconds(10), () -> robot.lookup("#confirm-cancel").tryQuery().isPresent());
        robot.interact(() -> robot.lookup("#confirm-cancel").queryAs(Button.class).fire());
        assertTrue(audit.entries.isEmpty());
        assertTrue(commands.stream().noneMatch(c -> c.contains("restore")), commands.toString());
        assertEquals("", vm.statusProperty().get());
    }

    /** The row of the full backup (incrementals are never restored over live). */
    static int fullRow(TableView<Object> table) {
        for (int i = 0; i < table.getItems().size(); i++) {
            if (((io.dutydesk.core.backups.BackupEntry) table.getItems().get(i)).kind().equals("full")) {
                return i;
            }
        }
        throw new AssertionError("no full backup listed");
    }
}
