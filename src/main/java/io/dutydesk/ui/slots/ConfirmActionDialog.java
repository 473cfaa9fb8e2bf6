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
 * "Are you sure?" with the facts that decide it: what moves, how healthy the target is, the
 * outbox backlog, the risk. A blocked plan can only be forced by ticking a box; a cleanup needs
 * the slot name typed.
 */
public final class ConfirmActionDialog extends Dialog<Plan> {
    final ButtonType confirm;
    final CheckBox force = new CheckBox("Run it anyway (force)");
    final TextField typed = new TextField();

    private boolean confirmed;

    /**
     * A confirmation that is not a rollout plan (a restore...): what will happen, the facts, the risk, and
     * optionally a word to type (the environment's name) before the button enables.
     */
    public record Request(String title, String header, List<String> facts, String risk, Optional<String> typedWord,
                          String buttonText, boolean danger) {}

    ConfirmActionDialog(Window owner, Plan plan) {
        this(owner, "Confirm " + plan.verb().id(), title(plan), plan.facts(), plan.risk(), plan.blocked(),
                plan.typedConfirmation(), buttonText(plan), plan.verb() == Verb.CLEANUP || !plan.blocked().isEmpty(),
                plan.verb() == Verb.ROLLBACK);
        setResultConverter(bt -> bt == confirm ? (force.isSelected() ? plan.forcedCopy() : plan) : null);
    }

    /** The dialog for a {@link Request}; {@link #confirmed()} after it closes says whether the user confirmed. */
    public ConfirmActionDialog(Window owner, Request r) {
        this(owner, r.title(), r.header(), r.facts(), r.risk(), List.of(), r.typedWord(), r.buttonText(), r.danger(), false);
        setResultConverter(bt -> {
            confirmed = bt == confirm;
            return null;
        });
    }

    private ConfirmActionDialog(Window owner, String title, String header, List<String> facts, String riskText,
                                List<String> blocked, Optional<String> typedWord, String buttonText, boolean dangerous,
                                boolean dangerStyle) {
        if (owner != null) {
            initOwner(owner);
        }
        setTitle(title);
        setHeaderText(header);
        confirm = new ButtonType(buttonText, ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(confirm, ButtonType.CANCEL);
        getDialogPane().setId("confirm-dialog");
        getDialogPane().setPrefWidth(560);

        VBox box = new VBox(8);
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
                Label l = new Label("⛔  " + b);
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
        b.disableProperty().bind(ok.not());
        if (dangerous) {
            b.getStyleClass().add("danger");
            b.setDefaultButton(false);
            ((Button) getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        } else if (dangerStyle) {
            b.getStyleClass().add("danger");
        }
    }

    /** What is typed in the confirmation field. */
    public String typedText() {
        return typed.getText() == null ? "" : typed.getText().strip();
    }

    /** After a {@link Request} dialog closed: whether the user confirmed (typed word matched, button pressed). */
    public boolean confirmed() {
        return confirmed;
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
