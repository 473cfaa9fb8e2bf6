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
import javafx.beans.value.ObservableValue;
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
    private final VBox facts = new VBox(8);
    private final Label risk = new Label();
    private final VBox blocked = new VBox(8);
    private final Label changed = new Label();
    private final Label note = new Label();
    private final javafx.beans.property.BooleanProperty isBlocked = new javafx.beans.property.SimpleBooleanProperty();
    private final javafx.beans.property.StringProperty changedText = new javafx.beans.property.SimpleStringProperty("");

    /**
     * A confirmation that is not a rollout plan (a restore...): the environment, what will happen, the facts,
     * the risk, and optionally a word to type (the environment's name) before the button enables.
     */
    public record Request(String environment, String title, String header, List<String> facts, String risk,
                          Optional<String> typedWord, String buttonText) {}

    /** A plan as it was read: nothing follows it (see the constructor with a {@link SlotsViewModel.Confirmation}). */
    ConfirmActionDialog(Window owner, Plan plan) {
        this(owner, new javafx.beans.property.SimpleObjectProperty<>(plan), new javafx.beans.property.SimpleStringProperty(""),
                new javafx.beans.property.SimpleStringProperty(""));
    }

    /**
     * An open confirmation that follows the server while it is open: the facts and blockers are the ones
     * read last; when what it was planned on no longer holds (the live slot moved, the target turned
     * unhealthy) it says so and its button is disabled — and the click itself is checked again by the core
     * and by the server.
     */
    ConfirmActionDialog(Window owner, SlotsViewModel.Confirmation c) {
        this(owner, c.planProperty(), c.changedProperty(), c.noteProperty());
    }

    private ConfirmActionDialog(Window owner, ObservableValue<Plan> plan, ObservableValue<String> changedNow,
                                ObservableValue<String> noteNow) {
        this(owner, "Confirm " + plan.getValue().verb().id() + " on " + plan.getValue().environment(), title(plan.getValue()),
                "Environment: " + plan.getValue().environment().toUpperCase(java.util.Locale.ROOT) + "   ·   live now: "
                        + plan.getValue().liveBefore(),
                plan.getValue().typedConfirmation(), buttonText(plan.getValue()),
                plan.getValue().verb() != Verb.DEPLOY || !plan.getValue().blocked().isEmpty());
        show(plan.getValue());
        plan.addListener((o, a, p) -> show(p));
        changedText.bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> changedNow.getValue() == null ? "" : changedNow.getValue(), changedNow));
        note.textProperty().bind(noteNow);
        note.visibleProperty().bind(note.textProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        setResultConverter(bt -> bt == confirm && changedText.get().isEmpty()
                ? (force.isSelected() ? plan.getValue().forcedCopy() : plan.getValue()) : null);
    }

    /** The dialog for a {@link Request}; after it closes, {@link #confirmed()} says whether the user confirmed. */
    public ConfirmActionDialog(Window owner, Request r) {
        this(owner, r.title(), r.header(), "Environment: " + r.environment().toUpperCase(java.util.Locale.ROOT),
                r.typedWord(), r.buttonText(), true);
        show(r.facts(), r.risk(), List.of());
        setResultConverter(bt -> {
            if (bt == confirm) {
                confirmed = true; // never reset: closing with a null result converts Cancel once more
            }
            return null;
        });
    }

    private ConfirmActionDialog(Window owner, String title, String header, String envLine,
                                Optional<String> typedWord, String buttonText, boolean danger) {
        if (owner != null) {
            initOwner(owner);
        }
        setTitle(title);
        setHeaderText(header);
        setResizable(true);
        confirm = new ButtonType(buttonText, ButtonBar.ButtonData.OK_DONE); // placed as OK, but never the default (below)
        getDialogPane().getButtonTypes().setAll(confirm, ButtonType.CANCEL);
        getDialogPane().setId("confirm-dialog");
        getDialogPane().setPrefWidth(560);

        VBox box = new VBox(8);
        Label envLabel = new Label(envLine);
        envLabel.setId("confirm-environment");
        envLabel.getStyleClass().add("confirm-environment");
        envLabel.setMaxWidth(Double.MAX_VALUE);
        envLabel.setWrapText(true);
        changed.setId("confirm-changed");
        changed.getStyleClass().add("blocked");
        changed.setWrapText(true);
        changed.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> changedText.get().isEmpty() ? ""
                : "✖  State changed since this was planned: " + changedText.get() + ". Cancel and plan again.", changedText));
        changed.visibleProperty().bind(changedText.isNotEmpty());
        changed.managedProperty().bind(changed.visibleProperty());
        note.setId("confirm-note");
        note.getStyleClass().add("stale-banner");
        note.setWrapText(true);
        note.setVisible(false);
        note.setManaged(false);
        facts.setId("confirm-facts");
        risk.getStyleClass().add("risk");
        risk.setWrapText(true);
        force.setId("force");
        force.visibleProperty().bind(isBlocked);
        force.managedProperty().bind(isBlocked);
        box.getChildren().addAll(envLabel, changed, note, facts, risk, blocked, force);
        BooleanBinding ok = Bindings.createBooleanBinding(() -> (!isBlocked.get() || force.isSelected())
                && changedText.get().isEmpty(), isBlocked, force.selectedProperty(), changedText);
        if (typedWord.isPresent()) {
            String want = typedWord.get();
            typed.setId("typed-confirmation");
            typed.setPromptText(want);
            box.getChildren().addAll(new Label("Type " + want + " to confirm:"), typed);
            BooleanBinding before = ok;
            ok = Bindings.createBooleanBinding(() -> before.get() && want.equals(typed.getText().strip()),
                    before, typed.textProperty());
        }
        // a long plan scrolls inside the dialog rather than growing it off a 1024x640 screen
        javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(box);
        scroll.setId("confirm-scroll");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("edge-to-edge");
        getDialogPane().setContent(scroll);
        Button b = (Button) getDialogPane().lookupButton(confirm);
        b.setId("confirm-action");
        b.setMnemonicParsing(true);
        b.disableProperty().bind(ok.not());
        b.setDefaultButton(false);
        // the click itself: refused when what it states no longer holds, even if it got past the binding
        b.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            if (!changedText.get().isEmpty()) {
                e.consume();
            }
        });
        Button cancel = (Button) getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setId("confirm-cancel");
        cancel.setDefaultButton(true);
        cancel.setCancelButton(true);
        if (danger) {
            b.getStyleClass().add("danger");
        }
        // the focus starts on Cancel (or on the field to type in), never on the action
        setOnShown(e -> {
            (typedWord.isPresent() ? typed : cancel).requestFocus();
            io.dutydesk.ui.fx.Placement.belowHeader(getDialogPane().getScene().getWindow(), owner, scroll);
        });
    }

    private void show(Plan p) {
        show(p.facts(), p.risk(), p.blocked());
    }

    /** The facts, the risk and the blockers as read last. */
    private void show(List<String> factLines, String riskText, List<String> blockers) {
        facts.getChildren().setAll(factLines.stream().map(f -> {
            Label l = new Label("•  " + f);
            l.getStyleClass().add("fact");
            l.setWrapText(true);
            return (javafx.scene.Node) l;
        }).toList());
        risk.setText("Risk: " + riskText);
        blocked.getChildren().setAll(blockers.stream().map(x -> {
            Label l = new Label("✖  " + x);
            l.getStyleClass().add("blocked");
            l.setWrapText(true);
            return (javafx.scene.Node) l;
        }).toList());
        blocked.setVisible(!blockers.isEmpty());
        blocked.setManaged(!blockers.isEmpty());
        isBlocked.set(!blockers.isEmpty());
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
