package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.PlanChangedException;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: a single stack's rollback confirmation states what it loses ("LOST: 4 rows … written since the backup") and
 * the version it brings back; at the click only the live version was read again, so rows written while the dialog was
 * open were lost without being stated. Now the click plans the same action again from fresh reads and refuses (audited)
 * when anything it stated differs, handing the new statement back to be confirmed again; the open confirmation follows
 * the stack's reads. The detached-action scripts run in a local sh; the team's command never does (the in-lock check finds
 * no such stack here and refuses): "runs" is the job started past the click (audited as started, sent to the server).
 * The view-model runs on a {@link UiQueue}: one thread, this one, as on the FX thread (with {@code Runnable::run} the poll's
 * and the re-plans' threads set the open confirmation's plan and what changed while the test read them).
 */
class SingleConfirmAtClickTest {
    static final String BACKUP = "lifeos_manual_20261201_100000.sql.gz";

    @TempDir
    Path tmp;

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    final UiQueue ui = new UiQueue();
    final LocalFolderShell server = new LocalFolderShell();
    final MemoryAuditLog audit = MemoryAuditLog.create();
    /** Outbox rows written since the backup's time, as the live database would count them now. */
    final AtomicLong rowsSince = new AtomicLong(4);
    /** The worker's health as Docker reports it now. */
    final java.util.concurrent.atomic.AtomicReference<String> workerHealth = new java.util.concurrent.atomic.AtomicReference<>("healthy");
    Path backups;
    Environment env;
    SingleStackViewModel vm;

