package io.dutydesk.core.rollout;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A blue-green environment's database rollback type ({@code rollback --type database}) says what it loses as the single
 * stack's rollback to a backup does: the newest backup it goes back to, and the outbox rows written since its time.
 */
class DatabaseTypeLossTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final Instant NEWEST_ROW = Instant.parse("2026-12-01T11:58:00Z");

    @TempDir
    Path tmp;

    final LocalFolderShell server = new LocalFolderShell();
    final List<Instant> asked = new CopyOnWriteArrayList<>();
    volatile boolean outboxDown;

    final ContainersPort containers = Snapshots.containers("blue", "v1", "v2");

    final OutboxPort outbox = new OutboxPort() {
        @Override
        public CompletableFuture<Map<String, Long>> countsByStatus() {
            return CompletableFuture.completedFuture(Map.of("pending", 3L));
        }

        @Override
        public CompletableFuture<RowsSince> rowsSince(Instant since) {
            asked.add(since);
            return outboxDown ? CompletableFuture.failedFuture(new IOException("PostgreSQL: connection refused"))
                    : CompletableFuture.completedFuture(new RowsSince(since, Optional.of(NEWEST_ROW), 3));
        }
    };

    Environment env(Path backups) {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %s
                      stateDir: %s
                      liveSlotCommand: "echo 'Active Slot:   blue'"
                      rollbackTypes:
                        database: ./scripts/rollback.sh -e production -t database
                        deployment: ./scripts/rollback.sh -e production -t deployment
                    backups:
                      folders: [ %s ]
                      kinds:
                        full: { pattern: 'db_full_(\\d{8}_\\d{6})\\.sql\\.gz' }
                        incremental: { pattern: 'db_incr_(\\d{8}_\\d{6})\\.sql\\.gz' }
                """.formatted(tmp, tmp.resolve("state"), backups)).require("ref");
    }

    RolloutService service(Environment env) {
        return new RolloutService(env, new SlotsReader(env, containers, server, Clock.systemUTC()), outbox, containers, server,
                MemoryAuditLog.create(), "me@here", Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void theDatabaseTypeSaysTheNewestBackupAndTheRowsWrittenSinceIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("backups"));
        Files.write(dir.resolve("db_full_20261130_100000.sql.gz"), new byte[] {1});
        Files.write(dir.resolve("db_full_20261201_100000.sql.gz"), new byte[] {1});
        Files.writeString(dir.resolve("db_full_20261201_100000.sql.gz.version"), "v1.4.0\n");
        Files.write(dir.resolve("db_incr_20261201_110000.sql.gz"), new byte[] {1}); // data only: never what such a command restores
        RolloutService s = service(env(dir));

        Plan p = s.planType("database", false).join();
        assertEquals(List.of(Instant.parse("2026-12-01T10:00:00Z")), asked, "the rows since the newest full backup's time");
        String table = env(dir).outbox().table();
        assertTrue(p.facts().contains("the backup it restores: the newest, " + dir + "/db_full_20261201_100000.sql.gz (full, taken "
                + "2026-12-01 10:00:00 UTC); version deployed then: v1.4.0 (recorded with the backup)"), p.facts().toString());
        assertTrue(p.facts().contains("LOST: 3 rows of " + table + " written since the backup (2026-12-01 10:00:00 UTC); the newest row of "
                + table + " is from 2026-12-01 11:58:00 UTC"), p.facts().toString());
        assertEquals("the live database goes back to 2026-12-01 10:00:00 UTC (db_full_20261201_100000.sql.gz, the newest backup, as the "
                + "team's command restores it): 3 outbox rows written since 2026-12-01 10:00:00 UTC will be gone", p.risk());
        assertEquals(Optional.of("ref"), p.typedConfirmation());

        // an open confirmation follows the slots: what the database loses stays said
        Plan again = RolloutRules.redecide(p, Snapshots.of("blue", "v1", "v2", Set.of(), Set.of()), "outbox pending 4",
                "./scripts/rollback.sh -e production -t database");
        assertEquals(p.risk(), again.risk());
        assertTrue(again.facts().containsAll(p.facts().subList(3, p.facts().size())), again.facts().toString());
        assertTrue(again.facts().contains("outbox pending 4"), again.facts().toString());

        // the deployment type loses no rows and reads neither backups nor the outbox's rows
        asked.clear();
        Plan dep = s.planType("deployment", false).join();
        assertTrue(asked.isEmpty());
        assertTrue(dep.facts().stream().noneMatch(f -> f.contains("LOST")), dep.facts().toString());
    }

    @Test
    void whatCannotBeReadIsSaidUnknownNeverNone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("b2"));
        Files.write(dir.resolve("db_full_20261201_100000.sql.gz"), new byte[] {1});
        outboxDown = true;
        Plan p = service(env(dir)).planType("database", false).join();
        assertTrue(p.facts().contains("rows written since the backup: unknown (PostgreSQL: connection refused)"), p.facts().toString());
        assertTrue(p.risk().endsWith("every row written since 2026-12-01 10:00:00 UTC will be gone"), p.risk());

        Path empty = Files.createDirectories(tmp.resolve("b3"));
        Plan none = service(env(empty)).planType("database", false).join();
        assertTrue(none.facts().contains("the backup it restores: unknown (no backup listed in " + empty + ")"), none.facts().toString());
        assertTrue(none.risk().contains("every row written since it is lost"), none.risk());
    }
}
