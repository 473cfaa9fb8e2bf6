package io.dutydesk.ui.fx;

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
 * "Are you sure?" with the facts that decide it: the environment (first, large, spelt as it must be typed),
 * what moves, how healthy the target is, the outbox backlog, the risk. A blocked plan can only be forced by
 * ticking a box; a cleanup needs the slot name typed.
 *
 * <p>Sized to its content within the owner's window below its header ({@link io.dutydesk.ui.fx.Placement#fit}),
 * and again when the content changes. The environment, what changed, the force box, the field to type in and
 * the buttons are always on the screen: only the facts, the risk and the blockers scroll when the window is too
 * small for all of it.
 *
 * <p>The safe button is the default: Cancel has the focus (or the field to type in does) and takes Enter and
 * Escape; the action needs a click, Space on it after tabbing to it, or its mnemonic (Alt+R for "Roll back",
 * Alt+D deploy, Alt+S switch, Alt+M remove). So Ctrl+Shift+R then Enter never moves traffic.
 */
public final class ConfirmActionDialog extends Dialog<Plan> {
    public final ButtonType confirm;
    public final CheckBox force = new CheckBox("Run it anyway (force)");
    public final TextField typed = new TextField();

    private boolean confirmed;
    private final Window owner;
    private final VBox facts = new VBox(6);
    private final Label risk = new Label();
    private final VBox blocked = new VBox(6);
    private final Label changed = new Label();
    private final Label note = new Label();
    private final javafx.scene.control.ScrollPane scroll;
    private final javafx.beans.property.BooleanProperty isBlocked = new javafx.beans.property.SimpleBooleanProperty();
    private final javafx.beans.property.StringProperty changedText = new javafx.beans.property.SimpleStringProperty("");

    /**
     * A confirmation that is not a rollout plan (a restore...): the environment, what will happen, the facts,
     * the risk, and optionally a word to type (the environment's name) before the button enables.
     */
    public record Request(String environment, String title, String header, List<String> facts, String risk,
                          Optional<String> typedWord, String buttonText) {}

    /** A plan as it was read: nothing follows it (see the constructor that follows a plan). */
    public ConfirmActionDialog(Window owner, Plan plan) {
        this(owner, new javafx.beans.property.SimpleObjectProperty<>(plan), new javafx.beans.property.SimpleStringProperty(""),
                new javafx.beans.property.SimpleStringProperty(""));
    }

    /**
     * An open confirmation that follows the server while it is open ({@code plan}, {@code changedNow} and
     * {@code noteNow}: what the Slots pane's confirmation gives): the facts and blockers are the ones
     * read last; when what it was planned on no longer holds (the live slot moved, the target turned
     * unhealthy) it says so — that one message, the blockers and the force box hidden — and its button is
     * disabled; and the click itself is checked again by the core and by the server.
     */
    public ConfirmActionDialog(Window owner, ObservableValue<Plan> plan, ObservableValue<String> changedNow,
                                ObservableValue<String> noteNow) {
        this(owner, plan, changedNow, noteNow, title(plan.getValue()), buttonText(plan.getValue()));
    }

    /**
     * The same, for an action done in place on a single stack (no slot, no traffic to move): its title is the plan's own
     * headline ("ref-single: restore the database from … and go back to v0.9.0?"), its button says the verb alone —
     * never the blue-green wording ("deploy v1.3.0 to v1.3.0", "traffic v1.2.0 → v1.2.0") for what it does not do.
     */
    public static ConfirmActionDialog inPlace(Window owner, ObservableValue<Plan> plan, ObservableValue<String> changedNow,
                                              ObservableValue<String> noteNow) {
        return new ConfirmActionDialog(owner, plan, changedNow, noteNow, inPlaceTitle(plan.getValue()), inPlaceButtonText(plan.getValue()));
    }

    public static String inPlaceTitle(Plan p) {
        return p.environment() + ": " + p.headline() + "?";
    }

    public static String inPlaceButtonText(Plan p) {
        return switch (p.verb()) {
            case DEPLOY -> "_Deploy " + p.version().orElse("").replace("_", "__") + " in place";
            case ROLLBACK -> p.rollbackType().map(t -> "_Run the " + t.replace("_", "__") + " rollback").orElse("_Roll back");
            default -> buttonText(p);
        };
    }

