package io.dutydesk.ui.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.DockerHostEngine;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static io.dutydesk.testing.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A detached action on a single stack that is still running when a new console opens its pane: shown as running, its
 * output followed, its result shown when it ends — over the real detached-action scripts in a local sh. The view-model runs
 * on a {@link UiQueue}: one thread, this one, as on the FX thread (with {@code Runnable::run} the follow's thread added to
 * the log and set the status while the test read them, as in RolloutIT's re-attach).
 */
class SingleReattachTest {
    @TempDir
    Path tmp;

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final UiQueue ui = new UiQueue();
    final LocalFolderShell server = new LocalFolderShell();

    @AfterEach
    void stop() throws Exception {
        Files.writeString(tmp.resolve("go"), ""); // never leave the job waiting
        scheduler.shutdownNow();
    }

    Environment env() {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  life:
                    ssh: { host: 127.0.0.1 }
                    poll: { intervalSeconds: 1 }
                    deploy: { model: single, workdir: %s, stateDir: %s }
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                    backups: false
                """.formatted(tmp, tmp.resolve("state"))).require("life");
    }

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            Instant t = Instant.now().minusSeconds(600);
            return CompletableFuture.completedFuture(List.of(
                    new ContainerInfo("1", "lifeos-app-1", "lifeos/app:v1.1.0", "running", "healthy", t, 0, Map.of()),
                    new ContainerInfo("2", "lifeos-worker-1", "lifeos/app:v1.1.0", "running", "healthy", t, 0, Map.of())));
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            return CompletableFuture.completedFuture(null);
        }
    };

    EnvironmentHandle handle(Environment env) {
        return new EnvironmentHandle() {
            public Environment environment() { return env; }
            public List<BackendProbe> probes() { return List.of(); }
            public RemoteShell shell() { return server; }
            public ContainersPort containers() { return containers; }
            public OutboxPort outbox() { return () -> CompletableFuture.completedFuture(Map.of("pending", 0L)); }
            public void close() { }
        };
    }

    @Test
    void aDeployStillRunningWhenThePaneOpensIsShownRunningFollowedAndItsResultShown() throws Exception {
        Path script = tmp.resolve("deploy.sh");
        Files.writeString(script, "#!/bin/sh\necho \"deploying $3\"\nwhile [ ! -f \"$(dirname \"$0\")/go\" ]; do sleep 0.05; done\n"
                + "echo \"deployed $3\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Environment env = env();

        // another console (or this one before it was closed) started the deploy: it waits on the server for "go"
        MemoryAuditLog theirs = MemoryAuditLog.create();
        SingleService other = new SingleService(env, new DockerHostEngine(env, containers, server, Clock.systemUTC()),
                () -> CompletableFuture.completedFuture(Map.of("pending", 0L)), server,
                () -> CompletableFuture.failedFuture(new IllegalStateException("unused")), theirs, "alice@ws1", Clock.systemUTC());
        CompletableFuture<DetachedActions.Outcome> theirRun = other.runner().run(new DetachedActions.Request("deploy", List.of("v1.1.0"),
                "./deploy.sh deploy production v1.1.0", Optional.empty(), "v1.0.0"), RemoteShell.OutputListener.NONE, s -> { });
        await("the job holds the server lock", Duration.ofSeconds(30), () -> other.runner().current().join().isPresent());

        SingleStackViewModel vm = new SingleStackViewModel(ui, scheduler, Clock.systemUTC(), MemoryAuditLog.create(), "me@ws2");
        vm.attach(env, handle(env));
        ui.await(() -> "shown as running: " + vm.statusProperty().get() + " " + vm.log(), Duration.ofSeconds(20), () -> vm.runningProperty().get());
        // which console of alice's holds it: the process that started the job (here this test's JVM), by its pid and start
        assertTrue(vm.statusProperty().get().startsWith("Re-attached to deploy of v1.1.0 by alice from host ws1 ("),
                vm.statusProperty().get());
        assertTrue(vm.statusProperty().get().contains(", pid " + ProcessHandle.current().pid() + ", started "), vm.statusProperty().get());
        assertTrue(vm.statusProperty().get().contains(" (job "), vm.statusProperty().get());
        assertTrue(vm.log().stream().anyMatch(l -> l.startsWith("— re-attached to deploy of v1.1.0")), vm.log().toString());

        Files.writeString(tmp.resolve("go"), "");
        ui.await(() -> "its end shown: " + vm.statusProperty().get() + " " + vm.log(), Duration.ofSeconds(30), () -> !vm.runningProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("OK: the attached deploy ended with exit 0; production runs 2/2 healthy on v1.1.0"),
                vm.statusProperty().get());
        assertTrue(vm.log().contains("deployed v1.1.0"), "its output followed: " + vm.log());
        assertFalse(theirRun.get(30, java.util.concurrent.TimeUnit.SECONDS).exitCode() != 0);
        vm.detach();
    }
}
