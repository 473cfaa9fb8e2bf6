package io.dutydesk.ui.alerts;

import io.dutydesk.adapters.store.SqliteAlertHistory;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.testing.FakeAlerts;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alerts pane on Monocle: groups, filter, the silence dialog's validation, 10,000 alerts. */
@ExtendWith(ApplicationExtension.class)
class AlertsViewTest {
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final FakeAlerts am = new FakeAlerts("ref");
    final MemoryAuditLog audit = MemoryAuditLog.create();
    AlertsViewModel vm;
    AlertsView view;
    Scene scene;
    SqliteStore store;

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createTempDirectory("alerts-view");
        store = SqliteStore.open(dir.resolve("dutydesk.db"));
        vm = new AlertsViewModel(FxThread.INSTANCE, scheduler, Clock.systemDefaultZone(), h -> { throw new AssertionError(); },
                n -> { });
        view = new AlertsView(vm, Clock.systemDefaultZone(), url -> { });
        scene = new Scene(new javafx.scene.layout.StackPane(view.root()), 1100, 660);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        // on the FX thread, where the view-model's state lives: closed beside it, a poll's answer being applied there
        // would find the service gone (an NPE reported by TestFX in the next test)
        WaitForAsyncUtils.asyncFx(() -> vm.close()).get();
        scheduler.shutdownNow();
        store.close();
    }

    void attach(FxRobot robot) {
        robot.interact(() -> vm.attach(new AlertsService(AlertsViewModelTest.env(), am, am, new SqliteAlertHistory(store), audit,
                "oncall@laptop", Clock.systemUTC())));
    }

    @Test
    void groupsCountsAndFilter(FxRobot robot) throws Exception {
        Instant t = Instant.now().minusSeconds(600);
        am.alerts.add(FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "analysis-worker", "slot", "green"));
        am.alerts.add(FakeAlerts.alert("critical", t.plusSeconds(30), "alertname", "ServiceDown", "service", "outbox-relay", "slot", "green"));
        am.alerts.add(FakeAlerts.alert("warning", t, "alertname", "HighErrorRate", "service", "session-management", "slot", "blue"));
        am.alerts.add(FakeAlerts.silencedBy(FakeAlerts.alert("warning", t, "alertname", "EventProcessingBacklog"), "s1"));
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 7);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("2 critical", onFx(() -> robot.lookup("#count-critical").queryAs(Label.class).getText()));
        assertEquals("1 warning", onFx(() -> robot.lookup("#count-warning").queryAs(Label.class).getText()));
        assertEquals("1 suppressed", onFx(() -> robot.lookup("#count-suppressed").queryAs(Label.class).getText()));
        assertTrue(onFx(() -> robot.lookup("#count-critical").queryAs(Label.class).getStyleClass().contains("sev-1")));
        assertTrue(robot.lookup("▾ ServiceDown").tryQuery().isPresent(), "group header");
        assertTrue(robot.lookup(".group-row.sev-1").tryQuery().isPresent());
        assertTrue(robot.lookup(".alert-row.suppressed").tryQuery().isPresent());
        robot.clickOn("#alert-filter").write("severity=\"critical\" service=~\"analysis.*\"");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, vm.rows().size());
        assertEquals("1 of 4 alerts match", robot.lookup("#alerts-shown").queryAs(Label.class).getText());
        robot.interact(() -> vm.filterTextProperty().set("service=~\"(\""));
        Label err = robot.lookup("#alert-filter-error").queryAs(Label.class);
        assertTrue(err.isVisible() && err.getText().contains("not a valid regular expression"), err.getText());
        robot.interact(() -> vm.filterTextProperty().set(""));
        robot.interact(() -> view.list().getSelectionModel().select(1));
        assertTrue(robot.lookup("#details-summary").tryQuery().isPresent());
        assertTrue(robot.lookup("#silence-button").tryQuery().isPresent());
        assertFalse(robot.lookup("#details-metrics").tryQuery().isPresent(), "no Metrics pane wired: no link");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "alerts-feed")).get();
    }

    /** The age label of the first alert row on screen. */
    String shownAge(FxRobot robot) {
        AtomicReference<String> out = new AtomicReference<>();
        robot.interact(() -> out.set(robot.lookup(".alert-row .alert-age").queryAs(Label.class).getText()));
        return out.get();
    }

    @Test
    void agesFollowTheClockAndPrometheusDownMarksItsAlertsUnknownWithTheReason(FxRobot robot) throws Exception {
        Alert a = FakeAlerts.alert("warning", Instant.now().minusSeconds(20), "alertname", "EventProcessingBacklog");
        am.alerts.add(new Alert(a.fingerprint(), a.alertname(), a.severity(), a.state(), a.startsAt(), a.updatedAt(), a.labels(),
                java.util.Map.of("summary", "1505 events pending in the outbox"), List.of(), List.of(), a.generatorURL()));
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        String before = shownAge(robot);
        assertTrue(before.endsWith(" s"), before);
        await(() -> " the age moves on from " + before, Duration.ofSeconds(10), () -> !shownAge(robot).equals(before));
        assertTrue(robot.lookup("#alerts-cannot-fire").queryAs(Label.class).getText() == null
                || !robot.lookup("#alerts-cannot-fire").queryAs(Label.class).isVisible());

        am.prometheusDown = "connection refused";
        await("no alert can fire, said", Duration.ofSeconds(10), () -> vm.cannotFireProperty().get() != null
                && vm.rows().size() == 2 && vm.rows().get(1).unverified() != null);
        WaitForAsyncUtils.waitForFxEvents();
        Label banner = robot.lookup("#alerts-cannot-fire").queryAs(Label.class);
        assertTrue(banner.isVisible() && banner.getText().startsWith("No alert can fire or resolve: Prometheus down"), banner.getText());
        Label state = robot.lookup(".alert-row .alert-state").queryAs(Label.class);
        assertTrue(state.getText().startsWith("unknown since "), state.getText());
        Label text = robot.lookup(".alert-row .alert-text").queryAs(Label.class);
        assertTrue(text.getText().matches("as of \\d\\d:\\d\\d:\\d\\d · 1505 events pending in the outbox"), text.getText());
        // bounds read on the FX thread: the pane keeps polling, and read from here they would race its layout pass
        String[] where = WaitForAsyncUtils.asyncFx(() -> new String[]{
                Double.toString(state.localToScene(state.getBoundsInLocal()).getMaxX()),
                Double.toString(view.list().localToScene(view.list().getBoundsInLocal()).getMaxX()),
                state.localToScene(state.getBoundsInLocal()) + " list " + view.list().localToScene(view.list().getBoundsInLocal())
                        + " box " + state.getParent().getLayoutBounds() + " cell " + state.getParent().getParent().getLayoutBounds()}).get();
        assertTrue(Double.parseDouble(where[0]) <= Double.parseDouble(where[1]),
                () -> "the state is drawn inside the list, not cut off: " + where[2]);
        String frozen = shownAge(robot);
        assertTrue(frozen.startsWith("≥ "), frozen);
        assertTrue(robot.lookup(".alert-row.unknown").tryQuery().isPresent());
        // the chips are rebuilt on the FX thread when a poll changes them: looked up from here the lookup races the rebuild
        String[] counts = onFx(() -> new String[]{
                robot.lookup("#count-unknown").queryAs(Label.class).getText(),
                robot.lookup("#count-warning").queryAs(Label.class).getText()});
        assertEquals("1 unknown (1 warning)", counts[0], "by severity: a critical would never hide behind '0 critical'");
        assertEquals("0 warning", counts[1], "an unknown alert is not counted as firing");
        robot.interact(() -> view.list().getSelectionModel().select(1));
        assertTrue(robot.lookup("#details-unknown").queryAs(Label.class).getText().contains("Prometheus down"));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "alerts-prometheus-down")).get();
        am.prometheusDown = null;
        await("checked again", Duration.ofSeconds(10), () -> vm.cannotFireProperty().get() == null && vm.rows().size() == 2
                && vm.rows().get(1).unverified() == null);
    }

    /**
     * P8: a hidden pane stays in the scene, and JavaFX repaints the whole window for a pulse in which only invisible nodes
     * changed. Hidden (the feed still polled, for the notifications), the pane's polls change no node: the chips are not
     * built anew when the counts are the same, "read at T" and the ages wait. Shown again, they say the latest at once.
     */
    @Test
    void aHiddenPaneChangesNoNodeAtItsPollsAndShowsTheLatestWhenShown(FxRobot robot) throws Exception {
        am.alerts.add(FakeAlerts.alert("warning", Instant.now().minusSeconds(20), "alertname", "EventProcessingBacklog"));
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        Long tick = onFx(() -> vm.tickProperty().get());
        await("a second poll", Duration.ofSeconds(10), () -> fx(() -> vm.tickProperty().get()) > tick);
        Label chip = onFx(() -> robot.lookup("#count-warning").queryAs(Label.class));
        Label updated = onFx(() -> robot.lookup("#alerts-updated").queryAs(Label.class));
        await("a poll that changes no count keeps its chips", Duration.ofSeconds(10),
                () -> fx(() -> vm.tickProperty().get()) > tick + 1);
        assertTrue(onFx(() -> robot.lookup("#count-warning").queryAs(Label.class)) == chip, "the same chip, not one built anew");

        robot.interact(vm::hidden);
        String said = onFx(updated::getText);
        String age = shownAge(robot);
        // two seconds on, the age drawn now would differ by a second or more from the one drawn before hiding
        Instant hiddenAt = Instant.now();
        await("the hidden pane's feed polled on to a later second, two seconds after hiding", Duration.ofSeconds(10),
                () -> fx(() -> !vm.updatedProperty().get().equals(said)) && Instant.now().isAfter(hiddenAt.plusSeconds(2)));
        assertEquals(said, onFx(updated::getText), "hidden, 'read at' is not redrawn");
        assertEquals(age, shownAge(robot), "hidden, the ages are not redrawn");
        assertTrue(onFx(() -> robot.lookup("#count-warning").queryAs(Label.class)) == chip, "hidden, the chips stay");

        // shown and read in one FX call: no poll can come between, so what is read was drawn by the showing itself
        String[] now = onFx(() -> {
            vm.shown();
            return new String[]{vm.updatedProperty().get(), updated.getText(),
                    robot.lookup(".alert-row .alert-age").queryAs(Label.class).getText()};
        });
        assertEquals(now[0], now[1], "shown: the latest read at once");
        assertFalse(now[2].equals(age), "shown: the age redrawn at once (two seconds or more after it was drawn): " + age);
    }

    /**
     * The trial's finding #2: the details of the selected row said "critical · active" while its row said "unknown since"
     * (Prometheus down) or the feed was stale (Alertmanager, or the SSH link it goes through, down). They follow the row.
     */
    @Test
    void theDetailsFollowTheSelectedRowWhenItTurnsUnknownOrStale(FxRobot robot) throws Exception {
        am.alerts.add(FakeAlerts.alert("critical", Instant.now().minusSeconds(60), "alertname", "ServiceDown", "service", "a"));
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        robot.interact(() -> view.list().getSelectionModel().select(1));
        assertEquals("critical · active", detailsState(robot));
        assertFalse(robot.lookup("#details-unknown").tryQuery().isPresent());

        am.prometheusDown = "connection refused";
        await("unknown", Duration.ofSeconds(10), () -> vm.rows().size() == 2 && vm.rows().get(1).unverified() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(detailsState(robot).matches("critical · unknown since \\d\\d:\\d\\d:\\d\\d"), detailsState(robot));
        assertTrue(robot.lookup("#details-unknown").queryAs(Label.class).getText().contains("connection refused"),
                robot.lookup("#details-unknown").queryAs(Label.class).getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "alerts-details-unknown")).get();

        am.prometheusDown = null;
        await("checked again", Duration.ofSeconds(10), () -> vm.rows().size() == 2 && vm.rows().get(1).unverified() == null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("critical · active", detailsState(robot));
        assertFalse(robot.lookup("#details-unknown").tryQuery().isPresent());

        am.down = "connection refused (the SSH link is down)";
        robot.interact(vm::refresh);
        await("stale", Duration.ofSeconds(10), () -> vm.staleSinceProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(detailsState(robot).matches("critical · active as of \\d\\d:\\d\\d:\\d\\d"), detailsState(robot));
        assertTrue(robot.lookup("#details-stale").queryAs(Label.class).getText().contains("the SSH link is down"),
                robot.lookup("#details-stale").queryAs(Label.class).getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "alerts-details-stale")).get();

        am.down = null;
        robot.interact(vm::refresh);
        await("current again", Duration.ofSeconds(20), () -> vm.staleSinceProperty().get() == null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("critical · active", detailsState(robot));
        assertFalse(robot.lookup("#details-stale").tryQuery().isPresent());
    }

    /** The trial: every History row repeated env, job, instance…; the labels all rows share are shown once, above. */
    @Test
    void theHistoryShowsTheLabelsEveryRowSharesOnce(FxRobot robot) throws Exception {
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        java.util.function.BiFunction<String, String, io.dutydesk.core.alerts.Transition> tr = (service, event) ->
                new io.dutydesk.core.alerts.Transition("fp-" + service, "ServiceDown", event, t, "console", java.util.Map.of(
                        "alertname", "ServiceDown", "env", "ref", "job", "services", "severity", "critical", "service", service));
        robot.interact(() -> {
            robot.lookup(".tab-pane").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(2);
            vm.history().setAll(tr.apply("analysis-worker", "firing"), tr.apply("outbox-relay", "firing"),
                    tr.apply("analysis-worker", "resolved"));
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("every row: env=ref job=services severity=critical",
                robot.lookup("#history-shared").queryAs(Label.class).getText());
        List<String> labels = new ArrayList<>();
        robot.interact(() -> robot.lookup("#history-table .table-row-cell .table-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                .filter(c -> c.getTableColumn().getText().equals("labels") && c.getItem() != null)
                .forEach(c -> labels.add(String.valueOf(c.getItem()))));
        assertEquals(List.of("service=analysis-worker", "service=outbox-relay", "service=analysis-worker"), labels);
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "alerts-history-shared")).get();

        // one row: nothing is "shared", its labels are all in the row
        robot.interact(() -> vm.history().setAll(tr.apply("analysis-worker", "firing")));
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(robot.lookup("#history-shared").queryAs(Label.class).isVisible());
    }

    /**
     * The details of the selected alert say what its row says, and follow it: selected while it fires, then Prometheus
     * stops (the same alert from Alertmanager, now unknown), then it is checked again; a silenced one reads "silenced"
     * in both (with its silence in the details).
     */
    @Test
    void theDetailsSayWhatTheRowSaysAndFollowIt(FxRobot robot) throws Exception {
        Alert a = FakeAlerts.alert("warning", Instant.now().minusSeconds(20), "alertname", "EventProcessingBacklog");
        Alert b = FakeAlerts.silencedBy(FakeAlerts.alert("critical", Instant.now().minusSeconds(20), "alertname", "ServiceDown"), "s1");
        am.alerts.addAll(List.of(a, b));
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 4);
        WaitForAsyncUtils.waitForFxEvents();
        int rowA = indexOf(a);
        robot.interact(() -> view.list().getSelectionModel().select(rowA));
        assertEquals("warning · " + rowState(robot, a), detailsState(robot));
        assertEquals("warning · active", detailsState(robot));
        assertFalse(robot.lookup("#details-unknown").tryQuery().isPresent());

        am.prometheusDown = "connection refused";
        await("unknown in its row", Duration.ofSeconds(10), () -> vm.rows().stream()
                .anyMatch(r -> !r.header() && r.alert().fingerprint().equals(a.fingerprint()) && r.unverified() != null));
        WaitForAsyncUtils.waitForFxEvents();
        String row = rowState(robot, a);
        assertTrue(row.startsWith("unknown since "), row);
        assertEquals("warning · " + row, detailsState(robot), "the details follow the row for the same selected alert");
        assertTrue(robot.lookup("#details-unknown").queryAs(Label.class).getText().contains("connection refused"));
        assertTrue(robot.lookup("#details-since").queryAs(Label.class).getText().startsWith("started "),
                robot.lookup("#details-since").queryAs(Label.class).getText());

        am.prometheusDown = null;
        await("checked again", Duration.ofSeconds(10), () -> vm.rows().stream().noneMatch(r -> r.unverified() != null));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("warning · active", detailsState(robot));
        assertFalse(robot.lookup("#details-unknown").tryQuery().isPresent());

        int rowB = indexOf(b);
        robot.interact(() -> view.list().getSelectionModel().select(rowB));
        assertEquals("silenced", rowState(robot, b));
        assertEquals("critical · silenced by s1", detailsState(robot));
    }

    /** The selected alert resolved and another took its place in the list: the selection does not pass to that other. */
    @Test
    void anotherAlertInTheSelectedOnesPlaceIsNotSelectedInItsStead(FxRobot robot) throws Exception {
        Instant t = Instant.now().minusSeconds(20);
        Alert a = FakeAlerts.alert("warning", t, "alertname", "Backlog", "queue", "a");
        am.alerts.addAll(List.of(FakeAlerts.alert("critical", t, "alertname", "ServiceDown"), a));
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 4);
        WaitForAsyncUtils.waitForFxEvents();
        int rowA = indexOf(a);
        robot.interact(() -> view.list().getSelectionModel().select(rowA));
        Alert c = FakeAlerts.alert("warning", t, "alertname", "Backlog", "queue", "c");
        am.alerts.set(am.alerts.indexOf(a), c);
        await("c in a's place", Duration.ofSeconds(10), () -> vm.rows().size() == 4 && !vm.rows().get(rowA).header()
                && vm.rows().get(rowA).alert().fingerprint().equals(c.fingerprint()));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(a.fingerprint(), onFx(() -> vm.selectedProperty().get().fingerprint()), "still the alert chosen");
    }

    /**
     * The failure-path trial: the selected alert resolved (gone from Alertmanager's feed) while the pane was hidden; shown
     * again, the list said "No alerts." and "0 critical" beside details that said "critical · active", "firing since
     * 21:42:41 (1 min)", the age growing at every poll. The selection stays on the alert chosen; its details say it is no
     * longer in the feed, since when, and no age that follows the clock.
     */
    @Test
    void theSelectedAlertGoneFromTheFeedIsNotShownActive(FxRobot robot) throws Exception {
        Instant t = Instant.now().minusSeconds(20);
        Alert a = FakeAlerts.alert("critical", t, "alertname", "ServiceDown", "service", "question-selection");
        am.alerts.add(a);
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        int row = indexOf(a);
        robot.interact(() -> view.list().getSelectionModel().select(row));
        assertEquals("critical · active", detailsState(robot));

        robot.interact(vm::hidden);
        am.alerts.clear();
        await("resolved: the feed no longer holds it", Duration.ofSeconds(10), () -> fx(() -> vm.rows().isEmpty()));
        robot.interact(vm::shown);
        WaitForAsyncUtils.waitForFxEvents();
        String state = detailsState(robot);
        assertEquals("critical · no longer active", state);
        String since = onFx(() -> robot.lookup("#details-since").queryAs(Label.class).getText());
        assertTrue(since.startsWith("started ") && since.contains("; not in Alertmanager's feed since ") && !since.contains("("), since);
        assertEquals(a.fingerprint(), onFx(() -> vm.selectedProperty().get().fingerprint()), "still the alert chosen");
        Long tick = onFx(() -> vm.tickProperty().get());
        await("another poll", Duration.ofSeconds(10), () -> fx(() -> vm.tickProperty().get()) > tick);
        assertEquals(state, detailsState(robot), "the next poll says the same");
        assertEquals(since, onFx(() -> robot.lookup("#details-since").queryAs(Label.class).getText()), "no age that grows");

        am.alerts.add(a);
        await("it fires again", Duration.ofSeconds(10), () -> fx(() -> vm.rows().size() == 2));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("critical · active", detailsState(robot), "back in the feed: active again");
    }

    int indexOf(Alert a) {
        for (int i = 0; i < vm.rows().size(); i++) {
            if (!vm.rows().get(i).header() && vm.rows().get(i).alert().fingerprint().equals(a.fingerprint())) {
                return i;
            }
        }
        throw new AssertionError("no row for " + a);
    }

    String rowState(FxRobot robot, Alert a) {
        AtomicReference<String> out = new AtomicReference<>();
        robot.interact(() -> out.set(AlertsView.state(vm.rows().get(indexOf(a)))));
        return out.get();
    }

    String detailsState(FxRobot robot) {
        AtomicReference<String> out = new AtomicReference<>();
        robot.interact(() -> out.set(robot.lookup("#details-state").queryAs(Label.class).getText()));
        return out.get();
    }

    /**
     * An empty list says "No alerts." only while Alertmanager answers: down (the window trial: Alertmanager paused, "No
     * alerts." under the down banner), it is its last answer's emptiness, dated, and what fires now is unknown.
     */
    @Test
    void anEmptyListWhileAlertmanagerIsDownSaysWhenItWasEmpty(FxRobot robot) throws Exception {
        attach(robot);
        javafx.scene.control.ListView<?> list = robot.lookup("#alert-list").queryAs(javafx.scene.control.ListView.class);
        await("read, nothing firing", Duration.ofSeconds(10), () -> vm.updatedProperty().get() != null);
        assertEquals("No alerts.", onFx(() -> ((Label) list.getPlaceholder()).getText()));
        am.down = "connection refused (the SSH link is down)";
        robot.interact(vm::refresh);
        await("stale", Duration.ofSeconds(10), () -> vm.countsAsOfProperty().get() != null);
        String said = onFx(() -> ((Label) list.getPlaceholder()).getText());
        assertTrue(said.matches("No alerts as of \\d\\d:\\d\\d:\\d\\d; what fires now is unknown\\."), said);
        am.down = null;
        robot.interact(vm::refresh);
        await("current again", Duration.ofSeconds(20), () -> vm.countsAsOfProperty().get() == null);
        assertEquals("No alerts.", onFx(() -> ((Label) list.getPlaceholder()).getText()));
        assertEquals("Alerts unknown: nothing read from Alertmanager yet.", AlertsView.emptyText(false, "Alertmanager down", null));
    }

    /** Alertmanager stops: the count chips are those of its last answer, marked so ("as of T", dimmed), never current-looking. */
    @Test
    void staleCountsSayAsOfWhen(FxRobot robot) throws Exception {
        am.alerts.add(FakeAlerts.alert("critical", Instant.now().minusSeconds(60), "alertname", "ServiceDown", "service", "a"));
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(robot.lookup("#counts-as-of").tryQuery().isPresent(), "current counts: no as-of");
        am.down = "Alertmanager refused reading alerts (HTTP 500): internal error";
        robot.interact(vm::refresh);
        await("stale", Duration.ofSeconds(10), () -> vm.countsAsOfProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#counts-as-of").queryAs(Label.class).getText().matches("as of \\d\\d:\\d\\d:\\d\\d"),
                robot.lookup("#counts-as-of").queryAs(Label.class).getText());
        assertEquals("1 critical", onFx(() -> robot.lookup("#count-critical").queryAs(Label.class).getText()));
        assertTrue(onFx(() -> robot.lookup("#count-critical").queryAs(Label.class).getPseudoClassStates()
                .contains(javafx.css.PseudoClass.getPseudoClass("stale"))));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "alerts-stale-counts")).get();
        am.down = null;
        robot.interact(vm::refresh);
        await("current again", Duration.ofSeconds(20), () -> vm.countsAsOfProperty().get() == null);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(robot.lookup("#counts-as-of").tryQuery().isPresent());
    }

    @Test
    void silenceDialogValidatesThenSendsAndShowsARefusal(FxRobot robot) throws Exception {
        Alert a = FakeAlerts.alert("critical", Instant.now().minusSeconds(90), "alertname", "ServiceDown", "service", "analysis-worker");
        am.alerts.add(a);
        attach(robot);
        await("the feed shows", Duration.ofSeconds(10), () -> vm.rows().size() == 2);
        AtomicReference<SilenceDialog> dialog = new AtomicReference<>();
        robot.interact(() -> dialog.set(view.openSilenceDialog(a)));
        SilenceDialog d = dialog.get();
        Button ok = robot.lookup("#silence-ok").queryAs(Button.class);
        assertEquals("alertname=\"ServiceDown\", service=\"analysis-worker\", severity=\"critical\"", d.matchers.getText());
        assertTrue(ok.isDisabled(), "no comment yet");
        assertTrue(d.problems.getText().contains("a comment is required"), d.problems.getText());
        robot.interact(() -> d.comment.setText("analysis-worker restarting after OOM; ticket OPS-42"));
        assertFalse(ok.isDisabled());
        assertTrue(d.ends.getText().contains("(in 1h)"), d.ends.getText());
        robot.interact(() -> d.matchers.setText("alertname=\"ServiceDown\" oops"));
        assertTrue(ok.isDisabled());
        assertTrue(d.problems.getText().contains("not a matcher: oops"), d.problems.getText());
        robot.interact(() -> d.matchers.setText("alertname=\"ServiceDown\", service=~\"analysis.*\""));
        robot.interact(() -> d.custom.setSelected(true));
        assertTrue(ok.isDisabled());
        assertTrue(d.problems.getText().contains("type a duration"), d.problems.getText());
        robot.interact(() -> d.customText.setText("2 weeks"));
        assertTrue(d.problems.getText().contains("is not a duration"), d.problems.getText());
        robot.interact(() -> d.customText.setText("2h30m"));
        assertFalse(ok.isDisabled());
        assertTrue(d.ends.getText().contains("(in 2h 30m)"), d.ends.getText());
        robot.interact(() -> d.tomorrow.setSelected(true));
        assertTrue(d.ends.getText().contains("09:00"), d.ends.getText());
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(d.getDialogPane().getScene(), "alerts-silence-dialog")).get();
        // Alertmanager refuses: the dialog stays open with its words
        am.refuseSilence = "silence invalid: start time must be before end time";
        robot.interact(ok::fire);
        await("the refusal shows", Duration.ofSeconds(5), () -> d.problems.getText().contains("start time must be before end time"));
        assertTrue(d.isShowing());
        am.refuseSilence = null;
        robot.interact(ok::fire);
        await("sent and closed", Duration.ofSeconds(5), () -> !d.isShowing());
        assertEquals(1, am.silenced.size());
        assertEquals("oncall@laptop", am.silenced.get(0).createdBy());
        assertEquals("service=~\"analysis.*\"", am.silenced.get(0).matchers().get(1).toString());
        assertEquals(List.of("refused", "succeeded"), audit.entries.stream().map(e -> e.result()).toList());
    }

    @Test
    void tenThousandAlertsScrollInAVirtualisedList(FxRobot robot) {
        List<Alert> many = new ArrayList<>();
        Instant t = Instant.now().minusSeconds(3600);
        String[] names = {"ServiceDown", "HighErrorRate", "EventProcessingBacklog", "DiskFilling", "CertExpiring"};
        String[] sev = {"critical", "warning", "info"};
        for (int i = 0; i < 10_000; i++) {
            many.add(FakeAlerts.alert(sev[i % 3], t.plusSeconds(i), "alertname", names[i % names.length], "instance", "host-" + i));
        }
        AlertsFeed feed = new AlertsFeed("ref", Instant.now(), many);
        robot.interact(() -> vm.show(feed));
        assertEquals(10_000 + 5, vm.rows().size());
        ListView<?> list = view.list();
        robot.interact(() -> list.scrollTo(vm.rows().size() - 1));
        WaitForAsyncUtils.waitForFxEvents();
        int cells = robot.lookup(".alert-list .list-cell").queryAll().size();
        assertTrue(cells < 80, "only the visible rows have cells: " + cells);
        robot.interact(() -> list.scrollTo(5000));
        robot.scroll(20, javafx.geometry.VerticalDirection.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup(".alert-list .list-cell").queryAll().size() < 80);
        assertTrue(robot.lookup(".alert-list .list-cell").queryAll().stream()
                .anyMatch(n -> n instanceof ListCell<?> c && c.getItem() != null && vm.rows().indexOf(c.getItem()) > 4000),
                "the middle of the list is on screen");
        // a repeated identical feed does not rebuild the rows
        var before = vm.rows().get(0);
        robot.interact(() -> vm.show(new AlertsFeed("ref", Instant.now(), many)));
        assertTrue(before == vm.rows().get(0));
    }

    /** {@link #onFx} for a condition polled by {@code await}. */
    private static <T> T fx(java.util.concurrent.Callable<T> read) {
        try {
            return onFx(read);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The count chips are rebuilt on the FX thread when a poll changes them: a lookup from the test thread races the rebuild. */
    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get();
    }
}
