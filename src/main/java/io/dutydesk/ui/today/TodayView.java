package io.dutydesk.ui.today;

import io.dutydesk.core.check.CheckReport;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.ui.fx.FxmlLayout;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;
import java.io.IOException;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;

/**
 * The Today pane: one row per check (its status, its evidence on one line, the pane that shows more, a mark when it
 * changed since the previous run), passing checks foldable; the run selector (this window's and the kept runs of the
 * last eight days), "new since yesterday", a row per environment, and the report in one action each.
 */
public final class TodayView {
    private final TodayViewModel vm;
    /** Where "Save as HTML…" asks for its file (a test's answer instead of the FileChooser). */
    private final Function<Parent, File> saveTo;

    @FXML private BorderPane root;
    @FXML private Button runNow;
    @FXML private Button runAll;
    @FXML private ComboBox<CheckRun> runs;
    @FXML private CheckBox fold;
    @FXML private Hyperlink yesterday;
    @FXML private Hyperlink weekAgo;
    @FXML private Button copy;
    @FXML private Button save;
    @FXML private Label status;
    @FXML private Label since;
    @FXML private VBox checks;
    @FXML private FlowPane envs;

    public TodayView(TodayViewModel vm) {
        this(vm, TodayView::chooseFile);
    }

    public TodayView(TodayViewModel vm, Function<Parent, File> saveTo) {
        this.vm = vm;
        this.saveTo = saveTo;
        FxmlLayout.load(this);
        status.textProperty().bind(vm.statusProperty());
        since.textProperty().bind(vm.sinceYesterdayProperty());
        runNow.setOnAction(e -> vm.run());
        runNow.disableProperty().bind(vm.runningProperty());
        runAll.setOnAction(e -> vm.runAll());
        runAll.disableProperty().bind(vm.runningAllProperty().or(vm.runningProperty()));
        runAll.setVisible(vm.canRunAll());
        runAll.setManaged(vm.canRunAll());
        fold.selectedProperty().bindBidirectional(vm.foldPassingProperty());
        fold.selectedProperty().addListener((o, a, b) -> rebuild());
        runs.setItems(vm.history());
        runs.setCellFactory(l -> new RunCell());
        runs.setButtonCell(new RunCell());
        runs.valueProperty().addListener((o, a, r) -> {
            if (r != null && r != vm.shownRunProperty().get()) {
                vm.show(r);
            }
        });
        vm.shownRunProperty().addListener((o, a, r) -> runs.setValue(r));
        // the kept runs are read again after every run: the selector keeps showing the run on the screen
        vm.history().addListener((javafx.collections.ListChangeListener<CheckRun>) c -> runs.setValue(vm.shownRunProperty().get()));
        runs.setValue(vm.shownRunProperty().get());
        vm.rows().addListener((javafx.collections.ListChangeListener<TodayViewModel.Row>) c -> rebuild());
        vm.environmentRows().addListener((javafx.collections.ListChangeListener<TodayViewModel.EnvRow>) c -> rebuildEnvs());
        yesterday.setOnAction(e -> vm.showDaysBefore(1));
        weekAgo.setOnAction(e -> vm.showDaysBefore(7));
        yesterday.disableProperty().bind(vm.latestProperty().isNull());
        weekAgo.disableProperty().bind(vm.latestProperty().isNull());
        copy.setOnAction(e -> copyMarkdown());
        save.setOnAction(e -> saveHtml());
        copy.disableProperty().bind(vm.shownRunProperty().isNull());
        save.disableProperty().bind(vm.shownRunProperty().isNull());
        rebuild();
        rebuildEnvs();
    }

    public Parent root() {
        return root;
    }

    private final class RunCell extends ListCell<CheckRun> {
        @Override
        protected void updateItem(CheckRun r, boolean empty) {
            super.updateItem(r, empty);
            setText(empty || r == null ? null
                    : CheckReport.when(r.at(), vm.zone()) + " · " + r.worst().id() + " · " + r.summary());
        }
    }

