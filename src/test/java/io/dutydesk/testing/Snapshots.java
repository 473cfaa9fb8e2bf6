package io.dutydesk.testing;

import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Slot snapshots as the reader would build them, for pane tests. */
public final class Snapshots {
    public static final List<String> SERVICES = List.of("question-selection", "session-management", "analysis-worker", "outbox-relay");

    /** When every container started: one instant for the run, so two reads of the same state are equal (as Docker's are). */
    private static final Instant STARTED = Instant.now().minusSeconds(3600 * 5 + 60 * 7);

    private Snapshots() {}

    /**
     * A Docker that lists {@link #of}'s containers (live {@code live}, both slots healthy) and serves nothing else: for
     * tests that read the slots and never ask for logs or a restart.
     */
    public static io.dutydesk.core.ports.ContainersPort containers(String live, String liveVersion, String idleVersion) {
        return new io.dutydesk.core.ports.ContainersPort() {
            @Override
            public java.util.concurrent.CompletableFuture<List<ContainerInfo>> containers() {
                return java.util.concurrent.CompletableFuture.completedFuture(of(live, liveVersion, idleVersion, Set.of(), Set.of())
                        .slots().stream().flatMap(s -> s.services().stream()).map(ServiceState::container).flatMap(Optional::stream).toList());
            }

            @Override
            public java.util.concurrent.CompletableFuture<io.dutydesk.core.ports.ContainersPort.LogStream> logs(String c, int t, boolean f,
                    io.dutydesk.core.ports.RemoteShell.OutputListener l) {
                return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("unused"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> restart(String c, java.time.Duration t) {
                return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("unused"));
            }
        };
    }

    /** {@code unhealthy}: "service-slot" names whose container is unhealthy; {@code missing}: slots with no containers. */
    public static SlotsSnapshot of(String live, String liveVersion, String idleVersion, Set<String> unhealthy, Set<String> missing) {
        List<SlotState> slots = new ArrayList<>();
        for (String slot : List.of("blue", "green")) {
            List<ServiceState> svcs = new ArrayList<>();
            for (String s : SERVICES) {
                String name = "selfology-" + s + "-" + slot;
                Optional<ContainerInfo> c = missing.contains(slot) ? Optional.empty()
                        : Optional.of(new ContainerInfo("id-" + name, name,
                        "selfology/service:" + (slot.equals(live) ? liveVersion : idleVersion), "running",
                        unhealthy.contains(s + "-" + slot) ? "unhealthy" : "healthy",
                        STARTED, s.equals("analysis-worker") ? 2 : 0, Map.of()));
                svcs.add(new ServiceState(s, slot, name, c));
            }
            slots.add(new SlotState(slot, slot.equals(live), List.copyOf(svcs)));
        }
        return new SlotsSnapshot("ref", Instant.now(), live, "./deployment/blue-green-deploy.sh status", List.copyOf(slots));
    }
}
