package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backup kind's timestampFormat is a DateTimeFormatter pattern, checked when the file is read. */
class TimestampFormatTest {
    static final Path F = Path.of("envs.yaml");

    private static String file(String format) {
        return """
                environments:
                  prod:
                    ssh: { host: h }
                    backups:
                      kinds:
                        daily:
                          pattern: 'daily_(\\S+)\\.sql'
                          timestampFormat: '%s'
                """.formatted(format);
    }

    @Test
    void strftimeIsRefusedWithFileLineAndTheJavaPattern() {
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, file("%Y%m%d_%H%M%S")));
        assertEquals(8, ex.line());
        assertEquals("environments.prod.backups.kinds.daily.timestampFormat", ex.field());
        assertTrue(ex.getMessage().startsWith("envs.yaml:8: environments.prod.backups.kinds.daily.timestampFormat: "), ex.getMessage());
        assertTrue(ex.getMessage().contains("strftime") && ex.getMessage().contains("write 'yyyyMMdd_HHmmss'"), ex.getMessage());
    }

    @Test
    void garbageAndPatternsThatGiveNoDateBackAreRefused() {
        for (String bad : new String[] {"garbage", "YYYYMMdd", "yyyymmdd", "HHmmss", "yyyy-MM", "{x}"}) {
            ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, file(bad)), bad);
            assertEquals(8, ex.line(), bad);
            assertTrue(ex.getMessage().contains("yyyyMMdd_HHmmss"), "a hint: " + ex.getMessage());
        }
        assertTrue(TimestampFormat.problem("yyyymmdd").orElseThrow().contains("m is the minute"));
        assertTrue(TimestampFormat.problem("YYYYMMdd").orElseThrow().contains("Y is the week-based year"));
    }

    @Test
    void javaPatternsAreAcceptedAndADateAloneIsMidnightUtc() {
        for (String ok : new String[] {"yyyyMMdd_HHmmss", "yyyyMMdd", "uuuu-MM-dd'T'HH-mm", "dd.MM.yyyy HH:mm", "yyyy_MMM_dd"}) {
            assertEquals(Optional.empty(), TimestampFormat.problem(ok), ok);
            EnvironmentsFile.parse(F, file(ok.replace("'", "''")));
        }
        assertEquals(Optional.of(Instant.parse("2025-09-30T00:00:00Z")), TimestampFormat.parse("20250930", "yyyyMMdd"));
        assertEquals(Optional.of(Instant.parse("2025-09-30T02:03:04Z")), TimestampFormat.parse("20250930_020304", "yyyyMMdd_HHmmss"));
        assertEquals(Optional.of(Instant.parse("2025-09-30T00:00:00Z")), TimestampFormat.parse("2025_Sep_30", "yyyy_MMM_dd"));
        assertEquals(Optional.empty(), TimestampFormat.parse("20251399", "yyyyMMdd"));
    }
}
