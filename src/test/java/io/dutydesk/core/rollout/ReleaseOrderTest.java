package io.dutydesk.core.rollout;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.SingleReadiness;
import io.dutydesk.core.deploy.SingleReleases;
import io.dutydesk.core.deploy.StackService;
import io.dutydesk.core.deploy.StackSnapshot;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.slots.SlotsSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: an "earlier release" is one live before the current one — ordered by when it was deployed (audit log) or,
 * known only from the host, when its image was built; an image newer than the live one's (pulled ahead, left by a test)
 * is never the rollback target; versions compare numerically (v10 above v9), never as text.
 */
class ReleaseOrderTest {
    static final Instant NOW = Instant.parse("2026-12-03T23:00:00Z");
    static final Environment ENV = EnvironmentsFile.parse(Path.of("e.yaml"), "environments:\n  life:\n    ssh: { host: lifeos-prod }\n"
            + "    deploy: { model: single }\n    slots: { services: [app], containerName: 'lifeos-{service}-1' }\n").require("life");

    static SlotsSnapshot stack(String version) {
        ContainerInfo c = new ContainerInfo("id-app", "lifeos-app-1", "lifeos/app:" + version, "running", "healthy", NOW.minusSeconds(600), 0,
                Map.of());
        return SingleReleases.asSlots(new StackSnapshot("life", "docker-host", NOW, List.of(
                new StackService("app", "lifeos-prod", "lifeos-app-1", Optional.of(c)))));
    }

