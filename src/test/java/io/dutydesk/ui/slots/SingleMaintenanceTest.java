package io.dutydesk.ui.slots;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maintenance lock on a single stack, over the real lock scripts in a local sh: restart, deploy and rollback refused
 * with the holder, the message and since when, audited as refused; the pane's actions disabled with that in their tooltip.
 * The pane's view-model runs on a {@link UiQueue}: one thread, this one, as on the FX thread (with {@code Runnable::run}
 * the releases' read set the rollback line on its own thread while the test compared it with the line shown).
 */
class SingleMaintenanceTest {
    @TempDir
    Path tmp;

    static final Duration WAIT = Duration.ofSeconds(10);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final UiQueue ui = new UiQueue();
    final LocalFolderShell server = new LocalFolderShell();
    final List<String> restarted = new CopyOnWriteArrayList<>();
    final MemoryAuditLog audit = MemoryAuditLog.create();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    Environment env() {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  life:
                    ssh: { host: 127.0.0.1 }
                    deploy: { model: single, workdir: %s, stateDir: %s }
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                    backups: { folders: [ %s ] }
                """.formatted(tmp, tmp.resolve("state"), tmp.resolve("b"))).require("life");
    }

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            Instant t = Instant.now().minusSeconds(600);
            return CompletableFuture.completedFuture(List.of(
                    new ContainerInfo("1", "lifeos-app-1", "lifeos/app:v1.0.0", "running", "healthy", t, 0, Map.of()),
                    new ContainerInfo("2", "lifeos-worker-1", "lifeos/worker:v1.0.0", "running", "healthy", t, 0, Map.of())));
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            restarted.add(c);
            return CompletableFuture.completedFuture(null);
        }
    };

    EnvironmentHandle handle(Environment env) {
        return handle(env, server);
    }

    EnvironmentHandle handle(Environment env, RemoteShell shell) {
        return new EnvironmentHandle() {
            public Environment environment() { return env; }
            public List<BackendProbe> probes() { return List.of(); }
            public RemoteShell shell() { return shell; }
            public ContainersPort containers() { return containers; }
            public OutboxPort outbox() { return () -> CompletableFuture.completedFuture(Map.of("pending", 0L)); }
            public void close() { }
        };
    }

    SingleService service(String actor) {
        Environment env = env();
        return new SingleService(env, new io.dutydesk.core.deploy.DockerHostEngine(env, containers, server, Clock.systemUTC()),
                () -> CompletableFuture.completedFuture(Map.of("pending", 0L)), server,
                () -> CompletableFuture.failedFuture(new IllegalStateException("unused")), audit, actor, Clock.systemUTC());
    }

    static RolloutException refusal(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(RolloutException.class, io.dutydesk.core.Errors.unwrap(e));
    }

    @Test
    void restartAndDeployAreRefusedWithTheHolderAndMessageAndAuditedAsRefusedAndRunAfterTheUnlock() {
        MaintenanceLock theirs = service("alice@ws1").maintenance().lock("db migration until 18:00").join();
        SingleService mine = service("me@here");

        RolloutException r = refusal(mine.restart(containers, "lifeos-app-1"));
        assertTrue(r.getMessage().startsWith("life is locked for maintenance by alice@ws1 since "), r.getMessage());
        assertTrue(r.getMessage().contains("\"db migration until 18:00\""), r.getMessage());
        assertEquals(List.of(), restarted, "nothing restarted while locked");

        SingleService.SinglePlan deploy = mine.planDeploy("v1.1.0").join();
        RolloutException d = refusal(mine.run(deploy, RemoteShell.OutputListener.NONE, s -> { }));
        assertTrue(d.getMessage().contains("locked for maintenance by alice@ws1"), d.getMessage());
        assertTrue(d.getMessage().contains("\"db migration until 18:00\""), d.getMessage());
        assertFalse(server.commands.stream().anyMatch(c -> c.contains("deploy production v1.1.0") && !c.contains("maintenance")),
                "the team's deploy never ran on its own: " + server.commands);

        List<AuditEntry> refused = audit.entries.stream().filter(e -> AuditRows.REFUSED.equals(e.result())).toList();
        assertEquals(List.of("restart", "deploy"), refused.stream().map(AuditEntry::action).toList(), audit.entries.toString());
        assertTrue(refused.stream().allMatch(e -> e.message().contains("db migration until 18:00")), refused.toString());

        mine.maintenance().unlock(theirs, true).join();
        mine.restart(containers, "lifeos-app-1").join();
        assertEquals(List.of("lifeos-app-1"), restarted, "runs after the unlock");
    }

    @Test
    void thePanesActionsAreDisabledWhileLockedWithTheHolderAndMessageInTheirTooltip() {
        Environment env = env();
        SingleStackViewModel vm = new SingleStackViewModel(ui, scheduler, Clock.systemUTC(), audit, "me@here");
        vm.attach(env, handle(env));
        ui.join("the lock read", WAIT, vm.readLock(vm.service().orElseThrow()));
        assertFalse(vm.lockedProperty().get());
        assertEquals("", vm.actionsHintProperty().get());

        MaintenanceLock theirs = service("alice@ws1").maintenance().lock("disk swap").join();
        ui.join("the lock read", WAIT, vm.readLock(vm.service().orElseThrow()));
        assertTrue(vm.lockedProperty().get());
        assertTrue(vm.lockTextProperty().get().startsWith("LOCKED: life is locked for maintenance by alice@ws1 since "),
                vm.lockTextProperty().get());
        assertTrue(vm.actionsHintProperty().get().startsWith("Refused while life is locked for maintenance by alice@ws1 since "),
                vm.actionsHintProperty().get());
        assertTrue(vm.actionsHintProperty().get().contains("\"disk swap\""), vm.actionsHintProperty().get());
        // the rollback line beside the lock says it (a READY one refused, as the slots' chip; SingleStackViewModelTest)
        assertEquals(SingleStackViewModel.rollbackShown(vm.rollbackProperty().get(), true), vm.rollbackShownProperty().get());
        assertFalse(vm.rollbackShownProperty().get().startsWith("Rollback: READY"), vm.rollbackShownProperty().get());

        vm.unlock(theirs, true).join();
        ui.join("the lock read", WAIT, vm.readLock(vm.service().orElseThrow()));
        assertFalse(vm.lockedProperty().get());
        assertEquals("", vm.actionsHintProperty().get());
        assertEquals(vm.rollbackProperty().get(), vm.rollbackShownProperty().get(), "unlocked: the line as read");
        vm.detach();
    }

    /**
     * The lock answered after the user switched to another environment (the Slots pane detached the stack): it was taken,
     * and the click says so. The re-read of the lock that follows it is the ui's, for the environment shown then: it ran on
     * the answer's thread and read the pane's environment, gone by then (the click failed with a NullPointerException).
     */
    @Test
    void aLockAnsweredAfterTheSwitchToAnotherEnvironmentIsTakenNotFailed() {
        Environment env = env();
        CompletableFuture<Void> answer = new CompletableFuture<>();
        RemoteShell slowLock = new RemoteShell() { // the server answers the lock's command when the test says so
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                return command.contains(io.dutydesk.core.rollout.ActionScripts.LOCKED) && command.contains("maintenance.tmp")
                        ? answer.thenCompose(v -> server.exec(command, timeout, l)) : server.exec(command, timeout, l);
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return server.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return server.list(folder);
            }
        };
        SingleStackViewModel vm = new SingleStackViewModel(ui, scheduler, Clock.systemUTC(), audit, "me@here");
        vm.attach(env, handle(env, slowLock));
        ui.drain();
        CompletableFuture<MaintenanceLock> locked = vm.lock("disk swap");
        vm.detach(); // a blue-green environment is shown now
        answer.complete(null);
        MaintenanceLock l = locked.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        assertEquals("disk swap", l.message());
        ui.drain();
        assertFalse(vm.lockedProperty().get(), "no environment shown: no lock");
        assertTrue(service("alice@ws1").maintenance().read().join().isPresent(), "taken on the server");
    }
}
