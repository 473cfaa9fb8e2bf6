package io.dutydesk.ui.backups;

import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.backups.JobResult;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.testing.FailingAuditLog;
import io.dutydesk.testing.ScriptedJobShell;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Backups pane's words when the audit log's disk is full: "nothing was run", or the real outcome with the missing entry beside it. */
class BackupsAuditFullTest {
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
    final Clock clock = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    final Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(10)).get("ref");
    final ScriptedJobShell server = new ScriptedJobShell();
    final BackupsViewModel vm = new BackupsViewModel(Runnable::run, scheduler, clock);

    @AfterEach
    void stop() {
        vm.close();
        scheduler.shutdownNow();
    }

    void attach(FailingAuditLog audit) {
        vm.attach(new BackupsService(env, server, VerificationResults.NONE, audit, "oncall@laptop", clock, Runnable::run));
    }

    @Test
    void aBackupWhoseStartCannotBeAuditedIsNotRunAndSaysWhichFile() {
        attach(FailingAuditLog.full());
        CompletionException e = assertThrows(CompletionException.class, () -> vm.backupNow().orTimeout(10, TimeUnit.SECONDS).join());
        assertFalse(server.started());
        assertEquals("Not run: nothing was run: the audit log " + FailingAuditLog.FILE + " could not be written (No space left on device)",
                vm.statusProperty().get());
    }

    @Test
    void aBackupThatRanIsDoneWithTheMissingAuditEntrySaidBesideIt() {
        attach(FailingAuditLog.fullAfterStart());
        JobResult r = vm.backupNow().orTimeout(10, TimeUnit.SECONDS).join();
        assertTrue(r.ok(), r.message());
        String s = vm.statusProperty().get();
        assertTrue(s.startsWith("Done: "), s);
        assertTrue(s.endsWith(" — ⚠ succeeded on the server; the audit log " + FailingAuditLog.FILE
                + " could not be written (No space left on device)"), s);
        assertTrue(vm.log().stream().anyMatch(l -> l.startsWith("⚠ succeeded on the server; the audit log ")), vm.log().toString());
    }
}
