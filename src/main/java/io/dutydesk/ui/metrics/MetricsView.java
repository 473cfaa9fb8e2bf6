package io.dutydesk.ui.metrics;

import io.dutydesk.core.Errors;
import io.dutydesk.core.metrics.Durations;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.FxmlLayout;
import io.dutydesk.ui.chart.ChartExport;
import io.dutydesk.ui.chart.TimeSeriesChart;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The Metrics pane: PromQL editor, range presets, the chart (or a table for an instant query), errors, export. */
public final class MetricsView {
    private final MetricsViewModel vm;
    private final Executor io;
    private final BorderPane root;
    private final TimeSeriesChart chart;
    // the static layout: MetricsView.fxml (this view is its controller)
    @FXML private TextArea editor;
    @FXML private MenuButton saved;
    @FXML private MenuButton history;
    @FXML private ToggleGroup ranges;
    @FXML private HBox presets;
    @FXML private ToggleButton instant;
    @FXML private TextField custom;
    @FXML private Button png;
    @FXML private Button csv;
    @FXML private Button cancel;
    @FXML private Button run;
    @FXML private Label err;
    @FXML private StackPane center;
    @FXML private TableView<MetricsViewModel.Row> table;
    @FXML private TableColumn<MetricsViewModel.Row, String> seriesColumn;
    @FXML private TableColumn<MetricsViewModel.Row, String> valueColumn;
    @FXML private Label status;
    @FXML private Label staleBanner;
    private final ContextMenu completion = new ContextMenu();
    /**
     * The completions shown at most, the first in order (typing narrows them): the 22 label names of the reference host
     * did not fit under the editor on a 1400x900 screen, and the list was moved up over the editor, hiding what was typed.
     */
    static final int COMPLETIONS_SHOWN = 12;

    private io.dutydesk.ui.chart.TimeRange zoomedFrom; // the home range a zoom started from

    /** {@code io}: where exports are written (never the FX thread). */
    public MetricsView(MetricsViewModel vm, Executor io) {
        this.vm = vm;
        this.io = io;
        this.root = FxmlLayout.load(this);
        this.chart = new TimeSeriesChart(vm.data());
        chart.setId("metrics-chart");
        chart.setPlaceholder("Run a query (Ctrl+Enter) to plot it");
        chart.homeRangeProperty().bind(vm.homeProperty());
        chart.visibleRangeProperty().addListener((o, a, r) -> {
            if (chart.isZoomed()) {
                zoomedFrom = vm.homeProperty().get();
                vm.visibleRangeChanged(r);
            } else if (zoomedFrom != null) {
                // a double-click reset: the zoom's answer replaced the home range's data (a new query
                // also ends the zoom, with a new home range: it asks by itself)
                boolean reset = zoomedFrom.equals(vm.homeProperty().get());
                zoomedFrom = null;
                if (reset) {
                    vm.homeAgain();
                }
            }
        });
        // the end of a pan drag asks for its final range at once (the drag's own changes are throttled)
        chart.adjustingProperty().addListener((o, was, now) -> {
            if (!now && chart.isZoomed()) {
                vm.gestureEnded(chart.getVisibleRange());
            }
        });
        chart.widthProperty().addListener((o, a, w) -> vm.plotWidthProperty().set((int) Math.max(100, w.doubleValue() - 80)));
        top();
        center();
        status.textProperty().bind(vm.statusProperty());
        staleBanner.textProperty().bind(vm.staleProperty());
        staleBanner.visibleProperty().bind(vm.staleProperty().isNotEmpty());
        staleBanner.managedProperty().bind(staleBanner.visibleProperty());
    }

    public Node root() {
        return root;
    }

    public TimeSeriesChart chart() {
        return chart;
    }

