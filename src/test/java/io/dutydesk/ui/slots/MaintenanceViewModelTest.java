package io.dutydesk.ui.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Slots pane's maintenance line over the real lock scripts in a local sh: another console's lock shows up, with its
 * message. The view-models run on a {@link UiQueue}: one thread, this one, as on the FX thread (with {@code Runnable::run}
 * the slots' poll re-read the lock on its own thread — "reading…", then what it read — while the test read the line).
 */
class MaintenanceViewModelTest {
    @TempDir
    Path tmp;

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final LocalFolderShell server = new LocalFolderShell();
    static final Duration WAIT = Duration.ofSeconds(10);
    final UiQueue ui = new UiQueue();
    final SlotsViewModel slots = new SlotsViewModel(ui, scheduler, Clock.systemDefaultZone());

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            return CompletableFuture.completedFuture(Snapshots.of("blue", "v1", "v2", Set.of(), Set.of()).slots().stream()
                    .flatMap(s -> s.services().stream()).map(ServiceState::container).flatMap(java.util.Optional::stream).toList());
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

    @AfterEach
    void stop() {
        slots.close();
        scheduler.shutdownNow();
    }

    Environment env() {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    poll: { intervalSeconds: 1 }
                    deploy:
                      workdir: %s
                      stateDir: %s
                      liveSlotCommand: "echo 'Active Slot:   blue'"
                """.formatted(tmp, tmp.resolve("state"))).require("ref");
    }

    RolloutService rollout(String actor) {
        Environment env = env();
        SlotsReader reader = new SlotsReader(env, containers, server, Clock.systemUTC());
        return new RolloutService(env, reader, () -> CompletableFuture.completedFuture(java.util.Map.of("pending", 0L)), containers,
                server, MemoryAuditLog.create(), actor, Clock.systemUTC());
    }

    @Test
    void anotherConsolesLockShowsWithItsHolderAndMessageAndTheUnlockClearsIt() {
        Environment env = env();
        RolloutService mine = rollout("me@here");
        slots.attach(new SlotsContext(env, new SlotsReader(env, containers, server, Clock.systemUTC()), mine, containers, MemoryAuditLog.create()));
        MaintenanceViewModel vm = new MaintenanceViewModel(slots, ui, Clock.systemUTC());
        ui.join("the lock read", WAIT, vm.refresh());
        assertEquals("", vm.textProperty().get());
        assertFalse(vm.lockedProperty().get());

        MaintenanceLock theirs = rollout("alice@ws1").maintenance().lock("disk swap until 18:00").join();
        ui.join("the lock read", WAIT, vm.refresh());
        assertTrue(vm.lockedProperty().get());
        assertTrue(vm.textProperty().get().startsWith("LOCKED: ref is locked for maintenance by alice@ws1 since "), vm.textProperty().get());
        assertTrue(vm.textProperty().get().contains("\"disk swap until 18:00\""), vm.textProperty().get());
        assertFalse(vm.lockProperty().get().orElseThrow().heldBy(vm.actor()), "someone else's: the view asks for the typed name");

        vm.unlock(theirs, true).join();
        ui.await("the line clears", WAIT, () -> !vm.lockedProperty().get());
        assertEquals("", vm.textProperty().get());
    }

    @Test
    void aContainerRestartWhichTakesNoServerLockIsRefusedWhileTheMaintenanceLockIsHeld() {
        RolloutService mine = rollout("me@here");
        rollout("alice@ws1").maintenance().lock("disk swap").join();
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                () -> mine.restart("selfology-analysis-worker-blue").join());
        var re = org.junit.jupiter.api.Assertions.assertInstanceOf(io.dutydesk.core.rollout.RolloutException.class, e.getCause());
        assertTrue(re.getMessage().startsWith("ref is locked for maintenance by alice@ws1 since "), re.getMessage());
    }

    @Test
    void aLockThatCannotBeReadSaysSoAndIsNeverShownAsUnlocked() throws IOException {
        Environment env = env();
        // the lock file cannot be read over SFTP (not "no such file": a folder in its place), and the shell's read fails too
        java.nio.file.Files.createDirectories(tmp.resolve("state").resolve("maintenance"));
        server.execute = false; // every command fails
        slots.attach(new SlotsContext(env, new SlotsReader(env, containers, server, Clock.systemUTC()), rollout("me@here"), containers,
                MemoryAuditLog.create()));
        MaintenanceViewModel vm = new MaintenanceViewModel(slots, ui, Clock.systemUTC());
        ui.join("the lock read", WAIT, vm.refresh().handle((l, e) -> null));
        assertTrue(vm.textProperty().get().startsWith("? Maintenance lock unknown: "), vm.textProperty().get());
    }

    @Test
    void noLockFileOverSftpIsUnlockedWithoutRunningACommand() {
        Environment env = env();
        server.execute = false; // a command would fail: the answer must come from the file read alone
        slots.attach(new SlotsContext(env, new SlotsReader(env, containers, server, Clock.systemUTC()), rollout("me@here"), containers,
                MemoryAuditLog.create()));
        MaintenanceViewModel vm = new MaintenanceViewModel(slots, ui, Clock.systemUTC());
        ui.join("the lock read", WAIT, vm.refresh());
        assertFalse(vm.lockedProperty().get());
        assertEquals("", vm.textProperty().get());
        // the slots' own poller (attached above) runs its commands meanwhile, at its own pace: what must not be among the
        // commands is the lock's read by the shell (counting every command raced with that poller)
        String byShell = io.dutydesk.core.rollout.ActionScripts.maintenanceRead(env.deploy().stateDir());
        assertFalse(server.commands.contains(byShell), "no command for the poll's read: " + server.commands);
    }

    /**
     * The line is read again after a lock and an unlock by the ui, as every change of the view-model is made: their answers
     * arrive on the shell's thread, which re-read the lock itself (the view-model's environment and its last read, on two
     * threads at once).
     */
    @Test
    void afterALockAndAnUnlockTheLineIsReadAgainByTheUiNotTheAnswersThread() {
        Environment env = env();
        slots.attach(new SlotsContext(env, new SlotsReader(env, containers, server, Clock.systemUTC()), rollout("me@here"), containers,
                MemoryAuditLog.create()));
        MaintenanceViewModel vm = new MaintenanceViewModel(slots, ui, Clock.systemUTC());
        ui.join("the lock read", WAIT, vm.refresh());
        assertFalse(vm.lockedProperty().get());

        long before = lockReads();
        MaintenanceLock mine = vm.lock("disk swap").join(); // answered on the shell's thread
        assertEquals(before, lockReads(), "not read again before the ui runs: " + server.reads);
        ui.await("the line says the lock", WAIT, () -> vm.lockedProperty().get());

        before = lockReads();
        vm.unlock(mine, false).join();
        assertEquals(before, lockReads(), "not read again before the ui runs: " + server.reads);
        ui.await("the line clears", WAIT, () -> !vm.lockedProperty().get());
    }

    /** The maintenance lock's reads over SFTP (the slots' own reads are of other files). */
    long lockReads() {
        return server.reads.stream().filter(p -> p.endsWith("/maintenance")).count();
    }
}
