package io.dutydesk.ui.shell;

import io.dutydesk.core.ports.HostKeyPrompt;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Shows an unknown host key's SHA256 fingerprint and lets the user accept or refuse it. */
public final class FxHostKeyPrompt implements HostKeyPrompt {
    public static final ButtonType ACCEPT = new ButtonType("Trust and connect", ButtonBar.ButtonData.OK_DONE);
    public static final ButtonType REFUSE = new ButtonType("Refuse", ButtonBar.ButtonData.CANCEL_CLOSE);

    private final Executor ui;
    private final Supplier<Window> owner;

    public FxHostKeyPrompt(Executor ui, Supplier<Window> owner) {
        this.ui = ui;
        this.owner = owner;
    }

    @Override
    public CompletableFuture<Boolean> trust(UnknownHostKey key) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        ui.execute(() -> {
            Alert a = new Alert(Alert.AlertType.WARNING, "", ACCEPT, REFUSE);
            javafx.stage.Window w = owner.get();
            if (w != null && w.getScene() != null) { // a window whose start failed has no scene: the dialog stands alone
                a.initOwner(w);
            }
            a.setTitle("Unknown host key");
            a.setHeaderText(key.firstConnection() ? "First connection to " + key.host()
                    : "WARNING: " + key.host() + " is known by its " + String.join(", ", key.knownTypes())
                    + " key but now offers a " + key.keyType() + " key");
            // the fingerprint on one line, selectable, in a fixed-width font: compared character by character
            TextField fp = new TextField(key.fingerprint());
            fp.setEditable(false);
            fp.setId("host-key-fingerprint");
            fp.setStyle("-fx-font-family: monospace; -fx-font-size: 1.05em;");
            Label intro = new Label(key.keyType() + " key fingerprint:");
            Label how = new Label("Compare it with the fingerprint the server's administrator gives you "
                    + "(ssh-keygen -lf /etc/ssh/ssh_host_" + key.keyType().replace("ssh-", "") + "_key.pub). "
                    + "If you trust it, it is added to " + key.knownHosts() + ".");
            how.setWrapText(true);
            a.getDialogPane().setContent(new VBox(8, intro, fp, how));
            a.getDialogPane().setPrefWidth(620);
            a.setContentText(key.message());
            a.getDialogPane().setId("host-key-dialog");
            ((javafx.scene.control.Button) a.getDialogPane().lookupButton(REFUSE)).setDefaultButton(true);
            ((javafx.scene.control.Button) a.getDialogPane().lookupButton(ACCEPT)).setDefaultButton(false);
            // the environment closed (a switch) while the question was open: the dialog goes with it
            answer.whenComplete((v, e) -> {
                if (answer.isCancelled()) {
                    ui.execute(a::close);
                }
            });
            if (answer.isDone()) {
                return;
            }
            answer.complete(a.showAndWait().map(b -> b == ACCEPT).orElse(false));
        });
        return answer;
    }
}
