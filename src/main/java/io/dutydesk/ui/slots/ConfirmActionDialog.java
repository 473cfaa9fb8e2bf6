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

import java.util.List;
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
public final class ConfirmActionDialog extends Dialog<Plan> {
    final ButtonType confirm;
    final CheckBox force = new CheckBox("Run it anyway (force)");
    final TextField typed = new TextField();

    private boolean confirmed;

    /**
     * A confirmation that is not a rollout plan (a restore...): the environment, what will happen, the facts,
     * the risk, and optionally a word to type (the environment's name) before the button enables.
     */
    public record Request(String environment, String title, String header, List<String> facts, String risk,
                          Optional<String> typedWord, String buttonText) {}

    ConfirmActionDialog(Window owner, Plan plan) {
        this(owner, "Confirm " + plan.verb().id() + " on " + plan.environment(), title(plan),
                "Environment: " + plan.environment().toUpperCase(java.util.Locale.ROOT) + "   ·   live now: " + plan.liveBefore(),
                plan.facts(), plan.risk(), plan.blocked(), plan.typedConfirmation(), buttonText(plan),
                plan.verb() != Verb.DEPLOY || !plan.blocked().isEmpty());
        setResultConverter(bt -> bt == confirm ? (force.isSelected() ? plan.forcedCopy() : plan) : null);
    }

    /** The dialog for a {@link Request}; after it closes, {@link #confirmed()} says whether the user confirmed. */
    public ConfirmActionDialog(Window owner, Request r) {
        this(owner, r.title(), r.header(), "Environment: " + r.environment().toUpperCase(java.util.Locale.ROOT), r.facts(), r.risk(),
                List.of(), r.typedWord(), r.buttonText(), true);
        setResultConverter(bt -> {
            if (bt == confirm) {
                confirmed = true; // never reset: closing with a null result converts Cancel once more
            }
            return null;
        });
    }

    private ConfirmActionDialog(Window owner, String title, String header, String envLine, List<String> facts, String riskText,
                                List<String> blocked, Optional<String> typedWord, String buttonText, boolean danger) {
        if (owner != null) {
            initOwner(owner);
        }
        setTitle(title);
        setHeaderText(header);
        confirm = new ButtonType(buttonText, ButtonBar.ButtonData.OK_DONE); // placed as OK, but never the default (below)
        getDialogPane().getButtonTypes().setAll(confirm, ButtonType.CANCEL);
        getDialogPane().setId("confirm-dialog");
        getDialogPane().setPrefWidth(560);

        VBox box = new VBox(8);
        Label envLabel = new Label(envLine);
        envLabel.setId("confirm-environment");
        envLabel.getStyleClass().add("confirm-environment");
        envLabel.setMaxWidth(Double.MAX_VALUE);
        box.getChildren().add(envLabel);
        for (String f : facts) {
            Label l = new Label("•  " + f);
            l.getStyleClass().add("fact");
            l.setWrapText(true);
            box.getChildren().add(l);
        }
        Label risk = new Label("Risk: " + riskText);
        risk.getStyleClass().add("risk");
        risk.setWrapText(true);
        box.getChildren().add(risk);
        BooleanBinding ok = Bindings.createBooleanBinding(() -> true);
        if (!blocked.isEmpty()) {
            for (String b : blocked) {
                Label l = new Label("✖  " + b);
                l.getStyleClass().add("blocked");
                l.setWrapText(true);
                box.getChildren().add(l);
            }
            force.setId("force");
            box.getChildren().add(force);
            ok = Bindings.createBooleanBinding(force::isSelected, force.selectedProperty());
        }
        if (typedWord.isPresent()) {
            String want = typedWord.get();
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
        if (danger) {
            b.getStyleClass().add("danger");
        }
        // the focus starts on Cancel (or on the field to type in), never on the action
        setOnShown(e -> (typedWord.isPresent() ? typed : cancel).requestFocus());
    }

    /** What is typed in the confirmation field. */
    public String typedText() {
        return typed.getText() == null ? "" : typed.getText().strip();
    }

    /** After a {@link Request} dialog closed: whether the user confirmed (word typed, button pressed). */
    public boolean confirmed() {
        return confirmed;
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
