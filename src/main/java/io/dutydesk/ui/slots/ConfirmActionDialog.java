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
 * "Are you sure?" with the facts that decide it: the environment (first, large), what moves, how
 * healthy the target is, the outbox backlog, the risk. A blocked plan can only be forced by
 * ticking a box; a cleanup needs the slot name typed.
 *
 * <p>The safe button is the default: Cancel has the focus and takes Enter and Escape; the action
 * needs a click, Space on it after tabbing to it, or its mnemonic (Alt+R for "Roll back", Alt+D
 * deploy, Alt+S switch, Alt+M remove). So Ctrl+Shift+R then Enter never moves traffic.
 */
final class ConfirmActionDialog extends Dialog<Plan> {
    final ButtonType confirm;
    final CheckBox force = new CheckBox("Run it anyway (force)");
    final TextField typed = new TextField();

    ConfirmActionDialog(Window owner, Plan plan) {
        if (owner != null) {
            initOwner(owner);
        }
        setTitle("Confirm " + plan.verb().id() + " on " + plan.environment());
        setHeaderText(title(plan));
        confirm = new ButtonType(buttonText(plan), ButtonBar.ButtonData.OK_DONE); // placed as OK, but never the default (below)
        getDialogPane().getButtonTypes().setAll(confirm, ButtonType.CANCEL);
        getDialogPane().setId("confirm-dialog");
        getDialogPane().setPrefWidth(560);

        VBox box = new VBox(8);
        Label envLabel = new Label("Environment: " + plan.environment().toUpperCase(java.util.Locale.ROOT)
                + "   ·   live now: " + plan.liveBefore());
        envLabel.setId("confirm-environment");
        envLabel.getStyleClass().add("confirm-environment");
        envLabel.setMaxWidth(Double.MAX_VALUE);
        box.getChildren().add(envLabel);
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
        b.setMnemonicParsing(true);
        b.disableProperty().bind(ok.not());
        b.setDefaultButton(false);
        Button cancel = (Button) getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setId("confirm-cancel");
        cancel.setDefaultButton(true);
        cancel.setCancelButton(true);
        if (plan.verb() != Verb.DEPLOY || !plan.blocked().isEmpty()) {
            b.getStyleClass().add("danger");
        }
        // the focus starts on Cancel (or on the field to type in), never on the action
        setOnShown(e -> (plan.typedConfirmation().isPresent() ? typed : cancel).requestFocus());
        setResultConverter(bt -> bt == confirm ? (force.isSelected() ? plan.forcedCopy() : plan) : null);
    }

    static String title(Plan p) {
        return switch (p.verb()) {
            case DEPLOY -> p.environment() + ": deploy " + p.version().orElse("") + " to " + p.target() + "?";
            case SWITCH -> p.environment() + ": switch traffic " + p.liveBefore() + " → " + p.target() + "?";
            case ROLLBACK -> p.environment() + ": roll back, traffic " + p.liveBefore() + " → " + p.target() + "?";
            case CLEANUP -> p.environment() + ": clean up " + p.destroys().orElse(p.target()) + "?";
        };
    }

    static String buttonText(Plan p) {
        return switch (p.verb()) {
            case DEPLOY -> "_Deploy " + p.version().orElse("").replace("_", "__");
            case SWITCH -> "_Switch to " + p.target();
            case ROLLBACK -> "_Roll back to " + p.target();
            case CLEANUP -> "Re_move " + p.destroys().orElse(p.target());
        };
    }

    Optional<Plan> ask() {
        return showAndWait();
    }
}
