package io.dutydesk.core.deploy;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.Verb;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The confirmation of a single stack's deploy and rollback says what really happens. */
public class SinglePlansTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    public static Environment env() {
        return EnvironmentsFile.parse(Path.of("e.yaml"), """
                environments:
                  life:
                    ssh: { host: lifeos-prod }
                    deploy: { model: single, workdir: /opt/lifeos }
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                    backups:
                      folders: [ /var/backups/lifeos ]
                      kinds:
                        pre-deployment: { pattern: 'lifeos_predeploy_(\\d{8}_\\d{6})\\.sql\\.gz' }
                        rows: { pattern: 'lifeos_rows_(\\d{8}_\\d{6})\\.sql\\.gz' }
                      dataOnlyKinds: [rows]
                      commands: { backup: ./deploy.sh backup }
                """).require("life");
    }

    static ContainerInfo c(String name, String version, String health) {
        return new ContainerInfo("id-" + name, name, "lifeos/app:" + version, "running", health, NOW.minusSeconds(600), 1, Map.of());
    }

    /** {@link #stack} for tests of other packages. */
    public static StackSnapshot stackFor(String version) {
        return stack(version);
    }

    static StackSnapshot stack(String version) {
        return new StackSnapshot("life", "docker-host", NOW, List.of(
                new StackService("app", "lifeos-prod", "lifeos-app-1", Optional.of(c("lifeos-app-1", version, "healthy"))),
                new StackService("worker", "lifeos-prod", "lifeos-worker-1", Optional.of(c("lifeos-worker-1", version, "healthy")))));
    }

    static BackupEntry backup(String name, String kind, Instant taken) {
        return new BackupEntry(name, "/var/backups/lifeos", "/var/backups/lifeos/" + name, kind, 1234, taken, taken, null, Optional.empty());
    }

    @Test
    void aDeploySaysProductionIsReplacedInPlaceAfterABackupNeverAnIdleSlot() {
        Plan p = SinglePlans.deploy(env(), stack("v1.0.0"), "v1.1.0", "outbox pending 3");
        assertEquals(Verb.DEPLOY, p.verb());
        assertEquals("v1.0.0", p.liveBefore());
        assertEquals("v1.1.0", p.target());
        assertEquals("replace production in place: v1.0.0 -> v1.1.0", p.headline());
        String all = p.describe() + " " + p.risk();
        assertTrue(all.contains("production (app, worker on lifeos-prod) is replaced in place"), all);
        assertTrue(all.contains("backs the database up first (into /var/backups/lifeos)"), all);
        assertTrue(all.contains("puts v1.0.0 back itself; the console reports that as FAILED"), all);
        // the wrong confirmation: "deploy v2 to 2 (idle) — 1 stays live — no traffic moves until you switch"
        for (String wrong : List.of("(idle)", "to the idle", "stays live", "traffic", "switch", "live slot")) {
            assertFalse(all.contains(wrong), "'" + wrong + "' in: " + all);
        }
        assertTrue(p.runnable());
    }

    @Test
    void aRollbackSaysWhichRowsAndWhichVersionGoAway() {
        Instant taken = Instant.parse("2026-03-01T10:00:00Z");
        Plan p = SinglePlans.rollback(env(), stack("v1.1.0"), backup("lifeos_predeploy_20260301_100000.sql.gz", "pre-deployment", taken),
                Optional.of("v1.0.0"), Optional.of(new OutboxPort.RowsSince(taken, Optional.of(Instant.parse("2026-03-01T11:59:30Z")), 42)),
                "", true);
        assertEquals(Verb.ROLLBACK, p.verb());
        assertEquals("v1.1.0", p.liveBefore());
        assertEquals("v1.0.0", p.target());
        assertEquals("restore the database from lifeos_predeploy_20260301_100000.sql.gz and go back to v1.0.0", p.headline());
        assertTrue(p.facts().contains("version goes back to v1.0.0 (recorded with the backup, lifeos_predeploy_20260301_100000.sql.gz.version)"), p.facts().toString());
        assertTrue(p.facts().contains("now: 2/2 healthy on v1.1.0; v1.1.0 goes away, v1.0.0 comes back"), p.facts().toString());
        assertTrue(p.facts().contains("LOST: 42 rows of selfology.event_outbox written since the backup (2026-03-01 10:00:00 UTC); "
                + "the newest row of selfology.event_outbox is from 2026-03-01 11:59:30 UTC"), p.facts().toString());
        assertEquals("the live database goes back to 2026-03-01 10:00:00 UTC: 42 outbox rows written since 2026-03-01 10:00:00 UTC "
                + "will be gone (kept in the backup taken first); version v1.1.0 goes away", p.risk());
        assertEquals(Optional.of("life"), p.typedConfirmation(), "a restore of production is typed, not clicked");
        assertTrue(p.runnable());
    }

    @Test
    void aRollbackWithoutASidecarKeepsTheVersionAndSaysSo() {
        Instant taken = Instant.parse("2026-03-01T10:00:00Z");
        Plan p = SinglePlans.rollback(env(), stack("v1.1.0"), backup("lifeos_predeploy_20260301_100000.sql.gz", "pre-deployment", taken),
                Optional.empty(), Optional.empty(), "PostgreSQL down", true);
        assertEquals("v1.1.0", p.target());
        assertEquals("restore the database from lifeos_predeploy_20260301_100000.sql.gz", p.headline());
        assertTrue(p.facts().contains("version recorded with it: unknown (no lifeos_predeploy_20260301_100000.sql.gz.version): the services stay on v1.1.0"));
        assertTrue(p.facts().contains("rows written since the backup: unknown (PostgreSQL down)"), p.facts().toString());
        assertTrue(p.risk().contains("every row written since 2026-03-01 10:00:00 UTC will be gone"), p.risk());
    }

    @Test
    void aDataOnlyBackupOrABadRecordedVersionBlocksTheRollback() {
        Instant taken = Instant.parse("2026-03-01T10:00:00Z");
        Plan rows = SinglePlans.rollback(env(), stack("v1.1.0"), backup("lifeos_rows_20260301_100000.sql.gz", "rows", taken),
                Optional.empty(), Optional.empty(), "x", true);
        assertFalse(rows.runnable());
        assertTrue(rows.blocked().get(0).contains("rows without the schema"), rows.blocked().toString());
        Plan bad = SinglePlans.rollback(env(), stack("v1.1.0"), backup("lifeos_predeploy_20260301_100000.sql.gz", "pre-deployment", taken),
                Optional.of("v1; rm -rf /"), Optional.empty(), "x", true);
        assertFalse(bad.runnable());
    }

    @Test
    void theStackVersionIsOneVersionMixedOrMissing() {
        assertEquals("v1.0.0", stack("v1.0.0").version());
        StackSnapshot mixed = new StackSnapshot("life", "docker-host", NOW, List.of(
                new StackService("app", "h", "lifeos-app-1", Optional.of(c("lifeos-app-1", "v1.0.0", "healthy"))),
                new StackService("worker", "h", "lifeos-worker-1", Optional.of(c("lifeos-worker-1", "v1.1.0", "unhealthy")))));
        assertEquals("mixed", mixed.version());
        assertEquals(List.of("lifeos-worker-1: unhealthy"), mixed.problems());
        StackSnapshot missing = new StackSnapshot("life", "docker-host", NOW, List.of(
                new StackService("app", "h", "lifeos-app-1", Optional.of(c("lifeos-app-1", "v1.0.0", "healthy"))),
                new StackService("worker", "h", "lifeos-worker-1", Optional.empty())));
        assertEquals("missing", missing.version());
        assertFalse(missing.allReady());
    }

    @Test
    void theTeamsHealthCheckIsReadPerService() {
        HealthCheck h = HealthCheck.parse("./deploy.sh health-check", 1, "✅ app: healthy\n❌ worker: unhealthy\nSome services are not healthy\n",
                List.of("app", "worker"));
        assertEquals(List.of(new HealthCheck.ServiceResult("app", true, "healthy"), new HealthCheck.ServiceResult("worker", false, "unhealthy")),
                h.services());
        assertFalse(h.healthy());
        HealthCheck ok = HealthCheck.parse("x", 0, "app: healthy\nworker: OK\n", List.of("app", "worker"));
        assertTrue(ok.healthy(), ok.toString());
        assertFalse(HealthCheck.parse("x", 1, "app: healthy\nworker: healthy\n", List.of("app", "worker")).healthy(), "the exit code decides too");
    }

    /** A release whose deploys from here all failed is blocked (unless forced): it never ran healthy here. */
    @Test
    void aReleaseWhoseDeploysHereAllFailedIsBlocked() {
        io.dutydesk.core.rollout.ReleaseHistory.Release r = new io.dutydesk.core.rollout.ReleaseHistory.Release("v1.6.0", null, "", 0,
                List.of(), true);
        Plan p = SinglePlans.toRelease(env(), stack("v1.5.0"), r, List.of("lifeos/app"), "outbox pending 0", true);
        assertFalse(p.runnable());
        assertTrue(p.blocked().contains("every deploy of v1.6.0 in this console's audit log FAILED: it never ran healthy here (its image "
                + "was left by a failed deploy)"), p.blocked().toString());
        assertTrue(p.forcedCopy().runnable());
        assertTrue(SinglePlans.toRelease(env(), stack("v1.5.0"), r, List.of("lifeos/app"), "outbox pending 0", false).runnable());
    }

    /** Typed by hand ({@code rollback --to}), a release newer than the live one and never deployed here is no rollback. */
    @Test
    void aReleaseNewerThanTheLiveOneIsBlockedAsARollback() {
        io.dutydesk.core.rollout.ReleaseHistory.Release ahead = new io.dutydesk.core.rollout.ReleaseHistory.Release("v4.89041.701", null, "",
                0, List.of(), true, NOW.minusSeconds(7200), true);
        Plan p = SinglePlans.toRelease(env(), stack("v1.0.0"), ahead, List.of("lifeos/app"), "outbox pending 0", false);
        assertFalse(p.runnable());
        assertTrue(p.blocked().contains("v4.89041.701 is newer than the live v1.0.0 and was never deployed here: not an earlier release "
                + "(deploy it instead)"), p.blocked().toString());
    }

    /**
     * The window trial: with the rollback's confirmation open, a service of the stack stopped ("now: 1/2 healthy"). What it
     * stated of the stack's health is part of what was confirmed, as the live version and the target are.
     */
    @Test
    void theStacksHealthChangedSinceThePlanIsAChange() {
        StackSnapshot healthy = stack("v1.0.0");
        StackSnapshot workerDown = new StackSnapshot("life", "docker-host", NOW.plusSeconds(5), List.of(healthy.services().get(0),
                new StackService("worker", "lifeos-prod", "lifeos-worker-1", Optional.of(c("lifeos-worker-1", "v1.0.0", "unhealthy")))));
        io.dutydesk.core.rollout.ReleaseHistory.Release earlier = new io.dutydesk.core.rollout.ReleaseHistory.Release("v0.9.0", null, "",
                0, List.of(), true);
        Plan release = SinglePlans.toRelease(env(), healthy, earlier, List.of("lifeos/app"), "outbox pending 0", false);
        Plan releaseNow = SinglePlans.toRelease(env(), workerDown, earlier, List.of("lifeos/app"), "outbox pending 3", false);
        assertEquals(Optional.of("2/2 healthy"), SinglePlans.healthFact(release));
        assertEquals(Optional.empty(), SinglePlans.changedSince(release,
                SinglePlans.toRelease(env(), healthy, earlier, List.of("lifeos/app"), "outbox pending 3", false)), "the pending count is no change");
        assertEquals(Optional.of("the stack is now 1/2 healthy, not 2/2 healthy"), SinglePlans.changedSince(release, releaseNow));
        assertEquals(Optional.of("the stack is now 2/2 healthy, not 1/2 healthy"), SinglePlans.changedSince(releaseNow, release));
        // another version live is said once, as the version (its health unchanged)
        assertEquals(Optional.of("production runs v1.1.0 now, not v1.0.0"), SinglePlans.changedSince(release,
                SinglePlans.toRelease(env(), stack("v1.1.0"), earlier, List.of("lifeos/app"), "outbox pending 0", false)));
    }
}
