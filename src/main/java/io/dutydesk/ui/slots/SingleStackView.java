package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.rollout.Plan;
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
import javafx.scene.layout.HBox;
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
        headline.textProperty().bind(vm.headlineProperty());
        headline.setStyle("-fx-font-size: 16px; -fx-font-weight: bold;");
        Label problem = new Label();
        problem.textProperty().bind(vm.problemProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotNull());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.getStyleClass().add("stale");
        Label rollback = new Label();
        rollback.textProperty().bind(vm.rollbackProperty());
        Label model = new Label("One stack, no idle slot: a deploy replaces production in place after the team's script backs the "
                + "database up; a rollback restores a backup and the version recorded with it.");
        model.setWrapText(true);

        TableView<SingleStackViewModel.Row> table = new TableView<>(vm.rows());
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

        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        Button health = new Button("Health check");
        health.setOnAction(e -> vm.healthCheck());
        Button logs = new Button("Team's logs");
        logs.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        logs.setOnAction(e -> vm.teamLogs(table.getSelectionModel().getSelectedItem().service()));
        Button restart = new Button("Restart…");
        restart.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull().or(vm.runningProperty()));
        restart.setOnAction(e -> {
            String c = table.getSelectionModel().getSelectedItem().container();
            if (confirm("Restart " + c + "?", "Production's " + c + " stops and starts again; requests to it fail meanwhile.")) {
                vm.restart(c);
            }
        });
        Button deploy = new Button("Deploy…");
        deploy.disableProperty().bind(vm.runningProperty());
        deploy.setOnAction(e -> deploy());
        Button rb = new Button("Rollback to a backup…");
        rb.disableProperty().bind(vm.runningProperty());
        rb.setOnAction(e -> rollback());
        HBox actions = new HBox(8, refresh, health, logs, restart, deploy, rb);

        Label status = new Label();
        status.textProperty().bind(vm.statusProperty());
        status.setWrapText(true);
        ListView<String> log = new ListView<>(vm.log());
        VBox.setVgrow(log, Priority.ALWAYS);
        root.getChildren().addAll(headline, problem, rollback, model, table, actions, status, log);
    }

    public Node root() {
        return root;
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
        vm.service().get().planDeploy(v.get()).whenComplete((p, e) -> fx.execute(() -> confirmAndRun(p, e)));
    }

    private void rollback() {
        vm.backups().whenComplete((list, e) -> fx.execute(() -> {
            if (e != null || list.isEmpty()) {
                new Alert(Alert.AlertType.INFORMATION, e != null ? "Backups cannot be read: " + Errors.describe(e)
                        : "There is no backup to roll back to.", ButtonType.OK).showAndWait();
                return;
            }
            java.util.Map<String, String> byChoice = new java.util.LinkedHashMap<>();
            list.forEach(b -> byChoice.put(choice(b), b.path()));
            java.util.List<String> choices = java.util.List.copyOf(byChoice.keySet());
            ChoiceDialog<String> d = new ChoiceDialog<>(choices.get(0), choices);
            d.setHeaderText("Backup to restore (the version recorded with it comes back)");
            Optional<String> chosen = d.showAndWait();
            if (chosen.isEmpty() || vm.service().isEmpty()) {
                return;
            }
            vm.service().get().planRollback(byChoice.get(chosen.get())).whenComplete((p, x) -> fx.execute(() -> confirmAndRun(p, x)));
        }));
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
        if (p.typedConfirmation().isPresent()) {
            TextInputDialog t = new TextInputDialog();
            t.setHeaderText(p.headline() + "\n\n" + text + "\n\nType '" + p.typedConfirmation().get() + "' to confirm");
            t.getDialogPane().setMaxWidth(900);
            if (!t.showAndWait().map(String::strip).filter(p.typedConfirmation().get()::equals).isPresent()) {
                return;
            }
        } else if (!confirm(p.headline(), text)) {
            return;
        }
        vm.run(sp);
    }


    /** A backup as the rollback's choice shows it: its path and the version its sidecar records ("unknown" when none says). */
    static String choice(BackupEntry b) {
        return b.path() + "   —   version " + (b.recorded() == io.dutydesk.core.backups.RecordedVersion.NOT_READ ? "not read"
                : b.recorded().text());
    }
}