    private void rebuild() {
        List<TodayViewModel.Row> rs = vm.rows();
        checks.getChildren().clear();
        if (rs.isEmpty()) {
            Label none = new Label(vm.runningProperty().get() ? "running…" : "No run yet: Run now runs every check.");
            none.getStyleClass().add("muted");
            checks.getChildren().add(none);
            return;
        }
        int folded = 0;
        for (TodayViewModel.Row r : rs) {
            // a changed check stays in view even when it passes: it is news
            if (fold.isSelected() && r.status() == CheckStatus.PASS && !r.changed()) {
                folded++;
                continue;
            }
            checks.getChildren().add(row(r));
        }
        if (folded > 0) {
            Hyperlink more = new Hyperlink(folded + " passing check" + (folded == 1 ? "" : "s") + " folded: show");
            more.setId("show-passing");
            more.setOnAction(e -> fold.setSelected(false));
            checks.getChildren().add(more);
        }
    }

    private Node row(TodayViewModel.Row r) {
        Label st = new Label(r.status().name());
        st.setId("status-" + r.id());
        st.getStyleClass().addAll("check-status", r.status().id());
        st.setMinWidth(Region.USE_PREF_SIZE);
        Label title = new Label(r.title());
        title.setMinWidth(Region.USE_PREF_SIZE);
        title.setStyle("-fx-font-weight: bold;");
        Label evidence = new Label(r.evidence());
        evidence.setId("evidence-" + r.id());
        evidence.setMinWidth(40);
        evidence.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(evidence, Priority.ALWAYS);
        if (!r.details().isEmpty()) {
            evidence.setTooltip(new Tooltip(r.evidence() + "\n" + String.join("\n", r.details())));
        } else {
            evidence.setTooltip(new Tooltip(r.evidence()));
        }
        Hyperlink link = new Hyperlink(title(r.pane()) + " →");
        link.setId("open-" + r.id());
        link.setMinWidth(Region.USE_PREF_SIZE);
        link.setOnAction(e -> vm.open(r));
        HBox row = new HBox(st, title, evidence);
        if (r.changed()) {
            Label mark = new Label("changed: was " + r.previous().map(CheckStatus::id).orElse("?"));
            mark.setId("changed-" + r.id());
            mark.getStyleClass().add("changed-mark");
            mark.setMinWidth(Region.USE_PREF_SIZE);
            row.getChildren().add(mark);
            row.getStyleClass().add("changed");
        }
        row.getChildren().add(link);
        row.getStyleClass().add("check-row");
        row.setId("check-" + r.id());
        return row;
    }

    private static String title(String pane) {
        return pane.isEmpty() ? pane : Character.toUpperCase(pane.charAt(0)) + pane.substring(1);
    }

    private void rebuildEnvs() {
        envs.getChildren().clear();
        for (TodayViewModel.EnvRow e : vm.environmentRows()) {
            Label name = new Label(e.env() + (e.current() ? " (this one)" : ""));
            Label st = new Label(e.worst().map(CheckStatus::name).orElse("NOT RUN"));
            st.getStyleClass().addAll("check-status", e.worst().map(CheckStatus::id).orElse("unknown"));
            Label when = new Label(e.when());
            when.getStyleClass().add("muted");
            when.setTooltip(new Tooltip(e.when()));
            HBox box = new HBox(6, name, st, when);
            box.setId("env-" + e.env());
            envs.getChildren().add(box);
        }
    }

    void copyMarkdown() {
        ClipboardContent c = new ClipboardContent();
        c.putString(vm.markdown());
        Clipboard.getSystemClipboard().setContent(c);
        vm.statusNote("copied the report as Markdown");
    }

    void saveHtml() {
        File f = saveTo.apply(root);
        if (f == null) {
            return;
        }
        try {
            vm.saveHtml(f.toPath());
            vm.statusNote("saved " + f);
        } catch (IOException | RuntimeException e) {
            vm.statusNote("not saved: " + io.dutydesk.core.Errors.describe(e));
        }
    }

    private static File chooseFile(Parent owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save the check report as HTML");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("HTML page", "*.html"));
        fc.setInitialFileName("dutydesk-check.html");
        return fc.showSaveDialog(owner.getScene() == null ? null : owner.getScene().getWindow());
    }
}
