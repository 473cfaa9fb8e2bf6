package io.dutydesk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dutydesk.core.doctor.Check;
import io.dutydesk.core.doctor.DoctorReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The doctor's text lines, JSON and exit codes. */
class DoctorCommandTest {
    static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void allOkIsExitZeroOneLinePerCheck() {
        DoctorReport r = new DoctorReport("ref", AT, List.of(Check.ok("ssh", "SSH deploy@h", "connected and authenticated"),
                Check.note("outbox.index", "outbox index", "note: no index", "advice: CREATE INDEX x")));
        assertEquals(0, DoctorCommand.exitCode(r));
        assertEquals(List.of("ok       SSH deploy@h (connected and authenticated)",
                "ok       outbox index (note: no index) — advice: CREATE INDEX x",
                "ref: all 2 checks ok"), DoctorCommand.lines(r));
    }

    @Test
    void anyProblemIsExitOneWithItsFix() throws Exception {
        DoctorReport r = new DoctorReport("ref", AT, List.of(Check.ok("ssh", "SSH deploy@h", ""),
                Check.problem("redis.stream", "stream s", "no stream 's'", "redis.stream in the environments file")));
        assertEquals(1, DoctorCommand.exitCode(r));
        assertEquals(List.of("ok       SSH deploy@h", "problem  stream s: no stream 's' — fix: redis.stream in the environments file",
                "ref: 1 of 2 checks found a problem"), DoctorCommand.lines(r));
        JsonNode j = Json.MAPPER.readTree(Json.write(DoctorCommand.json(r)));
        assertEquals("ref", j.get("env").asText());
        assertEquals("2026-12-03T10:00:00Z", j.get("at").asText());
        assertEquals(false, j.get("ok").asBoolean());
        assertEquals(2, j.get("checks").size());
        JsonNode p = j.get("checks").get(1);
        assertEquals("redis.stream", p.get("id").asText());
        assertEquals("stream s", p.get("title").asText());
        assertEquals("problem", p.get("status").asText());
        assertEquals("no stream 's'", p.get("detail").asText());
        assertEquals("redis.stream in the environments file", p.get("fix").asText());
        assertEquals("ok", j.get("checks").get(0).get("status").asText());
    }
}