    @BeforeEach
    void setUp() throws Exception {
        backups = Files.createDirectories(tmp.resolve("lifeos-backups"));
        Files.write(backups.resolve(BACKUP), new byte[] {1});
        Files.writeString(backups.resolve(BACKUP + ".version"), "v1.1.0\n");
        env = EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  life:
                    ssh: { host: 127.0.0.1 }
                    poll: { intervalSeconds: 3600 }
                    deploy:
                      model: single
                      workdir: %s
                      stateDir: %s
                      rollbackTypes:
                        database: ./deploy.sh rollback-type database
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                    backups:
                      folders: [ %s ]
                      kinds:
                        manual: { pattern: 'lifeos_manual_(\\d{8}_\\d{6})\\.sql\\.gz' }
                """.formatted(tmp, tmp.resolve("state"), backups)).require("life");
        vm = new SingleStackViewModel(ui, scheduler, Clock.systemUTC(), audit, "me@ws");
        vm.attach(env, handle());
    }

    @AfterEach
    void stop() {
        vm.detach();
        scheduler.shutdownNow();
    }

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            Instant t = Instant.parse("2026-12-01T12:00:00Z");
            return CompletableFuture.completedFuture(List.of(
                    new ContainerInfo("1", "lifeos-app-1", "lifeos/app:v1.2.0", "running", "healthy", t, 0, Map.of()),
                    new ContainerInfo("2", "lifeos-worker-1", "lifeos/app:v1.2.0", "running", workerHealth.get(), t, 0, Map.of())));
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

    final OutboxPort outbox = new OutboxPort() {
        @Override
        public CompletableFuture<Map<String, Long>> countsByStatus() {
            return CompletableFuture.completedFuture(Map.of("pending", rowsSince.get())); // changes too: never a reason to refuse
        }

        @Override
        public CompletableFuture<RowsSince> rowsSince(Instant since) {
            return CompletableFuture.completedFuture(new RowsSince(since, Optional.of(Instant.parse("2026-12-01T11:58:00Z")
                    .plusSeconds(rowsSince.get())), rowsSince.get()));
        }
    };

    EnvironmentHandle handle() {
        return new EnvironmentHandle() {
            public Environment environment() { return env; }
            public List<BackendProbe> probes() { return List.of(); }
            public RemoteShell shell() { return server; }
            public ContainersPort containers() { return containers; }
            public OutboxPort outbox() { return outbox; }
            public void close() { }
        };
    }

    SingleService service() {
        return vm.service().orElseThrow();
    }

    List<AuditEntry> rollbacks(String result) {
        return audit.entries.stream().filter(e -> e.action().equals("rollback") && e.result().equals(result)).toList();
    }

    /** The refusals at the click (before anything was sent: no action id), not the server's inside its lock. */
    List<AuditEntry> refusedAtClick() {
        return rollbacks(AuditRows.REFUSED).stream().filter(e -> e.actionId() == null).toList();
    }

    /** Whether the job was sent to the server (its start script names the rollback's command). */
    boolean jobSent() {
        return server.commands.stream().anyMatch(c -> c.contains("setsid"));
    }

    /** The run went past the click: started (audited) and sent; it ends (the in-lock check's word here), never refused at the click. */
    void ranPastTheClick(CompletableFuture<?> run) {
        Throwable end = run.handle((r, e) -> e).orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
        assertTrue(!(end != null && Errors.unwrap(end) instanceof PlanChangedException), () -> String.valueOf(end));
        assertEquals(1, rollbacks(AuditRows.STARTED).size(), audit.entries.toString());
    }

    static PlanChangedException refusal(CompletableFuture<?> run) {
        CompletionException e = assertThrows(CompletionException.class, run::join);
        return assertInstanceOf(PlanChangedException.class, Errors.unwrap(e), Errors.describe(e));
    }

    @Test
    void rowsWrittenWhileTheRollbackIsConfirmedRefuseTheClickShowTheNewCountAndAreAudited() {
        SingleService.SinglePlan confirmed = service().planRollback(backups.resolve(BACKUP).toString()).join();
        assertTrue(confirmed.plan().facts().stream().anyMatch(f -> f.startsWith("LOST: 4 rows")), confirmed.plan().facts().toString());

        rowsSince.set(6); // two more rows while the dialog is open
        PlanChangedException r = refusal(vm.run(confirmed));

        assertTrue(r.getMessage().startsWith("state changed since you confirmed: now LOST: 6 rows of "), r.getMessage());
        assertTrue(r.getMessage().contains("nothing was run"), r.getMessage());
        assertTrue(!jobSent(), "nothing was started: " + server.commands);
        assertTrue(rollbacks(AuditRows.STARTED).isEmpty(), audit.entries.toString());
        List<AuditEntry> refused = refusedAtClick();
        assertEquals(1, refused.size(), audit.entries.toString());
        assertTrue(refused.get(0).message().contains("LOST: 6 rows"), refused.get(0).message());
        // the new statement, to confirm again: the count now, shown in the status and handed to the view
        ui.await("the refusal shown", Duration.ofSeconds(10), () -> !vm.runningProperty().get());
        assertTrue(vm.statusProperty().get().contains("LOST: 6 rows"), vm.statusProperty().get());
        SingleService.SinglePlan now = vm.reconfirmProperty().get().orElseThrow();
        assertTrue(now.plan().facts().stream().anyMatch(f -> f.startsWith("LOST: 6 rows")), now.plan().facts().toString());
        assertTrue(now.plan().risk().contains("6 outbox rows written since"), now.plan().risk());

        // confirmed again as it is now, nothing changed since: it runs
        ranPastTheClick(vm.run(now));
        assertTrue(jobSent(), server.commands.toString());
        assertEquals(1, refusedAtClick().size(), audit.entries.toString());
    }

    @Test
    void theTypedDatabaseRollbackIsRefusedWhenMoreRowsWouldBeLost() {
        SingleService.SinglePlan confirmed = service().planType("database").join();
        assertTrue(confirmed.plan().facts().stream().anyMatch(f -> f.startsWith("LOST: 4 rows")), confirmed.plan().facts().toString());
        rowsSince.set(5);
        PlanChangedException r = refusal(vm.run(confirmed));
        assertTrue(r.getMessage().contains("now LOST: 5 rows"), r.getMessage());
        assertTrue(!jobSent(), server.commands.toString());
        assertEquals(1, refusedAtClick().size(), audit.entries.toString());
        assertEquals(List.of("--type", "database"), refusedAtClick().get(0).args());
        assertTrue(r.now().orElseThrow().plan().facts().stream().anyMatch(f -> f.startsWith("LOST: 5 rows")));
    }

    @Test
    void anotherVersionRecordedWithTheBackupOrTheBackupGoneRefusesTheClick() throws Exception {
        SingleService.SinglePlan confirmed = service().planRollback(BACKUP).join();
        assertEquals("v1.1.0", confirmed.plan().target());
        Files.writeString(backups.resolve(BACKUP + ".version"), "v1.0.0\n");
        PlanChangedException r = refusal(vm.run(confirmed));
        assertTrue(r.getMessage().contains("it would bring back v1.0.0, not v1.1.0"), r.getMessage());

        Files.delete(backups.resolve(BACKUP));
        PlanChangedException gone = refusal(vm.run(confirmed));
        assertTrue(gone.getMessage().contains("it can no longer be planned") && gone.getMessage().contains("is not one of the backups"),
                gone.getMessage());
        assertTrue(gone.now().isEmpty());
        assertTrue(!jobSent(), server.commands.toString());
        assertEquals(2, refusedAtClick().size(), audit.entries.toString());
    }

    /** The open confirmation follows the stack's reads: the new count shown, and what changed said (its button disabled). */
    @Test
    void theOpenConfirmationFollowsTheStacksReadsAndSaysWhatChanged() {
        SingleService.SinglePlan confirmed = service().planRollback(BACKUP).join();
        try (SingleStackViewModel.Confirmation open = vm.confirm(confirmed)) {
            assertEquals("", open.changedProperty().get());
            vm.refresh(); // a read that changes nothing it states
            ui.await("a read followed", Duration.ofSeconds(10), () -> open.planProperty().get() != confirmed.plan());
            assertEquals("", open.changedProperty().get());

            rowsSince.set(7);
            vm.refresh();
            ui.await(() -> "the change said: " + open.changedProperty().get(), Duration.ofSeconds(10),
                    () -> open.changedProperty().get().contains("now LOST: 7 rows"));
            assertTrue(open.planProperty().get().facts().stream().anyMatch(f -> f.startsWith("LOST: 7 rows")),
                    open.planProperty().get().facts().toString());
            assertTrue(open.current().plan().risk().contains("7 outbox rows"), open.current().plan().risk());
        }
        assertTrue(!jobSent(), server.commands.toString());
    }

    /**
     * The window trial: with the rollback's confirmation open, {@code docker stop lifeos-worker-1} rewrote "now: 1/2 healthy"
     * but said no change and kept the button enabled (the blue-green one disables it when its target turns unhealthy).
     */
    @Test
    void theOpenConfirmationSaysTheStacksHealthChangedAndTheClickIsRefused() {
        SingleService.SinglePlan confirmed = service().planRollback(BACKUP).join();
        assertTrue(confirmed.plan().facts().stream().anyMatch(f -> f.startsWith("now: 2/2 healthy on v1.2.0")), confirmed.plan().facts().toString());
        try (SingleStackViewModel.Confirmation open = vm.confirm(confirmed)) {
            workerHealth.set("unhealthy");
            vm.refresh();
            ui.await(() -> "the change said: " + open.changedProperty().get(), Duration.ofSeconds(10),
                    () -> open.changedProperty().get().contains("the stack is now 1/2 healthy, not 2/2 healthy"));
            assertTrue(open.planProperty().get().facts().stream().anyMatch(f -> f.startsWith("now: 1/2 healthy")),
                    open.planProperty().get().facts().toString());
        }
        PlanChangedException r = refusal(vm.run(confirmed));
        assertTrue(r.getMessage().contains("the stack is now 1/2 healthy, not 2/2 healthy"), r.getMessage());
        assertTrue(!jobSent(), server.commands.toString());
    }
}
