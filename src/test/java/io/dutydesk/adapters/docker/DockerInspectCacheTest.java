package io.dutydesk.adapters.docker;

import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which listed containers a poll inspects again: only what may have changed since their last inspection. */
class DockerInspectCacheTest {
    private static final long SECOND = 1_000_000_000L;
    private final ContainerInfo info = new ContainerInfo("id1", "selfology-api-blue", "selfology/api:v1.4.0", "running", "healthy",
            Instant.parse("2026-11-22T02:00:00Z"), 0, Map.of());

    private static String listed(String state, String status) {
        return state + "\u0000" + status;
    }

    @Test
    void theSameLinesAMomentLaterAreNotInspectedAgain() {
        var before = new DockerAdapter.Inspected(listed("running", "Up 3 hours (healthy)"), info, 100 * SECOND);
        assertFalse(DockerAdapter.needsInspect(before, listed("running", "Up 3 hours (healthy)"), 105 * SECOND));
        assertFalse(DockerAdapter.needsInspect(new DockerAdapter.Inspected(listed("exited", "Exited (1) 2 hours ago"), info, 0),
                listed("exited", "Exited (1) 2 hours ago"), 30 * SECOND));
    }

    @Test
    void anythingThatMayHaveChangedIsInspected() {
        var before = new DockerAdapter.Inspected(listed("running", "Up 3 hours (healthy)"), info, 100 * SECOND);
        assertTrue(DockerAdapter.needsInspect(null, listed("running", "Up 3 hours (healthy)"), 100 * SECOND), "never inspected");
        assertTrue(DockerAdapter.needsInspect(before, listed("running", "Up 3 hours (unhealthy)"), 105 * SECOND), "its health");
        assertTrue(DockerAdapter.needsInspect(before, listed("exited", "Exited (137) 1 second ago"), 105 * SECOND), "stopped");
        assertTrue(DockerAdapter.needsInspect(before, listed("running", "Up 4 hours (healthy)"), 105 * SECOND), "its line's age");
        // restarted between two polls and, by chance, the same words both times: seconds are always read again
        var young = new DockerAdapter.Inspected(listed("running", "Up 5 seconds (health: starting)"), info, 100 * SECOND);
        assertTrue(DockerAdapter.needsInspect(young, listed("running", "Up 5 seconds (health: starting)"), 105 * SECOND));
        assertTrue(DockerAdapter.needsInspect(young, listed("running", "Up Less than a second"), 105 * SECOND));
        // nobody polled for a minute (a hidden pane): read again whatever the list says
        assertTrue(DockerAdapter.needsInspect(before, listed("running", "Up 3 hours (healthy)"), 160 * SECOND));
        assertFalse(DockerAdapter.needsInspect(before, listed("running", "Up 3 hours (healthy)"), 159 * SECOND));
    }
}
