package io.dutydesk.ui.backups;

import io.dutydesk.core.Ages;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.ui.fx.ConfirmActionDialog;
import io.dutydesk.ui.fx.FxmlLayout;
import io.dutydesk.ui.fx.TextCells;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Browse, verify, download and restore the environment's backups. Thin: state lives in the view-model. */
public final class BackupsView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());

    /** The Age column's width while the list is fresh ("10.0 h", "2.6 d"). */
    private static final double AGE_WIDTH = 62;
    private static final javafx.css.PseudoClass STALE = javafx.css.PseudoClass.getPseudoClass("stale");

    private final BackupsViewModel vm;
    // the static layout: BackupsView.fxml (this view is its controller)
    @FXML private BorderPane root;
    @FXML private Label problem;
    @FXML private Label rpo;
    @FXML private ComboBox<String> kind;
    @FXML private Label free;
    @FXML private Button verify;
    @FXML private Button download;
    @FXML private Button scratch;
    @FXML private Button restore;
    @FXML private Button now;
    @FXML private HBox leftoversRow;
    @FXML private Label parts;
    @FXML private Button removeParts;
    @FXML private Label updated;
    @FXML private TableView<BackupEntry> table;
    @FXML private Label emptyTable;
    @FXML private TableColumn<BackupEntry, String> nameColumn;
    @FXML private TableColumn<BackupEntry, String> kindColumn;
    @FXML private TableColumn<BackupEntry, io.dutydesk.core.backups.RecordedVersion> versionColumn;
    @FXML private TableColumn<BackupEntry, Long> sizeColumn;
    @FXML private TableColumn<BackupEntry, Instant> takenColumn;
    @FXML private TableColumn<BackupEntry, Double> ageColumn;
    @FXML private TableColumn<BackupEntry, Instant> keptColumn;
    @FXML private TableColumn<BackupEntry, Optional<Verification>> verifiedColumn;
    @FXML private Label status;
    @FXML private ProgressBar bar;
    @FXML private Button stop;
    @FXML private ListView<String> log;
    /** Where downloads go unless the user picks another folder (tests set it). */
    private Path downloadDir = Path.of(System.getProperty("user.home"), "Downloads");
    private boolean askFolder = true;

    public BackupsView(BackupsViewModel vm) {
        this.vm = vm;
        FxmlLayout.load(this);
        header();
        table();
        logPane();
    }

    public Node root() {
        return root;
    }

    /** Downloads go to {@code dir} without asking (tests, and a chosen default). */
    public void downloadTo(Path dir) {
        downloadDir = dir;
        askFolder = false;
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    private void header() {
        rpo.textProperty().bind(vm.rpoTextProperty());
        rpo.visibleProperty().bind(vm.rpoTextProperty().isNotEmpty());
        rpo.managedProperty().bind(rpo.visibleProperty());
        vm.rpoStateProperty().addListener((o, a, w) -> rpoClass(rpo, w));
        rpoClass(rpo, vm.rpoStateProperty().get());

        problem.textProperty().bind(vm.problemProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());

        kind.setItems(vm.kinds());
        kind.valueProperty().bindBidirectional(vm.kindFilterProperty());
        free.textProperty().bind(vm.freeSpaceProperty());
        TextCells.wholeInTooltip(free); // it gives way to the buttons in a narrow window

        verify.setOnAction(e -> selected().ifPresent(vm::verify));
        download.setOnAction(e -> selected().ifPresent(this::download));
        scratch.setOnAction(e -> selected().ifPresent(b -> confirmRestore(b, true)));
        restore.setOnAction(e -> selected().ifPresent(b -> confirmRestore(b, false)));
        now.setOnAction(e -> vm.backupNow());
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        for (Button b : new Button[] {verify, download, scratch, restore}) {
            b.disableProperty().bind(none.or(vm.busyProperty()).or(vm.actionsOffProperty().isNotNull()));
        }
        // while SSH does not answer nothing can run on the server: disabled, the summary below says why
        now.disableProperty().bind(vm.busyProperty().or(vm.actionsOffProperty().isNotNull())
                .or(vm.notConfiguredProperty()));

        updated.textProperty().bind(vm.updatedProperty());
        parts.textProperty().bind(vm.leftoversTextProperty());
        removeParts.setOnAction(e -> confirmRemoveLeftovers());
        removeParts.disableProperty().bind(vm.busyProperty().or(vm.actionsOffProperty().isNotNull())
                .or(javafx.beans.binding.Bindings.isEmpty(vm.leftovers())));
        leftoversRow.visibleProperty().bind(vm.leftoversTextProperty().isNotEmpty());
        leftoversRow.managedProperty().bind(leftoversRow.visibleProperty());
    }

    /**
     * Green only for MET; amber while unverified or when the newest backup failed verification (met by an older
     * one: the backup job is broken); red when not met; grey when it cannot be told (stale).
     */
    static void rpoClass(Label l, BackupListing.Rpo state) {
        l.getStyleClass().removeAll("ok", "bad", "unverified", "unknown");
        if (state != null) {
            l.getStyleClass().add(switch (state) {
                case MET -> "ok";
                case MET_UNVERIFIED, MET_NEWEST_FAILED -> "unverified";
                case NOT_MET -> "bad";
                case UNKNOWN -> "unknown";
            });
        }
    }

    private String keepSelected;

    /** The widest text the Age column draws now (in the cells' font), with the cell's padding. */
    private double widestAge() {
        Instant at = vm.listingProperty().get() == null ? Instant.now() : vm.listingProperty().get().takenAt();
        return io.dutydesk.ui.fx.ColumnWidths.fitting(vm.backups().stream().map(e -> Ages.hours(e.ageHours(at)) + vm.ageSuffix()).toList(),
                io.dutydesk.ui.fx.ColumnWidths.cellFont(table), AGE_WIDTH);
    }

    private Optional<BackupEntry> selected() {
        return Optional.ofNullable(table.getSelectionModel().getSelectedItem());
    }

    private void table() {
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setColumnResizePolicy(io.dutydesk.ui.fx.ColumnWidths.flex(verifiedColumn));
        emptyTable.textProperty().bind(javafx.beans.binding.Bindings.when(vm.notConfiguredProperty())
                .then("Not configured: this environment has no backups the console looks after.").otherwise("No backups read yet."));
        // the facts acted on stay in the table's width at 1024 px: a name too long is cut in its middle (the date at
        // its end stays), a kind at its end, each whole in its tooltip
        cells(nameColumn, BackupEntry::name, Object::toString, OverrunStyle.CENTER_ELLIPSIS);
        cells(kindColumn, BackupEntry::kind, Object::toString, OverrunStyle.ELLIPSIS);
        // the version the team's sidecar names (backups.versionSidecar); unknown says why in its tooltip
        versionColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().recorded()));
        versionColumn.setComparator(java.util.Comparator.comparing(io.dutydesk.core.backups.RecordedVersion::text));
        versionColumn.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(io.dutydesk.core.backups.RecordedVersion r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().remove("version-unknown");
                if (empty || r == null || r == io.dutydesk.core.backups.RecordedVersion.NOT_READ) {
                    setText(empty ? null : "—");
                    setTooltip(null);
                } else {
                    setText(r.text());
                    setTooltip(new Tooltip("Version deployed when the backup was taken: " + r.describe()));
                    if (!r.known()) {
                        getStyleClass().add("version-unknown");
                    }
                }
            }
        });
        cells(sizeColumn, BackupEntry::sizeBytes, v -> BackupsViewModel.human(v), null);
        cells(takenColumn, BackupEntry::takenAt, WHEN::format, null);
        // the age when the list was read; from a stale list, said so ("10.0 h at 12:00:00"), never a frozen current age
        TableColumn<BackupEntry, Double> age = ageColumn;
        cells(age, e -> e.ageHours(vm.listingProperty().get() == null ? Instant.now()
                : vm.listingProperty().get().takenAt()), h -> Ages.hours(h) + vm.ageSuffix(), null);
        double nameMin = nameColumn.getMinWidth();
        double verifiedMin = verifiedColumn.getMinWidth();
        Runnable ages = () -> {
            // "13.7 h at 12:00:00" whole, as wide as the widest age drawn (a fixed 140 px cut it to "13.7 h at 12:00..." at
            // 1024x640); the name (cut in its middle) and the verification's detail give the room, so that every column
            // stays in a 1024 px window and the state ("✓ verified", "not verified") stays drawn
            boolean isStale = vm.staleProperty().get();
            double w = isStale ? widestAge() : AGE_WIDTH;
            if (w == age.getPrefWidth() && table.getPseudoClassStates().contains(STALE) == isStale) {
                return;
            }
            age.setMinWidth(w);
            age.setPrefWidth(w);
            nameColumn.setMinWidth(isStale ? nameMin - 40 : nameMin);
            verifiedColumn.setMinWidth(isStale ? Math.max(100, verifiedMin - (w - AGE_WIDTH - 40)) : verifiedMin);
            table.getColumnResizePolicy().call(new TableView.ResizeFeatures<>(table, null, 0.0)); // as a resize does
            table.pseudoClassStateChanged(STALE, isStale);
            table.refresh();
        };
        vm.staleProperty().addListener((o, was, isStale) -> ages.run());
        vm.backups().addListener((javafx.collections.ListChangeListener<BackupEntry>) c -> ages.run());
        cells(keptColumn, BackupEntry::retentionExpiresAt, DAY::format, null);
        TableColumn<BackupEntry, Optional<Verification>> ver = verifiedColumn;
        ver.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().verification()));
        ver.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Optional<Verification> v, boolean empty) {
                super.updateItem(v, empty);
                getStyleClass().removeAll("verified-ok", "verified-bad");
                if (empty || v == null) {
                    setText(null);
                    setTooltip(null);
                } else if (v.isEmpty()) {
                    setText("not verified");
                    setTooltip(null);
                } else {
                    // the state first, in words: shortened to the column, the end of the detail goes, never the state
                    setText(verifiedText(v.get()));
                    setTooltip(new Tooltip(getText() + "\nchecked " + WHEN.format(v.get().checkedAt())));
                    getStyleClass().add(v.get().ok() ? "verified-ok" : "verified-bad");
                }
            }
        });
        SortedList<BackupEntry> sorted = new SortedList<>(vm.backups());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        // a refresh (every poll, after Verify) replaces the rows: the selected backup stays selected
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null) {
                keepSelected = now.path();
            }
        });
        vm.listingProperty().addListener((o, was, now) -> {
            if (was != null && now != null && agesMoved(was, now)) {
                table.refresh(); // the ages are the listing's, not the rows': an equal row read again is not redrawn
            }
            if (now == null || (was != null && !was.env().equals(now.env()))) {
                keepSelected = null; // another environment: its backup of the same name is not the one chosen
                return;
            }
            if (keepSelected != null && table.getSelectionModel().getSelectedItem() == null) {
                sorted.stream().filter(b -> b.path().equals(keepSelected)).findFirst()
                        .ifPresent(b -> table.getSelectionModel().select(b));
            }
        });
    }

    /** Whether a backup's age as the Age column says it differs between the two listings' times. */
    static boolean agesMoved(BackupListing was, BackupListing now) {
        return now.backups().stream().anyMatch(b -> !Ages.hours(b.ageHours(was.takenAt())).equals(Ages.hours(b.ageHours(now.takenAt()))));
    }

    /** A verification as its cell says it: "✓ verified: …" or "✗ FAILED: …" and the check's words. */
    static String verifiedText(Verification v) {
        return (v.ok() ? "✓ verified: " : "✗ FAILED: ") + v.detail();
    }

    /**
     * {@code c} (titled and sized in the FXML) shows {@code text} of {@code value}, "—" for none; shortened by
     * {@code overrun} with the whole text in its tooltip, or (null) never shortened.
     */
    private static <T extends Comparable<T>> void cells(TableColumn<BackupEntry, T> c, Function<BackupEntry, T> value,
                                                        Function<T, String> text, OverrunStyle overrun) {
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(value.apply(x.getValue())));
        c.setCellFactory(x -> TextCells.table(text, overrun));
    }

    private void logPane() {
        status.textProperty().bind(vm.statusProperty());
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.progressProperty().greaterThanOrEqualTo(0));
        bar.managedProperty().bind(bar.visibleProperty());
        stop.visibleProperty().bind(bar.visibleProperty());
        stop.managedProperty().bind(bar.visibleProperty());
        stop.setOnAction(e -> vm.stopDownload());
        log.setItems(vm.log());
        // a long line (a refusal, an error) wraps: read whole without scrolling sideways
        log.setCellFactory(lv -> TextCells.wrapping(new ListCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeAll("ok-line", "bad-line");
                // the runbook's emoji are drawn as symbols the fonts have (as in the slots pane's log)
                setText(empty || s == null ? null : s.replace("\u2705", "✔").replace("\u274C", "✖"));
                if (!empty && s != null) {
                    if (s.startsWith("✓") || s.startsWith("✔") || s.startsWith("\u2705")) {
                        getStyleClass().add("ok-line");
                    } else if (s.startsWith("✗") || s.startsWith("✖") || s.startsWith("\u274C") || s.contains("BAD")) {
                        getStyleClass().add("bad-line");
                    }
                }
            }
        }));
        TextCells.followEnd(log, vm.log());
    }

    private void download(BackupEntry b) {
        Path dir = downloadDir;
        if (askFolder) {
            DirectoryChooser ch = new DirectoryChooser();
            ch.setTitle("Download " + b.name() + " to");
            File start = downloadDir.toFile();
            if (start.isDirectory()) {
                ch.setInitialDirectory(start);
            }
            File f = ch.showDialog(window());
            if (f == null) {
                return;
            }
            dir = f.toPath();
            downloadDir = dir;
        }
        vm.download(b, dir);
    }

    /** Removing leftovers confirms like every destructive action: the files listed, the environment's name typed. */
    void confirmRemoveLeftovers() {
        String env = vm.environmentName().orElse("?");
        List<io.dutydesk.core.backups.Leftover> which = List.copyOf(vm.leftovers());
        if (which.isEmpty()) {
            return;
        }
        ConfirmActionDialog d = new ConfirmActionDialog(window(), leftoversRequest(env, which));
        d.showAndWait();
        if (d.confirmed() && d.typedText().equals(env)) {
            vm.removeLeftovers(which).exceptionally(x -> null);
        }
    }

    /**
     * The confirmation of removing {@code which}: each file's name first (never broken mid-name after a lone bullet),
     * its size, when it was last written and its folder after; what is never removed, and why, as the risk.
     */
    public static ConfirmActionDialog.Request leftoversRequest(String env, List<io.dutydesk.core.backups.Leftover> which) {
        return new ConfirmActionDialog.Request(env, "Remove leftovers on " + env,
                "Remove " + which.size() + " leftover .part file" + (which.size() == 1 ? "" : "s") + " from " + env + "?",
                which.stream().map(l -> l.name() + " — " + BackupsViewModel.human(l.sizeBytes()) + ", last written "
                        + WHEN.format(l.modifiedAt()) + ", in " + l.folder()).toList(),
                "a .part a job may still be writing is not removed: " + io.dutydesk.core.backups.BackupScripts.LEFTOVER_LIMITS,
                Optional.of(env), "_Remove");
    }

    /** The shared confirmation dialog; the environment's name must be typed. */
    void confirmRestore(BackupEntry b, boolean scratch) {
        String env = vm.environmentName().orElse("?");
        if (!scratch && vm.dataOnly(b)) {
            vm.restore(b, false, env).exceptionally(x -> null); // refused before anything runs, with the reason, audited
            return;
        }
        Optional<io.dutydesk.core.backups.BackupsService.RestorePlan> plan = vm.restorePlan(b, scratch);
        if (plan.isEmpty()) {
            return;
        }
        ConfirmActionDialog d = new ConfirmActionDialog(window(), new ConfirmActionDialog.Request(env,
                (scratch ? "Confirm scratch restore on " : "Confirm restore on ") + env,
                scratch ? "Restore " + b.name() + " into a scratch database of " + env + "?"
                        : "Replace the live database of " + env + " with " + b.name() + "?",
                vm.restoreFacts(b, scratch),
                (plan.get().needsForce() ? "the backup FAILED verification: restoring it may load a partial database; " : "")
                        + (scratch ? "load on the database server while it restores and counts"
                        : "everything written since " + WHEN.format(b.takenAt()) + " is lost from the live database "
                        + "(it stays in the safety backup)"),
                Optional.of(vm.confirmationWord(plan.get())), scratch ? "Restore into _scratch" : "_Restore " + env));
        d.showAndWait();
        if (d.confirmed()) {
            // what the dialog stated (file, verification) is re-checked at the click by the service
            vm.restore(plan.get(), d.typedText()).exceptionally(x -> null); // the view-model shows why
        }
    }
}
