package io.dutydesk.core.deploy;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed rollbacks on a single stack: the declared type's own command, audited as --type TYPE; another name refused. */
class SingleTypedRollbackTest {
    static final Environment ENV = EnvironmentsFile.parse(Path.of("e.yaml"), """
            environments:
              life:
                ssh: { host: lifeos-prod }
                deploy:
                  model: single
                  rollbackTypes:
                    deployment: ./deploy.sh rollback-type deployment
                    database: ./deploy.sh rollback-type database
                slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                backups: false
            """).require("life");

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            Instant t = Instant.parse("2026-03-01T12:00:00Z");
            return CompletableFuture.completedFuture(List.of(
                    new ContainerInfo("1", "lifeos-app-1", "lifeos/app:v1.2.0", "running", "healthy", t, 0, Map.of()),
                    new ContainerInfo("2", "lifeos-worker-1", "lifeos/app:v1.2.0", "running", "healthy", t, 0, Map.of())));
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

    SingleService service() {
        LocalFolderShell shell = new LocalFolderShell();
        shell.execute = false;
        return new SingleService(ENV, new DockerHostEngine(ENV, containers, shell, Clock.systemUTC()),
                () -> CompletableFuture.completedFuture(Map.of("pending", 3L)), shell,
                () -> CompletableFuture.failedFuture(new IllegalStateException("unused")), MemoryAuditLog.create(), "me@here", Clock.systemUTC());
    }

    @Test
    void aDeclaredTypeRunsItsOwnCommandOnProductionAndIsAuditedWithItsName() {
        SingleService.SinglePlan sp = service().planType("database").join();
        assertEquals(Optional.of("database"), sp.plan().rollbackType());
        assertEquals(List.of("--type", "database"), sp.plan().auditArgs());
        assertEquals("v1.2.0", sp.plan().liveBefore(), "checked again inside the server lock");
        assertEquals("./deploy.sh rollback-type database", service().command(sp));
        assertTrue(sp.plan().headline().startsWith("rollback of type database on production"), sp.plan().headline());
        assertTrue(sp.plan().facts().contains("outbox pending 3"), sp.plan().facts().toString());
        assertEquals(Optional.of("life"), sp.plan().typedConfirmation());
    }

    @Test
    void anUndeclaredTypeIsRefusedBeforeAnythingRuns() {
        CompletionException e = assertThrows(CompletionException.class, () -> service().planType("everything").join());
        RolloutException r = assertInstanceOf(RolloutException.class, e.getCause());
        assertEquals(RolloutException.Kind.INVALID_INPUT, r.kind());
        assertEquals("'everything' is not a rollback type of life (declared: deployment, database)", r.getMessage());
    }

    @TempDir
    Path tmp;

    /**
     * The database type on a single stack says what it loses, as the blue-green one and the rollback to a backup do: the
     * newest backup (the one the team's command restores) and the outbox rows written since its time. It said only "a
     * database rollback loses the rows written since the backup it restores", naming neither.
     */
    @Test
    void theDatabaseTypeSaysTheNewestBackupAndTheRowsItLoses() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("lifeos-backups"));
        Files.write(dir.resolve("lifeos_predeploy_20261130_100000.sql.gz"), new byte[] {1});
        Files.write(dir.resolve("lifeos_manual_20261201_100000.sql.gz"), new byte[] {1});
        Files.writeString(dir.resolve("lifeos_manual_20261201_100000.sql.gz.version"), "v1.1.0\n");
        Environment env = EnvironmentsFile.parse(tmp.resolve("e.yaml"), """
                environments:
                  life:
                    ssh: { host: lifeos-prod }
                    deploy:
                      model: single
                      rollbackTypes:
                        deployment: ./deploy.sh rollback-type deployment
                        database: ./deploy.sh rollback-type database
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                    backups:
                      folders: [ %s ]
                      kinds:
                        pre-deployment: { pattern: 'lifeos_predeploy_(\\d{8}_\\d{6})\\.sql\\.gz' }
                        manual: { pattern: 'lifeos_manual_(\\d{8}_\\d{6})\\.sql\\.gz' }
                """.formatted(dir)).require("life");
        List<Instant> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.dutydesk.core.ports.OutboxPort outbox = new io.dutydesk.core.ports.OutboxPort() {
            @Override
            public CompletableFuture<Map<String, Long>> countsByStatus() {
                return CompletableFuture.completedFuture(Map.of("pending", 3L));
            }

            @Override
            public CompletableFuture<RowsSince> rowsSince(Instant since) {
                asked.add(since);
                return CompletableFuture.completedFuture(new RowsSince(since, Optional.of(Instant.parse("2026-12-01T11:58:00Z")), 4));
            }
        };
        LocalFolderShell shell = new LocalFolderShell();
        MemoryAuditLog audit = MemoryAuditLog.create();
        io.dutydesk.core.backups.BackupsService backups = new io.dutydesk.core.backups.BackupsService(env, shell,
                io.dutydesk.core.ports.VerificationResults.NONE, audit, "me@here", Clock.systemUTC(), Runnable::run);
        SingleService service = new SingleService(env, new DockerHostEngine(env, containers, shell, Clock.systemUTC()), outbox, shell,
                backups::list, audit, "me@here", Clock.systemUTC());

        io.dutydesk.core.rollout.Plan p = service.planType("database").join().plan();
        assertEquals(List.of(Instant.parse("2026-12-01T10:00:00Z")), asked, "the rows since the newest backup's time");
        String table = env.outbox().table();
        assertTrue(p.facts().contains("the backup it restores: the newest, " + dir + "/lifeos_manual_20261201_100000.sql.gz (manual, taken "
                + "2026-12-01 10:00:00 UTC); version deployed then: v1.1.0 (recorded with the backup)"), p.facts().toString());
        assertTrue(p.facts().contains("LOST: 4 rows of " + table + " written since the backup (2026-12-01 10:00:00 UTC); the newest row of "
                + table + " is from 2026-12-01 11:58:00 UTC"), p.facts().toString());
        assertTrue(p.risk().startsWith("the live database goes back to 2026-12-01 10:00:00 UTC (lifeos_manual_20261201_100000.sql.gz, the "
                + "newest backup, as the team's command restores it): 4 outbox rows written since 2026-12-01 10:00:00 UTC will be gone"), p.risk());
        assertEquals(Optional.of("life"), p.typedConfirmation());

        // the deployment type loses no rows: neither the backups nor the outbox's rows are read
        asked.clear();
        io.dutydesk.core.rollout.Plan dep = service.planType("deployment").join().plan();
        assertTrue(asked.isEmpty());
        assertTrue(dep.facts().stream().noneMatch(f -> f.contains("LOST")), dep.facts().toString());
    }
}
