package io.dutydesk.ui.shell;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.slots.SlotsView;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Audit tab at the window's minimum size: results, actions and times are never cut; a failed read is said above the rows. */
@ExtendWith(ApplicationExtension.class)
class AuditTabViewTest {
    final FakeBackends backends = new FakeBackends();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final MemoryAuditLog entries = MemoryAuditLog.create();
    /** While set, the tab's reads fail with it (an unreadable file, an IO error). */
    final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    final io.dutydesk.core.audit.AuditLog audit = new io.dutydesk.core.audit.AuditLog() { // no watch: every show reads it
        @Override
        public String location() {
            return io.dutydesk.testing.FailingAuditLog.FILE;
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> append(AuditEntry e) {
            return entries.append(e);
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<AuditEntry>> recent(int max) {
            Throwable f = failure.get();
            return f != null ? java.util.concurrent.CompletableFuture.failedFuture(f) : entries.recent(max);
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<AuditEntry>> awaitingEnd() {
            return entries.awaitingEnd();
        }
    };
    ShellViewModel vm;
    Scene scene;

    @Start
    void start(Stage stage) {
        Instant t = Instant.parse("2026-11-22T03:04:05Z");
        entries.entries.addAll(List.of(
                new AuditEntry("a1", "oncall@laptop-of-someone", "ref", "deploy", List.of("v1.4.2"), t, t.plusSeconds(74), 0,
                        "ab", "succeeded", "blue", "blue", "deployed v1.4.2 to green (idle); green 4/4 healthy on v1.4.2"),
                new AuditEntry("a2", "oncall@laptop-of-someone", "ref", "rollback", List.of(), t.plusSeconds(300), t.plusSeconds(301),
                        null, null, "refused", "green", null,
                        "rollback to blue refused: selfology-analysis-worker-blue: unhealthy; selfology-outbox-relay-blue: starting"),
                new AuditEntry("a3", "oncall@laptop-of-someone", "ref", "switch", List.of(), t.plusSeconds(600), t.plusSeconds(640), 1,
                        "cd", "interrupted", "green", "green", "the connection dropped; the server says the action ended with exit 1"),
                // the morning check's verification: its one argument, a backup's path, was as wide as the rest of the table
                new AuditEntry(null, "oncall@laptop-of-someone", "ref", "backup-verify",
                        List.of("/tmp/dutydesk-refhost/srv/backups/selfology_full_20261204_020000.sql.gz"), t.plusSeconds(900),
                        t.plusSeconds(901), 0, null, "succeeded", null, null,
                        "gzip -t: intact; plain SQL: pg_dump header, 1 COPY blocks terminated, completion footer")));
        backends.slots = Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of());
        vm = new ShellViewModel(TestEnvironments.fastPolling(Duration.ofMillis(200)), backends, HostKeyPrompt.REFUSE,
                SecretPrompt.NONE, scheduler, FxThread.INSTANCE, Clock.systemDefaultZone(), io.dutydesk.testing.TestPanes.specs(FxThread.INSTANCE, scheduler, audit, java.util.Set.of("slots")));
        ShellView view = new ShellView(vm);
        scene = new Scene(view.root(), 1024, 640);
        stage.setScene(scene);
        stage.show();
        vm.select("ref");
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(vm::close).get(); // on the FX thread, as the app does
        scheduler.shutdownNow();
    }

    @Test
    void atTheMinimumSizeNoResultIsCut(FxRobot robot) throws Exception {
        robot.interact(() -> robot.lookup("#slots-tabs").queryAs(TabPane.class).getSelectionModel().select(1));
        TableView<?> table = robot.lookup("#audit-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() == 4);
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "audit-tab-1024x640")).get();
        List<String> cut = new java.util.ArrayList<>();
        int checked = WaitForAsyncUtils.asyncFx(() -> {
            int n = 0;
            for (var node : table.lookupAll(".table-cell")) {
                TableCell<?, ?> cell = (TableCell<?, ?>) node;
                String col = cell.getTableColumn() == null ? "" : cell.getTableColumn().getText();
                if (cell.isEmpty() || cell.getText() == null || col.equals("Details")) {
                    continue; // the details may be long: the whole entry is on hover
                }
                for (var t : cell.lookupAll(".text")) {
                    if (t instanceof Text shown) {
                        if (!shown.getText().equals(cell.getText())) {
                            cut.add(col + ": '" + shown.getText() + "' of '" + cell.getText() + "'");
                        }
                        n++;
                    }
                }
            }
            return n;
        }).get();
        assertTrue(cut.isEmpty(), "cut: " + cut);
        assertTrue(checked >= 4 * 8, "cells checked: " + checked);

        // what an entry says of its outcome is in sight without scrolling sideways, however long an argument is
        List<String> outOfSight = WaitForAsyncUtils.asyncFx(() -> {
            var view = table.localToScene(table.getLayoutBounds());
            List<String> out = new java.util.ArrayList<>();
            int seen = 0;
            for (var node : table.lookupAll(".table-cell")) {
                TableCell<?, ?> cell = (TableCell<?, ?>) node;
                String col = cell.getTableColumn() == null ? "" : cell.getTableColumn().getText();
                if (cell.isEmpty() || !List.of("When", "Action", "Result", "Live").contains(col)) {
                    continue;
                }
                seen++;
                var b = cell.localToScene(cell.getLayoutBounds());
                if (b.getMaxX() > view.getMaxX() || b.getMinX() < view.getMinX()) {
                    out.add(col + " '" + cell.getText() + "' at x " + b.getMinX() + "-" + b.getMaxX() + " of " + view.getMaxX());
                }
            }
            if (seen < 4 * 4) {
                out.add("only " + seen + " cells seen");
            }
            return out;
        }).get();
        assertTrue(outOfSight.isEmpty(), "out of sight: " + outOfSight);
    }
    /** A read that fails is said above the rows it leaves, in sight; the next read that succeeds takes the words away. */
    @Test
    void aFailedReadIsSaidAboveTheRowsUntilAReadSucceeds(FxRobot robot) throws Exception {
        TabPane tabs = robot.lookup("#slots-tabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        TableView<?> table = robot.lookup("#audit-table").queryAs(TableView.class);
        javafx.scene.control.Label said = robot.lookup("#audit-problem").queryAs(javafx.scene.control.Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() == 4);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(said.isVisible() || said.isManaged(), "nothing said while the log reads");

        failure.set(new java.io.IOException("Input/output error"));
        robot.interact(() -> tabs.getSelectionModel().select(0));
        robot.interact(() -> tabs.getSelectionModel().select(1)); // a log without a watch is read at every show
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, said::isVisible);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(said.getText().startsWith("could not read the audit log " + io.dutydesk.testing.FailingAuditLog.FILE
                + ": Input/output error; showing the rows read at "), said.getText());
        assertEquals(4, table.getItems().size(), "the rows read before, kept");
        var box = WaitForAsyncUtils.asyncFx(() -> said.localToScene(said.getLayoutBounds())).get();
        assertTrue(box.getHeight() > 0 && box.getMaxY() <= scene.getHeight() && box.getMaxX() <= scene.getWidth() + 1, "in sight: " + box);
        String shown = WaitForAsyncUtils.asyncFx(() -> said.lookupAll(".text").stream().filter(n -> n instanceof Text)
                .map(n -> ((Text) n).getText()).findFirst().orElse("")).get();
        assertEquals(said.getText(), shown, "wrapped, not cut: the time the rows were read is in sight");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "audit-tab-read-failed")).get();

        failure.set(null);
        robot.interact(() -> tabs.getSelectionModel().select(0));
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !said.isVisible());
        assertEquals("", said.getText());
    }
}
