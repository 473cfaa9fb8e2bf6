package io.dutydesk.ui.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.OutboxPort;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import io.dutydesk.ui.fx.HeaderNote;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, window trial: the maintenance lock was shown only inside the Slots pane. The Slots pane's model gives the
 * window's header the selected environment's lock whichever pane is shown (the shell binds {@code headerNote()}):
 * held → "LOCKED by HOLDER since HH:mm: MESSAGE", released → nothing, unreadable → "lock state unknown", and an
 * environment switch never shows the previous environment's lock. Over the real lock scripts in a local sh. The models run
 * on a {@link UiQueue}: one thread, this one, as on the FX thread (with {@code Runnable::run} the lock reads' threads set
 * the header while the test read it).
 */
class HeaderLockTest {
    @TempDir
    Path tmp;

    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final UiQueue ui = new UiQueue();
    final LocalFolderShell server = new LocalFolderShell();
    final MemoryAuditLog audit = MemoryAuditLog.create();

    final ContainersPort containers = new ContainersPort() {
        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            Instant t = Instant.now().minusSeconds(600);
            return CompletableFuture.completedFuture(List.of(
                    new ContainerInfo("1", "lifeos-app-1", "lifeos/app:v1.0.0", "running", "healthy", t, 0, Map.of()),
                    new ContainerInfo("2", "lifeos-worker-1", "lifeos/worker:v1.0.0", "running", "healthy", t, 0, Map.of())));
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration t) {
            return CompletableFuture.completedFuture(null);
        }
    };

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    Map<String, Environment> envs() {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  life:
                    ssh: { host: 127.0.0.1 }
                    deploy: { model: single, workdir: %1$s, stateDir: %1$s/life }
                    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }
                    backups: { folders: [ %1$s/b ] }
                  prod:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %1$s
                      stateDir: %1$s/prod
                      liveSlotCommand: "echo 'Active Slot:   blue'"
                  staging:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %1$s
                      stateDir: %1$s/staging
                      liveSlotCommand: "echo 'Active Slot:   blue'"
                """.formatted(tmp)).environments();
    }

    EnvironmentHandle handle(Environment env) {
        return new EnvironmentHandle() {
            public Environment environment() { return env; }
            public List<BackendProbe> probes() { return List.of(); }
            public RemoteShell shell() { return server; }
            public ContainersPort containers() { return containers; }
            public OutboxPort outbox() { return () -> CompletableFuture.completedFuture(Map.of("pending", 0L)); }
            public void close() { }
        };
    }

    SlotsPaneModel model() {
        SlotsViewModel slots = new SlotsViewModel(ui, scheduler, Clock.systemUTC(), h -> {
            Environment e = h.environment();
            SlotsReader r = new SlotsReader(e, h.containers(), h.shell(), Clock.systemUTC());
            return new SlotsContext(e, r, new RolloutService(e, r, h.outbox(), h.containers(), h.shell(), audit, "me@here",
                    Clock.systemUTC()), h.containers(), audit);
        });
        return new SlotsPaneModel(slots, new SingleStackViewModel(ui, scheduler, Clock.systemUTC(), audit, "me@here"));
    }

    MaintenanceLock lockBy(String actor, Environment env, String message) {
        SlotsReader r = new SlotsReader(env, containers, server, Clock.systemUTC());
        return new RolloutService(env, r, () -> CompletableFuture.completedFuture(Map.of("pending", 0L)), containers, server, audit, actor,
                Clock.systemUTC()).maintenance().lock(message).join();
    }

    MaintenanceLock singleLockBy(String actor, Environment env, String message) {
        return new SingleService(env, new io.dutydesk.core.deploy.DockerHostEngine(env, containers, server, Clock.systemUTC()),
                () -> CompletableFuture.completedFuture(Map.of("pending", 0L)), server,
                () -> CompletableFuture.failedFuture(new IllegalStateException("unused")), audit, actor, Clock.systemUTC())
                .maintenance().lock(message).join();
    }

    /** "since 09:12" (or "since Dec 3" when the read came after midnight: never a test that fails once). */
    static boolean saysSince(String text, MaintenanceLock l) {
        return List.of("HH:mm", "MMM d").stream().map(p -> "since " + DateTimeFormatter.ofPattern(p, java.util.Locale.ROOT).withZone(ZoneId.systemDefault())
                .format(l.since()) + ":").anyMatch(text::contains);
    }

    static String text(SlotsPaneModel m) {
        return m.headerNote().getValue().text();
    }

    @Test
    void theChipSaysTheTimeOfATodaysLockAndTheDayOfAnOlderOne() {
        MaintenanceLock l = new MaintenanceLock("20260301-091200-lock-0a1b2c3d", "alice@ws1", "db migration", Instant.parse("2026-03-01T09:12:00Z"));
        ZoneId utc = ZoneId.of("UTC");
        assertEquals("LOCKED by alice@ws1 since 09:12: db migration",
                MaintenanceViewModel.header("prod", l, utc, Instant.parse("2026-03-01T15:00:00Z")).text());
        assertEquals("LOCKED by alice@ws1 since Mar 1: db migration",
                MaintenanceViewModel.header("prod", l, utc, Instant.parse("2026-03-02T00:30:00Z")).text());
        assertEquals("prod is locked for maintenance by alice@ws1 since 2026-03-01 09:12:00 UTC: \"db migration\" (lock "
                        + "20260301-091200-lock-0a1b2c3d): every action on it, from any console, is refused until it is unlocked "
                        + "(Slots ▸ Maintenance, or dutydesk unlock --env prod)",
                MaintenanceViewModel.header("prod", l, utc, Instant.parse("2026-03-02T00:30:00Z")).detail());
    }

    @Test
    void aBlueGreenLockIsInTheHeaderWhileTheSlotsPaneIsHiddenAndGoesWithTheUnlock() {
        Map<String, Environment> envs = envs();
        Environment prod = envs.get("prod");
        try (SlotsPaneModel m = model()) {
            m.hidden(); // another pane is shown
            m.attach(prod, handle(prod));
            ui.await("read", Duration.ofSeconds(5), () -> !text(m).startsWith("lock state: reading"));
            assertEquals(HeaderNote.NONE, m.headerNote().getValue(), "not locked: nothing in the header");

            MaintenanceLock theirs = lockBy("alice@ws1", prod, "db migration");
            m.refresh(); // the poll's read (every READ_EVERY with the slots' reads, which go on while hidden)
            ui.await("the lock in the header", Duration.ofSeconds(5), () -> text(m).startsWith("LOCKED by alice@ws1 since "));
            assertTrue(saysSince(text(m), theirs) && text(m).endsWith(": db migration"), text(m));
            HeaderNote n = m.headerNote().getValue();
            assertEquals("warn", n.state());
            assertTrue(n.detail().startsWith("prod is locked for maintenance by alice@ws1 since "), n.detail());
            assertTrue(n.detail().contains("\"db migration\"") && n.detail().contains("refused"), n.detail());

            m.maintenance().unlock(theirs, true).join();
            ui.await("released: gone", Duration.ofSeconds(5), () -> HeaderNote.NONE.equals(m.headerNote().getValue()));
        }
    }

    @Test
    void aSingleStacksLockIsInTheHeaderAndTheSwitchToAnotherEnvironmentNeverShowsIt() {
        Map<String, Environment> envs = envs();
        Environment life = envs.get("life");
        Environment prod = envs.get("prod");
        Environment staging = envs.get("staging");
        MaintenanceLock theirs = singleLockBy("bob@ws2", life, "disk swap until 18:00");
        lockBy("carol@ws3", staging, "staging rebuild");
        try (SlotsPaneModel m = model()) {
            m.hidden();
            m.attach(life, handle(life));
            ui.await("the single stack's lock", Duration.ofSeconds(5), () -> text(m).startsWith("LOCKED by bob@ws2 since "));
            assertTrue(saysSince(text(m), theirs) && text(m).endsWith(": disk swap until 18:00"), text(m));

            // blue-green prod is not locked: the header must not keep life's lock
            m.attach(prod, handle(prod));
            assertTrue(text(m).isEmpty() || text(m).startsWith("lock state: reading"), text(m));
            ui.await("prod read", Duration.ofSeconds(5), () -> HeaderNote.NONE.equals(m.headerNote().getValue()));

            // blue-green staging is locked, then back to prod: staging's lock goes at once
            m.attach(staging, handle(staging));
            ui.await("staging's lock", Duration.ofSeconds(5), () -> text(m).startsWith("LOCKED by carol@ws3 since "));
            assertTrue(text(m).endsWith(": staging rebuild"), text(m));
            m.attach(prod, handle(prod));
            assertTrue(!text(m).startsWith("LOCKED"), "prod never shows staging's lock: " + text(m));
            ui.await("prod read", Duration.ofSeconds(5), () -> HeaderNote.NONE.equals(m.headerNote().getValue()));

            m.detach();
            assertEquals(HeaderNote.NONE, m.headerNote().getValue(), "no environment: nothing");
        }
    }

    /**
     * The blue-green slots' read failing (SSH down) reads the lock at once: it cannot be read either, and the header says
     * "lock state unknown" — not nothing, which reads "not locked" — until a read of it succeeds again. The lock was read
     * only when a slots read succeeded: the window trial at 3 a.m. with sshd stopped showed ref's header without a word of
     * the lock, where ref-single's said "lock state unknown".
     */
    @Test
    void aBlueGreenLockIsUnknownInTheHeaderOnceTheSlotsCannotBeReadAndReadAgainAfter() {
        Environment prod = envs().get("prod");
        try (SlotsPaneModel m = model()) {
            m.hidden();
            m.attach(prod, handle(prod));
            ui.await("read", Duration.ofSeconds(5), () -> !text(m).startsWith("lock state: reading"));
            assertEquals(HeaderNote.NONE, m.headerNote().getValue(), "not locked: nothing in the header");

            // the server stops answering: the slots' next poll fails, and so would any read of the lock
            server.execute = false;
            server.unreadable.add(tmp.resolve("prod").resolve("maintenance").toString());
            m.slots().refresh(); // the slots' next poll
            ui.await("the slots' read failed", Duration.ofSeconds(5), () -> m.slots().problemProperty().get() != null);
            ui.await(() -> "the lock unknown in the header, not nothing: " + m.headerNote().getValue(), Duration.ofSeconds(5),
                    () -> "lock state unknown".equals(text(m)));

            // back: the next successful slots read reads the lock again at once (not READ_EVERY after the failed one)
            server.execute = true;
            server.unreadable.clear();
            m.slots().refresh();
            ui.await(() -> "the lock read again: " + m.headerNote().getValue(), Duration.ofSeconds(5),
                    () -> HeaderNote.NONE.equals(m.headerNote().getValue()));
        }
    }

    @Test
    void aLockThatCannotBeReadIsUnknownInTheHeaderNeverNothing() throws Exception {
        Map<String, Environment> envs = envs();
        // the lock file cannot be read over SFTP (a folder in its place) and the shell's read fails too
        Files.createDirectories(tmp.resolve("life").resolve("maintenance"));
        Files.createDirectories(tmp.resolve("prod").resolve("maintenance"));
        server.execute = false;
        for (String name : List.of("life", "prod")) {
            Environment env = envs.get(name);
            try (SlotsPaneModel m = model()) {
                m.hidden();
                m.attach(env, handle(env));
                ui.await(name + " unknown", Duration.ofSeconds(5), () -> "lock state unknown".equals(text(m)));
                assertEquals("warn", m.headerNote().getValue().state());
                assertTrue(m.headerNote().getValue().detail().startsWith("The maintenance lock of " + name + " cannot be read: "),
                        m.headerNote().getValue().detail());
            }
        }
    }
}
