package io.dutydesk.ui.doctor;

import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.doctor.Check;
import io.dutydesk.core.doctor.DoctorService;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.FakeBackends;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window's "Check configuration…": one ui hop per batch of results, then the report in its fixed order. */
class DoctorViewModelTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
    final Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(5)).get("ref");
    final FakeBackends backends = new FakeBackends();
    final AtomicInteger hops = new AtomicInteger();
    final Executor ui = r -> {
        hops.incrementAndGet();
        synchronized (this) {
            r.run();
        }
    };

    @Test
    void resultsArriveOneHopPerBatchAndEndInTheReportsOrder() throws Exception {
        DoctorViewModel vm = new DoctorViewModel(ui);
        try (EnvironmentHandle h = backends.open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            AtomicInteger batches = new AtomicInteger();
            DoctorService service = new DoctorService(env, h, CLOCK);
            List<Check> report = service.run(b -> batches.incrementAndGet()).get(30, TimeUnit.SECONDS).checks();
            hops.set(0);
            vm.start(new DoctorService(env, h, CLOCK), "ref").get(30, TimeUnit.SECONDS);
            assertEquals(8, batches.get(), "SSH first, then one batch per section");
            assertEquals(batches.get() + 1, hops.get(), "one hop per batch and one for the report");
            assertEquals(report.stream().map(Check::id).toList(), vm.results().stream().map(Check::id).toList());
            assertFalse(vm.runningProperty().get());
            assertTrue(vm.summaryProperty().get().startsWith("ref: "), vm.summaryProperty().get());
            assertTrue(vm.results().stream().anyMatch(c -> !c.ok()), "the fakes have no outbox: a problem");
        }
    }

    @Test
    void partsSwitchedOffInTheFileAreSaidNotConfiguredAndNeverChecked() throws Exception {
        Environment off = io.dutydesk.core.config.EnvironmentsFile.parse(java.nio.file.Path.of("t.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1, port: 24022, user: dutydesk-deploy }
                    redis: false
                    alertmanager: false
                    backups: false
                """).require("ref");
        try (EnvironmentHandle h = backends.open(off, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            List<Check> report = new DoctorService(off, h, CLOCK).run(b -> { }).get(30, TimeUnit.SECONDS).checks();
            for (String id : List.of("redis", "alertmanager", "backups")) {
                List<Check> of = report.stream().filter(c -> c.id().equals(id) || c.id().startsWith(id + ".")).toList();
                assertEquals(1, of.size(), id + ": one line, nothing probed: " + of);
                assertTrue(of.get(0).ok() && of.get(0).detail().startsWith("not configured (" + id + ": false"), of.get(0).toString());
            }
        }
    }

    @Test
    void sshDownIsOneProblemAndNothingElseIsTried() throws Exception {
        backends.down(Backend.SSH, "Connection refused");
        DoctorViewModel vm = new DoctorViewModel(ui);
        try (EnvironmentHandle h = backends.open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            vm.start(new DoctorService(env, h, CLOCK), "ref").get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, vm.results().size());
        Check c = vm.results().get(0);
        assertEquals("ssh", c.id());
        assertFalse(c.ok());
        assertTrue(c.detail().contains("Connection refused"), c.detail());
        assertEquals("ref: 1 of 1 checks found a problem", vm.summaryProperty().get());
    }

    @Test
    void withoutAnEnvironmentItSaysSo() throws Exception {
        DoctorViewModel vm = new DoctorViewModel(ui);
        vm.start(null, null).get(1, TimeUnit.SECONDS);
        assertTrue(vm.results().isEmpty());
        assertEquals("Select an environment first.", vm.summaryProperty().get());
    }
}
