package io.dutydesk.ui.slots;

import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.Verb;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.Optional;

/**
 * "Are you sure?" with the facts that decide it: what moves, how healthy the target is, the
 * outbox backlog, the risk. A blocked plan can only be forced by ticking a box; a cleanup needs
 * the slot name typed.
 */
final class ConfirmActionDialog extends Dialog<Plan> {
    final ButtonType confirm;
    final CheckBox force = new CheckBox("Run it anyway (force)");
    final TextField typed = new TextField();

    ConfirmActionDialog(Window owner, Plan plan) {
        if (owner != null) {
            initOwner(owner);
        }
        setTitle("Confirm " + plan.verb().id());
        setHeaderText(title(plan));
        confirm = new ButtonType(buttonText(plan), ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(confirm, ButtonType.CANCEL);
        getDialogPane().setId("confirm-dialog");
        getDialogPane().setPrefWidth(560);

        VBox box = new VBox(8);
        for (String f : plan.facts()) {
            Label l = new Label("•  " + f);
            l.getStyleClass().add("fact");
            l.setWrapText(true);
            box.getChildren().add(l);
        }
        Label risk = new Label("Risk: " + plan.risk());
        risk.getStyleClass().add("risk");
        risk.setWrapText(true);
        box.getChildren().add(risk);
        BooleanBinding ok = Bindings.createBooleanBinding(() -> true);
        if (!plan.blocked().isEmpty()) {
            for (String b : plan.blocked()) {
                Label l = new Label("⛔  " + b);
                l.getStyleClass().add("blocked");
                l.setWrapText(true);
                box.getChildren().add(l);
            }
            force.setId("force");
            box.getChildren().add(force);
            ok = Bindings.createBooleanBinding(force::isSelected, force.selectedProperty());
        }
        if (plan.typedConfirmation().isPresent()) {
            String want = plan.typedConfirmation().get();
            typed.setId("typed-confirmation");
            typed.setPromptText(want);
            box.getChildren().addAll(new Label("Type " + want + " to confirm:"), typed);
            BooleanBinding before = ok;
            ok = Bindings.createBooleanBinding(() -> before.get() && want.equals(typed.getText().strip()),
                    before, typed.textProperty());
        }
        getDialogPane().setContent(box);
        Button b = (Button) getDialogPane().lookupButton(confirm);
        b.setId("confirm-action");
        b.disableProperty().bind(ok.not());
        if (plan.verb() == Verb.CLEANUP || !plan.blocked().isEmpty()) {
            b.getStyleClass().add("danger");
            b.setDefaultButton(false);
            ((Button) getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        } else if (plan.verb() == Verb.ROLLBACK) {
            b.getStyleClass().add("danger");
        }
        setResultConverter(bt -> bt == confirm ? (force.isSelected() ? plan.forcedCopy() : plan) : null);
    }

    static String title(Plan p) {
        return switch (p.verb()) {
            case DEPLOY -> "Deploy " + p.version().orElse("") + " to " + p.target() + "?";
            case SWITCH -> "Switch traffic: " + p.liveBefore() + " → " + p.target() + "?";
            case ROLLBACK -> "Roll back: traffic " + p.liveBefore() + " → " + p.target() + "?";
            case CLEANUP -> "Clean up " + p.target() + "?";
        };
    }

    static String buttonText(Plan p) {
        return switch (p.verb()) {
            case DEPLOY -> "Deploy " + p.version().orElse("");
            case SWITCH -> "Switch to " + p.target();
            case ROLLBACK -> "Roll back to " + p.target();
            case CLEANUP -> "Remove " + p.target();
        };
    }

    Optional<Plan> ask() {
        return showAndWait();
    }
}
