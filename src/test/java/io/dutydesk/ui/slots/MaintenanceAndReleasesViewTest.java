package io.dutydesk.ui.slots;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.ui.fx.FxThread;
import io.dutydesk.ui.fx.Theme;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Slots pane's Maintenance menu and Releases dialog on Monocle, over the real lock scripts in a local sh (the server),
 * fakes of Docker and the outbox, and an audit log in memory. Every node is looked up and read on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class MaintenanceAndReleasesViewTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final LocalFolderShell local = new LocalFolderShell();
    final MemoryAuditLog audit = MemoryAuditLog.create();
    SlotsViewModel vm;
    Scene scene;
    Environment env;

    /** The host's images: what `docker image ls` answers on the server (every other command runs in the local sh). */
    final RemoteShell server = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            if (command.contains("docker image ls")) {
                String out = String.join("\n", List.of("v1.4.2", "v1.3.0", "v1.2.0").stream()
                        .map(v -> "@@DUTYDESK-IMAGE selfology/service " + v).toList()) + "\n";
                return CompletableFuture.completedFuture(new ExecResult(0, out, "", Duration.ZERO));
            }
            return local.exec(command, timeout, l);
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return local.readFile(path, maxBytes);
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return local.list(folder);
        }
    };

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            return CompletableFuture.completedFuture(Snapshots.of("blue", "v1.4.2", "v1.3.0", Set.of(), Set.of()).slots().stream()
                    .flatMap(s -> s.services().stream()).map(ServiceState::container).flatMap(Optional::stream).toList());
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }
    };

    final OutboxPort outbox = new OutboxPort() {
        @Override
        public CompletableFuture<Map<String, Long>> countsByStatus() {
            return CompletableFuture.completedFuture(Map.of("pending", 2L));
        }

        @Override
        public CompletableFuture<RowsSince> rowsSince(Instant since) {
            return CompletableFuture.completedFuture(new RowsSince(since, Optional.of(Instant.parse("2026-12-01T11:30:00Z")), 5));
        }
    };

    static AuditEntry deploy(String version, String actor, Instant end) {
        return new AuditEntry("20261201-100000-deploy-0a1b2c3d", actor, "ref", "deploy", List.of(version), end.minusSeconds(60), end, 0,
                null, "succeeded", "blue", "blue", "");
    }

    @Start
    void start(Stage stage) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("case-" + System.nanoTime()));
        Path backups = Files.createDirectories(dir.resolve("backups"));
        Files.write(backups.resolve("selfology_full_20261201_100000.sql.gz"), new byte[] {1});
        env = EnvironmentsFile.parse(dir.resolve("environments.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    poll: { intervalSeconds: 1 }
                    backups:
                      folders: [ %s ]
                    deploy:
                      workdir: %s
                      stateDir: %s
                      liveSlotCommand: "echo 'Active Slot:   blue'"
                      rollbackTypes:
                        database: ./scripts/rollback.sh -e production -t database
                """.formatted(backups, dir, dir.resolve("state"))).require("ref");
        // from the audit log: v1.1.0, whose image is gone from the host; v1.3.0 deployed by alice
        audit.append(deploy("v1.1.0", "bob@ws2", Instant.parse("2026-11-20T09:00:00Z"))).join();
        audit.append(deploy("v1.3.0", "alice@ws1", Instant.parse("2026-11-25T09:00:00Z"))).join();
        audit.append(deploy("v1.4.2", "alice@ws1", Instant.parse("2026-11-30T09:00:00Z"))).join();
        vm = new SlotsViewModel(FxThread.INSTANCE, scheduler, Clock.systemDefaultZone());
        SlotsReader reader = new SlotsReader(env, containers, server, Clock.systemUTC());
        vm.attach(new SlotsContext(env, reader, new RolloutService(env, reader, outbox, containers, server, audit, "me@here",
                Clock.systemUTC()), containers, audit));
        scene = new Scene(new javafx.scene.layout.StackPane(new SlotsView(vm, FxThread.INSTANCE).root()), 1090, 640);
        Theme.apply(scene, false);
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            for (Window w : new ArrayList<>(Window.getWindows())) {
                if (w != scene.getWindow() && w instanceof Stage s) {
                    s.close();
                }
            }
        }).get();
        vm.close();
        scheduler.shutdownNow();
    }

    static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The first node matching {@code selector} in any open window, looked up on the FX thread. */
    static Optional<Node> find(String selector) {
        return fx(() -> {
            for (Window w : new ArrayList<>(Window.getWindows())) {
                if (w.isShowing() && w.getScene() != null) {
                    Node n = w.getScene().getRoot().lookup(selector);
                    if (n != null) {
                        return Optional.of(n);
                    }
                }
            }
            return Optional.<Node>empty();
        });
    }

    static Node shown(String what, String selector) {
        await(what, WAIT, () -> find(selector).isPresent());
        return find(selector).orElseThrow();
    }

    /** Every label's text in the window showing {@code selector}, read on the FX thread. */
    static List<String> labels(String selector) {
        return fx(() -> {
            Node root = find(selector).orElseThrow().getScene().getRoot();
            List<String> out = new ArrayList<>();
            for (Node n : root.lookupAll(".label")) {
                if (n instanceof Label l && l.getText() != null) {
                    out.add(l.getText());
                }
            }
            return out;
        });
    }

    /** Fires the Maintenance menu's item: later on the FX thread (its dialogs wait there for an answer). */
    void menu(String id) {
        MenuItem item = fx(() -> ((MenuButton) scene.lookup("#maintenance-menu")).getItems().stream()
                .filter(i -> id.equals(i.getId())).findFirst().orElseThrow());
        assertFalse(fx(item::isDisable), id + " is enabled");
        Platform.runLater(item::fire);
    }

    String stateText() {
        return fx(() -> {
            Label l = (Label) scene.lookup("#maintenance-state");
            return l.isVisible() ? l.getText() : "";
        });
    }

    String rollbackChip() {
        return fx(() -> ((Label) scene.lookup("#rollback-badge")).getText());
    }

    @Test
    void lockWithAMessageShowsHolderMessageAndSinceAndUnlockAsksFirst() throws Exception {
        await("the pane read the slots", WAIT, () -> fx(() -> ((Label) scene.lookup("#live-badge")).getText()).equals("LIVE: BLUE"));
        assertEquals("", stateText(), "no lock yet: no line");
        await("the rollback is ready", WAIT, () -> rollbackChip().startsWith("✔ Rollback ready"));
        menu("action-lock");
        TextField message = (TextField) shown("the message asked", "#maintenance-message");
        fx(() -> {
            message.setText("disk swap until 18:00");
            DialogPane pane = (DialogPane) message.getScene().getRoot();
            ((Button) pane.lookupButton(ButtonType.OK)).fire();
            return null;
        });
        await(() -> "the line says who, why and since when: " + stateText(), WAIT, () -> !stateText().isEmpty());
        String text = stateText();
        assertTrue(text.startsWith("LOCKED: ref is locked for maintenance by me@here since "), text);
        assertTrue(text.contains("\"disk swap until 18:00\""), text);
        assertTrue(Files.exists(env.deploy().stateDir().startsWith("/") ? Path.of(env.deploy().stateDir(), "maintenance")
                : Path.of("/nonexistent")), "the lock is the server's file");
        MenuItem lock = fx(() -> ((MenuButton) scene.lookup("#maintenance-menu")).getItems().get(0));
        assertTrue(fx(lock::isDisable), "locked: Lock… is off until unlocked");
        // never a green "ready" beside the lock: the rollback is refused while it is held
        await(() -> "the rollback chip: " + rollbackChip(), WAIT, () -> rollbackChip().startsWith("✖ Rollback refused while locked for maintenance (ready: "));
        assertTrue(fx(() -> scene.lookup("#rollback-badge").getStyleClass().contains("not-ready")));

        // unlock: asked first; Cancel keeps the lock
        menu("action-unlock");
        await("the unlock confirmation", WAIT, () -> fx(() -> Window.getWindows().stream().anyMatch(w -> w.getScene() != null
                && w.getScene().getRoot() instanceof DialogPane p && "Unlock ref".equals(p.getHeaderText()))));
        DialogPane confirm = fx(() -> Window.getWindows().stream().map(w -> w.getScene().getRoot()).filter(r -> r instanceof DialogPane p
                && "Unlock ref".equals(p.getHeaderText())).map(DialogPane.class::cast).findFirst().orElseThrow());
        assertTrue(fx(confirm::getContentText).contains("Release the maintenance lock of ref (\"disk swap until 18:00\")?"));
        Window confirmWindow = fx(() -> confirm.getScene().getWindow());
        fx(() -> {
            ((Button) confirm.lookupButton(ButtonType.CANCEL)).fire();
            return null;
        });
        await("the confirmation closed", WAIT, () -> !fx(confirmWindow::isShowing));
        assertTrue(stateText().startsWith("LOCKED: "), "cancelled: still locked");

        menu("action-unlock");
        await("asked again", WAIT, () -> fx(() -> Window.getWindows().stream().anyMatch(w -> w.isShowing() && w.getScene() != null
                && w.getScene().getRoot() instanceof DialogPane p && "Unlock ref".equals(p.getHeaderText()))));
        fx(() -> {
            DialogPane p = Window.getWindows().stream().filter(Window::isShowing).map(w -> w.getScene().getRoot())
                    .filter(r -> r instanceof DialogPane d && "Unlock ref".equals(d.getHeaderText())).map(DialogPane.class::cast)
                    .findFirst().orElseThrow();
            ((Button) p.lookupButton(ButtonType.OK)).fire();
            return null;
        });
        await(() -> "the line clears: " + stateText(), WAIT, () -> stateText().isEmpty());
        await(() -> "ready again: " + rollbackChip(), WAIT, () -> rollbackChip().startsWith("✔ Rollback ready"));
        assertFalse(Files.exists(Path.of(env.deploy().stateDir(), "maintenance")), "released on the server");
    }

    @Test
    void theReleasesListWhatIsOnTheHostAndPickingOneConfirmsWithTheVersionThatGoesAway() throws Exception {
        await("the pane read the slots", WAIT, () -> fx(() -> ((Label) scene.lookup("#live-badge")).getText()).equals("LIVE: BLUE"));
        menu("action-releases");
        @SuppressWarnings("unchecked")
        TableView<io.dutydesk.core.rollout.ReleaseHistory.Release> table =
                (TableView<io.dutydesk.core.rollout.ReleaseHistory.Release>) shown("the releases", "#releases-table");
        await("read", WAIT, () -> fx(() -> table.getItems().size()) >= 4);
        Map<String, String> rows = fx(() -> {
            Map<String, String> out = new java.util.TreeMap<>();
            for (var r : table.getItems()) {
                out.put(r.version(), (r.available() ? "on the host" : "gone") + (r.live() ? ", live" : "") + ", by " + r.by());
            }
            return out;
        });
        assertEquals("on the host, live, by alice@ws1", rows.get("v1.4.2"), rows.toString());
        assertEquals("on the host, by alice@ws1", rows.get("v1.3.0"), rows.toString());
        assertTrue(rows.get("v1.2.0").startsWith("on the host"), rows.toString());
        assertEquals("gone, by bob@ws2", rows.get("v1.1.0"), rows.toString());
        Button to = (Button) find("#action-rollback-to").orElseThrow();
        // a release whose image is gone, or the live one, cannot be picked
        for (String v : List.of("v1.1.0", "v1.4.2")) {
            assertTrue(fx(() -> {
                table.getSelectionModel().select(table.getItems().stream().filter(r -> r.version().equals(v)).findFirst().orElseThrow());
                return to.isDisabled();
            }), v);
        }
        assertFalse(fx(() -> {
            table.getSelectionModel().select(table.getItems().stream().filter(r -> r.version().equals("v1.2.0")).findFirst().orElseThrow());
            return to.isDisabled();
        }));
        fx(() -> {
            to.fire();
            return null;
        });
        shown("the rollback's confirmation", "#confirm-dialog");
        await(() -> "the plan read: " + labels("#confirm-dialog"), WAIT,
                () -> labels("#confirm-dialog").stream().anyMatch(t -> t.contains("deploy v1.2.0 to green")));
        List<String> said = labels("#confirm-dialog");
        assertTrue(said.stream().anyMatch(t -> t.contains("1. deploy v1.2.0 to green (idle): replaces v1.3.0 there")), said.toString());
        assertTrue(said.stream().anyMatch(t -> t.startsWith("Risk: goes away: v1.3.0 in green (replaced by v1.2.0")), said.toString());
        int commands = local.commands.size();
        fx(() -> {
            DialogPane p = (DialogPane) find("#confirm-dialog").orElseThrow();
            ((Button) p.lookupButton(ButtonType.CANCEL)).fire();
            return null;
        });
        await("closed", WAIT, () -> find("#confirm-dialog").isEmpty());
        assertTrue(local.commands.subList(commands, local.commands.size()).stream().noneMatch(c -> c.contains("setsid")),
                "cancelled: no job started");
    }

    @Test
    void theDatabaseTypeConfirmationSaysTheRowsWrittenSinceTheNewestBackup() {
        await("the pane read the slots", WAIT, () -> fx(() -> ((Label) scene.lookup("#live-badge")).getText()).equals("LIVE: BLUE"));
        menu("action-releases");
        Button db = (Button) shown("the database type", "#action-rollback-type-database");
        fx(() -> {
            db.fire();
            return null;
        });
        shown("the confirmation", "#confirm-dialog");
        await(() -> "the plan read: " + labels("#confirm-dialog"), WAIT,
                () -> labels("#confirm-dialog").stream().anyMatch(t -> t.contains("LOST: 5 rows")));
        List<String> said = labels("#confirm-dialog");
        String table = env.outbox().table();
        assertTrue(said.stream().anyMatch(t -> t.contains("LOST: 5 rows of " + table + " written since the backup (2026-12-01 10:00:00 UTC)")),
                said.toString());
        assertTrue(said.stream().anyMatch(t -> t.contains("5 outbox rows written since 2026-12-01 10:00:00 UTC will be gone")), said.toString());
        fx(() -> {
            DialogPane p = (DialogPane) find("#confirm-dialog").orElseThrow();
            ((Button) p.lookupButton(ButtonType.CANCEL)).fire();
            return null;
        });
    }
}