    private ConfirmActionDialog(Window owner, ObservableValue<Plan> plan, ObservableValue<String> changedNow,
                                ObservableValue<String> noteNow, String header, String buttonText) {
        this(owner, "Confirm " + plan.getValue().verb().id() + " on " + plan.getValue().environment(), header,
                "Environment: " + plan.getValue().environment() + "   ·   live now: " + plan.getValue().liveBefore(),
                plan.getValue().typedConfirmation(), buttonText,
                plan.getValue().verb() != Verb.DEPLOY || !plan.getValue().blocked().isEmpty());
        show(plan.getValue());
        plan.addListener((o, a, p) -> {
            show(p);
            refit();
        });
        changedText.bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> changedNow.getValue() == null ? "" : changedNow.getValue(), changedNow));
        note.textProperty().bind(noteNow);
        note.visibleProperty().bind(note.textProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        changedText.addListener((o, a, b) -> refit());
        note.textProperty().addListener((o, a, b) -> refit());
        setResultConverter(bt -> bt == confirm && changedText.get().isEmpty()
                ? (force.isSelected() ? plan.getValue().forcedCopy() : plan.getValue()) : null);
    }

    /** The dialog for a {@link Request}; after it closes, {@link #confirmed()} says whether the user confirmed. */
    public ConfirmActionDialog(Window owner, Request r) {
        this(owner, r.title(), r.header(), "Environment: " + r.environment(), r.typedWord(), r.buttonText(), true);
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
        this.owner = owner;
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

        // always shown: which environment, and what no longer holds
        Label envLabel = new Label(envLine);
        envLabel.setId("confirm-environment");
        envLabel.getStyleClass().add("confirm-environment");
        envLabel.setMaxWidth(Double.MAX_VALUE);
        envLabel.setWrapText(true);
        envLabel.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        changed.setId("confirm-changed");
        changed.getStyleClass().add("blocked");
        changed.setWrapText(true);
        changed.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        changed.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> changedText.get().isEmpty() ? ""
                : "✖  State changed since this was planned: " + changedText.get() + "; cancel and plan again.", changedText));
        changed.visibleProperty().bind(changedText.isNotEmpty());
        changed.managedProperty().bind(changed.visibleProperty());
        note.setId("confirm-note");
        note.getStyleClass().add("stale-banner");
        note.setWrapText(true);
        note.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        note.setVisible(false);
        note.setManaged(false);
        VBox top = new VBox(8, envLabel, changed, note);
        top.setId("confirm-top");
        top.setPadding(new javafx.geometry.Insets(0, 0, 8, 0));

        // what scrolls when the window is too small: the facts, the risk, the blockers (hidden once the plan changed:
        // the one message above says it)
        VBox box = new VBox(8);
        facts.setId("confirm-facts");
        risk.getStyleClass().add("risk");
        risk.setWrapText(true);
        blocked.setId("confirm-blocked");
        blocked.visibleProperty().bind(isBlocked.and(changedText.isEmpty()));
        blocked.managedProperty().bind(blocked.visibleProperty());
        box.getChildren().addAll(facts, risk, blocked);
        box.setPadding(new javafx.geometry.Insets(0, 4, 0, 0));

        // always shown: the way out of a blocked plan (never once it changed: it would do nothing), the field to type in
        VBox bottom = new VBox(6);
        bottom.setId("confirm-bottom");
        bottom.setPadding(new javafx.geometry.Insets(8, 0, 0, 0));
        force.setId("force");
        force.visibleProperty().bind(isBlocked.and(changedText.isEmpty()));
        force.managedProperty().bind(force.visibleProperty());
        changedText.addListener((o, a, now) -> {
            if (!now.isEmpty()) {
                force.setSelected(false);
            }
        });
        bottom.getChildren().add(force);
        BooleanBinding ok = Bindings.createBooleanBinding(() -> (!isBlocked.get() || force.isSelected())
                && changedText.get().isEmpty(), isBlocked, force.selectedProperty(), changedText);
        if (typedWord.isPresent()) {
            String want = typedWord.get();
            typed.setId("typed-confirmation");
            typed.setPromptText(want);
            Label typeLabel = new Label("Type " + want + " to confirm:");
            typeLabel.setId("typed-label");
            typeLabel.setWrapText(true);
            typeLabel.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            bottom.getChildren().addAll(typeLabel, typed);
            BooleanBinding before = ok;
            ok = Bindings.createBooleanBinding(() -> before.get() && want.equals(typed.getText().strip()),
                    before, typed.textProperty());
        }
        bottom.visibleProperty().bind(Bindings.createBooleanBinding(() -> bottom.getChildren().stream().anyMatch(javafx.scene.Node::isManaged),
                force.managedProperty()));
        bottom.managedProperty().bind(bottom.visibleProperty());

        scroll = new javafx.scene.control.ScrollPane(box);
        scroll.setId("confirm-scroll");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("edge-to-edge");
        javafx.scene.layout.BorderPane content = new javafx.scene.layout.BorderPane(scroll);
        content.setId("confirm-content");
        content.setTop(top);
        content.setBottom(bottom);
        getDialogPane().setContent(content);
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
        // sized to its content inside the window; the focus starts on Cancel (or on the field to type in), never on the action
        setOnShown(e -> {
            refit();
            Window w = getDialogPane().getScene().getWindow();
            w.requestFocus();
            (typedWord.isPresent() ? typed : cancel).requestFocus();
        });
    }

    /** Sizes the dialog to its content again (within the owner's window): after the facts or the messages changed. */
    private void refit() {
        if (getDialogPane().getScene() != null && getDialogPane().getScene().getWindow() != null
                && getDialogPane().getScene().getWindow().isShowing()) {
            io.dutydesk.ui.fx.Placement.fit(getDialogPane().getScene().getWindow(), owner, scroll);
        }
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

    public static String title(Plan p) {
        return switch (p.verb()) {
            case DEPLOY -> p.environment() + ": deploy " + p.version().orElse("") + " to " + p.target() + "?";
            case SWITCH -> p.environment() + ": switch traffic " + p.liveBefore() + " → " + p.target() + "?";
            case ROLLBACK -> p.environment() + ": roll back, traffic " + p.liveBefore() + " → " + p.target() + "?";
            case CLEANUP -> p.environment() + ": clean up " + p.destroys().orElse(p.target()) + "?";
        };
    }

    public static String buttonText(Plan p) {
        return switch (p.verb()) {
            case DEPLOY -> "_Deploy " + p.version().orElse("").replace("_", "__");
            case SWITCH -> "_Switch to " + p.target();
            case ROLLBACK -> "_Roll back to " + p.target();
            case CLEANUP -> "Re_move " + p.destroys().orElse(p.target());
        };
    }

    public Optional<Plan> ask() {
        return showAndWait();
    }
}
