package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.Plan;
import javafx.scene.control.Alert;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Slots header's maintenance line: the lock held (holder, message, since when) and Lock… / Unlock… / Releases….
 * Lock asks for the message; unlock confirms, and for someone else's lock asks for the environment's name typed.
 */
final class MaintenanceBar {
    private final MaintenanceViewModel vm;
    private final Executor ui;
    private final Supplier<Window> window;

    private final Label state = new Label();
    private final javafx.scene.control.MenuButton menu = new javafx.scene.control.MenuButton("Maintenance");

    MaintenanceBar(MaintenanceViewModel vm, Executor ui, Supplier<Window> window, Consumer<CompletableFuture<Plan>> confirm) {
        this.vm = vm;
        this.ui = ui;
        this.window = window;
        state.setId("maintenance-state");
        state.getStyleClass().add("stale-banner");
        state.setWrapText(true);
        state.setMaxWidth(Double.MAX_VALUE);
        state.textProperty().bind(vm.textProperty());
        state.visibleProperty().bind(vm.textProperty().isNotEmpty());
        state.managedProperty().bind(state.visibleProperty());
        MenuItem lock = new MenuItem("Lock for maintenance…");
        lock.setId("action-lock");
        lock.disableProperty().bind(vm.lockedProperty());
        lock.setOnAction(e -> lock());
        MenuItem unlock = new MenuItem("Unlock…");
        unlock.setId("action-unlock");
        unlock.disableProperty().bind(vm.lockedProperty().not());
        unlock.setOnAction(e -> unlock());
        MenuItem releases = new MenuItem("Releases and rollback to a release…");
        releases.setId("action-releases");
        releases.setOnAction(e -> new ReleasesDialog(vm, ui, window.get(), confirm).show());
        menu.setId("maintenance-menu");
        menu.setTooltip(new Tooltip("The maintenance lock (every action on this environment, from any console, refused while held) "
                + "and the releases deployed here"));
        menu.setMinWidth(Region.USE_PREF_SIZE);
        menu.getItems().addAll(lock, unlock, releases);
    }

    /** The line saying the lock held (holder, message, since when); not shown while none is. */
    Label state() {
        return state;
    }

    /** Lock…, Unlock…, Releases…. */
    javafx.scene.control.MenuButton menu() {
        return menu;
    }

    private void lock() {
        TextInputDialog d = new TextInputDialog();
        d.initOwner(window.get());
        d.setTitle("Maintenance lock");
        d.setHeaderText("Lock " + vm.environment() + " for maintenance: every action on it, from any console or workstation, is refused "
                + "until it is unlocked. The message is shown to whoever is refused.");
        d.setContentText("Message (why, until when):");
        d.getEditor().setId("maintenance-message");
        Optional<String> message = d.showAndWait().map(String::strip);
        if (message.isEmpty()) {
            return;
        }
        vm.lock(message.get()).whenComplete((l, e) -> ui.execute(() -> {
            if (e != null) {
                error("Not locked", e);
            }
        }));
    }

    private void unlock() {
        Optional<MaintenanceLock> held = vm.lockProperty().get();
        if (held.isEmpty()) {
            return;
        }
        MaintenanceLock l = held.get();
        boolean others = !l.heldBy(vm.actor());
        if (others) {
            TextInputDialog d = new TextInputDialog();
            d.initOwner(window.get());
            d.setTitle("Unlock someone else's lock");
            d.setHeaderText("This lock is " + l.actor() + "'s, not yours (" + vm.actor() + "): \"" + l.message()
                    + "\". Releasing it lets every action run again. Type the environment's name to release it.");
            d.setContentText("Environment:");
            d.getEditor().setId("unlock-confirm-name");
            if (!d.showAndWait().map(String::strip).filter(vm.environment()::equals).isPresent()) {
                return;
            }
        } else {
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Release the maintenance lock of " + vm.environment() + " (\""
                    + l.message() + "\")? Every action can run again.", ButtonType.CANCEL, ButtonType.OK);
            a.initOwner(window.get());
            a.setHeaderText("Unlock " + vm.environment());
            if (a.showAndWait().filter(ButtonType.OK::equals).isEmpty()) {
                return;
            }
        }
        vm.unlock(l, others).whenComplete((v, e) -> ui.execute(() -> {
            if (e != null) {
                error("Not unlocked", e);
            }
        }));
    }

    private void error(String header, Throwable e) {
        Alert a = new Alert(Alert.AlertType.ERROR, Errors.describe(e), ButtonType.OK);
        a.initOwner(window.get());
        a.setHeaderText(header);
        a.show();
    }
}
