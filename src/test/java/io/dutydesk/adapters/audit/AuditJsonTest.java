package io.dutydesk.adapters.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dutydesk.core.audit.AuditEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The audit line written and read by Jackson's streaming layer is the line the data binding wrote (every audit log on
 * disk was written by it) and reads every such line back to the same entry; what the data binding refused is refused,
 * but for a field it does not know (a newer version's): skipped, the entry kept.
 */
class AuditJsonTest {
    /** The mapper the audit log used before (its entries on users' disks). */
    private static final ObjectMapper BINDING = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final List<AuditEntry> ENTRIES = List.of(
            new AuditEntry("20260101-120000-rollback-0a1b2c3d", "ops@laptop", "ref", "rollback", List.of(),
                    Instant.parse("2026-01-01T12:00:00.123456789Z"), null, null, null, "started", "blue", null,
                    "started on the server (setsid), under the lock; bound: none"),
            new AuditEntry(null, "root@vm", "ref-single", "backup-verify", List.of("/srv/b/x_20260101_020000.sql.gz"),
                    Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01.5Z"), 0, "ab".repeat(32),
                    "succeeded", null, null, "gzip -t: intact; \"quoted\" \\ back\tslash\nnew line, é ✅ \u0001"),
            new AuditEntry("20260101-120000-deploy-00000001", "a@b", "prod", "deploy", null, null, null, -1, null,
                    "unknown", "green", "blue", null),
            new AuditEntry(null, null, null, null, Arrays.asList("x", null, ""), null, null, 137, null, null, null, null, ""));

    @Test
    void writesTheLineTheDataBindingWrote() throws Exception {
        for (AuditEntry e : ENTRIES) {
            assertEquals(BINDING.writeValueAsString(e), AuditJson.write(e));
        }
    }

    @Test
    void readsEveryLineTheDataBindingWroteToTheSameEntry() throws Exception {
        for (AuditEntry e : ENTRIES) {
            assertEquals(e, AuditJson.read(BINDING.writeValueAsString(e)));
            assertEquals(e, AuditJson.read(AuditJson.write(e)));
            assertEquals(BINDING.readValue(AuditJson.write(e), AuditEntry.class), AuditJson.read(AuditJson.write(e)));
        }
    }

    @Test
    void readsTimesAndNumbersAsTheDataBindingDid() throws Exception {
        String line = "{\"start\":\"2026-01-01T13:00:00+01:00\",\"end\":1767268800.25,\"exitCode\":\"3\",\"actor\":7,\"args\":[\"a\"]}";
        AuditEntry mine = AuditJson.read(line);
        assertEquals(BINDING.readValue(line, AuditEntry.class), mine);
        assertEquals(Instant.parse("2026-01-01T12:00:00Z"), mine.start());
        assertEquals(Instant.parse("2026-01-01T12:00:00.25Z"), mine.end());
        assertEquals(3, mine.exitCode());
        assertEquals("7", mine.actor());
    }

    /**
     * A time of a huge exponent is refused, at once: the data binding read 1e9999999 as the epoch, and expanding it to an
     * integer took ~20 s of CPU per line.
     */
    @Test
    void aTimeOfAHugeExponentIsRefusedAtOnce() {
        for (String bad : List.of("{\"start\":1e9999999}", "{\"end\":-1e9999999}", "{\"start\":1e20}")) {
            assertThrows(java.io.IOException.class, () -> AuditJson.read(bad), bad);
        }
    }

    @Test
    void whatTheDataBindingRefusedIsRefused() {
        for (String bad : List.of("{\"args\":\"one\"}", "{\"start\":\"yesterday\"}",
                "{\"exitCode\":\"x\"}", "[]", "{\"actor\":\"a\"", "{\"actor\":{\"x\":1}}", "{\"exitCode\":1.5e400}")) {
            assertThrows(Exception.class, () -> BINDING.readValue(bad, AuditEntry.class), bad);
            assertThrows(Exception.class, () -> AuditJson.read(bad), bad);
        }
    }
    /** A field a newer version wrote is skipped, whatever its value: the entry is kept (the data binding refused it). */
    @Test
    void aFieldThisVersionDoesNotKnowIsIgnored() throws Exception {
        AuditEntry e = ENTRIES.get(0);
        String line = AuditJson.write(e);
        for (String field : List.of("\"unknown\":1", "\"host\":\"h\"", "\"n\":null", "\"console\":{\"face\":\"cli\",\"pid\":7,\"x\":[1,{}]}",
                "\"tags\":[[\"a\"],{\"result\":\"succeeded\"}]", "\"ok\":true")) {
            assertEquals(e, AuditJson.read(line.replace(",\"result\":", "," + field + ",\"result\":")), field);
            assertEquals(e, AuditJson.read("{" + field + "," + line.substring(1)), field);
            assertEquals(e, AuditJson.read(line.substring(0, line.length() - 1) + "," + field + "}"), field);
        }
        for (String bad : List.of("{\"x\":}", "{\"x\":[1,}", "{\"x\":{\"a\":1}", "{\"x\":1")) {
            assertThrows(Exception.class, () -> AuditJson.read(bad), bad);
        }
    }
}
