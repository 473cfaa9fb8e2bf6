package io.dutydesk.ui.slots;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.StackSnapshot;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Slots pane of a single stack: the same per-service detail as a slot, stale instead of empty, rollback readiness. */
class SingleStackViewModelTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /**
     * The "FX thread": what the view-model hands it runs only when the test drains it, on the test's thread. A queue the
     * poll's thread adds to while the test's takes from (an ArrayDeque here before: neither thread-safe nor waited on).
     */
    final UiQueue fx = new UiQueue();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    static Environment env(String deploy) {
        return EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  life:\n    ssh: { host: lifeos-prod }\n" + deploy
                + "    backups: { folders: [ /b ] }\n").require("life");
    }

    static final Environment SINGLE = env("    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n");

    static ContainersPort.ContainerInfo c(String name, String version, String health, int restarts) {
        return new ContainersPort.ContainerInfo("id", name, "lifeos/app:" + version, "running", health, NOW.minusSeconds(3720), restarts, Map.of());
    }

    static EnvironmentHandle handle(Environment env, List<ContainersPort.ContainerInfo> containers) {
        ContainersPort cp = new ContainersPort() {
            @Override
            public CompletableFuture<List<ContainerInfo>> containers() {
                return CompletableFuture.completedFuture(containers);
            }

            @Override
            public CompletableFuture<LogStream> logs(String container, int tail, boolean follow, RemoteShell.OutputListener lines) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException());
            }

            @Override
            public CompletableFuture<Void> restart(String container, Duration stopTimeout) {
                return CompletableFuture.completedFuture(null);
            }
        };
        LocalFolderShell shell = new LocalFolderShell();
        shell.execute = false;
        return new EnvironmentHandle() {
            public Environment environment() { return env; }
            public List<BackendProbe> probes() { return List.of(); }
            public RemoteShell shell() { return shell; }
            public ContainersPort containers() { return cp; }
            public OutboxPort outbox() { return () -> CompletableFuture.completedFuture(Map.of("pending", 0L)); }
            public void close() { }
        };
    }

    SingleStackViewModel vm() {
        return new SingleStackViewModel(fx, scheduler, CLOCK, MemoryAuditLog.create(), "me@test");
    }

    @Test
    void aBlueGreenEnvironmentLeavesThePaneInactive() {
        SingleStackViewModel vm = vm();
        Environment bg = env("");
        vm.attach(bg, handle(bg, List.of()));
        assertFalse(vm.activeProperty().get());
        assertTrue(vm.service().isEmpty());
    }

    @Test
    void theStackShowsEveryServicesDetailAndStaysShownWhenAReadFails() {
        SingleStackViewModel vm = vm();
        EnvironmentHandle h = handle(SINGLE, List.of(c("lifeos-app-1", "v1.2.0", "healthy", 0), c("lifeos-worker-1", "v1.2.0", "unhealthy", 3)));
        vm.attach(SINGLE, h);
        assertTrue(vm.activeProperty().get());
        StackSnapshot read = vm.service().orElseThrow().engine().read().join();
        vm.apply(vm.service().get(), new Snapshot<>(read, NOW, NOW, null, null, 0, 1000));
        assertEquals("PRODUCTION: v1.2.0 — 1/2 healthy", vm.headlineProperty().get());
        assertEquals(List.of(new SingleStackViewModel.Row("app", "lifeos-app-1", "lifeos-prod", "running", "healthy", "v1.2.0", "1h2m", "0"),
                new SingleStackViewModel.Row("worker", "lifeos-worker-1", "lifeos-prod", "running", "unhealthy", "v1.2.0", "1h2m", "3")),
                vm.rows());
        assertEquals(null, vm.problemProperty().get());
        // its last answer at NOW, its first failure 10 s later: named by the last answer, as everywhere (it said the first
        // failure's time as "stale since")
        vm.apply(vm.service().get(), new Snapshot<>(read, NOW.plusSeconds(10), NOW, "ssh: connection refused", NOW.plusSeconds(10), 1, 1001));
        assertEquals(2, vm.rows().size(), "never emptied");
        assertEquals("down; last answer at " + io.dutydesk.ui.fx.Times.since(NOW, CLOCK) + ": ssh: connection refused",
                vm.problemProperty().get());
        assertTrue(vm.problemProperty().get().endsWith(": ssh: connection refused"));
        fx.drain(); // the poller's own (older) snapshots are dropped
        assertEquals(2, vm.rows().size());
        vm.detach();
        assertFalse(vm.activeProperty().get());
    }

    @Test
    void rollbackIsReadyWhenAVerifiedBackupOrAnEarlierReleaseExistsAndSaysWhich() {
        Instant t = NOW.minusSeconds(3600);
        BackupEntry good = new BackupEntry("a.sql.gz", "/b", "/b/a.sql.gz", "full", 1, t, t, null,
                Optional.of(new Verification("/b/a.sql.gz", 1, t, true, "ok", NOW)));
        BackupEntry failed = new BackupEntry("b.sql.gz", "/b", "/b/b.sql.gz", "full", 1, NOW, NOW, null,
                Optional.of(new Verification("/b/b.sql.gz", 1, NOW, false, "truncated", NOW)));
        BackupListing l = new BackupListing("life", List.of(), List.of(good, failed), Optional.empty(), Optional.empty(), 26, true, NOW);
        BackupListing none = new BackupListing("life", List.of(), List.of(failed), Optional.empty(), Optional.empty(), 26, true, NOW);
        io.dutydesk.core.rollout.ReleaseHistory.Release live = new io.dutydesk.core.rollout.ReleaseHistory.Release("v1.2.0", NOW, "me", 1,
                List.of("production (live)"), true);
        io.dutydesk.core.rollout.ReleaseHistory.Release earlier = new io.dutydesk.core.rollout.ReleaseHistory.Release("v1.1.0",
                NOW.minusSeconds(86400), "me", 1, List.of(), true);
        java.util.function.Function<List<io.dutydesk.core.rollout.ReleaseHistory.Release>, io.dutydesk.core.rollout.ReleaseHistory.Listing> rel =
                r -> new io.dutydesk.core.rollout.ReleaseHistory.Listing("life", r, List.of("lifeos/app"),
                        io.dutydesk.core.deploy.SingleReleases.asSlots(new StackSnapshot("life", "docker-host", NOW, List.of())));
        assertEquals("Rollback: READY (backup 11:00 verified (a.sql.gz), release v1.1.0)",
                SingleStackViewModel.readiness(SINGLE, l, rel.apply(List.of(live, earlier)), CLOCK));
        assertEquals("Rollback: READY (backup 11:00 verified (a.sql.gz)); no earlier release on the host",
                SingleStackViewModel.readiness(SINGLE, l, rel.apply(List.of(live)), CLOCK));
        assertEquals("Rollback: READY (release v1.1.0); no backup in /b",
                SingleStackViewModel.readiness(SINGLE, none, rel.apply(List.of(live, earlier)), CLOCK), "an earlier release alone is enough");
        assertEquals("Rollback: NOT READY — no backup in /b, no earlier release on the host",
                SingleStackViewModel.readiness(SINGLE, none, rel.apply(List.of(live)), CLOCK));
        assertEquals("Rollback: unknown — no backup in /b, releases unknown (cannot be read: docker does not answer)",
                SingleStackViewModel.readiness(SINGLE, none, "cannot be read: docker does not answer", CLOCK));
    }

    /**
     * Beside a maintenance lock the single stack's rollback line says the lock as the blue-green slots' chip does
     * ("✖ Rollback refused while locked for maintenance (ready: …)"): never "READY" while every rollback is refused.
     */
    @Test
    void aReadyRollbackIsSaidRefusedWhileTheMaintenanceLockIsHeld() {
        String ready = "Rollback: READY (backup 11:00 verified (a.sql.gz), release v1.1.0)";
        assertEquals(ready, SingleStackViewModel.rollbackShown(ready, false));
        assertEquals("✖ Rollback refused while locked for maintenance (ready: backup 11:00 verified (a.sql.gz), release v1.1.0)",
                SingleStackViewModel.rollbackShown(ready, true));
        assertEquals("✖ Rollback refused while locked for maintenance (ready: release v1.1.0; no backup in /b)",
                SingleStackViewModel.rollbackShown("Rollback: READY (release v1.1.0); no backup in /b", true));
        assertEquals("✖ Rollback refused while locked for maintenance (ready: backup 11:00 verified (a.sql.gz); no earlier release "
                + "on the host)", SingleStackViewModel.rollbackShown("Rollback: READY (backup 11:00 verified (a.sql.gz)); no earlier "
                + "release on the host", true));
        String notReady = "Rollback: NOT READY — no backup in /b, no earlier release on the host";
        assertEquals(notReady, SingleStackViewModel.rollbackShown(notReady, true), "not ready says why, lock or not");
    }

    /**
     * What an action, a health check or the team's logs of one environment answer after the pane switched to another is
     * not shown as the other's: its log, status line and running state stay the shown environment's (the status of A's
     * refused deploy stayed on B's pane, and A's end cleared B's "running").
     */
    @Test
    void answersOfThePreviousEnvironmentNeverShowOnTheNextOne() {
        SingleStackViewModel vm = vm();
        List<ContainersPort.ContainerInfo> up = List.of(c("lifeos-app-1", "v1.2.0", "healthy", 0), c("lifeos-worker-1", "v1.2.0", "healthy", 0));
        vm.attach(SINGLE, handle(SINGLE, up));
        io.dutydesk.core.deploy.StackSnapshot read = vm.service().orElseThrow().engine().read().join();
        Environment other = EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  elsewhere:\n    ssh: { host: x }\n"
                + "    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n"
                + "    backups: { folders: [ /b ] }\n").require("elsewhere");
        // a plan made for another environment: refused at once (audited), its answer queued for the FX thread
        io.dutydesk.core.deploy.SingleService.SinglePlan plan = new io.dutydesk.core.deploy.SingleService.SinglePlan(
                io.dutydesk.core.deploy.SinglePlans.deploy(other, read, "v1.3.0", "outbox pending 0"), Optional.empty());
        vm.run(plan);
        vm.healthCheck(); // fails at once here (the shell runs nothing): its answer queued too
        vm.teamLogs("app");

        Environment next = EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  life2:\n    ssh: { host: lifeos-prod2 }\n"
                + "    deploy: { model: single }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n"
                + "    backups: { folders: [ /b ] }\n").require("life2");
        vm.attach(next, handle(next, up));
        fx.drain();
        assertEquals("No action in this session.", vm.statusProperty().get());
        assertTrue(vm.log().stream().noneMatch(l -> l.contains("health check") || l.contains("logs of app")), vm.log().toString());
        assertFalse(vm.runningProperty().get());
        vm.detach();
    }

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        volatile Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * The rollback chip follows the backups while the pane polls (at most every {@link SingleStackViewModel#ROLLBACK_READ_EVERY}),
     * not only at attach: the window trial's chip said "not verified yet" minutes after the backup had been verified.
     */
    @Test
    void theRollbackChipIsReadAgainWithTheStacksPolls() throws Exception {
        MovingClock clock = new MovingClock();
        SingleStackViewModel vm = new SingleStackViewModel(fx, scheduler, clock, MemoryAuditLog.create(), "me@test");
        EnvironmentHandle h = handle(SINGLE, List.of(c("lifeos-app-1", "v1.2.0", "healthy", 0), c("lifeos-worker-1", "v1.2.0", "healthy", 0)));
        LocalFolderShell server = (LocalFolderShell) h.shell();
        server.listed.put("/b", List.of());
        vm.attach(SINGLE, h);
        fx.await(() -> vm.rollbackProperty().get(), Duration.ofSeconds(10),
                () -> vm.rollbackProperty().get().contains("no backup in /b"));

        // a backup appears on the server (the team's cron, or "Backup now" in the Backups pane)
        server.listed.put("/b", List.of(new RemoteShell.RemoteFile("selfology_full_20260301_115900.sql.gz", 1000, NOW, false)));
        StackSnapshot read = vm.service().orElseThrow().engine().read().join();
        clock.now = NOW.plus(SingleStackViewModel.ROLLBACK_READ_EVERY).plusSeconds(1);
        vm.apply(vm.service().get(), new Snapshot<>(read, clock.now, clock.now, null, null, 0, Long.MAX_VALUE - 1, false));
        fx.await(() -> "the chip names the new backup: " + vm.rollbackProperty().get(), Duration.ofSeconds(10),
                () -> vm.rollbackProperty().get().contains("selfology_full_20260301_115900.sql.gz"));
        vm.detach();
    }
}
