package io.dutydesk.ui.alerts;

import io.dutydesk.core.Ages;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertWords;
import io.dutydesk.core.alerts.Silence;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.ui.fx.FxmlLayout;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The alert feed: counts per severity, a filter taking label matchers and words, the alerts grouped
 * (a virtualised list of fixed-height rows: 10,000 alerts scroll without a layout per alert), the
 * selected alert's details with Silence…, and the Silences and History tabs.
 */
public final class AlertsView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", java.util.Locale.ROOT).withZone(ZoneId.systemDefault());
    static final double ROW_HEIGHT = 28;

    private final AlertsViewModel vm;
    private final Clock clock;
    private final Consumer<String> openUrl;
    // the static layout: AlertsView.fxml (this view is its controller)
    @FXML private BorderPane root;
    @FXML private HBox countsBox;
    @FXML private Label updated;
    @FXML private TextField filter;
    @FXML private CheckBox showSuppressed;
    @FXML private Label shown;
    @FXML private Label filterError;
    @FXML private Label problem;
    @FXML private Label cannotFire;
    @FXML private Label sourceNote;
    @FXML private Label historyProblem;
    @FXML private Label status;
    @FXML private TabPane tabs;
    @FXML private ListView<AlertRow> list;
    @FXML private Label emptyList;
    @FXML private VBox details;
    @FXML private Label silencesProblem;
    @FXML private TableView<Silence> silencesTable;
    @FXML private Button expire;
    @FXML private ChoiceBox<Duration> historyWindow;
    @FXML private Label historySharedLabel;
    @FXML private TableView<Transition> historyTable;
    private final List<RowCell> cells = new java.util.ArrayList<>();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** @param openUrl opens a URL in the desktop's browser (runbook links) */
    public AlertsView(AlertsViewModel vm, Clock clock, Consumer<String> openUrl) {
        this.vm = vm;
        this.clock = clock;
        this.openUrl = openUrl;
        FxmlLayout.load(this);
        header();
        feed();
        silences();
        history();
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (i.intValue() == 1) {
                vm.refreshSilences();
            } else if (i.intValue() == 2) {
                vm.refreshHistory();
            }
        });
        vm.counts().addListener((ListChangeListener<Map.Entry<String, Long>>) c -> showCounts());
        vm.suppressedProperty().addListener((o, a, b) -> showCounts());
        vm.unknownProperty().addListener((o, a, b) -> showCounts());
        vm.unknownTextProperty().addListener((o, a, b) -> showCounts());
        vm.countsAsOfProperty().addListener((o, a, b) -> showCounts());
        showCounts();
        // ages follow the clock: every poll (good or failed) redraws them in the rows on screen; hidden, on showing
        // (WhileShown: a hidden pane's change repaints the whole window)
        Runnable ages = () -> {
            if (!vm.shownProperty().get()) {
                return;
            }
            cells.forEach(RowCell::showAge);
            Alert sel = vm.selectedProperty().get();
            if (sel != null) {
                showSince(sel);
            }
        };
        vm.tickProperty().addListener((o, a, b) -> ages.run());
        vm.shownProperty().addListener((o, a, b) -> ages.run());
        vm.selectedProperty().addListener((o, a, b) -> showDetails(b));
        // the details are in step with the selected row: an alert that turns unknown (its source down) or a feed that
        // turns stale (Alertmanager or the SSH link down) changes the row, not the alert itself, so redraw on those too
        vm.rows().addListener((ListChangeListener<AlertRow>) c -> showDetailsIfChanged());
        vm.staleSinceProperty().addListener((o, a, b) -> showDetailsIfChanged());
        vm.selectedGoneAtProperty().addListener((o, a, b) -> showDetailsIfChanged());
        showDetails(vm.selectedProperty().get());
    }

    public Node root() {
        return root;
    }

    ListView<AlertRow> list() {
        return list;
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    private void header() {
        io.dutydesk.ui.fx.WhileShown.text(updated, vm.updatedProperty(), vm.shownProperty());
        filter.textProperty().bindBidirectional(vm.filterTextProperty());
        filterError.textProperty().bind(vm.filterErrorProperty());
        filterError.visibleProperty().bind(vm.filterErrorProperty().isNotNull());
        filterError.managedProperty().bind(filterError.visibleProperty());
        vm.filterErrorProperty().addListener((o, a, b) -> filter.pseudoClassStateChanged(
                javafx.css.PseudoClass.getPseudoClass("danger"), b != null));
        showSuppressed.selectedProperty().bindBidirectional(vm.showSuppressedProperty());
        shown.textProperty().bind(vm.shownSummaryProperty());

        banner(problem, vm.problemProperty());
        banner(cannotFire, vm.cannotFireProperty());
        banner(historyProblem, vm.historyProblemProperty());
        sourceNote.textProperty().bind(vm.sourceNoteProperty());
        sourceNote.visibleProperty().bind(javafx.beans.binding.Bindings.isNotNull(vm.sourceNoteProperty()));
        sourceNote.managedProperty().bind(sourceNote.visibleProperty());
        status.textProperty().bind(vm.statusProperty());
        status.visibleProperty().bind(vm.statusProperty().isNotEmpty());
        status.managedProperty().bind(status.visibleProperty());
    }

    /** {@code l} (a stale banner in the FXML) says {@code text}, shown only while there is one. */
    private static void banner(Label l, javafx.beans.value.ObservableStringValue text) {
        l.textProperty().bind(text);
        l.visibleProperty().bind(javafx.beans.binding.Bindings.isNotNull(text));
        l.managedProperty().bind(l.visibleProperty());
    }

    /** What the chips last drawn said (counts, suppressed, unknown, "as of"): an unchanged poll rebuilds nothing. */
    private List<Object> countsDrawn;

    /**
     * Rebuilds the chips when what they say changed. A poll that changes nothing touches no node: new chips in a
     * hidden pane would make JavaFX repaint the whole window for nothing (a pulse with no visible change paints all).
     */
    private void showCounts() {
        String asOf = vm.countsAsOfProperty().get(); // Alertmanager down: the chips are the last good read's
        List<Object> now = java.util.Arrays.asList(new java.util.ArrayList<>(vm.counts()), vm.suppressedProperty().get(),
                vm.unknownProperty().get(), vm.unknownTextProperty().get(), asOf);
        if (now.equals(countsDrawn)) {
            return;
        }
        countsDrawn = now;
        countsBox.getChildren().clear();
        for (Map.Entry<String, Long> e : vm.counts()) {
            Label chip = new Label(e.getValue() + " " + e.getKey());
            chip.setId("count-" + e.getKey());
            chip.getStyleClass().addAll("severity-chip", "sev-" + severityClass(e.getKey()));
            if (e.getValue() == 0) {
                chip.getStyleClass().add("zero");
            }
            chip.setMinWidth(Region.USE_PREF_SIZE);
            chip.pseudoClassStateChanged(STALE, asOf != null);
            countsBox.getChildren().add(chip);
        }
        Label s = new Label(vm.suppressedProperty().get() + " suppressed");
        s.setId("count-suppressed");
        s.getStyleClass().addAll("severity-chip", "sev-suppressed");
        s.setMinWidth(Region.USE_PREF_SIZE);
        s.pseudoClassStateChanged(STALE, asOf != null);
        countsBox.getChildren().add(s);
        long unknown = vm.unknownProperty().get();
        if (unknown > 0) {
            // by severity: a critical whose truth is unknown is never hidden behind "0 critical"
            Label u = new Label(vm.unknownTextProperty().get().isEmpty() ? unknown + " unknown" : vm.unknownTextProperty().get());
            u.setId("count-unknown");
            u.getStyleClass().addAll("severity-chip", "sev-unknown");
            u.setMinWidth(Region.USE_PREF_SIZE);
            Tooltip.install(u, new Tooltip("Their source cannot fire or resolve them now: not counted above"));
            u.pseudoClassStateChanged(STALE, asOf != null);
            countsBox.getChildren().add(u);
        }
        if (asOf != null) {
            Label when = new Label(asOf);
            when.setId("counts-as-of");
            when.getStyleClass().add("muted");
            when.setMinWidth(Region.USE_PREF_SIZE);
            Tooltip.install(when, new Tooltip("Alertmanager does not answer: these counts are those of its last answer"));
            countsBox.getChildren().add(when);
        }
    }

    private static final javafx.css.PseudoClass STALE = javafx.css.PseudoClass.getPseudoClass("stale");

    /** The configured severities map onto three colours by rank: most severe, next, the rest. */
    private String severityClass(String severity) {
        var env = vm.environment();
        int rank = env.map(e -> e.alerts().rank(severity)).orElse(List.of("critical", "warning", "info").indexOf(severity));
        int known = env.map(e -> e.alerts().severities().size()).orElse(3);
        if (rank < 0 || rank >= known) {
            return "other";
        }
        return rank == 0 ? "1" : rank == 1 ? "2" : "3";
    }

    /**
     * What the empty alert list says: "No alerts." only while Alertmanager answers; down, the emptiness is its last
     * answer's ("No alerts as of 18:47:22; what fires now is unknown") or nothing was read ("Alerts unknown").
     */
    static String emptyText(boolean notConfigured, String problem, String countsAsOf) {
        if (notConfigured) {
            return "Not configured: this environment has no Alertmanager.";
        }
        if (problem == null) {
            return "No alerts.";
        }
        return countsAsOf == null ? "Alerts unknown: nothing read from Alertmanager yet."
                : "No alerts " + countsAsOf + "; what fires now is unknown.";
    }

    private void feed() {
        list.setFixedCellSize(ROW_HEIGHT);
        list.setItems(vm.rows());
        list.setCellFactory(lv -> new RowCell());
        // "No alerts." only when Alertmanager said so now: down, the list is its last answer's (or none was read)
        emptyList.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> emptyText(
                vm.notConfiguredProperty().get(), vm.problemProperty().get(), vm.countsAsOfProperty().get()),
                vm.notConfiguredProperty(), vm.problemProperty(), vm.countsAsOfProperty()));
        list.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null && !r.header()) {
                vm.selectedProperty().set(r.alert());
            }
        });
        list.setOnMouseClicked(e -> {
            AlertRow r = list.getSelectionModel().getSelectedItem();
            if (e.getButton() == MouseButton.PRIMARY && r != null && r.header()) {
                vm.toggle(r.group());
            }
        });
        list.setOnKeyPressed(e -> {
            AlertRow r = list.getSelectionModel().getSelectedItem();
            if (r != null && (e.getCode() == javafx.scene.input.KeyCode.ENTER || e.getCode() == javafx.scene.input.KeyCode.SPACE)
                    && r.header()) {
                vm.toggle(r.group());
            }
        });
        vm.staleProperty().addListener((o, a, s) -> list.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("stale"), s));
    }

    /** The classes a feed row sets by its state (StyleClasses.set changes only those that differ). */
    private static final java.util.Set<String> ROW_CLASSES = java.util.Set.of("group-row", "alert-row", "suppressed", "unknown",
            "sev-1", "sev-2", "sev-3", "sev-other");

    /** One fixed-height row; its nodes are made once per cell and reused as the list scrolls. */
    private final class RowCell extends ListCell<AlertRow> {
        private final Region bar = new Region();
        private final Label name = new Label();
        private final Label text = new Label();
        private final Label age = new Label();
        private final Label state = new Label();
        private final HBox box = new HBox(8, bar, name, text, age, state);

        RowCell() {
            cells.add(this);
            bar.getStyleClass().add("sev-bar");
            bar.setMinWidth(4);
            bar.setPrefWidth(4);
            name.getStyleClass().add("alert-name");
            name.setMinWidth(Region.USE_PREF_SIZE);
            text.getStyleClass().add("alert-text");
            text.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(text, Priority.ALWAYS);
            age.getStyleClass().add("alert-age");
            age.setMinWidth(Region.USE_PREF_SIZE);
            state.getStyleClass().add("alert-state");
            state.setMinWidth(Region.USE_PREF_SIZE);
            box.setAlignment(Pos.CENTER_LEFT);
            box.setFillHeight(true);
            // the row is as wide as the list: the text gives way (ellipsis) so that age and state always show
            text.setMinWidth(0);
            box.setMinWidth(0);
            box.prefWidthProperty().bind(widthProperty().subtract(snappedLeftInset() + snappedRightInset()));
            setText(null);
        }

        /** No wider than the list: rows never scroll sideways, the row's own layout gives way instead. */
        @Override
        protected double computePrefWidth(double height) {
            return 0;
        }

        @Override
        protected void updateItem(AlertRow r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null) {
                io.dutydesk.ui.fx.StyleClasses.set(this, ROW_CLASSES::contains, java.util.List.of());
                setGraphic(null);
                return;
            }
            if (r.header()) {
                io.dutydesk.ui.fx.StyleClasses.set(this, ROW_CLASSES::contains, java.util.List.of("group-row", "sev-" + severityClass(r.group().severity())));
                name.setText((r.collapsed() ? "▸ " : "▾ ") + r.group().title());
                long n = r.group().alerts().size();
                text.setText(n + (n == 1 ? " alert" : " alerts") + (r.group().active() < n ? ", " + (n - r.group().active())
                        + " suppressed" : ""));
                age.setText("");
                state.setText("");
            } else {
                Alert a = r.alert();
                java.util.List<String> classes = new java.util.ArrayList<>(java.util.List.of("alert-row", "sev-" + severityClass(a.severity())));
                if (a.suppressed()) {
                    classes.add("suppressed");
                }
                if (r.unverified() != null) {
                    classes.add("unknown");
                }
                io.dutydesk.ui.fx.StyleClasses.set(this, ROW_CLASSES::contains, classes);
                name.setText("    " + (a.severity().isEmpty() ? "—" : a.severity()));
                text.setText(text(r));
                state.setText(state(r));
                showAge();
            }
            setGraphic(box);
        }

        /** The age, from the clock now; up to when it was last checked (marked "≥") for an unknown or stale one. */
        void showAge() {
            AlertRow r = getItem();
            if (isEmpty() || r == null || r.header()) {
                return;
            }
            age.setText(age(r.alert(), r.asOf()));
        }
    }

    /** The summary (or labels), for an unknown or stale alert after "as of T · " (its numbers are from then; shown first, never cut). */
    static String text(AlertRow r) {
        Alert a = r.alert();
        String summary = a.annotation("summary");
        String t = summary.isEmpty() ? brief(a) : summary;
        return r.asOf() == null ? t : "as of " + TIME.format(r.asOf()) + " · " + t;
    }

    static String state(AlertRow r) {
        return AlertWords.state(r.alert(), r.unverified(), TIME::format);
    }

    String age(Alert a, java.time.Instant asOf) {
        if (a.startsAt() == null) {
            return "";
        }
        return asOf == null ? Ages.of(Duration.between(a.startsAt(), clock.instant()))
                : "≥ " + Ages.of(Duration.between(a.startsAt(), asOf));
    }

    static String brief(Alert a) {
        StringBuilder b = new StringBuilder();
        a.labels().forEach((k, v) -> {
            if (!k.equals("alertname")) {
                b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v);
            }
        });
        return b.toString();
    }

    /** What the details show of the selected alert's state now (its alert, whether unknown, until when known). */
    private Object detailsShown;

    private void showDetailsIfChanged() {
        Alert a = vm.selectedProperty().get();
        if (a != null && !java.util.Objects.equals(detailsShown, detailsKey(a))) {
            showDetails(a);
        }
    }

    private List<Object> detailsKey(Alert a) {
        return java.util.Arrays.asList(a, vm.unverified(a).orElse(null), vm.asOf(a).orElse(null), vm.goneAt(a).orElse(null));
    }

    /**
     * The details' state line, in the row's words ({@link AlertWords}): "critical · unknown since 12:00:00" while its
     * source cannot be checked, "critical · active as of 12:00:00" while the feed is stale, "silenced by s1".
     */
    String detailsState(Alert a) {
        java.util.Optional<java.time.Instant> gone = vm.goneAt(a);
        if (gone.isPresent()) {
            // resolved: Alertmanager no longer has it; never "active" beside "No alerts."
            return (a.severity().isEmpty() ? "no severity" : a.severity()) + " · no longer active"; // since when: showSince
        }
        java.util.Optional<io.dutydesk.core.alerts.Unverified> u = vm.unverified(a);
        String asOf = u.isEmpty() ? vm.asOf(a).map(t -> " as of " + TIME.format(t)).orElse("") : "";
        return (a.severity().isEmpty() ? "no severity" : a.severity()) + " · "
                + AlertWords.stateInFull(a, u.orElse(null), TIME::format) + asOf;
    }

    private void showDetails(Alert a) {
        details.getChildren().clear();
        detailsShown = a == null ? null : detailsKey(a);
        if (a == null) {
            Label hint = new Label("Select an alert to see its labels, annotations and runbook, and to silence it.");
            hint.getStyleClass().add("muted");
            hint.setWrapText(true);
            details.getChildren().add(hint);
            return;
        }
        Label name = new Label(a.alertname());
        name.getStyleClass().add("details-title");
        Label sev = new Label(detailsState(a));
        sev.setId("details-state");
        // gone from the feed: not the severity's colour, which says it fires
        sev.getStyleClass().addAll("severity-chip", vm.goneAt(a).isPresent() ? "zero" : "sev-" + severityClass(a.severity()));
        since.setId("details-since");
        showSince(a);
        details.getChildren().addAll(name, sev, since);
        if (vm.unverified(a).isEmpty() && vm.staleSinceProperty().get() != null) {
            Label stale = new Label((vm.problemProperty().get() == null ? "Alertmanager: "
                    + io.dutydesk.ui.fx.Outage.lastAnswer(vm.staleSinceProperty().get(), clock) : vm.problemProperty().get())
                    + ". Whether it still fires is not known until Alertmanager answers again.");
            stale.setId("details-stale");
            stale.getStyleClass().add("stale-banner");
            stale.setWrapText(true);
            details.getChildren().add(stale);
        }
        vm.unverified(a).ifPresent(u -> {
            Label unknown = new Label("Unknown since " + WHEN.format(u.since()) + ": " + u.reason()
                    + ". Whether it still fires cannot be known until its source answers; it is not recorded resolved.");
            unknown.setId("details-unknown");
            unknown.getStyleClass().add("stale-banner");
            unknown.setWrapText(true);
            details.getChildren().add(unknown);
        });
        addText("summary" + vm.asOf(a).map(t -> " · as of " + TIME.format(t)).orElse(""), a.annotation("summary"), "details-summary");
        addText("description", a.annotation("description"), "details-description");
        String runbook = a.annotation("runbook_url");
        if (!runbook.isEmpty()) {
            Hyperlink link = new Hyperlink("Runbook: " + runbook);
            link.setId("details-runbook");
            link.setOnAction(e -> openUrl.accept(runbook));
            details.getChildren().add(link);
        }
        a.expression().ifPresent(expr -> {
            Label ex = new Label(expr);
            ex.getStyleClass().add("mono");
            ex.setWrapText(true);
            Tooltip.install(ex, new Tooltip(a.generatorURL()));
            details.getChildren().addAll(section("expression"), ex);
            if (vm.canOpenMetrics()) {
                Hyperlink m = new Hyperlink("Open in Metrics");
                m.setId("details-metrics");
                m.setOnAction(e -> vm.openMetrics(a));
                details.getChildren().add(m);
            }
        });
        GridPane labels = new GridPane();
        labels.setId("details-labels");
        labels.setHgap(10);
        labels.setVgap(2);
        int row = 0;
        for (Map.Entry<String, String> e : a.labels().entrySet()) {
            Label k = new Label(e.getKey());
            k.getStyleClass().add("muted");
            Label v = new Label(e.getValue());
            v.setWrapText(true);
            labels.addRow(row++, k, v);
        }
        for (Map.Entry<String, String> e : a.annotations().entrySet()) {
            if (!List.of("summary", "description", "runbook_url").contains(e.getKey())) {
                addText(e.getKey(), e.getValue(), null);
            }
        }
        Button silence = new Button("Silence…");
        silence.setId("silence-button");
        silence.setOnAction(e -> openSilenceDialog(a));
        Label fp = new Label("fingerprint " + a.fingerprint());
        fp.getStyleClass().add("muted");
        details.getChildren().addAll(section("labels"), labels, new HBox(10, silence), fp);
    }

    private final Label since = new Label();

    {
        since.setWrapText(true);
    }

    private void showSince(Alert a) {
        java.util.Optional<java.time.Instant> gone = vm.goneAt(a);
        if (gone.isPresent()) {
            // no age that follows the clock: it ended at most then
            since.setText((a.startsAt() == null ? "" : "started " + WHEN.format(a.startsAt()) + "; ")
                    + "not in Alertmanager's feed since " + WHEN.format(gone.get()));
            return;
        }
        java.util.Optional<java.time.Instant> asOf = vm.asOf(a);
        since.setText(a.startsAt() == null ? "" : AlertWords.since(vm.unverified(a).orElse(null)) + " " + WHEN.format(a.startsAt())
                + " (" + age(a, asOf.orElse(null))
                + asOf.map(t -> ", as of " + WHEN.format(t)).orElse("") + ")");
    }

    private void addText(String title, String text, String id) {
        if (text == null || text.isEmpty()) {
            return;
        }
        Label t = new Label(text);
        t.setWrapText(true);
        if (id != null) {
            t.setId(id);
        }
        details.getChildren().addAll(section(title), t);
    }

    private static Label section(String s) {
        Label l = new Label(s.toUpperCase());
        l.getStyleClass().add("section-title");
        return l;
    }

    /** Opens the silence dialog for {@code a}; returns it (shown, not waited on). */
    public SilenceDialog openSilenceDialog(Alert a) {
        SilenceDialog d = new SilenceDialog(window(), vm.prefill(a), vm.actor(),
                vm.environment().map(e -> e.name()).orElse(""), clock, vm::silence);
        d.show();
        return d;
    }

    private void silences() {
        TableView<Silence> table = silencesTable;
        table.setItems(vm.silences());
        FxmlLayout.cellTexts(table, List.<java.util.function.Function<Silence, String>>of(
                Silence::state,
                Silence::matchersText,
                s -> s.endsAt() == null ? "" : WHEN.format(s.endsAt()),
                Silence::createdBy,
                Silence::comment,
                Silence::id));
        expire.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> {
            Silence s = table.getSelectionModel().getSelectedItem();
            return s == null || "expired".equals(s.state());
        }, table.getSelectionModel().selectedItemProperty()));
        expire.setOnAction(e -> {
            Silence s = table.getSelectionModel().getSelectedItem();
            if (s != null) {
                vm.expire(s);
            }
        });
        banner(silencesProblem, vm.silencesProblemProperty());
    }

    private void history() {
        TableView<Transition> table = historyTable;
        table.setItems(vm.history());
        // the labels every row shares (env, job, …) once above the table; each row shows only its own
        FxmlLayout.cellTexts(table, List.<java.util.function.Function<Transition, String>>of(
                t -> WHEN.format(t.at()),
                Transition::event,
                Transition::alertname,
                t -> labelText(t.labels(), historyShared),
                t -> t.reconstructed() ? "reconstructed (Prometheus)" : "by the console"));
        Label shared = historySharedLabel;
        shared.managedProperty().bind(shared.visibleProperty());
        Runnable showShared = () -> {
            historyShared = sharedLabels(vm.history());
            shared.setText(historyShared.isEmpty() ? "" : "every row: " + labelText(historyShared, Map.of()));
            shared.setVisible(!historyShared.isEmpty());
            table.refresh();
        };
        vm.history().addListener((ListChangeListener<Transition>) c -> showShared.run());
        showShared.run();
        table.setRowFactory(tv -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(Transition t, boolean empty) {
                super.updateItem(t, empty);
                io.dutydesk.ui.fx.StyleClasses.set(this, c -> c.startsWith("ev-") || c.equals("reconstructed"), empty || t == null ? java.util.List.of()
                        : t.reconstructed() ? java.util.List.of("ev-" + t.event(), "reconstructed") : java.util.List.of("ev-" + t.event()));
            }
        });
        historyWindow.getItems().addAll(Duration.ofHours(1), Duration.ofHours(12), Duration.ofHours(24), Duration.ofDays(7));
        historyWindow.setConverter(new StringConverter<>() {
            @Override
            public String toString(Duration d) {
                return d == null ? "" : "last " + (d.toDays() >= 1 ? d.toDays() + " d" : d.toHours() + " h");
            }

            @Override
            public Duration fromString(String s) {
                return null;
            }
        });
        historyWindow.valueProperty().bindBidirectional(vm.historyWindowProperty());
    }

    /** The labels every row of the History shows (two rows or more): said once, above it. */
    private Map<String, String> historyShared = Map.of();

    /** The labels (but alertname) with the same value in every one of {@code rows}, when there are two or more. */
    static Map<String, String> sharedLabels(List<Transition> rows) {
        if (rows.size() < 2) {
            return Map.of();
        }
        Map<String, String> out = new java.util.TreeMap<>(rows.get(0).labels());
        out.remove("alertname");
        for (Transition t : rows) {
            out.entrySet().removeIf(e -> !e.getValue().equals(t.labels().get(e.getKey())));
        }
        return out;
    }

    /** "k=v k=v" of {@code labels} but alertname and those in {@code shared}. */
    static String labelText(Map<String, String> labels, Map<String, String> shared) {
        StringBuilder b = new StringBuilder();
        labels.forEach((k, v) -> {
            if (!k.equals("alertname") && !v.equals(shared.get(k))) {
                b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v);
            }
        });
        return b.toString();
    }
}
