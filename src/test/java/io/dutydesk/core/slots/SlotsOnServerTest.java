package io.dutydesk.core.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's one-exec read of the slots (live slot + docker inspect on the server): what its output says. */
class SlotsOnServerTest {
    private final Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
    private final SlotsReader reader = SlotsReader.onServer(env, null,
            Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC));

    private String line(String service, String slot, String state, String health) {
        return SlotsReader.CONTAINER + "id-" + service + slot + "\t/" + env.slots().container(service, slot) + "\tselfology/"
                + service + ":v1.4.0\t" + state + "\t" + health + "\t2026-11-22T02:00:00.123456789Z\t2\t\t";
    }

    @Test
    void theLiveSlotAndEachContainerAsDockerSaysThem() {
        StringBuilder out = new StringBuilder("Active Slot:   green\nsomething else\n\n" + SlotsReader.CONTAINERS + "\n");
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                boolean sick = slot.equals("blue") && service.equals(env.slots().services().get(0));
                out.append(line(service, slot, "running", sick ? "unhealthy" : "healthy")).append('\n');
            }
        }
        SlotsSnapshot s = reader.parseState(new RemoteShell.ExecResult(0, out.toString(), "", Duration.ZERO));
        assertEquals("green", s.liveSlot());
        assertTrue(s.live().allReady());
        assertFalse(s.slot("blue").orElseThrow().allReady(), "blue's first service is unhealthy");
        var c = s.live().services().get(0).container().orElseThrow();
        assertEquals("v1.4.0", c.version());
        assertEquals(2, c.restarts());
        assertEquals(Instant.parse("2026-11-22T02:00:00.123456789Z"), c.startedAt());
        assertEquals(env.slots().container(env.slots().services().get(0), "green"), c.name(), "Docker's leading / dropped");
    }

    @Test
    void aMissingContainerIsMissingNotAnError() {
        String out = "Active Slot: blue\n\n" + SlotsReader.CONTAINERS + "\n";
        SlotsSnapshot s = reader.parseState(new RemoteShell.ExecResult(0, out, "", Duration.ZERO));
        assertEquals("blue", s.liveSlot());
        assertTrue(s.slot("green").orElseThrow().empty());
    }

    @Test
    void dockerNotAnsweringFailsTheReadWithDockersWords() {
        String out = "Active Slot: blue\n\n" + SlotsReader.CONTAINERS + "\n" + SlotsReader.NO_DOCKER
                + " Cannot connect to the Docker daemon at unix:///var/run/docker.sock\n";
        var e = assertThrows(IllegalStateException.class,
                () -> reader.parseState(new RemoteShell.ExecResult(0, out, "", Duration.ZERO)));
        assertTrue(e.getMessage().contains("docker on the server does not answer: Cannot connect"), e.getMessage());
    }

    @Test
    void noLiveSlotInTheOutputFailsAsTheLiveSlotReadFails() {
        String out = "nothing here\n" + SlotsReader.CONTAINERS + "\n";
        var e = assertThrows(IllegalStateException.class,
                () -> reader.parseState(new RemoteShell.ExecResult(3, out, "status: not found", Duration.ZERO)));
        assertTrue(e.getMessage().contains("did not say which slot is live: status: not found"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> reader.parseState(new RemoteShell.ExecResult(255, "", "", Duration.ZERO)), "a cut output");
    }

    @Test
    void containerNamesAreLiteralsInDockersNameFilter() {
        assertEquals("app\\.web-blue", SlotsReader.regexLiteral("app.web-blue"));
        String script = reader.stateScript();
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                assertTrue(script.contains("'name=^/?" + SlotsReader.regexLiteral(env.slots().container(service, slot)) + "$'"), script);
            }
        }
        assertTrue(script.contains("docker inspect --format"), script);
    }
}
