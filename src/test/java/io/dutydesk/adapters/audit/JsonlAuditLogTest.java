package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonlAuditLogTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theLogAndTheFoldersItCreatesAreTheUsersAlone() throws Exception {
        Path file = tmp.resolve("state/dutydesk/audit.jsonl");
        JsonlAuditLog log = new JsonlAuditLog(file);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        log.append(new AuditEntry("20260101-000000-rollback-0a1b2c3d", "me@h", "prod", "rollback", List.of(), t, null, null,
                null, "started", "blue", null, "started")).join();
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(file.getParent()));
        assertEquals("rwx------", mode(file.getParent().getParent()));
        assertEquals(1, log.recent(10).join().size());
    }

    @Test
    void anExistingLogIsMadePrivate() throws Exception {
        Path file = tmp.resolve("audit.jsonl");
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new JsonlAuditLog(file).append(new AuditEntry(null, "me@h", "prod", "deploy", List.of("v1"), Instant.now(),
                Instant.now(), null, null, "refused", null, null, "bad")).join();
        assertEquals("rw-------", mode(file));
    }
}
