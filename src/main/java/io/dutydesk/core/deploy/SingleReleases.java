package io.dutydesk.core.deploy;

import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.DeployEngine;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ReleaseHistory;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;

import java.util.List;
import java.util.Optional;

/**
 * The releases of a single stack ({@code deploy.model: single}): {@link ReleaseHistory} read over the engine's stack, the
 * stack being one slot, {@value #SLOT}, always live ("production (live)" runs the version the stack runs).
 */
public final class SingleReleases {
    /** The one slot a single stack is, as the release history names it. */
    public static final String SLOT = "production";

    private SingleReleases() {}

    /** The stack as one live slot named {@value #SLOT}: every instance of every service in it. */
    public static SlotsSnapshot asSlots(StackSnapshot s) {
        List<ServiceState> services = s.services().stream()
                .map(x -> new ServiceState(x.service(), SLOT, x.container(), x.info())).toList();
        return new SlotsSnapshot(s.environment(), s.takenAt(), SLOT, s.engine(), List.of(new SlotState(SLOT, true, services)));
    }

    /** The release history of a single stack: the audit log, the stack as the engine reads it, the images on the host. */
    public static ReleaseHistory history(Environment env, RemoteShell shell, DeployEngine engine, AuditLog audit) {
        return new ReleaseHistory(env, shell, () -> engine.read().thenApply(SingleReleases::asSlots), audit);
    }

    /**
     * The earlier release to go back to: the first of {@link #earlierReleases}, i.e. the one live most recently before
     * the current one.
     */
    public static Optional<ReleaseHistory.Release> earlier(ReleaseHistory.Listing l) {
        return earlierReleases(l).stream().findFirst();
    }

    /**
     * The earlier releases, most recent first (the listing's order: when deployed from this console, else when the image
     * was built; then the version, numerically): every service's image on the host, not what production runs now, not a
     * release only on the host whose image is newer than the live one's (pulled ahead for the next deploy, or left by a
     * test: it was never live before this one), and not one whose deploys from here all failed.
     */
    public static List<ReleaseHistory.Release> earlierReleases(ReleaseHistory.Listing l) {
        // a version whose deploys from here all failed (its image left on the host by a deploy that never became healthy,
        // the script's automatic rollback) is nothing to go back to: never what makes rollback "ready"
        return l.releases().stream().filter(ReleaseHistory.Release::available).filter(r -> !r.live())
                .filter(r -> !r.newerThanLive()).filter(r -> !l.failedHere(r.version())).toList();
    }
}
