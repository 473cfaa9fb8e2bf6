package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parts an environment may not have: a processing state, a stream, Alertmanager, backups. */
class OptionalPartsTest {
    static final Path F = Path.of("envs.yaml");

    static Environment env(String more) {
        return EnvironmentsFile.parse(F, "environments:\n  e:\n    ssh: { host: h }\n" + more).require("e");
    }

    @Test
    void everyPartIsThereByDefault() {
        Environment e = env("");
        assertTrue(e.outbox().hasProcessing());
        assertEquals(List.of("pending", "processing", "failed"), e.outbox().openStatuses());
        assertTrue(e.redis().configured());
        assertTrue(e.alertmanager().configured());
        assertTrue(e.backups().configured());
        assertTrue(env("    outbox: { statuses: { published: sent } }\n").outbox().hasProcessing(), "an unset status keeps its default");
    }

    @Test
    void anEmptyProcessingStatusIsAnOutboxWithoutOne() {
        for (String empty : new String[] {"~", "''", "null", ""}) {
            Environment e = env("    outbox: { statuses: { pending: NEW, processing: " + empty + ", published: SENT, failed: DEAD } }\n");
            assertFalse(e.outbox().hasProcessing(), empty);
            assertEquals(List.of("pending", "failed"), e.outbox().openStatuses());
            assertEquals("NEW", e.outbox().statuses().get("pending"));
        }
        ConfigException ex = assertThrows(ConfigException.class, () -> env("    outbox: { statuses: { pending: '' } }\n"));
        assertTrue(ex.getMessage().contains("environments.e.outbox.statuses.pending: must not be empty"), ex.getMessage());
    }

    @Test
    void falseSwitchesOffTheStreamAlertmanagerAndBackups() {
        Environment e = env("    redis: false\n    alertmanager: false\n    backups: off\n");
        assertFalse(e.redis().configured());
        assertFalse(e.alertmanager().configured());
        assertFalse(e.backups().configured());
        assertTrue(e.outbox().hasProcessing());
        ConfigException ex = assertThrows(ConfigException.class, () -> env("    alertmanager: true\n"));
        assertEquals(4, ex.line());
        assertTrue(ex.getMessage().contains("environments.e.alertmanager: expected its settings (a mapping), or false"), ex.getMessage());
        ConfigException other = assertThrows(ConfigException.class, () -> env("    prometheus: false\n"));
        assertEquals("environments.e.prometheus", other.field(), "only the optional sections can be switched off");
    }
}
