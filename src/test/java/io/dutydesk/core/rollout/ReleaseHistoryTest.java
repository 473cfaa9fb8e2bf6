package io.dutydesk.core.rollout;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.testing.Snapshots;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The releases merged from the audit log, the slots and the host's images; the rollback-to-release and typed plans. */
class ReleaseHistoryTest {
    final Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
    final SlotsSnapshot s = Snapshots.of("blue", "v1.2.0", "v1.1.0", Set.of(), Set.of());
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    static AuditEntry entry(String action, List<String> args, String result, String actor, Instant end, String env) {
        return new AuditEntry("20261201-100000-" + action + "-0a1b2c3d", actor, env, action, args, end.minusSeconds(60), end, 0, null,
                result, "blue", "green", "");
    }

    @Test
    void releasesComeFromTheAuditLogTheSlotsAndTheImagesNewestDeployedFirstWithWhatIsStillOnTheHost() {
        List<AuditEntry> audit = List.of(
                entry("deploy", List.of("v1.0.0"), "succeeded", "alice@ws1", T, "ref"),
                entry("deploy", List.of("v1.1.0"), "succeeded", "bob@ws2", T.plusSeconds(3600), "ref"),
                entry("deploy", List.of("v1.2.0"), "failed", "bob@ws2", T.plusSeconds(7000), "ref"), // failed: not a release
                entry("deploy", List.of("v1.2.0"), "succeeded", "bob@ws2", T.plusSeconds(7200), "ref"),
                entry("rollback", List.of("--to", "v1.0.0"), "succeeded", "carol@ws3", T.plusSeconds(9000), "ref"),
                entry("deploy", List.of("v9.9.9"), "succeeded", "x@y", T, "other")); // another environment
        Set<String> images = Set.of("selfology/service:v1.0.0", "selfology/service:v1.2.0", "selfology/service:v1.1.0",
                "selfology/service:v0.8.0", "selfology/service:latest", "other/image:v5.0.0");
        List<ReleaseHistory.Release> r = ReleaseHistory.merge(env, s, ReleaseHistory.repositories(s), images, audit);
        assertEquals(List.of("v1.0.0", "v1.2.0", "v1.1.0", "v0.8.0"), r.stream().map(ReleaseHistory.Release::version).toList());
        ReleaseHistory.Release v100 = r.get(0);
        assertEquals(T.plusSeconds(9000), v100.lastDeployed());
        assertEquals("carol@ws3", v100.by());
        assertEquals(2, v100.deploys());
        assertTrue(v100.available());
        assertEquals(List.of("blue (live)"), r.get(1).runningIn());
        assertEquals(List.of("green (idle)"), r.get(2).runningIn());
        assertEquals(null, r.get(3).lastDeployed(), "on the host, not deployed by this console");
        assertTrue(r.get(3).available());
    }

    @Test
    void aReleaseIsAvailableOnlyWhenEveryServicesImageIsOnTheHost() {
        List<ReleaseHistory.Release> r = ReleaseHistory.merge(env, s, List.of("selfology/service", "selfology/worker"),
                Set.of("selfology/service:v1.0.0", "selfology/service:v1.1.0", "selfology/worker:v1.1.0"),
                List.of(entry("deploy", List.of("v1.0.0"), "succeeded", "a@b", T, "ref")));
        assertFalse(r.stream().filter(x -> x.version().equals("v1.0.0")).findFirst().orElseThrow().available());
        assertTrue(r.stream().filter(x -> x.version().equals("v1.1.0")).findFirst().orElseThrow().available());
    }

    @Test
    void imagesAreReadFromTheServersLinesAndRepositoriesFromTheContainersImages() {
        assertEquals(Set.of("selfology/service:v1.0.0", "registry:5000/a/b:v2"), ReleaseHistory.images(
                ReleaseHistory.IMAGE + "selfology/service v1.0.0\n" + ReleaseHistory.IMAGE + "selfology/service <none>\n"
                        + ReleaseHistory.IMAGE + "registry:5000/a/b v2\nnoise\n"));
        assertEquals("registry:5000/a/b", ReleaseHistory.repository("registry:5000/a/b:v2"));
        assertEquals("registry:5000/a/b", ReleaseHistory.repository("registry:5000/a/b"));
        assertEquals("a/b", ReleaseHistory.repository("a/b@sha256:00"));
    }

    @Test
    void theImageCheckInsideTheLockQuotesTheVersion() {
        String c = ReleaseHistory.imagePresent(env, List.of("selfology/service"), "v1.0.0';touch x;'").command();
        assertTrue(c.contains("docker image inspect 'selfology/service:v1.0.0'\"'\"';touch x;'\"'\"''"), c);
    }

    @Test
    void aRollbackToAReleaseSaysWhatGoesAwayAndIsBlockedForTheLiveVersion() {
        Plan p = RolloutRules.decideRelease("v1.0.0", List.of("selfology/service"), false, s, "outbox pending 3");
        assertEquals("roll back to v1.0.0: deploy to green, then traffic blue -> green", p.headline());
        assertTrue(p.risk().startsWith("goes away: v1.1.0 in green (replaced by v1.0.0"), p.risk());
        assertTrue(p.facts().contains("blue (v1.2.0) keeps running as the way back"), p.facts().toString());
        assertEquals(List.of("--to", "v1.0.0"), p.auditArgs());
        assertTrue(p.blocked().isEmpty());
        assertFalse(RolloutRules.checksTarget(p), "the idle slot is replaced: its health is not what was confirmed");
        Plan live = RolloutRules.decideRelease("v1.2.0", List.of("selfology/service"), false, s, "outbox pending 3");
        assertEquals(List.of("v1.2.0 is what the live slot blue runs already: nothing to roll back to"), live.blocked());
    }

    @Test
    void aDatabaseRollbackTypeSaysTheRowsWrittenSinceAreLostAndAsksForTheEnvironmentsName() {
        Plan db = RolloutRules.decideType("database", "./scripts/rollback.sh -e production -t database", false, s, "outbox pending 3");
        assertTrue(db.risk().contains("every row written since it is lost"), db.risk());
        assertEquals(Optional.of("ref"), db.typedConfirmation());
        assertEquals(List.of("--type", "database"), db.auditArgs());
        Plan dep = RolloutRules.decideType("deployment", "./scripts/rollback.sh -e production -t deployment", false, s, "p");
        assertEquals(Optional.empty(), dep.typedConfirmation());
        assertTrue(dep.risk().contains("v1.2.0"), dep.risk());
    }
}
