package io.dutydesk.ui.outbox;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.outbox.BacklogSample;
import io.dutydesk.core.outbox.MemoryOutboxHistory;
import io.dutydesk.testing.OutboxFakes;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.ui.chart.ChartData;
import io.dutydesk.ui.chart.TimeSeriesChart;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
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
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Outbox pane on Monocle: the header's colour, the missing-index notice, the trend after a restart. */
@ExtendWith(ApplicationExtension.class)
class OutboxViewTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final OutboxFakes fakes = new OutboxFakes();
    final Environment env = OutboxFakes.environment(Duration.ofMillis(200));
    final MemoryOutboxHistory history = new MemoryOutboxHistory();
    OutboxViewModel vm;
    Scene scene;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        scene = new Scene(new StackPane(), 1180, 720);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.sizeToScene(); // the 1024x640 test below resizes TestFX's shared stage: every test here starts at the scene's size
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        fx(() -> {
            if (vm != null) {
                vm.close();
            }
            stage.sizeToScene(); // the shared stage back to its scene's size for the classes after this one
            return null;
        });
        scheduler.shutdownNow();
    }

    static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A new view-model and view on the same history, as when the console is opened again. */
    OutboxView open() {
        return open(env);
    }

    OutboxView open(Environment env) {
        return fx(() -> {
            if (vm != null) {
                vm.close();
            }
            vm = new OutboxViewModel(FxThread.INSTANCE, scheduler, Clock.systemDefaultZone());
            OutboxView view = new OutboxView(vm);
            scene.setRoot(new StackPane(view.root()));
            Theme.apply(scene, false);
            // skins now, as the first pulse would: the split panes' items are their skins' children, and a test whose
            // fakes answer before that pulse looked them up in a graph that did not hold them yet
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            vm.attach(fakes.context(env, history, Clock.systemDefaultZone()));
            return view;
        });
    }

    /** An outbox without a processing state, an environment without a stream: no Processing tile, the stream "not configured". */
    @Test
    void withoutAProcessingStateOrAStreamTheTileIsHiddenAndTheStreamNotConfigured(FxRobot robot) {
        Environment.Outbox noProcessing = io.dutydesk.core.config.EnvironmentsFile.parse(java.nio.file.Path.of("t.yaml"), """
                environments:
                  e:
                    ssh: { host: h }
                    outbox: { statuses: { processing: ~ } }
                """).require("e").outbox();
        open(env.withOutbox(noProcessing, Environment.Redis.NONE));
        showsPending(robot, 7, "outbox-ok");
        assertFalse(fx(() -> robot.lookup("#processing-tile").query().isVisible()), "no Processing tile, not 0");
        assertFalse(fx(() -> robot.lookup("#processing-tile").query().isManaged()), "and no room kept for it");
        assertTrue(fx(() -> robot.lookup("#stream-title").queryAs(Label.class).getText()).contains("not configured"));

        open(env);
        showsPending(robot, 8, "outbox-ok");
        assertTrue(fx(() -> robot.lookup("#processing-tile").query().isVisible()));
    }

    Label header(FxRobot robot) {
        return robot.lookup("#outbox-header").queryAs(Label.class);
    }

    void showsPending(FxRobot robot, long n, String styleClass) {
        fakes.pending = n;
        fx(() -> {
            vm.refresh();
            return null;
        });
        Label h = header(robot);
        await(() -> "header for " + n + ": " + fx(h::getText) + " " + fx(h::getStyleClass), WAIT,
                () -> fx(() -> h.getText().startsWith("Outbox: " + n + " pending") && h.getStyleClass().contains(styleClass)));
        assertEquals(1, fx(() -> h.getStyleClass().stream().filter(OutboxView.HEADER_CLASSES::contains).count()));
        assertEquals(String.valueOf(n), fx(() -> robot.lookup("#pending-value").queryAs(Label.class).getText()));
    }

    @Test
    void headerColourAt99And100And1000Pending(FxRobot robot) throws Exception {
        open();
        showsPending(robot, 99, "outbox-ok");
        javafx.scene.paint.Paint ok = headerFill(robot);
        showsPending(robot, 100, "outbox-warn");
        javafx.scene.paint.Paint warn = headerFill(robot);
        showsPending(robot, 1000, "outbox-critical");
        javafx.scene.paint.Paint critical = headerFill(robot);
        assertFalse(ok.equals(warn) || warn.equals(critical) || ok.equals(critical), ok + " " + warn + " " + critical);
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-critical")).get();
    }

    /** The header's fill once its new style class is styled (a class change is styled on the next pulse, or now). */
    javafx.scene.paint.Paint headerFill(FxRobot robot) {
        return fx(() -> {
            var h = header(robot);
            h.applyCss();
            return h.getBackground().getFills().get(0).getFill();
        });
    }

    /**
     * PostgreSQL and Docker stop: the oldest-pending tile and the oldest events' title and ages say "as of T", the table
     * is marked stale, and the relay's text is neither green nor red next to its stale banner.
     */
    @Test
    void aStaleSourceMarksEveryValueItGaveNeverGreen(FxRobot robot) throws Exception {
        fakes.oldestAgeSeconds = 3 * 3600 + 24 * 60;
        open();
        Label relay = robot.lookup("#relay-text").queryAs(Label.class);
        await("read", WAIT, () -> fx(() -> relay.getStyleClass().contains("good")
                && robot.lookup("#oldest-age-value").queryAs(Label.class).getText().equals("3 h 24 min")));
        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        fakes.dockerDown = "Docker: Cannot connect to the Docker daemon";
        await(() -> "stale: " + fx(relay::getText) + " " + fx(relay::getStyleClass), WAIT,
                () -> fx(() -> robot.lookup("#relay-problem").query().isVisible() && robot.lookup("#pg-problem").query().isVisible()
                        && relay.getStyleClass().contains("stale")));
        assertFalse(fx(() -> relay.getStyleClass().contains("good")), "never green next to its stale banner");
        assertTrue(fx(relay::getText).matches("Relay selfology-outbox-relay-blue \\(blue, live\\): .* — as of \\d\\d:\\d\\d:\\d\\d, stale"),
                fx(relay::getText));
        String tile = fx(() -> robot.lookup("#oldest-age-value").queryAs(Label.class).getText());
        assertTrue(tile.matches("3 h 24 min as of \\d\\d:\\d\\d:\\d\\d"), tile);
        String title = fx(() -> robot.lookup("#oldest-title").queryAs(Label.class).getText());
        assertTrue(title.matches("5 pending events, oldest first — as of \\d\\d:\\d\\d:\\d\\d, stale \\(PostgreSQL down\\)"), title);
        assertTrue(fx(() -> robot.lookup("#oldest-table").query().getPseudoClassStates()
                .contains(javafx.css.PseudoClass.getPseudoClass("stale"))));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-stale")).get();

        fakes.pgDown = null;
        fakes.dockerDown = null;
        await("fresh again", WAIT, () -> fx(() -> relay.getStyleClass().contains("good")
                && robot.lookup("#oldest-age-value").queryAs(Label.class).getText().equals("3 h 24 min")
                && !robot.lookup("#oldest-table").query().getPseudoClassStates().contains(javafx.css.PseudoClass.getPseudoClass("stale"))));
    }

    /**
     * Redis down from the first poll, in a 1024x640 window: the stream's banner is shown whole (it was cut to one line
     * with "..." — the VBox shrank it to its one-line minimum to make room for the groups table's preferred 400 px), and
     * the empty groups table says unknown, not "No consumer group."; then PostgreSQL too: its table says unknown, not
     * "Nothing pending.".
     */
    @Test
    void aSourceDownFromTheStartIsSaidWholeAndItsTablesAreUnknownNotEmpty(FxRobot robot) throws Exception {
        fakes.redisDown = "Redis 127.0.0.1:24379 (stream selfology:events): the server could not connect to it "
                + "(SSH channel refused: is it running?)";
        // as in the trial: "Outbox: 5 pending — act now: oldest pending 15 h 33 min (≥ 30 min); stream not read (Redis down)"
        fakes.oldestAgeSeconds = 15 * 3600 + 33 * 60;
        fakes.eventsAgeSeconds = fakes.oldestAgeSeconds;
        fx(() -> {
            stage.setWidth(1024 - 50); // the pane beside the (collapsed) navigation in a 1024x640 window
            stage.setHeight(640 - 52 - 36); // below the header, above the status bar
            return null;
        });
        open();
        Label banner = robot.lookup("#redis-problem").queryAs(Label.class);
        await(() -> "banner: " + fx(banner::getText), WAIT, () -> fx(() -> banner.isVisible() && !banner.getText().isEmpty()));
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-redis-down-from-start")).get();
        String shown = fx(() -> banner.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
                .map(n -> ((javafx.scene.text.Text) n).getText()).findFirst().orElse(""));
        assertEquals(fx(banner::getText), shown, "the banner is not cut");
        assertTrue(shown.startsWith("Redis: down; no answer yet: "), shown);
        String groups = fx(() -> ((Label) robot.lookup("#groups-table").queryAs(javafx.scene.control.TableView.class).getPlaceholder()).getText());
        assertEquals("Consumer groups unknown: nothing read from Redis yet.", groups);
        Label groupsPlaceholder = fx(() -> (Label) robot.lookup("#groups-table").queryAs(javafx.scene.control.TableView.class).getPlaceholder());
        assertEquals(groups, fx(() -> groupsPlaceholder.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
                .map(n -> ((javafx.scene.text.Text) n).getText()).reduce("", (a, b) -> a.isEmpty() ? b : a + " " + b)),
                "the placeholder is not cut");
        // the verdict over the pane, whole: "...; stream not read (Redis down)" was cut with "..." at 1024 (the trial)
        Label header = robot.lookup("#outbox-header").queryAs(Label.class);
        await("the verdict says the stream", WAIT, () -> fx(() -> header.getText().contains("Redis")));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(fx(header::getText), fx(() -> header.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
                .map(n -> ((javafx.scene.text.Text) n).getText()).reduce("", (a, b) -> a.isEmpty() ? b : a + " " + b)),
                "the header is not cut");
        assertTrue(fx(() -> ((javafx.scene.layout.Region) robot.lookup("#pane-outbox").query()).minHeight(-1) <= scene.getHeight()),
                "the pane fits the window");

        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        open();
        await("PostgreSQL down", WAIT, () -> fx(() -> robot.lookup("#pg-problem").query().isVisible()));
        String oldest = fx(() -> ((Label) robot.lookup("#oldest-table").queryAs(javafx.scene.control.TableView.class).getPlaceholder()).getText());
        assertEquals("Pending events unknown: nothing read from PostgreSQL yet.", oldest);
        assertEquals("Oldest pending events", fx(() -> robot.lookup("#oldest-title").queryAs(Label.class).getText()));
    }

    /**
     * The window trial at 1024x640: the oldest events' age, the fact the header's "act now" is about, was drawn
     * "12 h 4..." fresh, "12 h 42 min at" (its time cut off) while PostgreSQL was down, and after the outage "12 h 4..."
     * beside a blank strip at the table's right — the table's own last-column policy never ran again after the age
     * column's widths were changed. Fresh, stale and fresh again: every age is drawn whole and the columns fill the table.
     */
    @Test
    void theOldestEventsAgesAreDrawnWholeFreshStaleAndAfter(FxRobot robot) throws Exception {
        fakes.oldestAgeSeconds = 12 * 3600 + 47 * 60 + 30;
        fakes.eventsAgeSeconds = fakes.oldestAgeSeconds; // each of the events: 12 h 47 min
        fx(() -> {
            stage.setWidth(1024 - 50); // the pane beside the (collapsed) navigation in a 1024x640 window
            stage.setHeight(640 - 52 - 36);
            return null;
        });
        open();
        javafx.scene.control.TableView<?> table = robot.lookup("#oldest-table").queryAs(javafx.scene.control.TableView.class);
        await(() -> "fresh ages: " + fx(() -> ages(table) + " " + agesCut(table)), WAIT,
                () -> fx(() -> !ages(table).isEmpty() && ages(table).stream().allMatch(a -> a.equals("12 h 47 min"))
                        && agesCut(table).isEmpty()));
        fakes.pgDown = "PostgreSQL 127.0.0.1:5432: Connection refused";
        await(() -> "stale ages: " + fx(() -> ages(table) + " " + agesCut(table)), WAIT,
                () -> fx(() -> !ages(table).isEmpty() && ages(table).stream().allMatch(a -> a.matches("12 h 47 min at \\d\\d:\\d\\d:\\d\\d"))
                        && agesCut(table).isEmpty()));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-ages-stale-1024")).get();
        fakes.pgDown = null;
        await(() -> "fresh again: " + fx(() -> ages(table) + " " + agesCut(table)), WAIT,
                () -> fx(() -> !ages(table).isEmpty() && ages(table).stream().allMatch(a -> a.equals("12 h 47 min")) && agesCut(table).isEmpty()));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-ages-fresh-again-1024")).get();
    }

    /**
     * The window trial at 1024x640 with Docker down: the relay's banner sat beside the relay's line and the Restart
     * button, in the 170 px they left, nine lines tall, and the pane grew taller than the window (the status bar pushed
     * out of it, the tables shown without a row). Under the line, the pane's width, it takes two lines and the pane
     * fits.
     */
    @Test
    void theRelaysBannerAt1024TakesThePanesWidthAndThePaneFits(FxRobot robot) throws Exception {
        fx(() -> {
            stage.setWidth(1024 - 50); // the pane beside the (collapsed) navigation in a 1024x640 window
            stage.setHeight(640 - 52 - 36); // below the header, above the status bar
            return null;
        });
        open();
        Label relay = robot.lookup("#relay-text").queryAs(Label.class);
        await("read", WAIT, () -> fx(() -> relay.getStyleClass().contains("good")));
        fakes.dockerDown = "the Docker socket /var/run/docker.sock (list containers): no such socket on the server "
                + "(is the daemon running?)";
        Label banner = robot.lookup("#relay-problem").queryAs(Label.class);
        await("the relay's banner", WAIT, () -> fx(() -> banner.isVisible() && relay.getStyleClass().contains("stale")));
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-relay-down-1024")).get();
        double[] drawn = fx(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            javafx.scene.text.Text line = new javafx.scene.text.Text("Relay");
            line.setFont(banner.getFont());
            double text = banner.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
                    .mapToDouble(n -> n.getLayoutBounds().getHeight()).max().orElse(0);
            javafx.scene.Node pane = robot.lookup("#pane-outbox").query();
            return new double[] {text / line.getLayoutBounds().getHeight(), banner.getWidth(),
                    ((javafx.scene.layout.Region) pane).getWidth(), ((javafx.scene.layout.Region) pane).minHeight(-1),
                    scene.getHeight()};
        });
        assertTrue(drawn[0] <= 2.5, "the banner in " + drawn[0] + " lines, " + drawn[1] + " px wide");
        assertTrue(drawn[1] >= drawn[2] * 0.9, "the banner " + drawn[1] + " px wide in a pane of " + drawn[2]);
        assertTrue(drawn[3] <= drawn[4], "the pane needs " + drawn[3] + " px of " + drawn[4]);
        String shown = fx(() -> banner.lookupAll(".text").stream().filter(n -> n instanceof javafx.scene.text.Text)
                .map(n -> ((javafx.scene.text.Text) n).getText()).findFirst().orElse(""));
        assertEquals(fx(banner::getText), shown, "the banner is not cut");
    }

    /**
     * The window trial: the consumer groups' names were drawn "analysis-work..." at 1400x900 as at 1024x640 (a 140 px
     * column, the last one taking what was left). Each is drawn whole at both sizes, and the columns fill the table.
     */
    @Test
    void theGroupsNamesAreDrawnWholeAt1400And1024(FxRobot robot) throws Exception {
        // the window's 1240x740 on a 1400x900 screen, its 1024x640 on a 1024x640 one
        for (double[] size : new double[][] {{1240 - 178, 740 - 52 - 36}, {1024 - 50, 640 - 52 - 36}}) {
            fx(() -> {
                stage.setWidth(size[0]); // the pane beside the navigation, below the header, above the status bar
                stage.setHeight(size[1]);
                return null;
            });
            open();
            javafx.scene.control.TableView<?> groups = robot.lookup("#groups-table").queryAs(javafx.scene.control.TableView.class);
            await(() -> size[0] + " px: " + fx(() -> cutCells(groups, 0)), WAIT,
                    () -> fx(() -> cutCells(groups, 0).isEmpty() && names(groups, 0).contains("analysis-workers")));
            WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-groups-" + (int) size[0])).get();
        }
    }

    /** The texts of column {@code col}'s cells that show one, laid out, in row order. */
    static List<String> names(javafx.scene.control.TableView<?> table, int col) {
        return cells(table, col).stream().map(javafx.scene.control.TableCell::getText).toList();
    }

    static List<javafx.scene.control.TableCell<?, ?>> cells(javafx.scene.control.TableView<?> table, int col) {
        table.applyCss();
        table.layout();
        List<javafx.scene.control.TableCell<?, ?>> out = new ArrayList<>();
        for (javafx.scene.Node n : table.lookupAll(".table-cell")) {
            if (n instanceof javafx.scene.control.TableCell<?, ?> c && c.getTableColumn() == table.getColumns().get(col)
                    && !c.isEmpty() && c.getText() != null && !c.getText().isEmpty()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Column {@code col}'s cells drawn shorter than their text; room in the table no column fills, or too little. */
    static List<String> cutCells(javafx.scene.control.TableView<?> table, int col) {
        List<String> out = new ArrayList<>();
        for (javafx.scene.control.TableCell<?, ?> c : cells(table, col)) {
            String drawn = c.lookupAll(".text").stream().filter(t -> t instanceof javafx.scene.text.Text)
                    .map(t -> ((javafx.scene.text.Text) t).getText()).findFirst().orElse("");
            if (!drawn.equals(c.getText())) {
                out.add("'" + c.getText() + "' drawn as '" + drawn + "'");
            }
        }
        double cols = table.getVisibleLeafColumns().stream().mapToDouble(javafx.scene.control.TableColumn::getWidth).sum();
        javafx.scene.Node header = table.lookup(".column-header-background");
        double room = header == null ? cols : header.getLayoutBounds().getWidth();
        if (cols < room - 20) {
            out.add("the columns fill " + cols + " of " + room + " px");
        }
        if (cols > room + 1) {
            out.add("the columns need " + cols + " of " + room + " px: the table scrolls sideways");
        }
        return out;
    }

    /** The age column's cells that show an age, laid out, in row order. */
    static List<javafx.scene.control.TableCell<?, ?>> ageCells(javafx.scene.control.TableView<?> table) {
        table.applyCss();
        table.layout();
        List<javafx.scene.control.TableCell<?, ?>> out = new ArrayList<>();
        for (javafx.scene.Node n : table.lookupAll(".table-cell")) {
            if (n instanceof javafx.scene.control.TableCell<?, ?> c && c.getTableColumn() == table.getColumns().get(2)
                    && !c.isEmpty() && c.getText() != null) {
                out.add(c);
            }
        }
        return out;
    }

    /** The age cells' texts (their items'), in row order. */
    static List<String> ages(javafx.scene.control.TableView<?> table) {
        return ageCells(table).stream().map(javafx.scene.control.TableCell::getText).toList();
    }

    /** What is not drawn whole: an age cell drawn shorter than its text, or room in the table no column fills. */
    static List<String> agesCut(javafx.scene.control.TableView<?> table) {
        List<String> out = new ArrayList<>();
        for (javafx.scene.control.TableCell<?, ?> c : ageCells(table)) {
            String drawn = c.lookupAll(".text").stream().filter(t -> t instanceof javafx.scene.text.Text)
                    .map(t -> ((javafx.scene.text.Text) t).getText()).findFirst().orElse("");
            if (!drawn.equals(c.getText())) {
                out.add("'" + c.getText() + "' drawn as '" + drawn + "'");
            }
        }
        double cols = table.getVisibleLeafColumns().stream().mapToDouble(javafx.scene.control.TableColumn::getWidth).sum();
        javafx.scene.Node header = table.lookup(".column-header-background");
        double room = header == null ? cols : header.getLayoutBounds().getWidth();
        if (cols < room - 20) {
            out.add("the columns fill " + cols + " of " + room + " px");
        }
        return out;
    }

    @Test
    void aMissingIndexIsNoticedWithTheIndexToCreate(FxRobot robot) throws Exception {
        fakes.indexOk = false;
        open();
        await("notice", WAIT, () -> fx(() -> robot.lookup("#index-notice").query().isVisible()));
        String sql = fx(() -> robot.lookup("#index-sql").queryAs(TextField.class).getText());
        assertTrue(sql.startsWith("CREATE INDEX CONCURRENTLY IF NOT EXISTS event_outbox_open_status_idx"), sql);
        assertFalse(fx(() -> robot.lookup("#index-sql").queryAs(TextField.class).isEditable()));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-missing-index")).get();
        fakes.indexOk = true;
        await("notice gone", WAIT, () -> fx(() -> !robot.lookup("#index-notice").query().isVisible()));
    }

    @Test
    void theChartShowsTheHistoryAfterTheViewIsRestarted(FxRobot robot) throws Exception {
        Instant now = Instant.now();
        List<BacklogSample> earlier = new ArrayList<>();
        for (int i = 0; i < 60; i++) { // an hour of an earlier session, 3 h ago
            earlier.add(new BacklogSample(now.minus(Duration.ofHours(3)).plusSeconds(60L * i), 10L + i, 5L + i, 50L + i, (long) i,
                    BacklogSample.Source.CONSOLE));
        }
        history.append("ref", earlier).join();
        fakes.prometheusPoints = List.of(new OutboxFakes.Point(now.minus(Duration.ofMinutes(90)), 1500),
                new OutboxFakes.Point(now.minus(Duration.ofMinutes(88)), 1400));
        open();
        TimeSeriesChart chart = trend(robot, null);
        // PostgreSQL and Redis are polled apart: a sample taken before Redis first answered has no stream point,
        // so both series are waited for, not one and then the other
        await("history and new samples drawn", WAIT, () -> points(chart, OutboxTrend.PENDING) >= 62
                && points(chart, OutboxTrend.STREAM_LENGTH) >= 62);
        assertEquals(2, points(chart, OutboxTrend.PENDING_PROMETHEUS), "Prometheus's points are their own series");
        assertEquals(2, fx(() -> chart.data().snapshot().thresholds().size()), "warn and act lines");
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(scene, "outbox-trend")).get();
        int before = points(chart, OutboxTrend.PENDING);

        // the view and its view-model are thrown away and built again on the same store
        open();
        TimeSeriesChart again = trend(robot, chart);
        assertNotNull(again);
        await(() -> "restarted view shows " + points(again, OutboxTrend.PENDING) + " of " + before, WAIT,
                () -> points(again, OutboxTrend.PENDING) >= before);
        ChartData.SeriesView first = fx(() -> again.data().snapshot().series(OutboxTrend.PENDING));
        assertEquals(earlier.get(0).at().toEpochMilli(), first.t()[0], "starts with the earlier session");
        assertEquals(10.0, first.v()[0]);
        assertEquals(2, points(again, OutboxTrend.PENDING_PROMETHEUS));
    }

    /** The chart once the view's skins are built (a SplitPane shows its items on the next pulse); not {@code old}. */
    static TimeSeriesChart trend(FxRobot robot, TimeSeriesChart old) {
        await("the trend chart", WAIT, () -> fx(() -> robot.lookup("#outbox-trend").tryQuery()
                .filter(n -> n != old).isPresent()));
        return fx(() -> robot.lookup("#outbox-trend").queryAs(TimeSeriesChart.class));
    }

    static int points(TimeSeriesChart chart, String id) {
        return fx(() -> {
            ChartData.SeriesView s = chart.data().snapshot().series(id);
            return s == null ? 0 : s.size();
        });
    }
}
