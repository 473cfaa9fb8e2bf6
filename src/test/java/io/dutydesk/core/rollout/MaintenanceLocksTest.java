package io.dutydesk.core.rollout;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.LocalFolderShell;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maintenance lock through the real scripts in a local sh (the state folder a temporary one): two consoles of
 * different workstations (alice@ws1, bob@ws2) sharing one server and one audit log each.
 */
class MaintenanceLocksTest {
    @TempDir
    Path tmp;

    final Clock clock = Clock.fixed(Instant.parse("2026-12-03T16:10:00Z"), ZoneOffset.UTC);
    final LocalFolderShell server = new LocalFolderShell();
    final MemoryAuditLog aliceAudit = MemoryAuditLog.create();
    final MemoryAuditLog bobAudit = MemoryAuditLog.create();

    Environment env() {
        return EnvironmentsFile.parse(tmp.resolve("environments.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %s
                      stateDir: %s
                """.formatted(tmp, tmp.resolve("state"))).require("ref");
    }

    MaintenanceLocks locks(String actor, MemoryAuditLog audit) {
        Environment env = env();
        return new MaintenanceLocks(env, server, new DetachedActions(env, server, audit, actor, clock), actor, clock);
    }

    DetachedActions.Outcome run(String actor, MemoryAuditLog audit, String command) {
        Environment env = env();
        var req = new DetachedActions.Request("switch", List.of(), command, Optional.empty(), "blue");
        return new DetachedActions(env, server, audit, actor, clock).run(req, RemoteShell.OutputListener.NONE, s -> { }).join();
    }

    @Test
    void whileLockedAnotherWorkstationsActionIsRefusedWithTheHolderTheMessageAndSinceWhenAndRunsAfterTheUnlock() throws Exception {
        MaintenanceLock l = locks("alice@ws1", aliceAudit).lock("db migration until 17:00").join();
        assertEquals("alice@ws1", l.actor());
        assertEquals(Optional.of(l), locks("bob@ws2", bobAudit).read().join(), "the lock lives on the server: any console reads it");

        DetachedActions.Outcome o = run("bob@ws2", bobAudit, "touch ran");
        assertEquals(DetachedActions.End.BUSY, o.end());
        assertEquals("ref is locked for maintenance by alice@ws1 since 2026-12-03 16:10:00 UTC: \"db migration until 17:00\" (lock "
                + l.id() + "); nothing was run (unlock with: dutydesk unlock --env ref)", o.refusal());
        assertFalse(Files.exists(tmp.resolve("ran")), "nothing ran");
        assertFalse(Files.exists(tmp.resolve("state/actions/" + o.id() + ".meta")), "refused before anything was written for it");

        // bob's unlock of alice's lock without the typed confirmation: refused before anything runs, audited
        var e = assertThrows(CompletionException.class, () -> locks("bob@ws2", bobAudit).unlock(l, false).join());
        assertEquals(RolloutException.Kind.BLOCKED, assertInstanceOf(RolloutException.class, e.getCause()).kind());
        assertEquals("refused", last(bobAudit).result());
        assertEquals(Optional.of(l), locks("bob@ws2", bobAudit).read().join(), "still held");

        locks("bob@ws2", bobAudit).unlock(l, true).join();
        AuditEntry done = last(bobAudit);
        assertEquals("unlock", done.action());
        assertEquals("succeeded", done.result());
        assertTrue(done.message().contains("alice@ws1's lock, released by bob@ws2 after typing the environment's name"), done.message());
        assertEquals(Optional.empty(), locks("alice@ws1", aliceAudit).read().join());

        assertEquals(DetachedActions.End.EXITED, run("bob@ws2", bobAudit, "touch ran").end());
        assertTrue(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void theLocksTakeAndReleaseAreAuditedAndCompletedFromTheServerWhenTheConsoleDied() {
        MaintenanceLock l = locks("alice@ws1", aliceAudit).lock("patching").join();
        List<AuditEntry> lock = aliceAudit.entries.stream().filter(x -> l.id().equals(x.actionId())).toList();
        assertEquals(List.of("started", "succeeded"), lock.stream().map(AuditEntry::result).toList());
        // the server keeps the lock's exit file: an audit entry a killed console left open is completed from it
        assertTrue(server.exec(ActionScripts.states(tmp.resolve("state").toString(), List.of(l.id())), java.time.Duration.ofSeconds(10),
                RemoteShell.OutputListener.NONE).join().stdout().contains(l.id() + " exit 0"));
    }

    @Test
    void aSecondLockIsRefusedNamingTheFirstAndAnUnlockOfALockThatChangedSinceIsRefused() {
        MaintenanceLock first = locks("alice@ws1", aliceAudit).lock("first").join();
        var e = assertThrows(CompletionException.class, () -> locks("bob@ws2", bobAudit).lock("second").join());
        assertTrue(e.getCause().getMessage().startsWith("refused: ref is already locked for maintenance by alice@ws1 since "),
                e.getCause().getMessage());
        assertEquals("refused", last(bobAudit).result());

        locks("alice@ws1", aliceAudit).unlock(first, false).join();
        MaintenanceLock second = locks("alice@ws1", aliceAudit).lock("second").join();
        // bob confirmed the first lock's release; it is another lock now: nothing removed
        var stale = assertThrows(CompletionException.class, () -> locks("bob@ws2", bobAudit).unlock(first, true).join());
        assertEquals(RolloutException.Kind.STALE, assertInstanceOf(RolloutException.class, stale.getCause()).kind());
        assertTrue(stale.getCause().getMessage().contains("the maintenance lock is now " + second.id()), stale.getCause().getMessage());
        assertEquals(Optional.of(second), locks("bob@ws2", bobAudit).read().join());
    }

    @Test
    void aLockIsNotTakenWhileAnActionRuns() throws Exception {
        Environment env = env();
        var req = new DetachedActions.Request("switch", List.of(), "while [ ! -f " + tmp.resolve("go") + " ]; do sleep 0.05; done",
                Optional.empty(), "blue");
        var running = new DetachedActions(env, server, aliceAudit, "alice@ws1", clock).run(req, RemoteShell.OutputListener.NONE, s -> { });
        io.dutydesk.testing.Eventually.await("the action runs", java.time.Duration.ofSeconds(10),
                () -> server.exec(ActionScripts.current(tmp.resolve("state").toString()), java.time.Duration.ofSeconds(5),
                        RemoteShell.OutputListener.NONE).join().stdout().contains(ActionScripts.BUSY));
        var e = assertThrows(CompletionException.class, () -> locks("bob@ws2", bobAudit).lock("now").join());
        assertTrue(e.getCause().getMessage().startsWith("refused: an action is running on ref"), e.getCause().getMessage());
        Files.writeString(tmp.resolve("go"), "");
        assertEquals(DetachedActions.End.EXITED, running.join().end());
        assertEquals(Optional.empty(), locks("bob@ws2", bobAudit).read().join());
    }

    @Test
    void aMessageMustBeOneLineOfTextAndIsRefusedBeforeAnythingRuns() {
        server.commands.clear();
        var e = assertThrows(CompletionException.class, () -> locks("alice@ws1", aliceAudit).lock("two\nlines").join());
        assertEquals(RolloutException.Kind.INVALID_INPUT, assertInstanceOf(RolloutException.class, e.getCause()).kind());
        assertThrows(CompletionException.class, () -> locks("alice@ws1", aliceAudit).lock("  ").join());
        assertEquals(List.of(), server.commands, "nothing sent");
        assertEquals(List.of("refused", "refused"), aliceAudit.entries.stream().map(AuditEntry::result).toList());
    }

    @Test
    void aShortChangeUnderTheLockIsRefusedToo() throws Exception {
        MaintenanceLock l = locks("alice@ws1", aliceAudit).lock("m'aint\"enance $(touch pwned)").join();
        String out = server.exec(ActionScripts.lockOrBusy(tmp.resolve("state").toString()) + "echo changed", java.time.Duration.ofSeconds(10),
                RemoteShell.OutputListener.NONE).join().stdout();
        assertFalse(out.contains("changed"), out);
        assertEquals(Optional.of(l), MaintenanceLock.in(out));
        assertEquals("m'aint\"enance $(touch pwned)", l.message());
        assertFalse(Files.exists(tmp.resolve("pwned")) || Files.exists(Path.of("pwned")), "the message is data, never code");
    }

    private static AuditEntry last(MemoryAuditLog a) {
        return a.entries.get(a.entries.size() - 1);
    }

    /** The refusal's protocol line (the lock's raw meta) is the console's to read, never shown as the job's output. */
    @Test
    void aRefusalShowsTheHolderInWordsNeverTheProtocolLine() {
        locks("alice@ws1", aliceAudit).lock("disk swap").join();
        Environment env = env();
        List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        var req = new DetachedActions.Request("switch", List.of(), "touch ran", Optional.empty(), "blue");
        DetachedActions.Outcome o = new DetachedActions(env, server, bobAudit, "bob@ws2", clock).run(req, (stderr, line) -> shown.add(line),
                s -> { }).join();
        assertEquals(DetachedActions.End.BUSY, o.end());
        assertTrue(shown.stream().noneMatch(l -> l.startsWith("@@DUTYDESK-")), shown.toString());
    }
}