    /** The server's image lines, as {@link ReleaseHistory#imagesScript} prints them (Docker's CreatedAt). */
    static Map<String, Instant> host(String... tagAndCreated) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tagAndCreated.length; i += 2) {
            out.append(ReleaseHistory.IMAGE).append("lifeos/app ").append(tagAndCreated[i]).append(' ').append(tagAndCreated[i + 1]).append('\n');
        }
        return ReleaseHistory.imagesCreated(out.toString());
    }

    static ReleaseHistory.Listing listing(SlotsSnapshot s, Map<String, Instant> images, List<AuditEntry> audit) {
        List<String> repos = ReleaseHistory.repositories(s);
        return new ReleaseHistory.Listing("life", ReleaseHistory.merge(ENV, s, repos, images.keySet(), images, audit), repos, s,
                ReleaseHistory.failedOnly(ENV, audit));
    }

    static AuditEntry deployed(String version, Instant end) {
        return new AuditEntry("20261201-100000-deploy-0a1b2c3d", "me@ws", "life", "deploy", List.of(version), end.minusSeconds(60), end, 0,
                null, "succeeded", "", "", "");
    }

    static List<String> versions(ReleaseHistory.Listing l) {
        return l.releases().stream().map(ReleaseHistory.Release::version).toList();
    }

    /** The window trial's host: live v1.0.0, the release before it v0.9.0, a test run's image built after the live one. */
    @Test
    void anImageNewerThanTheLiveOnesIsNeverTheEarlierReleaseTheOneBuiltBeforeIs() {
        ReleaseHistory.Listing l = listing(stack("v1.0.0"), host(
                "v0.9.0", "2026-11-20 10:00:00 +0000 UTC",
                "v1.0.0", "2026-12-01 10:00:00 +0000 UTC",
                "v4.35046.993", "2026-12-03 22:10:05 +0100 CET"), List.of());
        assertEquals(Optional.of("v0.9.0"), SingleReleases.earlier(l).map(ReleaseHistory.Release::version));
        ReleaseHistory.Release ahead = l.release("v4.35046.993").orElseThrow();
        assertTrue(ahead.newerThanLive());
        assertTrue(ahead.available(), "still listed, as on the host");
        assertEquals(Instant.parse("2026-12-03T21:10:05Z"), ahead.imageCreated());
        assertTrue(ahead.whenText(ZoneOffset.UTC).startsWith("on the host, not deployed here (image built 2026-12-03 21:10"), ahead.whenText(ZoneOffset.UTC));
        assertEquals(List.of("v0.9.0"), SingleReleases.earlierReleases(l).stream().map(ReleaseHistory.Release::version).toList());
        assertEquals("image built 2026-11-20 10:00 Z (not deployed from this console)", l.release("v0.9.0").orElseThrow().whenText(ZoneOffset.UTC));

        SingleReadiness r = SingleReadiness.of(ENV, Optional.empty(), "ssh: refused", Optional.of(l), "", ZoneOffset.UTC, NOW);
        assertEquals(Optional.of("v0.9.0"), r.release());
        assertEquals("Rollback: READY (release v0.9.0); backups unknown (ssh: refused)", r.line());
    }

    /**
     * The window trial on ref-single: tests left extra tags of the live image (all one image, so one creation time). A tie
     * says nothing of which came first: the version decides, so a tag above the live version, never deployed here, is never
     * the rollback target (it was "Rollback: READY (release v4.89041.701)" while v1.0.0 was live); v0.9.0 below it still is.
     */
    @Test
    void extraTagsOfTheLiveImageAboveTheLiveVersionAreNeverEarlierReleases() {
        String built = "2026-12-03 20:00:00 +0000 UTC"; // before the deploys below (NOW is 23:00)
        Map<String, Instant> images = host("v0.9.0", built, "v1.0.0", built, "v3.83298.12", built, "v4.89016.986", built,
                "v4.89041.701", built);
        // deployed by the host's own script (not in this audit log), and deployed from this console: the same answer
        for (List<AuditEntry> audit : List.of(List.<AuditEntry>of(), List.of(deployed("v1.0.0", NOW.minusSeconds(600))))) {
            ReleaseHistory.Listing l = listing(stack("v1.0.0"), images, audit);
            for (String v : List.of("v3.83298.12", "v4.89016.986", "v4.89041.701")) {
                assertTrue(l.release(v).orElseThrow().newerThanLive(), v);
            }
            assertFalse(l.release("v0.9.0").orElseThrow().newerThanLive());
            assertEquals(List.of("v0.9.0"), SingleReleases.earlierReleases(l).stream().map(ReleaseHistory.Release::version).toList());
            SingleReadiness r = SingleReadiness.of(ENV, Optional.empty(), "ssh: refused", Optional.of(l), "", ZoneOffset.UTC, NOW);
            assertEquals("Rollback: READY (release v0.9.0); backups unknown (ssh: refused)", r.line());
        }
        // only v1.0.0 on the host besides the tags above it: nothing to go back to
        ReleaseHistory.Listing none = listing(stack("v1.0.0"), host("v1.0.0", built, "v4.89041.701", built), List.of());
        assertEquals(Optional.empty(), SingleReleases.earlier(none));
        // deployed here before (a roll forward, then back to v1.0.0): a genuinely earlier release, whatever its version
        ReleaseHistory.Listing back = listing(stack("v1.0.0"), images, List.of(deployed("v4.89041.701", NOW.minusSeconds(3600)),
                deployed("v1.0.0", NOW.minusSeconds(600))));
        assertEquals(Optional.of("v4.89041.701"), SingleReleases.earlier(back).map(ReleaseHistory.Release::version));
    }

    /** Without the images' times (an older listing), a version above the live one is still not earlier — compared as numbers. */
    @Test
    void withoutImageTimesAVersionAboveTheLiveOneIsNotEarlierAndV10IsAboveV9() {
        Map<String, Instant> images = new LinkedHashMap<>();
        for (String v : List.of("v9.0.0", "v10.0.0", "v11.0.0", "v100.0.0", "v2.0.0")) {
            images.put("lifeos/app:" + v, null);
        }
        ReleaseHistory.Listing l = listing(stack("v11.0.0"), images, List.of());
        assertEquals(List.of("v100.0.0", "v11.0.0", "v10.0.0", "v9.0.0", "v2.0.0"), versions(l));
        assertTrue(l.release("v100.0.0").orElseThrow().newerThanLive());
        assertFalse(l.release("v10.0.0").orElseThrow().newerThanLive());
        assertEquals(Optional.of("v10.0.0"), SingleReleases.earlier(l).map(ReleaseHistory.Release::version));
    }

    /**
     * Most recent first by when it was live: deploys from this console by their time (a rollback by deploying v1.9.0 after
     * v1.10.0 makes v1.9.0 the latest), a host-only release by its image's time among them.
     */
    @Test
    void releasesAreOrderedByWhenTheyWereDeployedOrTheirImageBuiltNeverByTheirText() {
        Instant t = Instant.parse("2026-11-01T10:00:00Z");
        ReleaseHistory.Listing l = listing(stack("v1.11.0"), host(
                "v1.8.0", "2026-10-01 10:00:00 +0000 UTC",
                "v1.9.0", "2026-10-20 10:00:00 +0000 UTC",
                "v1.10.0", "2026-10-25 10:00:00 +0000 UTC",
                "v1.9.5", "2026-11-10 10:00:00 +0000 UTC",  // built (and deployed elsewhere) after the deploys from here
                "v1.11.0", "2026-11-20 10:00:00 +0000 UTC"),
                List.of(deployed("v1.10.0", t), deployed("v1.9.0", t.plusSeconds(3600)), deployed("v1.11.0", t.plusSeconds(30 * 86400))));
        assertEquals(List.of("v1.11.0", "v1.9.5", "v1.9.0", "v1.10.0", "v1.8.0"), versions(l));
        assertEquals(Optional.of("v1.9.5"), SingleReleases.earlier(l).map(ReleaseHistory.Release::version));
        assertEquals("deployed 2026-11-01 11:00 Z", l.release("v1.9.0").orElseThrow().whenText(ZoneOffset.UTC));
    }

    @Test
    void versionsCompareNumericallyNeverAsText() {
        assertTrue(Versions.compare("v10", "v9") > 0);
        assertTrue(Versions.compare("v1.10.0", "v1.9.3") > 0);
        assertTrue(Versions.compare("v4.35046.993", "v1.0.0") > 0);
        assertTrue(Versions.compare("v0.9.0", "v1.0.0") < 0);
        assertEquals(0, Versions.compare("v1.0.0", "v1.0.0"));
        assertTrue(Versions.compare("v1.0.01", "v1.0.1") != 0, "distinct texts never equal");
    }

    @Test
    void dockersCreatedAtIsReadAndAnUnreadableOneIsUnknown() {
        assertEquals(Instant.parse("2026-12-03T21:10:05Z"), ReleaseHistory.created("2026-12-03 22:10:05 +0100 CET"));
        assertEquals(null, ReleaseHistory.created("3 days ago"));
        assertEquals(null, ReleaseHistory.imagesCreated(ReleaseHistory.IMAGE + "lifeos/app v1\n").get("lifeos/app:v1"));
    }
}
