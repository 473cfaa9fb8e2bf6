package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maintenance lock on the reference host, from two workstations (two CLI processes, each its own host name and
 * audit log): the lock refuses the other's action before anything runs, with its message; after the unlock it runs.
 */
class MaintenanceLockIT {
    private static final Duration T = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private static Path maintenanceFile() {
        return RefHost.serverHome().resolve(".dutydesk/maintenance");
    }

    @AfterEach
    void neverLeaveTheReferenceHostLocked() throws Exception {
        Files.deleteIfExists(maintenanceFile());
    }

    private static long actionCount() throws Exception {
        Path d = RefHost.serverHome().resolve(".dutydesk/actions");
        if (!Files.isDirectory(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.toString().endsWith(".meta")).count();
        }
    }

    /** The CLI of workstation {@code ws}: its host name (the actor's @host) and its audit log. */
    private RefHost.Result cli(String ws, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--env", "ref", "--config", RefHost.patientConfig(tmp).toString()));
        return RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_AUDIT_LOG", audit(ws).toString(), "HOSTNAME", ws), all.toArray(String[]::new));
    }

    private Path audit(String ws) {
        return tmp.resolve(ws + "-audit.jsonl");
    }

    private static JsonNode json(RefHost.Result r) throws Exception {
        return new ObjectMapper().readTree(r.stdout());
    }

    @Test
    void theLockRefusesAnotherWorkstationsActionWithItsMessageAndLetsItRunAfterTheUnlock() throws Exception {
        String message = "DB maintenance until 18:00 — ask alice";
        RefHost.Result lock = cli("ws-a", "lock", "--message", message, "--json");
        assertEquals(0, lock.exitCode(), lock.stdout() + lock.stderr());
        JsonNode l = json(lock);
        assertTrue(l.get("locked").asBoolean());
        String owner = l.get("owner").asText();
        assertTrue(owner.endsWith("@ws-a"), owner);
        assertTrue(Files.exists(maintenanceFile()), "the lock lives on the server");

        // a second lock is refused, naming the first
        RefHost.Result again = cli("ws-b", "lock", "--message", "mine", "--json");
        assertEquals(1, again.exitCode(), again.stdout() + again.stderr());
        assertTrue(again.stderr().contains("already locked for maintenance by " + owner), again.stderr());

        // another workstation's status says it is locked (its rollback may read READY: every action is refused all the same)
        RefHost.Result st = cli("ws-b", "status", "--json");
        assertEquals(owner, json(st).get("maintenance").get("owner").asText(), st.stdout() + st.stderr());
        assertEquals(message, json(st).get("maintenance").get("message").asText());

        // another workstation's switch: refused before anything runs, with the holder, the message and since when
        String live = RefHost.nginx("/live-upstream");
        long actions = actionCount();
        RefHost.Result sw = cli("ws-b", "switch", "--yes", "--json");
        assertEquals(1, sw.exitCode(), sw.stdout() + sw.stderr());
        assertTrue(sw.stderr().contains("ref is locked for maintenance by " + owner + " since "), sw.stderr());
        assertTrue(sw.stderr().contains("\"" + message + "\""), sw.stderr());
        assertTrue(json(sw).get("refused").asBoolean());
        assertEquals(live, RefHost.nginx("/live-upstream"), "traffic did not move");
        assertEquals(actions, actionCount(), "no job was started on the server");
        List<AuditEntry> b = io.dutydesk.core.audit.AuditRows.fold(new JsonlAuditLog(audit("ws-b")).recent(50).join(), id -> false);
        AuditEntry refused = b.get(b.size() - 1);
        assertEquals("switch", refused.action());
        assertEquals("refused", refused.result());
        assertTrue(refused.message().contains(message), refused.message());

        // the other workstation releases it (someone else's lock: --yes stands for the typed name here), audited
        RefHost.Result unlock = cli("ws-b", "unlock", "--yes", "--json");
        assertEquals(0, unlock.exitCode(), unlock.stdout() + unlock.stderr());
        assertTrue(unlock.stderr().contains("this lock is " + owner + "'s, not yours"), unlock.stderr());
        assertFalse(Files.exists(maintenanceFile()));
        List<AuditEntry> b2 = io.dutydesk.core.audit.AuditRows.fold(new JsonlAuditLog(audit("ws-b")).recent(50).join(), id -> false);
        AuditEntry released = b2.get(b2.size() - 1);
        assertEquals("unlock", released.action());
        assertEquals("succeeded", released.result());
        assertTrue(released.message().contains(owner + "'s lock, released by "), released.message());
        List<AuditEntry> a = io.dutydesk.core.audit.AuditRows.fold(new JsonlAuditLog(audit("ws-a")).recent(50).join(), id -> false);
        assertEquals(List.of("lock"), a.stream().map(AuditEntry::action).toList());
        assertEquals("succeeded", a.get(0).result());

        // now it runs; then back, leaving traffic where it was
        RefHost.Result ran = cli("ws-b", "switch", "--yes", "--json");
        assertEquals(0, ran.exitCode(), ran.stdout() + ran.stderr());
        assertFalse(live.equals(RefHost.nginx("/live-upstream")));
        RefHost.Result back = cli("ws-b", "switch", "--yes", "--json");
        assertEquals(0, back.exitCode(), back.stdout() + back.stderr());
        assertEquals(live, RefHost.nginx("/live-upstream"));
    }

    @Test
    void anUnlockWhenNothingIsLockedSaysSoAndALockWithoutAMessageIsRefusedBeforeConnecting() throws Exception {
        RefHost.Result none = cli("ws-a", "unlock", "--yes");
        assertEquals(1, none.exitCode(), none.stdout() + none.stderr());
        assertTrue(none.stderr().contains("ref is not locked"), none.stderr());
        RefHost.Result noMessage = cli("ws-a", "lock");
        assertEquals(2, noMessage.exitCode());
        assertTrue(noMessage.stderr().contains("lock needs --message TEXT"), noMessage.stderr());
        assertFalse(Files.exists(maintenanceFile()));
    }
}
