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

    /** The pane attached to {@code ref} on fake backends, its actions and Audit tab on {@code audit}. */
    private void attach(io.dutydesk.core.audit.AuditLog audit) {
        attach(vm, audit);
    }

    private static void attach(SlotsViewModel vm, io.dutydesk.core.audit.AuditLog audit) {
        Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(30)).get("ref");
        EnvironmentHandle h = new FakeBackends().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE);
        SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), Clock.systemUTC());
        vm.attach(new SlotsContext(env, reader, new RolloutService(env, reader, h.outbox(), h.containers(), h.shell(), audit,
                "w@desk", Clock.systemUTC()), h.containers(), audit));
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
        attach(window);
        ui.drain();
        vm.auditShown(true); // the view: the Audit tab selected
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
        attach(window);
        ui.drain();
        vm.auditShown(true);
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

    /**
     * The Audit tab's list reads the newest 2,000 entries of the whole log: only while the tab is shown — not during the
     * window's launch, not at every append by the CLI while another tab is in front — and once when it is shown after a
     * change.
     */
    @Test
    void aHiddenAuditTabReadsNothingAndReadsOnceWhenShown(@TempDir Path dir) {
        JsonlAuditLog log = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        io.dutydesk.core.audit.AuditLog counted = new io.dutydesk.core.audit.AuditLog() { // no watch: the test calls what it would
            @Override
            public java.util.concurrent.CompletableFuture<Void> append(AuditEntry e) {
                return log.append(e);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> recent(int max) {
                reads.incrementAndGet();
                return log.recent(max);
            }

            @Override
            public boolean watching() {
                return true; // a log whose watch works (the test calls what the watch would)
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> awaitingEnd() {
                // the open entries' completion at attach (not the tab's read), answered before attach returns: its end, which
                // calls refreshAudit on the UI queue, is queued by then (drained below), never later while the tab is shown
                return java.util.concurrent.CompletableFuture.completedFuture(log.awaitingEnd().join());
            }
        };
        attach(counted);
        ui.drain();
        log.append(entry("a1", "succeeded")).join();
        vm.refreshAudit(); // what the file's watch calls on an append
        ui.drain();
        assertEquals(0, reads.get(), "nothing read while the tab is hidden");
        vm.auditShown(true);
        ui.await("the entry shown once the tab is", Duration.ofSeconds(10), () -> vm.audit().size() == 1);
        assertEquals(1, reads.get());
        vm.auditShown(false);
        vm.auditShown(true);
        ui.drain();
        assertEquals(1, reads.get(), "shown again with nothing changed: not read again");
        vm.auditShown(false);
        log.append(entry("a2", "refused")).join();
        vm.refreshAudit();
        assertEquals(1, reads.get());
        vm.auditShown(true);
        ui.await("the change read when shown", Duration.ofSeconds(10), () -> vm.audit().size() == 2);
        assertEquals(2, reads.get());
    }

    /**
     * Showing the tab again never waits on the FX thread for the log's index lock: whether the log watches its file is
     * asked on its read thread. The tab asked on the FX thread, and the window froze while another thread held the lock
     * (the watch's start, a look at the file's size on a slow disk).
     */
    @Test
    void showingTheTabNeverWaitsForTheLogsIndexLock(@TempDir Path dir) throws Exception {
        JsonlAuditLog log = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        try {
            attach(log); // watches the file
            ui.drain();
            log.append(entry("a1", "succeeded")).join();
            vm.auditShown(true);
            ui.await("the first entry shown", Duration.ofSeconds(10), () -> vm.audit().size() == 1);
            vm.auditShown(false);

            java.lang.reflect.Field f = JsonlAuditLog.class.getDeclaredField("indexLock");
            f.setAccessible(true);
            Object indexLock = f.get(log);
            Thread fx = Thread.currentThread(); // the ui queue's thread: the test's own
            var held = new java.util.concurrent.CountDownLatch(1);
            var shownReturned = new java.util.concurrent.atomic.AtomicBoolean();
            var fxWaited = new java.util.concurrent.atomic.AtomicBoolean();
            Thread holder = new Thread(() -> {
                synchronized (indexLock) {
                    held.countDown();
                    // held until the FX thread is done showing the tab, or waits for this very lock
                    while (!shownReturned.get() && !blockedOn(fx, indexLock)) {
                        Thread.onSpinWait();
                    }
                    fxWaited.set(!shownReturned.get());
                }
            }, "index-lock-holder");
            holder.start();
            held.await();
            vm.auditShown(true);
            shownReturned.set(true);
            holder.join();
            org.junit.jupiter.api.Assertions.assertFalse(fxWaited.get(), "the FX thread waited for the audit log's index lock");

            // and the tab still follows the file
            log.append(entry("a2", "refused")).join();
            ui.await("the change shown", Duration.ofSeconds(10), () -> vm.audit().size() == 2);
        } finally {
            log.close();
        }
    }

    /**
     * Attaching the pane (on the FX thread) never waits there for the audit log's index lock: the log's watch — its folder
     * made, inotify registered — starts on the log's read thread, before the tab's first read. attach started it itself,
     * under that lock, which the read thread holds over the index's reads and the watch takes at every append it reports:
     * choosing an environment froze the window behind them. The tab still follows the CLI's appends.
     */
    @Test
    void attachingNeverWaitsForTheLogsIndexLock(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state/dutydesk/audit.jsonl");
        JsonlAuditLog log = new JsonlAuditLog(file);
        try {
            boolean waited = io.dutydesk.testing.MonitorHeld.waitedFor(io.dutydesk.testing.MonitorHeld.field(log, "indexLock"),
                    () -> attach(log));
            org.junit.jupiter.api.Assertions.assertFalse(waited, "the FX thread waited for the audit log's index lock");
            ui.drain();
            vm.auditShown(true);
            ui.drain();
            new JsonlAuditLog(file).append(entry("a1", "succeeded")).join(); // the CLI
            ui.await("the CLI's entry shown", Duration.ofSeconds(10), () -> vm.audit().size() == 1);
        } finally {
            log.close();
        }
    }

    /** Whether {@code t} is blocked entering {@code monitor}. */
    private static boolean blockedOn(Thread t, Object monitor) {
        java.lang.management.ThreadInfo i = java.lang.management.ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
        return i != null && i.getThreadState() == Thread.State.BLOCKED
                && (monitor.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(monitor))).equals(i.getLockName());
    }

    /** A log over {@code log} whose watch reports nothing (no inotify instance left), counting the tab's reads; {@code fail}: the next read fails. */
    private static io.dutydesk.core.audit.AuditLog unwatched(JsonlAuditLog log, java.util.concurrent.atomic.AtomicInteger reads,
                                                             java.util.concurrent.atomic.AtomicBoolean fail) {
        return new io.dutydesk.core.audit.AuditLog() {
            @Override
            public java.util.concurrent.CompletableFuture<Void> append(AuditEntry e) {
                return log.append(e);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> recent(int max) {
                reads.incrementAndGet();
                if (fail.getAndSet(false)) {
                    return java.util.concurrent.CompletableFuture.failedFuture(new java.io.IOException("Input/output error"));
                }
                return log.recent(max);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> awaitingEnd() {
                return java.util.concurrent.CompletableFuture.completedFuture(log.awaitingEnd().join());
            }
        };
    }

    /**
     * A log that cannot watch its folder (inotify's instances all taken: the watch reports nothing) never says that the CLI
     * appended: the tab reads it at every show, as it did before it waited for a change. Shown again, it listed what it
     * had read at its first show as the log, without the CLI's rollback since.
     */
    @Test
    void aLogThatCannotWatchIsReadAtEveryShow(@TempDir Path dir) {
        JsonlAuditLog log = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        attach(unwatched(log, reads, new java.util.concurrent.atomic.AtomicBoolean()));
        ui.drain();
        log.append(entry("a1", "succeeded")).join();
        vm.auditShown(true);
        ui.await("the first entry shown", Duration.ofSeconds(10), () -> vm.audit().size() == 1);
        vm.auditShown(false);
        log.append(entry("a2", "refused")).join(); // the CLI: nothing tells the window
        vm.auditShown(true);
        ui.await("the CLI's entry shown at the next show", Duration.ofSeconds(10), () -> vm.audit().size() == 2);
        assertEquals("a2", vm.audit().get(0).actionId());
    }

    /** A read that failed (the disk, a full read queue) is read again at the next show, not taken as the list. */
    @Test
    void aFailedReadIsReadAgainAtTheNextShow(@TempDir Path dir) {
        JsonlAuditLog log = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        var fail = new java.util.concurrent.atomic.AtomicBoolean();
        io.dutydesk.core.audit.AuditLog failing = unwatched(log, reads, fail);
        io.dutydesk.core.audit.AuditLog watched = new io.dutydesk.core.audit.AuditLog() { // a watch that works: only the failure matters
            @Override
            public java.util.concurrent.CompletableFuture<Void> append(AuditEntry e) {
                return failing.append(e);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> recent(int max) {
                return failing.recent(max);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> awaitingEnd() {
                return failing.awaitingEnd();
            }

            @Override
            public boolean watching() {
                return true;
            }
        };
        attach(watched);
        ui.drain();
        log.append(entry("a1", "succeeded")).join();
        fail.set(true);
        vm.auditShown(true);
        ui.drain();
        assertEquals(1, reads.get());
        assertEquals(0, vm.audit().size(), "nothing read");
        vm.auditShown(false);
        vm.auditShown(true);
        ui.await("read again at the next show", Duration.ofSeconds(10), () -> vm.audit().size() == 1);
        assertEquals(2, reads.get());
    }
    /** A log over {@code log} (its file named, its watch working) whose reads fail with {@code failure} while it is set. */
    private static io.dutydesk.core.audit.AuditLog failingWhileSet(JsonlAuditLog log,
                                                                   java.util.concurrent.atomic.AtomicReference<Throwable> failure) {
        return new io.dutydesk.core.audit.AuditLog() {
            @Override
            public String location() {
                return log.location();
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> append(AuditEntry e) {
                return log.append(e);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> recent(int max) {
                Throwable f = failure.get();
                return f != null ? java.util.concurrent.CompletableFuture.failedFuture(f) : log.recent(max);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<AuditEntry>> awaitingEnd() {
                return java.util.concurrent.CompletableFuture.completedFuture(log.awaitingEnd().join());
            }

            @Override
            public boolean watching() {
                return true;
            }
        };
    }

    /**
     * A read that fails (an unreadable file, an IO error) says so above the rows it leaves — which file, why, and when
     * those rows were read — instead of showing them as current; the next read that succeeds clears it. It kept the last
     * rows without a word.
     */
    @Test
    void aFailedReadIsSaidAboveTheRowsItLeavesUntilAReadSucceeds(@TempDir Path dir) {
        SingleStackViewModelTest.MovingClock clock = new SingleStackViewModelTest.MovingClock();
        clock.now = Instant.parse("2026-11-22T03:04:05Z");
        SlotsViewModel vm = new SlotsViewModel(ui, scheduler, clock);
        JsonlAuditLog log = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        try {
            attach(vm, failingWhileSet(log, failure));
            ui.drain();
            log.append(entry("a1", "succeeded")).join();
            vm.auditShown(true);
            ui.await("the first entry shown", Duration.ofSeconds(10), () -> vm.audit().size() == 1);
            assertEquals("", vm.auditProblemProperty().get());

            clock.now = Instant.parse("2026-11-22T03:10:00Z");
            log.append(entry("a2", "refused")).join();
            failure.set(new java.nio.file.AccessDeniedException(log.location()));
            vm.refreshAudit(); // what the file's watch calls on an append
            String file = log.location();
            ui.await(() -> " said: " + vm.auditProblemProperty().get(), Duration.ofSeconds(10), () -> !vm.auditProblemProperty().get().isEmpty());
            assertEquals("could not read the audit log " + file + ": permission denied; showing the rows read at 03:04:05",
                    vm.auditProblemProperty().get());
            assertEquals(List.of("a1"), vm.audit().stream().map(AuditEntry::actionId).toList(), "the earlier rows kept, said as such");

            failure.set(new java.io.IOException("Input/output error"));
            vm.refreshAudit();
            ui.await("the second failure said", Duration.ofSeconds(10), () -> vm.auditProblemProperty().get().contains("Input/output"));
            assertEquals("could not read the audit log " + file + ": Input/output error; showing the rows read at 03:04:05",
                    vm.auditProblemProperty().get());

            failure.set(null);
            vm.refreshAudit();
            ui.await("read again", Duration.ofSeconds(10), () -> vm.audit().size() == 2);
            assertEquals("", vm.auditProblemProperty().get(), "cleared once a read succeeds");
        } finally {
            vm.close();
        }
    }

    /** A first read that fails says that nothing could be read: the empty table is not "no action recorded yet". */
    @Test
    void aFirstReadThatFailsSaysNothingCouldBeRead(@TempDir Path dir) {
        JsonlAuditLog log = new JsonlAuditLog(dir.resolve("audit.jsonl"));
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>(
                new java.nio.file.AccessDeniedException(log.location() + ".000001"));
        attach(failingWhileSet(log, failure));
        ui.drain();
        vm.auditShown(true);
        ui.await("said", Duration.ofSeconds(10), () -> !vm.auditProblemProperty().get().isEmpty());
        assertEquals("could not read the audit log " + log.location() + ": permission denied (" + log.location()
                + ".000001); no rows could be read yet", vm.auditProblemProperty().get());
        assertEquals(0, vm.audit().size());
    }
}
