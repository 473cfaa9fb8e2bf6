package io.dutydesk.ui.slots;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Audit tab follows the audit file: what the CLI appends shows up, with no polling. */
class AuditFollowTest {
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final UiQueue ui = new UiQueue();
    final SlotsViewModel vm = new SlotsViewModel(ui, scheduler, Clock.systemDefaultZone());

    @AfterEach
    void stop() {
        vm.close();
        scheduler.shutdownNow();
    }

    private static AuditEntry entry(String id, String result) {
        Instant t = Instant.parse("2026-11-22T03:00:00Z");
        return new AuditEntry(id, "oncall@laptop", "ref", "rollback", List.of(), t, t.plusSeconds(40), 0, "ab12", result,
                "green", "blue", "verified: blue is live and healthy");
    }

    @Test
    void anEntryTheCliAppendsShowsUpWithoutARefresh(@TempDir Path dir) {
        Path file = dir.resolve("state/dutydesk/audit.jsonl");
        JsonlAuditLog window = new JsonlAuditLog(file);
        Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(30)).get("ref");
        EnvironmentHandle h = new FakeBackends().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE);
        SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), Clock.systemUTC());
        vm.attach(new SlotsContext(env, reader, new RolloutService(env, reader, h.outbox(), h.containers(), h.shell(), window,
                "w@desk", Clock.systemUTC()), h.containers(), window));
        ui.drain();
        assertEquals(0, vm.audit().size());

        // another process — the CLI — appends to the same file
        new JsonlAuditLog(file).append(entry("a1", "succeeded")).join();
        ui.await("the first entry shown", Duration.ofSeconds(10), () -> vm.audit().size() == 1);
        new JsonlAuditLog(file).append(entry("a2", "refused")).join();
        ui.await("the second entry shown, newest first", Duration.ofSeconds(10),
                () -> vm.audit().size() == 2 && vm.audit().get(0).actionId().equals("a2"));
    }

    @Test
    void theAuditTabReadsAcrossTheRotatedFiles(@TempDir Path dir) {
        Path file = dir.resolve("state/dutydesk/audit.jsonl");
        JsonlAuditLog window = new JsonlAuditLog(file, 2_000);
        Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(30)).get("ref");
        EnvironmentHandle h = new FakeBackends().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE);
        SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), Clock.systemUTC());
        vm.attach(new SlotsContext(env, reader, new RolloutService(env, reader, h.outbox(), h.containers(), h.shell(), window,
                "w@desk", Clock.systemUTC()), h.containers(), window));
        ui.drain();
        // the CLI appends thirty actions: the log is rotated several times on the way
        JsonlAuditLog cli = new JsonlAuditLog(file, 2_000);
        for (int i = 1; i <= 30; i++) {
            cli.append(entry(String.format("a%02d", i), "succeeded")).join();
        }
        ui.await("every action shown, from every file", Duration.ofSeconds(10), () -> vm.audit().size() == 30);
        assertEquals("a30", vm.audit().get(0).actionId(), "newest first");
        assertEquals("a01", vm.audit().get(29).actionId(), "the oldest, from the first rotated file");
        org.junit.jupiter.api.Assertions.assertTrue(new java.io.File(file.getParent().toFile(), "audit.jsonl.000003").exists());
    }
}
