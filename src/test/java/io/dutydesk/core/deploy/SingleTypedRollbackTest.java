package io.dutydesk.core.deploy;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.Test;

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
}