    private void top() {
        editor.textProperty().bindBidirectional(vm.expressionProperty());
        completion.getStyleClass().add("promql-completion"); // once: added at every key, the list grew with each
        editor.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
                completion.hide();
                vm.run();
                e.consume();
            } else if (e.getCode() == KeyCode.SPACE && e.isControlDown()) {
                showCompletions();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                completion.hide();
            }
        });
        // the property's handler, not one added: it runs after the text area's own (added when its skin is made, after this
        // one), so the typed character is in the text — an added handler ran first and completed the text before it ('up{'
        // offered metric names, 'up{j' every label)
        editor.setOnKeyTyped(e -> {
            String ch = e.getCharacter();
            if (!ch.isEmpty() && (Character.isLetterOrDigit(ch.charAt(0)) || ch.equals("_") || ch.equals("{") || ch.equals("\""))) {
                showCompletions();
            } else {
                completion.hide();
            }
        });

        run.setOnAction(e -> vm.run());
        run.disableProperty().bind(vm.runningProperty());
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());

        vm.saved().addListener((javafx.collections.ListChangeListener<Map.Entry<String, String>>) c -> {
            saved.getItems().clear();
            for (Map.Entry<String, String> q : vm.saved()) {
                MenuItem mi = new MenuItem(q.getKey());
                mi.setOnAction(e -> {
                    vm.expressionProperty().set(q.getValue());
                    vm.run();
                });
                saved.getItems().add(mi);
            }
            MenuItem save = new MenuItem("Save this query…");
            save.setOnAction(e -> {
                TextInputDialog d = new TextInputDialog();
                d.setHeaderText("Save the query for this environment as:");
                d.initOwner(root.getScene().getWindow());
                d.showAndWait().filter(s -> !s.isBlank()).ifPresent(vm::save);
            });
            saved.getItems().add(new javafx.scene.control.SeparatorMenuItem());
            saved.getItems().add(save);
        });
        vm.history().addListener((javafx.collections.ListChangeListener<String>) c -> {
            history.getItems().clear();
            for (String h : vm.history()) {
                MenuItem mi = new MenuItem(h.length() > 90 ? h.substring(0, 87) + "…" : h);
                mi.setOnAction(e -> vm.expressionProperty().set(h));
                history.getItems().add(mi);
            }
        });

        // one toggle per preset range, before Instant (the FXML's)
        int at = presets.getChildren().indexOf(instant);
        for (Duration d : MetricsViewModel.PRESETS) {
            String label = d.toHours() == 24 ? "24h" : d.toDays() == 7 ? "7d" : Durations.format(d);
            ToggleButton b = new ToggleButton(label);
            b.setId("range-" + Durations.format(d));
            b.setToggleGroup(ranges);
            b.setUserData(d);
            b.setSelected(d.equals(vm.rangeProperty().get()));
            presets.getChildren().add(at++, b);
        }
        custom.setOnAction(e -> {
            try {
                vm.rangeProperty().set(Durations.parse(custom.getText()));
                ranges.selectToggle(null);
                vm.instantProperty().set(false);
                vm.run();
            } catch (IllegalArgumentException ex) {
                vm.errorProperty().set(new MetricsViewModel.QueryError(ex.getMessage(), 0, 0, false));
            }
        });
        ranges.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) {
                return;
            }
            boolean inst = t == instant;
            vm.instantProperty().set(inst);
            if (!inst) {
                vm.rangeProperty().set((Duration) t.getUserData());
                custom.clear();
            }
            if (!vm.expressionProperty().get().isBlank()) {
                vm.run();
            }
        });

        png.setOnAction(e -> exportPng());
        csv.setOnAction(e -> exportCsv());

        err.managedProperty().bind(err.visibleProperty());
        err.visibleProperty().bind(vm.errorProperty().isNotNull());
        err.textProperty().bind(Bindings.createStringBinding(() -> {
            MetricsViewModel.QueryError q = vm.errorProperty().get();
            if (q == null) {
                return "";
            }
            return (q.fromPrometheus() ? "Prometheus: " : "") + q.message()
                    + (q.column() > 0 ? "\n" + caretLine(vm.expressionProperty().get(), q.line(), q.column()) : "");
        }, vm.errorProperty()));
        vm.errorProperty().addListener((o, a, q) -> {
            if (q != null && q.column() > 0) {
                int pos = offset(vm.expressionProperty().get(), q.line(), q.column());
                editor.positionCaret(pos);
            }
        });
    }

    static String caretLine(String expr, int line, int col) {
        String[] lines = expr.split("\n", -1);
        int ln = Math.max(0, Math.min(lines.length - 1, line - 1));
        return lines[ln] + "\n" + " ".repeat(Math.max(0, Math.min(col - 1, lines[ln].length()))) + "^";
    }

    static int offset(String expr, int line, int col) {
        String[] lines = expr.split("\n", -1);
        int off = 0;
        for (int i = 0; i < Math.min(line - 1, lines.length); i++) {
            off += lines[i].length() + 1;
        }
        return Math.min(expr.length(), off + Math.max(0, col - 1));
    }

    private void center() {
        table.setItems(vm.rows());
        seriesColumn.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(c.getValue().series()));
        seriesColumn.prefWidthProperty().bind(table.widthProperty().multiply(0.72));
        valueColumn.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(c.getValue().value()));
        valueColumn.prefWidthProperty().bind(table.widthProperty().multiply(0.25));
        table.visibleProperty().bind(vm.instantProperty());
        chart.visibleProperty().bind(vm.instantProperty().not());
        center.getChildren().add(0, chart);
    }

    private void showCompletions() {
        String text = editor.getText();
        int caret = editor.getCaretPosition();
        // a label's values are fetched the first time they are needed
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"[^\"]*$")
                .matcher(text.substring(0, caret));
        if (m.find()) {
            vm.loadLabelValues(m.group(1));
        }
        List<String> items = vm.completions(text, caret);
        if (items.isEmpty()) {
            completion.hide();
            return;
        }
        completion.getItems().clear();
        for (String s : items.subList(0, Math.min(items.size(), COMPLETIONS_SHOWN))) {
            Label l = new Label(s);
            String help = vm.help(s);
            if (!help.isEmpty()) {
                l.setTooltip(new Tooltip(help));
            }
            CustomMenuItem mi = new CustomMenuItem(l, true);
            mi.setOnAction(e -> {
                int start = MetricsViewModel.wordStart(editor.getText(), editor.getCaretPosition());
                editor.replaceText(start, editor.getCaretPosition(), s);
            });
            completion.getItems().add(mi);
        }
        // placed again for its new items: a list shown where a longer one was kept that one's place (the top of the screen)
        completion.show(editor, Side.BOTTOM, 12, 0);
    }

    /** The completions shown now (none while the list is hidden), for tests. */
    List<String> completionsShown() {
        return !completion.isShowing() ? List.of() : completion.getItems().stream()
                .map(i -> i instanceof CustomMenuItem c && c.getContent() instanceof Label l ? l.getText() : i.getText()).toList();
    }

    private Path choose(String title, String ext) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName("dutydesk-metrics." + ext);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(ext.toUpperCase(), "*." + ext));
        java.io.File f = fc.showSaveDialog(root.getScene().getWindow());
        return f == null ? null : f.toPath();
    }

    private void exportPng() {
        Path p = choose("Save chart as PNG", "png");
        if (p == null) {
            return;
        }
        javafx.scene.image.WritableImage img = chart.toImage();
        CompletableFuture.runAsync(() -> write(p, ChartExport.png(img)), io)
                .whenComplete((v, e) -> done(p, e));
    }

    private void exportCsv() {
        Path p = choose("Save series as CSV", "csv");
        if (p == null) {
            return;
        }
        java.util.Set<String> hidden = java.util.Set.copyOf(chart.hiddenSeries());
        var range = chart.getVisibleRange();
        ZoneId zone = chart.zoneProperty().get();
        CompletableFuture.runAsync(() -> write(p, vm.csv(hidden, range, zone).getBytes(java.nio.charset.StandardCharsets.UTF_8)), io)
                .whenComplete((v, e) -> done(p, e));
    }

    private static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void done(Path p, Throwable e) {
        FxThread.INSTANCE.execute(() -> vm.statusProperty().set(e == null ? "Saved " + p : "Not saved: " + Errors.describe(e)));
    }
}
