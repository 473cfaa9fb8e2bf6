package io.dutydesk.ui.slots;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Window trial of issue 18: a bad version typed in the window's Deploy dialog showed an error but wrote no audit entry,
 * while the CLI audits such refusals (destructive actions are audited, refused ones too). The window's plans now write the
 * CLI's entry: action, the typed argument, result "refused", the refusal's words, nothing run.
 */
class WindowRefusalAuditTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MemoryAuditLog audit = MemoryAuditLog.create();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    static RolloutException refusal(CompletableFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return assertInstanceOf(RolloutException.class, io.dutydesk.core.Errors.unwrap(e));
    }

    static void refusedEntry(AuditEntry e, String env, String action, List<String> args, String why) {
        assertEquals(AuditRows.REFUSED, e.result(), e.toString());
        assertEquals(env, e.environment());
        assertEquals("me@test", e.actor());
        assertEquals(action, e.action());
        assertEquals(args, e.args());
        assertEquals(null, e.actionId(), "nothing was started");
        assertEquals(why, e.message());
    }

    @Test
    void aSingleStacksDeployDialogAuditsABadVersionAsTheCliDoes() {
        SingleStackViewModel vm = new SingleStackViewModel(Runnable::run, scheduler, SingleStackViewModelTest.CLOCK, audit, "me@test");
        Environment env = SingleStackViewModelTest.SINGLE;
        EnvironmentHandle h = SingleStackViewModelTest.handle(env, List.of());
        vm.attach(env, h);
        audit.entries.clear(); // what the attach's reconcile may have written is not this test's
        for (String bad : List.of("../x", "1.0;touch /tmp/pwned")) {
            RolloutException r = refusal(vm.planDeploy(bad));
            assertEquals(RolloutException.Kind.INVALID_INPUT, r.kind());
            AuditEntry e = audit.entries.get(audit.entries.size() - 1);
            refusedEntry(e, "life", "deploy", List.of(bad), r.getMessage());
            assertTrue(e.message().contains(bad) || e.message().contains("version"), e.message());
        }
        assertEquals(2, audit.entries.size(), audit.entries.toString());
        assertTrue(((io.dutydesk.testing.LocalFolderShell) h.shell()).commands.stream().noneMatch(c -> c.contains("pwned")),
                "nothing reached the server");

        // the rollbacks chosen in the window: a type the environment does not declare, a backup not listed
        RolloutException t = refusal(vm.planType("nope"));
        refusedEntry(audit.entries.get(audit.entries.size() - 1), "life", "rollback", List.of("--type", "nope"), t.getMessage());
        RolloutException v = refusal(vm.planRelease("../x"));
        refusedEntry(audit.entries.get(audit.entries.size() - 1), "life", "rollback", List.of("../x"), v.getMessage());
        vm.detach();
    }

    @Test
    void aBlueGreenWindowDeployOfABadVersionIsAuditedToo() {
        Environment env = SingleStackViewModelTest.env("");
        EnvironmentHandle h = SingleStackViewModelTest.handle(env, List.of());
        SlotsViewModel vm = new SlotsViewModel(Runnable::run, scheduler, SingleStackViewModelTest.CLOCK);
        SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), SingleStackViewModelTest.CLOCK);
        vm.attach(new SlotsContext(env, reader, new RolloutService(env, reader, h.outbox(), h.containers(), h.shell(), audit, "me@test",
                SingleStackViewModelTest.CLOCK), h.containers(), audit));
        audit.entries.clear();
        vm.versionProperty().set("1.0;touch /tmp/pwned");
        assertTrue(!vm.deployAllowed().get(), "the button is disabled for it");
        RolloutException r = refusal(vm.plan(Verb.DEPLOY, false));
        assertEquals(1, audit.entries.size(), audit.entries.toString());
        refusedEntry(audit.entries.get(0), "life", "deploy", List.of("1.0;touch /tmp/pwned"), r.getMessage());
        vm.close();
    }
}
