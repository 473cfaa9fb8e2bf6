package io.dutydesk.it;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.app.Connector;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runbook's per-container fixes through docker-java over the SSH tunnel: logs, follow, restart. */
class ContainersIT {
    @TempDir
    Path tmp;

    @Test
    void tailFollowAndAnAuditedRestart() throws Exception {
        Environment env = RefHost.ref();
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            Clock clock = Clock.systemUTC();
            SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), clock);
            JsonlAuditLog audit = new JsonlAuditLog(tmp.resolve("audit.jsonl"));
            RolloutService rollout = new RolloutService(env, reader, h.outbox(), h.containers(), h.shell(), audit, "it@test", clock);
            SlotsSnapshot s = reader.read().join();
            String name = env.slots().container("session-management", s.liveSlot());
            ContainerInfo before = h.containers().containers().join().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
            assertEquals("healthy", before.health());
            // the slots' filtered read, twice: the second answers from its inspections (nothing changed) with the same facts
            ContainerInfo viaSelection = bySelection(h, reader, name);
            assertEquals(before.startedAt(), viaSelection.startedAt());
            assertEquals(viaSelection, bySelection(h, reader, name));

            // the last lines only: once the health checks have logged a few, tail 3 gives exactly those
            List<String> tail = Collections.synchronizedList(new ArrayList<>());
            Eventually.await(() -> " tail: " + tail, Duration.ofSeconds(20), () -> {
                tail.clear();
                h.containers().logs(name, 3, false, (stderr, line) -> tail.add(line)).join();
                return tail.size() == 3 && tail.stream().allMatch(l -> l.matches("\\S+Z GET /(health|metrics) \\d{3}"));
            });
            List<String> all = Collections.synchronizedList(new ArrayList<>());
            h.containers().logs(name, 100_000, false, (stderr, line) -> all.add(line)).join();
            assertTrue(all.get(0).contains("session-management-" + s.liveSlot() + " version"), all.get(0));

            // follow: new lines (the health checks' access log, every 2 s) arrive as they are written
            List<String> followed = Collections.synchronizedList(new ArrayList<>());
            var stream = h.containers().logs(name, 0, true, (stderr, line) -> followed.add(line)).join();
            try {
                Eventually.await(() -> " followed: " + followed, Duration.ofSeconds(20),
                        () -> followed.stream().anyMatch(l -> l.contains("GET /health 200")));
            } finally {
                // left open across the restart: Docker ends a followed stream when the container stops
            }
            long t0 = System.nanoTime();
            rollout.restart(name).join();
            long restartMs = (System.nanoTime() - t0) / 1_000_000;
            // the service stops when asked (SIGTERM), as a real one does: the restart does not wait out its 10 s stop timeout
            assertTrue(restartMs < 9_000, "the restart waited " + restartMs + " ms: the container ignored SIGTERM until killed");
            stream.ended().get(30, java.util.concurrent.TimeUnit.SECONDS);
            stream.close();
            Eventually.await("running again with a new start time", Duration.ofSeconds(30), () -> {
                ContainerInfo after = h.containers().containers().join().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
                return after.running() && after.startedAt().isAfter(before.startedAt()) && "healthy".equals(after.health());
            });
            // and the slots' read, which inspected it before the restart, sees the new start at once (its status line changed)
            ContainerInfo restarted = bySelection(h, reader, name);
            assertTrue(restarted.running() && restarted.startedAt().isAfter(before.startedAt()), restarted.toString());
            AuditEntry e = audit.recent(1).join().get(0);
            assertEquals("restart", e.action());
            assertEquals(List.of(name), e.args());
            assertEquals("succeeded", e.result());

            CompletionException refused = assertThrows(CompletionException.class, () -> rollout.restart("n8n-postgres").join());
            assertInstanceOf(RolloutException.class, Errors.unwrap(refused));
            assertEquals("refused", audit.recent(1).join().get(0).result());
        }
    }

    private static ContainerInfo bySelection(Connector.Opened h, SlotsReader reader, String name) {
        return h.containers().containers(reader.selection()).join().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
