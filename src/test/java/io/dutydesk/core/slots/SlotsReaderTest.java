package io.dutydesk.core.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.RemoteShell;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The polls' live-slot read (a file over SFTP, no exec), the actions' (the command), a read shared, Docker's filter. */
class SlotsReaderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private static Environment env(String deployExtra, String slotsExtra) {
        return EnvironmentsFile.parse(Path.of("test.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1, user: deploy }
                    deploy:
                      workdir: /srv/app
                      liveSlotCommand: curl -fsS http://127.0.0.1:8080/live-upstream
                      liveSlotPattern: '^(\\w+)'
                """ + deployExtra + slotsExtra).require("ref");
    }

    /** Counts what the reader asks the server; the file's answer can be held back. */
    static final class Shell implements RemoteShell {
        final List<String> commands = new CopyOnWriteArrayList<>();
        final List<String> reads = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<byte[]> file = CompletableFuture.completedFuture("green\n".getBytes(StandardCharsets.UTF_8));

        @Override
        public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
            commands.add(command);
            return CompletableFuture.completedFuture(new ExecResult(0, "blue\n", "", Duration.ofMillis(3)));
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            reads.add(path);
            return file;
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }
    }

    static final class Containers implements ContainersPort {
        final List<Selection> asked = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<List<ContainerInfo>> containers() {
            return CompletableFuture.failedFuture(new AssertionError("the reader asks for its selection only"));
        }

        @Override
        public CompletableFuture<List<ContainerInfo>> containers(Selection selection) {
            asked.add(selection);
            return CompletableFuture.completedFuture(List.of(new ContainerInfo("id1", "selfology-outbox-relay-green",
                    "selfology/relay:v2", "running", "healthy", CLOCK.instant(), 0, Map.of())));
        }

        @Override
        public CompletableFuture<LogStream> logs(String c, int t, boolean f, RemoteShell.OutputListener l) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }

        @Override
        public CompletableFuture<Void> restart(String c, Duration d) {
            return CompletableFuture.failedFuture(new IOException("unused"));
        }
    }

    private final Shell shell = new Shell();
    private final Containers containers = new Containers();

    @Test
    void aPollReadsTheLiveSlotFileOverSftpWithoutAnExec() {
        SlotsReader r = new SlotsReader(env("      liveSlotFile: /srv/app/state/active_slot\n", ""), containers, shell, CLOCK);
        SlotsSnapshot s = r.read().join();
        assertEquals("green", s.liveSlot());
        assertEquals(List.of("/srv/app/state/active_slot"), shell.reads);
        assertEquals(List.of(), shell.commands, "no exec for a poll");
        assertTrue(s.slot("green").orElseThrow().services().stream().anyMatch(x -> x.container().isPresent()), "the containers are in it");
    }

    @Test
    void anActionAsksTheServersCommandNotTheFile() {
        SlotsReader r = new SlotsReader(env("      liveSlotFile: /srv/app/state/active_slot\n", ""), containers, shell, CLOCK);
        assertEquals("blue", r.readForAction().join().liveSlot());
        assertEquals(List.of("cd /srv/app && curl -fsS http://127.0.0.1:8080/live-upstream"), shell.commands);
        assertEquals(List.of(), shell.reads);
    }

    @Test
    void withoutAFileThePollRunsTheCommand() {
        SlotsReader r = new SlotsReader(env("", ""), containers, shell, CLOCK);
        assertEquals("blue", r.read().join().liveSlot());
        assertEquals(1, shell.commands.size());
        assertEquals(List.of(), shell.reads);
    }

    @Test
    void aFileThatDoesNotSaySaysSo() {
        shell.file = CompletableFuture.completedFuture("  \n".getBytes(StandardCharsets.UTF_8));
        SlotsReader r = new SlotsReader(env("      liveSlotFile: /srv/app/state/active_slot\n", ""), containers, shell, CLOCK);
        Throwable e = assertThrows(java.util.concurrent.CompletionException.class, () -> r.read().join()).getCause();
        assertTrue(e.getMessage().contains("/srv/app/state/active_slot (deploy.liveSlotFile) does not say which slot is live"), e.getMessage());
    }

    @Test
    void pollsThatAskWhileAReadRunsShareItAndACancelLeavesTheOther() {
        CompletableFuture<byte[]> held = new CompletableFuture<>();
        shell.file = held;
        SlotsReader r = new SlotsReader(env("      liveSlotFile: /srv/app/state/active_slot\n", ""), containers, shell, CLOCK);
        CompletableFuture<SlotsSnapshot> slotsPane = r.read();
        CompletableFuture<SlotsSnapshot> relay = r.read();
        assertEquals(1, shell.reads.size(), "one read of the server for both polls");
        assertEquals(1, containers.asked.size());
        slotsPane.cancel(true); // e.g. the pane's poll timed out
        held.complete("green".getBytes(StandardCharsets.UTF_8));
        assertEquals("green", relay.join().liveSlot());
        assertFalse(relay.isCompletedExceptionally());
        r.read().join();
        assertEquals(2, shell.reads.size(), "a read that ended is not reused");
    }

    @Test
    void dockerIsAskedForTheEnvironmentsContainersByNameOrByLabel() {
        new SlotsReader(env("", ""), containers, shell, CLOCK).read().join();
        ContainersPort.Selection byName = containers.asked.get(0);
        assertEquals(8, byName.names().size());
        assertTrue(byName.names().contains("selfology-outbox-relay-green"), byName.toString());
        assertEquals(List.of(), byName.labelKeys());

        new SlotsReader(env("", "    slots: { slotLabel: app.slot, serviceLabel: app.service }\n"), containers, shell, CLOCK).read().join();
        ContainersPort.Selection byLabel = containers.asked.get(1);
        assertEquals(List.of("app.slot", "app.service"), byLabel.labelKeys());
        assertTrue(byLabel.matches(new ContainersPort.ContainerInfo("x", "any", "i:v", "running", "none", null, 0,
                Map.of("app.slot", "blue", "app.service", "api"))));
        assertFalse(byLabel.matches(new ContainersPort.ContainerInfo("x", "any", "i:v", "running", "none", null, 0,
                Map.of("app.slot", "blue"))));
    }
}
