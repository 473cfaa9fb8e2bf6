package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.ui.fx.ConfirmActionDialog;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputDialog;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** The Slots pane for a single stack: the services table, rollback readiness, the actions, their log. */
public final class SingleStackView {
    private final SingleStackViewModel vm;
    private final Executor fx;
    private final VBox root = new VBox(8);

    public SingleStackView(SingleStackViewModel vm, Executor fx) {
        this.vm = vm;
        this.fx = fx;
        root.setPadding(new Insets(12));
        root.getStyleClass().add("single-stack");
        Label headline = new Label();
        headline.setId("single-headline");
        headline.textProperty().bind(vm.titlePart()); // "… (stale)" while what it says is not as of now
        headline.setStyle("-fx-font-size: 16px; -fx-font-weight: bold;");
        headline.getStyleClass().add("single-headline");
        // the stack's read failed, or SSH or Docker is down since it: the blue-green slots' banner, in the same words
        Label problem = new Label();
        problem.setId("single-problem");
        problem.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> String.join("\n",
                java.util.stream.Stream.of(vm.problemProperty().get() == null ? "" : "Stack: " + vm.problemProperty().get(),
                        vm.staleNoteProperty().get()).filter(x -> !x.isEmpty()).toList()), vm.problemProperty(), vm.staleNoteProperty()));
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.setWrapText(true);
        problem.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        problem.setMaxWidth(Double.MAX_VALUE);
        problem.getStyleClass().add("stale-banner");
        Label rollback = new Label();
        rollback.textProperty().bind(vm.rollbackShownProperty()); // a ready rollback said refused while locked
        rollback.setWrapText(true);
        rollback.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label model = new Label("One stack, no idle slot: a deploy replaces production in place after the team's script backs the "
                + "database up; a rollback restores a backup and the version recorded with it, or redeploys an earlier release whose "
                + "images are on the host.");
        model.setWrapText(true);
        model.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

        TableView<SingleStackViewModel.Row> table = new TableView<>(vm.rows());
        table.setId("single-services");
        table.getStyleClass().add("single-services");
        // stale: the rows faded, as a blue-green slot's card (what they say is as of the banner's time)
        vm.staleProperty().addListener((o, a, st) -> {
            table.pseudoClassStateChanged(SlotCard.STALE, st);
            headline.pseudoClassStateChanged(SlotCard.STALE, st);
        });
        table.pseudoClassStateChanged(SlotCard.STALE, vm.staleProperty().get());
        headline.pseudoClassStateChanged(SlotCard.STALE, vm.staleProperty().get());
        table.getColumns().add(column("Service", SingleStackViewModel.Row::service));
        table.getColumns().add(column("Container", SingleStackViewModel.Row::container));
        table.getColumns().add(column("Host", SingleStackViewModel.Row::host));
        table.getColumns().add(column("State", SingleStackViewModel.Row::state));
        table.getColumns().add(column("Health", SingleStackViewModel.Row::health));
        table.getColumns().add(column("Version", SingleStackViewModel.Row::version));
        table.getColumns().add(column("Uptime", SingleStackViewModel.Row::uptime));
        table.getColumns().add(column("Restarts", SingleStackViewModel.Row::restarts));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(160);
        // never squeezed below it: at 1024x640 the column headers were all that was left of it (the action log, below,
        // gives the height instead)
        table.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        Button health = new Button("Health check");
        health.setOnAction(e -> vm.healthCheck());
        Button logs = new Button("Team's logs");
        logs.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        logs.setOnAction(e -> vm.teamLogs(table.getSelectionModel().getSelectedItem().service()));
        Button restart = new Button("Restart…");
        restart.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(vm.runningProperty())
                .or(vm.lockedProperty()));
        restart.setOnAction(e -> {
            String c = table.getSelectionModel().getSelectedItem().container();
            if (confirm("Restart " + c + "?", "Production's " + c + " stops and starts again; requests to it fail meanwhile.")) {
                vm.restart(c);
            }
        });
        Button deploy = new Button("Deploy…");
        deploy.disableProperty().bind(vm.runningProperty().or(vm.lockedProperty()));
        deploy.setOnAction(e -> deploy());
        Button rb = new Button("Rollback to a backup…");
        rb.disableProperty().bind(vm.runningProperty().or(vm.lockedProperty()));
        rb.setOnAction(e -> rollback());
        Button release = new Button("Rollback to a release…");
        release.disableProperty().bind(vm.runningProperty().or(vm.lockedProperty()));
        release.setOnAction(e -> rollbackToRelease());
        Button typed = new Button("Typed rollback…");
        typed.disableProperty().bind(vm.runningProperty().or(vm.lockedProperty()));
        typed.setOnAction(e -> typedRollback());
        Node releaseBox = lockedTooltip(release, vm);
        Node typedBox = lockedTooltip(typed, vm);
        Node restartBox = lockedTooltip(restart, vm);
        Node deployBox = lockedTooltip(deploy, vm);
        Node rbBox = lockedTooltip(rb, vm);
        Button lockButton = new Button("Lock…");
        lockButton.setOnAction(e -> lockOrUnlock());
        vm.lockedProperty().addListener((o, a, l) -> lockButton.setText(l ? "Unlock…" : "Lock…"));
        lockButton.disableProperty().bind(vm.runningProperty());
        // wraps onto a second line in a narrow window instead of cutting every button to "Re…" (window trial at 1024x640)
        FlowPane actions = new FlowPane(8, 6, refresh, health, logs, restartBox, deployBox, rbBox, releaseBox, typedBox, lockButton);
        actions.setId("single-actions");
        Label lockLine = new Label();
        lockLine.textProperty().bind(vm.lockTextProperty());
        lockLine.visibleProperty().bind(vm.lockTextProperty().isNotEmpty());
        lockLine.managedProperty().bind(lockLine.visibleProperty());
        lockLine.setWrapText(true);
        // wrapped whole: squeezed to its one-line minimum, the line lost its end ("— every…") at 1024x640 (window trial);
        // the log below gives the height instead
        lockLine.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        lockLine.getStyleClass().add("maintenance-lock");

        Label status = new Label();
        status.textProperty().bind(vm.statusProperty());
        status.setWrapText(true);
        ListView<String> log = new ListView<>(vm.log());
        VBox.setVgrow(log, Priority.ALWAYS);
        root.getChildren().addAll(headline, problem, lockLine, rollback, model, table, actions, status, log);
        // a click refused because what the confirmation stated changed: the new statement, to confirm again
        vm.reconfirmProperty().addListener((o, a, now) -> now.ifPresent(p -> fx.execute(() -> {
            if (vm.reconfirmProperty().get().filter(x -> x == p).isPresent()) {
                confirmAndRun(p, null);
            }
        })));
    }

    public Node root() {
        return root;
    }

    /** While the maintenance lock is held the button is disabled and its tooltip names the holder, the message and since when. */
    static Node lockedTooltip(Button b, SingleStackViewModel vm) {
        javafx.scene.control.Tooltip t = new javafx.scene.control.Tooltip();
        Runnable say = () -> {
            String hint = vm.actionsHintProperty().get();
            t.setText(hint.isEmpty() ? b.getText().replace("…", "") + ": reads the server first, then asks you to confirm" : hint);
        };
        vm.actionsHintProperty().addListener((o, x, y) -> say.run());
        say.run();
        b.setTooltip(t);
        // a disabled control shows no tooltip of its own in JavaFX: the tooltip is installed on a wrapper too
        javafx.scene.layout.StackPane wrapper = new javafx.scene.layout.StackPane(b);
        javafx.scene.control.Tooltip.install(wrapper, t);
        return wrapper;
    }

    private void lockOrUnlock() {
        Optional<io.dutydesk.core.rollout.MaintenanceLock> held = vm.lockProperty().get();
        if (held.isEmpty()) {
            TextInputDialog d = new TextInputDialog();
            d.setHeaderText("Lock for maintenance: every action (this console's, the CLI's, another workstation's) is refused until unlocked."
                    + "\nMessage (why, and until when):");
            d.showAndWait().map(String::strip).filter(m -> !m.isEmpty()).ifPresent(m -> vm.lock(m).whenComplete((l, e) -> fx.execute(() -> {
                if (e != null) {
                    new Alert(Alert.AlertType.ERROR, Errors.describe(e), ButtonType.OK).showAndWait();
                }
            })));
            return;
        }
        io.dutydesk.core.rollout.MaintenanceLock l = held.get();
        boolean others = !l.heldBy(vm.actor());
        if (others) {
            TextInputDialog t = new TextInputDialog();
            t.setHeaderText("This lock is " + l.actor() + "'s: \"" + l.message() + "\". Releasing it lets every action run again.\n"
                    + "Type the environment's name to release it:");
            if (t.showAndWait().map(String::strip).filter(x -> !x.isEmpty() && x.equals(vm.environment())).isEmpty()) {
                return;
            }
        } else if (!confirm("Unlock?", "Release your maintenance lock (\"" + l.message() + "\")?")) {
            return;
        }
        vm.unlock(l, others).whenComplete((v, e) -> fx.execute(() -> {
            if (e != null) {
                new Alert(Alert.AlertType.ERROR, Errors.describe(e), ButtonType.OK).showAndWait();
            }
        }));
    }

    private static TableColumn<SingleStackViewModel.Row, String> column(String title, Function<SingleStackViewModel.Row, String> f) {
        TableColumn<SingleStackViewModel.Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        return c;
    }

    private boolean confirm(String header, String text) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText(header);
        a.getDialogPane().setMaxWidth(900);
        return a.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    private void deploy() {
        TextInputDialog d = new TextInputDialog();
        d.setHeaderText("Version to deploy to production (replaced in place)");
        Optional<String> v = d.showAndWait().map(String::strip).filter(s -> !s.isEmpty());
        if (v.isEmpty() || vm.service().isEmpty()) {
            return;
        }
        vm.planDeploy(v.get()).whenComplete((p, e) -> fx.execute(() -> confirmAndRun(p, e)));
    }

    private void rollback() {
        vm.backups().whenComplete((list, e) -> fx.execute(() -> {
            if (e != null || list.isEmpty()) {
                new Alert(Alert.AlertType.INFORMATION, e != null ? "Backups cannot be read: " + Errors.describe(e)
                        : "There is no backup to roll back to.", ButtonType.OK).showAndWait();
                return;
            }
            java.util.Map<String, String> byChoice = new java.util.LinkedHashMap<>();
            // two folders may hold the same name: then that backup is named by its path
            list.forEach(b -> byChoice.put(byChoice.containsKey(choice(b)) ? b.path() + "   —   " + choice(b) : choice(b), b.path()));
            java.util.List<String> choices = java.util.List.copyOf(byChoice.keySet());
            ChoiceDialog<String> d = new ChoiceDialog<>(choices.get(0), choices);
            d.setHeaderText("Backup to restore (the version recorded with it comes back)");
            Optional<String> chosen = d.showAndWait();
            if (chosen.isEmpty() || vm.service().isEmpty()) {
                return;
            }
            vm.planRollback(byChoice.get(chosen.get())).whenComplete((p, x) -> fx.execute(() -> confirmAndRun(p, x)));
        }));
    }

    /** An earlier release whose images are on the host, redeployed in place (the same plan and checks as the CLI's --to VERSION). */
    private void rollbackToRelease() {
        if (vm.service().isEmpty()) {
            return;
        }
        SingleService s = vm.service().get();
        s.releases().read().whenComplete((l, e) -> fx.execute(() -> {
            // only the releases live before the current one (SingleReleases: never an image pulled ahead), most recent
            // first, each with when it was deployed (or its image built)
            java.util.Map<String, String> byLabel = new java.util.LinkedHashMap<>();
            if (l != null) {
                for (io.dutydesk.core.rollout.ReleaseHistory.Release r : io.dutydesk.core.deploy.SingleReleases.earlierReleases(l)) {
                    byLabel.put(r.version() + " — " + r.whenText(java.time.ZoneId.systemDefault()), r.version());
                }
            }
            java.util.List<String> choices = java.util.List.copyOf(byLabel.keySet());
            if (e != null || choices.isEmpty()) {
                new Alert(Alert.AlertType.INFORMATION, e != null ? "The releases cannot be read: " + Errors.describe(e)
                        : "No earlier release is on the host.", ButtonType.OK).showAndWait();
                return;
            }
            ChoiceDialog<String> d = new ChoiceDialog<>(choices.get(0), choices);
            d.setHeaderText("Earlier release to redeploy in place (its images are on the host; the database stays as it is)");
            d.showAndWait().map(byLabel::get).ifPresent(v -> vm.planRelease(v).whenComplete((p, x) -> fx.execute(() -> confirmAndRun(p, x))));
        }));
    }

    /** A rollback type the environment declares (deploy.rollbackTypes): the team's own command. */
    private void typedRollback() {
        if (vm.service().isEmpty()) {
            return;
        }
        java.util.List<String> types = java.util.List.copyOf(vm.rollbackTypes());
        if (types.isEmpty()) {
            new Alert(Alert.AlertType.INFORMATION, "This environment declares no rollback types (deploy.rollbackTypes).", ButtonType.OK)
                    .showAndWait();
            return;
        }
        ChoiceDialog<String> d = new ChoiceDialog<>(types.get(0), types);
        d.setHeaderText("Rollback type (the team's own command)");
        d.showAndWait().ifPresent(t -> vm.planType(t).whenComplete((p, x) -> fx.execute(() -> confirmAndRun(p, x))));
    }

    private void confirmAndRun(SingleService.SinglePlan sp, Throwable e) {
        if (e != null) {
            new Alert(Alert.AlertType.ERROR, Errors.describe(e) + "; nothing was run", ButtonType.OK).showAndWait();
            return;
        }
        Plan p = sp.plan();
        String text = String.join("\n", p.facts().stream().map(f -> "• " + f).toList()) + "\n\nRisk: " + p.risk()
                + (p.blocked().isEmpty() ? "" : "\n\nBLOCKED: " + String.join("; ", p.blocked()));
        if (!p.runnable()) {
            new Alert(Alert.AlertType.WARNING, text, ButtonType.OK).showAndWait();
            return;
        }
        // the one confirmation dialog: it follows the stack's reads while open (the same action planned again) and
        // disables itself when what it states changed; the click plans it once more (SingleService.run) and a change
        // there is refused, audited, and asked again with what it states now (reconfirmProperty)
        try (SingleStackViewModel.Confirmation open = vm.confirm(sp)) {
            ConfirmActionDialog.inPlace(window(), open.planProperty(), open.changedProperty(), open.noteProperty()).ask()
                    .ifPresent(confirmed -> vm.run(open.confirmed(confirmed)));
        }
    }

    private javafx.stage.Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }


    /**
     * A backup as the rollback's choice shows it: its file name first (what tells backups apart: the dialog cuts a long line
     * at its end, and a full path left only the folder and half the name visible), the version its sidecar records
     * ("unknown" when none says) and whether it was verified.
     */
    static String choice(BackupEntry b) {
        return b.name() + "   —   version " + (b.recorded() == io.dutydesk.core.backups.RecordedVersion.NOT_READ ? "not read"
                : b.recorded().text()) + "   —   " + b.verification().filter(v -> v.appliesTo(b))
                .map(v -> v.ok() ? "verified" : "verification FAILED").orElse("not verified");
    }
}
