package io.dutydesk.ui.shell;

import io.dutydesk.core.ports.SecretPrompt;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Asks for a password in a dialog; the answer is kept in memory only. */
public final class FxSecretPrompt implements SecretPrompt {
    private final Executor ui;
    private final Supplier<Window> owner;

    public FxSecretPrompt(Executor ui, Supplier<Window> owner) {
        this.ui = ui;
        this.owner = owner;
    }

    @Override
    public CompletableFuture<Optional<char[]>> ask(String environment, String label) {
        CompletableFuture<Optional<char[]>> answer = new CompletableFuture<>();
        ui.execute(() -> {
            Dialog<char[]> d = new Dialog<>();
            javafx.stage.Window w = owner.get();
            if (w != null && w.getScene() != null) { // a window whose start failed has no scene: the dialog stands alone
                d.initOwner(w);
            }
            d.setTitle(label);
            d.setHeaderText(label + " for " + environment);
            PasswordField pw = new PasswordField();
            d.getDialogPane().setContent(new VBox(8, new Label("Kept in memory for this session only."), pw));
            d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
            d.setResultConverter(b -> b == ButtonType.OK && !pw.getText().isEmpty() ? pw.getText().toCharArray() : null);
            // the environment closed (a switch) while the question was open: the dialog goes with it
            answer.whenComplete((v, e) -> {
                if (answer.isCancelled()) {
                    ui.execute(d::close);
                }
            });
            if (answer.isDone()) {
                return;
            }
            answer.complete(d.showAndWait());
            pw.clear();
        });
        return answer;
    }
}
