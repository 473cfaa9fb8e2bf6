package io.dutydesk.ui.backups;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.TestEnvironments;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backups pane's state over a stand-in server folder. The view-model runs on a {@link UiQueue}: one thread, this one,
 * as on the FX thread (with {@code Runnable::run} the poll's thread set the listing, the stale mark and the RPO while this
 * thread read them, and {@code sourceDown(null)} had both threads in it at once).
 */
class BackupsViewModelTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final UiQueue ui = new UiQueue();
    volatile boolean up = true;
    volatile List<RemoteShell.RemoteFile> files = List.of(
            new RemoteShell.RemoteFile("selfology_full_20261122_020000.sql.gz", 500_000, Instant.parse("2026-11-22T02:00:04Z"), false),
            new RemoteShell.RemoteFile("selfology_incr_20261122_110000.sql.gz", 50_000, Instant.parse("2026-11-22T11:00:01Z"), false));
    final List<String> commands = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile String running;
    volatile String runningMeta = "{\"action\":\"restore\"}";
    final MemoryAuditLog audit = MemoryAuditLog.create();

    final RemoteShell shell = new RemoteShell() {
        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
            commands.add(command);
            String state = env.deploy().stateDir();
            if (running != null && command.equals(ActionScripts.current(state))) {
                return CompletableFuture.completedFuture(new ExecResult(0, ActionScripts.BUSY + running + "\n" + runningMeta + "\n", "",
                        Duration.ofMillis(3)));
            }
            if (running != null && command.equals(ActionScripts.follow(state, running, 1))) {
                for (String line : List.of("Pre-restore safety backup into /b/dutydesk_prerestore_20261122_101500.sql.gz ...",
                        "@@SAFETY /b/dutydesk_prerestore_20261122_101500.sql.gz 5000", "✅ Restore completed from x", ActionScripts.EXIT + "0")) {
                    l.line(false, line);
                }
                return CompletableFuture.completedFuture(new ExecResult(0, "", "", Duration.ofMillis(3)));
            }
            if (command.contains("@@REMOVED")) { // removing a leftover: the server removes it
                int at = command.indexOf("f=") + 2; // the removal's own f=PATH; (the lock's shell before it has cases of its own)
                String path = command.substring(at, command.indexOf("; case", at));
                return CompletableFuture.completedFuture(new ExecResult(0, "@@REMOVED " + path.replace("~", "/home/d") + " 1234\n", "",
                        Duration.ofMillis(3)));
            }
            return CompletableFuture.completedFuture(new ExecResult(0, "@@FREE 0 1073741824\n", "", Duration.ofMillis(3)));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            lists.incrementAndGet();
            return up ? CompletableFuture.completedFuture(files)
                    : CompletableFuture.failedFuture(new IOException(folder + ": no such file or folder"));
        }
    };

    final java.util.concurrent.atomic.AtomicInteger lists = new java.util.concurrent.atomic.AtomicInteger();
    final Environment env = TestEnvironments.fastPolling(Duration.ofMillis(100)).get("ref");
    final BackupsViewModel vm = new BackupsViewModel(ui, scheduler, clock);

    @AfterEach
    void stop() {
        vm.close();
        scheduler.shutdownNow();
    }

    void attach() {
        vm.attach(new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", clock, Runnable::run));
        ui.await("listing", Duration.ofSeconds(10), () -> vm.listingProperty().get() != null);
    }

    /**
     * Hidden, the pane lists nothing — not on Ctrl+R, not when the shell says SSH answers again — and what it shows stays;
     * shown again it lists at once (its interval here is 30 s).
     */
    @Test
    void hiddenItListsNothingShownAgainItListsAtOnce() {
        attach();
        ui.await("the first listing's read has ended", Duration.ofSeconds(10), () -> lists.get() == 1);
        vm.hidden();
        files = List.of(files.get(0));
        vm.refresh();
        vm.sourceDown("SSH down; last answer at 12:00:00");
        vm.sourceDown(null); // SSH answers again: a shown pane lists at once
        assertEquals(1, lists.get(), "nothing listed while hidden");
        assertEquals(2, vm.backups().size(), "what it showed stays");

        vm.shown();
        ui.await("listed at once", Duration.ofSeconds(10), () -> vm.backups().size() == 1);
        assertEquals(2, lists.get());
        vm.shown(); // shown already: no second read
        assertEquals(2, lists.get());
    }

    @Test
    void aListingShowsKindsFreeSpaceAndTheRpo() {
        attach();
        assertEquals(2, vm.backups().size());
        assertEquals(List.of(BackupsViewModel.ALL_KINDS, "full", "incremental"), vm.kinds());
        assertEquals("~/backups/selfology: 1.0 GiB free", vm.freeSpaceProperty().get());
        assertEquals(BackupListing.Rpo.MET_UNVERIFIED, vm.rpoStateProperty().get(), "nothing verified: not green");
        assertEquals("RPO met, unverified: newest full backup selfology_full_20261122_020000.sql.gz is 10.0 h old (RPO 26 h), but no "
                + "full backup within the RPO is verified yet — verify it before you count on it", vm.rpoTextProperty().get());
        assertEquals("", vm.ageSuffix());
        assertEquals("2 backups, read from the server at 12:00:00", vm.updatedProperty().get());
        vm.kindFilterProperty().set("incremental");
        assertEquals(List.of("selfology_incr_20261122_110000.sql.gz"), vm.backups().stream().map(BackupEntry::name).toList());
        vm.kindFilterProperty().set(BackupsViewModel.ALL_KINDS);
        assertEquals(2, vm.backups().size());
    }

    @Test
    void anOldFullBackupRaisesTheRpoWarning() {
        files = List.of(new RemoteShell.RemoteFile("selfology_full_20261121_020000.sql.gz", 500_000, Instant.parse("2026-11-21T02:00:04Z"), false));
        attach();
        assertEquals(BackupListing.Rpo.NOT_MET, vm.rpoStateProperty().get());
        assertEquals("RPO not met: newest full backup selfology_full_20261121_020000.sql.gz is 34.0 h old: older than the RPO of 26 h",
                vm.rpoTextProperty().get());
    }

    @Test
    void aFailedReadKeepsTheListMarkedStaleAsOfTheLastAnswer() {
        attach();
        up = false;
        vm.refresh();
        ui.await("stale", Duration.ofSeconds(10), () -> vm.problemProperty().get() != null);
        assertTrue(vm.problemProperty().get().startsWith("Backups: down; last answer at 12:00:00: "), vm.problemProperty().get());
        assertTrue(vm.problemProperty().get().contains("no such file or folder"));
        assertEquals(2, vm.backups().size(), "never emptied");
        up = true;
        vm.refresh();
        ui.await("recovered", Duration.ofSeconds(10), () -> vm.problemProperty().get() == null);
    }

    /** A verification of the full backup kept in the store: the RPO is met, verified. */
    final VerificationResults fullVerified = new VerificationResults() {
        @Override
        public CompletableFuture<Void> save(String env, Verification v) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Map<String, Verification>> load(String e) {
            RemoteShell.RemoteFile f = files.get(0);
            String path = env.backups().folders().get(0) + "/" + f.name();
            return CompletableFuture.completedFuture(Map.of(path, new Verification(path, f.size(), f.modified(), true, "gzip -t: intact", NOW)));
        }

        @Override
        public CompletableFuture<Void> forgetPassed(String env, String path) {
            return CompletableFuture.completedFuture(null);
        }
    };

    @Test
    void aStaleListingIsNeverGreenAndSaysItsAgesAreThoseWhenItWasRead() {
        vm.attach(new BackupsService(env, shell, fullVerified, audit, "me@here", clock, Runnable::run));
        ui.await("listing", Duration.ofSeconds(10), () -> vm.listingProperty().get() != null);
        assertEquals(BackupListing.Rpo.MET, vm.rpoStateProperty().get());
        assertEquals("RPO met: full backup selfology_full_20261122_020000.sql.gz verified, 10.0 h old (RPO 26 h)", vm.rpoTextProperty().get());
        assertFalse(vm.staleProperty().get());

        up = false;
        vm.refresh();
        ui.await("stale", Duration.ofSeconds(10), () -> vm.staleProperty().get());
        assertEquals(BackupListing.Rpo.UNKNOWN, vm.rpoStateProperty().get(), "a listing that failed to refresh is not green");
        String t = vm.rpoTextProperty().get();
        assertTrue(t.startsWith("RPO unknown: the backups cannot be read now; last answer at 12:00:00. As read then: "), t);
        assertTrue(t.endsWith("As read then: RPO met: full backup selfology_full_20261122_020000.sql.gz verified, 10.0 h old at 12:00:00 "
                + "(RPO 26 h)"), "the age is the age then, not a frozen current age: " + t);
        assertEquals(" at 12:00:00", vm.ageSuffix(), "the Age column says when its ages were true");
        assertEquals("2 backups as read from the server at 12:00:00 — stale", vm.updatedProperty().get());
        assertEquals("~/backups/selfology: 1.0 GiB free (at 12:00:00)", vm.freeSpaceProperty().get());

        up = true;
        vm.refresh();
        ui.await("fresh again", Duration.ofSeconds(10), () -> !vm.staleProperty().get());
        assertEquals(BackupListing.Rpo.MET, vm.rpoStateProperty().get());
        assertEquals("", vm.ageSuffix());
    }

    @Test
    void sshDownMarksTheListingStaleAtOnceAndItsReturnReadsAgain() {
        vm.attach(new BackupsService(env, shell, fullVerified, audit, "me@here", clock, Runnable::run));
        ui.await("listing", Duration.ofSeconds(10), () -> vm.listingProperty().get() != null);
        assertEquals(BackupListing.Rpo.MET, vm.rpoStateProperty().get());
        vm.sourceDown("SSH down; last answer at 12:00:00");
        assertTrue(vm.staleProperty().get(), "stale without waiting for the next (30 s) read");
        assertEquals(BackupListing.Rpo.UNKNOWN, vm.rpoStateProperty().get());
        assertEquals("Backups: down; last answer at 12:00:00: SSH down; last answer at 12:00:00", vm.problemProperty().get());
        // the summary says why, and the actions are off (the window trial: they looked usable and failed one by one)
        assertTrue(vm.updatedProperty().get().endsWith(" — stale: SSH down; last answer at 12:00:00; the actions wait until "
                + "it answers"), vm.updatedProperty().get());
        assertEquals("SSH down; last answer at 12:00:00: nothing can run on the server until it answers",
                vm.actionsOffProperty().get());
        int before = commands.size();
        vm.sourceDown(null);
        assertNull(vm.actionsOffProperty().get());
        ui.await("read again", Duration.ofSeconds(10), () -> commands.size() > before && !vm.staleProperty().get());
        assertEquals(BackupListing.Rpo.MET, vm.rpoStateProperty().get());
        assertNull(vm.problemProperty().get());
    }

    @Test
    void nothingReadYetIsUnknownNotEmpty() {
        up = false;
        vm.attach(new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", clock, Runnable::run));
        ui.await("failed", Duration.ofSeconds(10), () -> vm.problemProperty().get() != null);
        assertEquals(BackupListing.Rpo.UNKNOWN, vm.rpoStateProperty().get());
        assertTrue(vm.rpoTextProperty().get().startsWith("RPO unknown: the backup folders could not be read (no answer yet: "),
                vm.rpoTextProperty().get());
    }

    @Test
    void aFolderThatCannotBeReadIsNamedAndTheOthersStayUsable() {
        Environment two = env.withBackups(env.backups().withFolders(List.of("~/backups/selfology", "/mnt/offsite")));
        RemoteShell oneDown = new RemoteShell() {
            @Override
            public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                return shell.exec(command, timeout, l);
            }

            @Override
            public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
                return shell.readFile(path, maxBytes);
            }

            @Override
            public CompletableFuture<List<RemoteFile>> list(String folder) {
                return folder.equals("/mnt/offsite") ? CompletableFuture.failedFuture(new IOException("No such file"))
                        : shell.list(folder);
            }
        };
        vm.attach(new BackupsService(two, oneDown, fullVerified, audit, "me@here", clock, Runnable::run));
        ui.await("listing", Duration.ofSeconds(10), () -> vm.listingProperty().get() != null);
        assertEquals(2, vm.backups().size());
        assertFalse(vm.staleProperty().get());
        assertEquals("Backups: folder /mnt/offsite: unreachable: No such file — the other folders are listed and usable",
                vm.problemProperty().get());
        assertEquals("~/backups/selfology: 1.0 GiB free   /mnt/offsite: unreachable", vm.freeSpaceProperty().get());
        assertEquals(BackupListing.Rpo.MET, vm.rpoStateProperty().get(), "the verified backup in the folder read meets it");
        commands.clear();
        var v = vm.verify(vm.backups().stream().filter(b -> b.kind().equals("full")).findFirst().orElseThrow());
        ui.drain(); // what the stand-in answered at once, shown
        assertTrue(v.isDone() && !v.isCompletedExceptionally(), vm.statusProperty().get());
        assertTrue(commands.stream().anyMatch(c -> c.contains("@@CHECK")), "verified on the server: " + commands);
    }

    @Test
    void aRestoreWithoutTheEnvironmentsNameIsRefusedAuditedAndNothingRuns() {
        attach();
        BackupEntry b = vm.backups().get(0);
        commands.clear();
        var f = vm.restore(b, false, "prod");
        ui.drain();
        assertTrue(f.isCompletedExceptionally());
        assertFalse(vm.busyProperty().get());
        assertTrue(vm.statusProperty().get().contains("type the environment's name 'ref'"), vm.statusProperty().get());
        assertTrue(commands.isEmpty(), "nothing sent to the server: " + commands);
        assertEquals("refused", audit.entries.get(audit.entries.size() - 1).result());
        assertEquals("restore", audit.entries.get(audit.entries.size() - 1).action());
    }

    @Test
    void aRestoreAlreadyRunningOnTheServerIsFollowedToItsEnd() {
        running = "20261122-101500-restore-0a1b2c3d";
        attach();
        ui.await("attached and ended", Duration.ofSeconds(10), () -> vm.lastJobProperty().get().isPresent());
        var r = vm.lastJobProperty().get().orElseThrow();
        assertTrue(r.ok(), r.message());
        assertEquals("/b/dutydesk_prerestore_20261122_101500.sql.gz", r.safetyBackup().orElseThrow());
        assertTrue(vm.log().contains("— re-attached to restore (job 20261122-101500-restore-0a1b2c3d), still running on the server: following it to its end (nothing is started again)"), vm.log().toString());
        assertTrue(vm.log().contains("✅ Restore completed from x"));
        assertFalse(vm.log().stream().anyMatch(x -> x.startsWith("@@")), "markers are not shown");
        assertFalse(vm.busyProperty().get());
        assertTrue(commands.stream().noneMatch(c -> c.contains("setsid")), "nothing was started");
    }

    /** The window names which of the user's consoles holds the lock: a restore started from her CLI, by its pid and start. */
    @Test
    void aRestoreStartedFromTheCliIsNamedAsTheCliByItsPid() {
        running = "20261122-101500-restore-0a1b2c3d";
        runningMeta = "{\"id\":\"" + running + "\",\"action\":\"restore\",\"env\":\"ref\",\"args\":\"x.sql.gz\",\"actor\":\"me@here\","
                + "\"start\":\"2026-11-22T10:15:00Z\",\"console\":\"CLI\",\"pid\":\"5151\",\"pstart\":\"2026-11-22T10:14:58Z\"}";
        attach();
        ui.await("attached and ended", Duration.ofSeconds(10), () -> vm.lastJobProperty().get().isPresent());
        assertTrue(vm.log().stream().anyMatch(l -> l.startsWith("— re-attached to restore of x.sql.gz by me from host here (the CLI, pid 5151, "
                + "started 2026-11-2")), vm.log().toString());
    }

    @Test
    void anotherActionHoldingTheLockIsNotFollowedHere() {
        running = "20261122-101500-rollback-0a1b2c3d";
        attach();
        assertFalse(vm.busyProperty().get());
        assertTrue(vm.lastJobProperty().get().isEmpty());
    }

    @Test
    void anIncrementalBackupIsNeverRestoredOverTheLiveDatabase() {
        attach();
        BackupEntry incr = vm.backups().stream().filter(b -> b.kind().equals("incremental")).findFirst().orElseThrow();
        assertTrue(vm.dataOnly(incr));
        commands.clear();
        var f = vm.restore(incr, false, "ref");
        ui.drain();
        assertTrue(f.isCompletedExceptionally());
        assertTrue(vm.statusProperty().get().contains("is an incremental backup (rows only, no schema)"), vm.statusProperty().get());
        assertTrue(commands.stream().noneMatch(c -> c.contains("setsid") || c.contains("restore")), commands.toString());
        assertEquals("refused", audit.entries.get(audit.entries.size() - 1).result());
    }

    @Test
    void aServerNameThatLeadsOutOfTheDownloadFolderIsRefusedWithTheReason(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        files = List.of(new RemoteShell.RemoteFile("../selfology_full_20261122_020000.sql.gz", 500_000, Instant.parse("2026-11-22T02:00:04Z"), false));
        attach();
        BackupEntry odd = vm.backups().get(0);
        java.nio.file.Path dl = tmp.resolve("dl");
        var f = vm.download(odd, dl);
        ui.drain();
        assertTrue(f.isCompletedExceptionally());
        assertTrue(vm.statusProperty().get().startsWith("Download failed: refused: the server lists a backup named "
                + "'../selfology_full_20261122_020000.sql.gz' in ~/backups/selfology, which contains a path separator"), vm.statusProperty().get());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("selfology_full_20261122_020000.sql.gz.part")));
        assertEquals("refused", audit.entries.get(audit.entries.size() - 1).result());
        assertEquals("backup-download", audit.entries.get(audit.entries.size() - 1).action());
    }

    @Test
    void leftoversOfKilledJobsAreShownAndRemovedOneByOneAudited() {
        files = List.of(files.get(0), files.get(1),
                new RemoteShell.RemoteFile("dutydesk_prerestore_20261122_101500.sql.gz.part", 1234, Instant.parse("2026-11-22T10:15:00Z"), false));
        attach();
        assertEquals(2, vm.backups().size(), "a .part is not a backup");
        assertEquals("1 leftover .part file of killed jobs (1.2 KiB): dutydesk_prerestore_20261122_101500.sql.gz.part",
                vm.leftoversTextProperty().get());
        vm.sourceDown("SSH down; last answer at 12:00:00"); // what is shown is as read then, like every other fact
        assertEquals("1 leftover .part file of killed jobs (1.2 KiB): dutydesk_prerestore_20261122_101500.sql.gz.part (at 12:00:00)",
                vm.leftoversTextProperty().get());
        BackupListing before = vm.listingProperty().get();
        vm.sourceDown(null); // reads again
        ui.await("read again", Duration.ofSeconds(10), () -> vm.listingProperty().get() != before);
        assertFalse(vm.staleProperty().get());
        assertFalse(vm.leftoversTextProperty().get().endsWith("(at 12:00:00)"), vm.leftoversTextProperty().get());
        commands.clear();
        ui.join("removed", Duration.ofSeconds(10), vm.removeLeftovers(List.copyOf(vm.leftovers())));
        assertEquals(1, commands.stream().filter(c -> c.contains("@@REMOVED")).count(), commands.toString());
        assertTrue(commands.stream().filter(c -> c.contains("@@REMOVED")).allMatch(c -> c.contains("flock -n 9")), "under the action lock");
        assertTrue(vm.log().contains("removed the leftover /home/d/backups/selfology/dutydesk_prerestore_20261122_101500.sql.gz.part (1.2 KiB)"),
                vm.log().toString());
        assertEquals("backup-remove-part", audit.entries.get(audit.entries.size() - 1).action());
        assertEquals("succeeded", audit.entries.get(audit.entries.size() - 1).result());
        assertFalse(vm.busyProperty().get());
        assertEquals("Removed the leftover dutydesk_prerestore_20261122_101500.sql.gz.part (1.2 KiB)", vm.statusProperty().get(),
                "the headline says what was removed");
        assertEquals("Removed 2 leftovers: a.part (1 B), b.part (2 B); not removed: c.part (the log says why)",
                BackupsViewModel.leftoversResult(List.of("a.part (1 B)", "b.part (2 B)"), List.of("c.part")));
        assertEquals("Nothing removed: c.part (the log says why)", BackupsViewModel.leftoversResult(List.of(), List.of("c.part")));
    }

    io.dutydesk.ui.fx.NavBadge badge() {
        io.dutydesk.ui.fx.PaneState st = vm.paneState().get();
        return st == null ? null : st.badge();
    }

    /** The navigation's badge of the pane's own state: {@code state} and its words. */
    void badgeIs(String state, String text) {
        ui.await(() -> "badge " + badge() + ", RPO " + vm.rpoStateProperty().get() + ": " + vm.rpoTextProperty().get(),
                Duration.ofSeconds(10), () -> badge() != null && badge().state().equals(state) && badge().text().equals(text));
    }

    /** The header's health of {@code env}: every backend answering but those in {@code down}, down since their last answer at NOW. */
    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.Backend... down) {
        return health(env, seq, io.dutydesk.core.health.BackendStatus.State.DOWN, "connection refused", down);
    }

    /** As above, those in {@code failing} {@code state} (DOWN, or MISCONFIGURED: answering without what the file names) for {@code why}. */
    static io.dutydesk.core.health.HealthSnapshot health(String env, long seq, io.dutydesk.core.health.BackendStatus.State state, String why,
                                                         io.dutydesk.core.Backend... failing) {
        Map<io.dutydesk.core.Backend, io.dutydesk.core.health.BackendStatus> m = new java.util.EnumMap<>(io.dutydesk.core.Backend.class);
        for (io.dutydesk.core.Backend b : io.dutydesk.core.Backend.values()) {
            m.put(b, List.of(failing).contains(b)
                    ? new io.dutydesk.core.health.BackendStatus(b, state, -1, why, NOW, NOW.minusSeconds(55), NOW)
                    : new io.dutydesk.core.health.BackendStatus(b, io.dutydesk.core.health.BackendStatus.State.OK, 3, null, NOW, null, NOW));
        }
        return new io.dutydesk.core.health.HealthSnapshot(env, seq, NOW, m);
    }

    /**
     * The Backups badge followed only the morning check and said "ok" beside the pane's "RPO unknown" or "not met": it is
     * drawn from the pane's one state, its RPO banner — met ok, unverified warn, not met fail, the folders not read now
     * unknown, never green; as of when the pane read them, and whether it is shown.
     */
    @Test
    void theBadgeIsTheHeadersStateNeverBetter() {
        assertNull(vm.paneState().get(), "nothing read: nothing to say");
        vm.attach(new BackupsService(env, shell, fullVerified, audit, "me@here", clock, Runnable::run));
        badgeIs("pass", "ok");
        assertEquals(BackupListing.Rpo.MET, vm.rpoStateProperty().get());
        assertEquals(vm.rpoTextProperty().get() + " (as the pane shows it)", badge().tooltip(), "the banner's words");
        assertEquals(NOW, vm.paneState().get().asOf(), "as of the folders' read");
        assertTrue(vm.paneState().get().shown());

        up = false;
        vm.refresh();
        badgeIs("unknown", "?");
        assertEquals(BackupListing.Rpo.UNKNOWN, vm.rpoStateProperty().get(), "the banner says unknown too");
        assertTrue(badge().tooltip().startsWith(vm.rpoTextProperty().get()), badge().tooltip());
        up = true;
        vm.refresh();
        badgeIs("pass", "ok");

        vm.hidden();
        assertFalse(vm.paneState().get().shown(), "hidden: its state says so");
        vm.shown();
        assertTrue(vm.paneState().get().shown());
        vm.detach();
        assertNull(vm.paneState().get(), "nothing of the environment left");
    }

    @Test
    void anUnverifiedOrOldBackupIsTheBannersWarnOrFailAndStaysWhileTheFoldersCannotBeRead() {
        attach();
        badgeIs("warn", "warn");
        assertEquals(BackupListing.Rpo.MET_UNVERIFIED, vm.rpoStateProperty().get());
        files = List.of(new RemoteShell.RemoteFile("selfology_full_20261121_020000.sql.gz", 500_000, Instant.parse("2026-11-21T02:00:04Z"), false));
        vm.refresh();
        badgeIs("fail", "fail");
        assertEquals(BackupListing.Rpo.NOT_MET, vm.rpoStateProperty().get());
        up = false;
        vm.refresh();
        ui.await("stale", Duration.ofSeconds(10), () -> vm.staleProperty().get());
        assertEquals("fail", badge().state(), "a known fail stays: " + badge());
    }

    @Test
    void nothingReadYetAndTheFoldersUnreadableTheBadgeIsUnknown() {
        up = false;
        vm.attach(new BackupsService(env, shell, VerificationResults.NONE, audit, "me@here", clock, Runnable::run));
        badgeIs("unknown", "down");
        assertTrue(badge().tooltip().startsWith("RPO unknown: the backup folders could not be read (no answer yet: "), badge().tooltip());
    }

    /**
     * Hidden, the pane lists nothing, and its badge stood on its last read: "ok" beside the status bar's "SSH down". The
     * header's health makes what it read through SSH or the Backups probe unknown, never green; back up, it is its last
     * read again.
     */
    @Test
    void hiddenItsBadgeIsNeverOkWhileASourceItReadsThroughIsDown() {
        vm.attach(new BackupsService(env, shell, fullVerified, audit, "me@here", clock, Runnable::run));
        badgeIs("pass", "ok");
        vm.hidden();
        vm.health(health("ref", 1, io.dutydesk.core.Backend.SSH));
        assertEquals("unknown", badge().state(), badge().toString());
        assertFalse(vm.paneState().get().shown());
        assertTrue(badge().tooltip().contains("SSH down; last answer at 12:00:00"), badge().tooltip());
        vm.health(health("ref", 2));
        assertEquals("pass", badge().state(), "back up: its last read");
        vm.health(health("ref", 3, io.dutydesk.core.Backend.BACKUPS));
        assertEquals("unknown", badge().state(), "the folders are read through the Backups probe's path");
        vm.health(health("ref", 4, io.dutydesk.core.Backend.POSTGRES));
        assertEquals("pass", badge().state(), "nothing of the pane's state is read through PostgreSQL");
    }

    /**
     * A read that failed while the pane was shown (SSH down), the pane then hidden: when SSH answers again it reads once
     * and its badge comes back ("ok"), though hidden; it stayed "?" from that failure until the pane was shown again — the
     * window trial saw "Backups ?" in the navigation minutes after sshd was back. It still reads nothing at the interval.
     */
    @Test
    void hiddenAfterAFailedReadItReadsOnceWhenItsSourcesAnswerAgain() {
        vm.attach(new BackupsService(env, shell, fullVerified, audit, "me@here", clock, Runnable::run));
        badgeIs("pass", "ok");
        vm.health(health("ref", 1, io.dutydesk.core.Backend.SSH));
        up = false;
        vm.refresh();
        ui.await("the read failed", Duration.ofSeconds(10), () -> vm.problemProperty().get() != null
                && vm.problemProperty().get().contains("no such file or folder"));
        badgeIs("unknown", "?");
        vm.hidden();
        int before = lists.get();
        up = true;
        vm.health(health("ref", 2)); // SSH answers again
        badgeIs("pass", "ok");
        assertEquals(before + 1, lists.get(), "one read");
        assertFalse(vm.paneState().get().shown(), "still hidden");
        vm.health(health("ref", 3, io.dutydesk.core.Backend.SSH));
        vm.health(health("ref", 4)); // its last read succeeded: nothing read while hidden
        assertEquals(before + 1, lists.get());
    }

    /**
     * The header's health is the shown environment's only, and the Backups probe answering without the folders the
     * environments file names (MISCONFIGURED) means they cannot be listed as named, as one down: the Backups pane took
     * only DOWN (its badge said "ok" beside the status bar's "Backups misconfigured") and took every environment's health
     * as its own, where the Outbox pane's did both right.
     */
    @Test
    void aSourceMisconfiguredMakesTheBadgeUnknownAndAnotherEnvironmentsHealthIsNotIts() {
        vm.attach(new BackupsService(env, shell, fullVerified, audit, "me@here", clock, Runnable::run));
        badgeIs("pass", "ok");
        vm.hidden();
        vm.health(health("prod", 1, io.dutydesk.core.Backend.SSH));
        assertEquals("pass", badge().state(), "another environment's SSH down says nothing of this one: " + badge());
        assertFalse(vm.staleProperty().get());
        assertNull(vm.actionsOffProperty().get(), "nothing of this environment is down: its actions stay on");

        String missing = "/var/backups/selfology: no such file or folder";
        vm.health(health("ref", 2, io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED, missing, io.dutydesk.core.Backend.BACKUPS));
        assertEquals("unknown", badge().state(), "the folders cannot be listed as the file names them: " + badge());
        assertEquals(BackupListing.Rpo.UNKNOWN, vm.rpoStateProperty().get(), "the banner says unknown too");
        assertTrue(vm.staleProperty().get());
        assertTrue(badge().tooltip().contains("Backups misconfigured; last good answer at 12:00:00: " + missing), badge().tooltip());
        vm.health(health("prod", 3));
        assertEquals("unknown", badge().state(), "another environment's all answering says nothing of this one: " + badge());
        vm.health(health("ref", 4));
        assertEquals("pass", badge().state(), "this one's all answering: its last read again");
        vm.health(health("ref", 5, io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED, "no such table", io.dutydesk.core.Backend.POSTGRES));
        assertEquals("pass", badge().state(), "nothing of the pane's state is read through PostgreSQL");
    }

    /** A known fail stays while a source the folders are read through is misconfigured: unknown is never better than it. */
    @Test
    void aKnownFailStaysWhileASourceIsMisconfigured() {
        files = List.of(new RemoteShell.RemoteFile("selfology_full_20261121_020000.sql.gz", 500_000, Instant.parse("2026-11-21T02:00:04Z"), false));
        attach();
        badgeIs("fail", "fail");
        vm.hidden();
        vm.health(health("ref", 1, io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED, "permission denied", io.dutydesk.core.Backend.SSH));
        assertTrue(vm.staleProperty().get(), "the listing is stale");
        assertEquals("fail", badge().state(), "a known fail stays: " + badge());
    }
}
