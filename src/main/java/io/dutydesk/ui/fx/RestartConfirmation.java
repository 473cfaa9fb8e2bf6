package io.dutydesk.ui.fx;

import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * The one confirmation before a container restart (a slot's service, the outbox relay): it names the
 * environment and the container, says whether live traffic is affected, and Cancel is the default.
 */
public final class RestartConfirmation {
    private RestartConfirmation() {}

    /** Asks; true if the user chose to restart. */
    public static boolean confirm(Window owner, String environment, String container, String service, boolean live) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", ButtonType.CANCEL);
        ButtonType go = new ButtonType("_Restart " + service, ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(go, ButtonType.CANCEL);
        if (owner != null) {
            a.initOwner(owner);
        }
        a.setHeaderText((environment.isEmpty() ? "" : environment + ": ") + "restart " + container + "?");
        a.setContentText(live ? "It runs in the LIVE slot: requests to this service fail while it restarts."
                : "It runs in the idle slot: no live traffic is affected.");
        Button cancel = (Button) a.getDialogPane().lookupButton(ButtonType.CANCEL);
        cancel.setDefaultButton(true);
        ((Button) a.getDialogPane().lookupButton(go)).setDefaultButton(false);
        a.setOnShown(e -> cancel.requestFocus());
        a.getDialogPane().setId("restart-dialog");
        return a.showAndWait().filter(b -> b == go).isPresent();
    }
}
