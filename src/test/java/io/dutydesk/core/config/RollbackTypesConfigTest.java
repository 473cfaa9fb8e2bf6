package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code deploy.rollbackTypes}: TraceHub's typed rollbacks, name → command, checked at load. */
class RollbackTypesConfigTest {
    static Environment load(String types) {
        return EnvironmentsFile.parse(Path.of("e.yaml"), """
                environments:
                  tracehub:
                    ssh: { host: h }
                    deploy:
                      rollbackTypes:
                %s
                """.formatted(types)).require("tracehub");
    }

    @Test
    void typesAreReadInFileOrder() {
        Environment e = load("        deployment: ./scripts/rollback.sh -e production -t deployment\n"
                + "        database: ./scripts/rollback.sh -e production -t database");
        assertEquals(List.of("deployment", "database"), List.copyOf(e.deploy().rollbackTypes().keySet()));
        assertEquals("./scripts/rollback.sh -e production -t database", e.deploy().rollbackTypes().get("database"));
        assertEquals(Map.of(), load("        {}").deploy().rollbackTypes());
    }

    @Test
    void aBadNameOrAPlaceholderIsRefusedWithItsLine() {
        ConfigException name = assertThrows(ConfigException.class, () -> load("        Data Base: ./x"));
        assertTrue(name.getMessage().contains("rollback type's name"), name.getMessage());
        ConfigException ph = assertThrows(ConfigException.class, () -> load("        database: ./x {version}"));
        assertTrue(ph.getMessage().contains("deploy.rollbackTypes.database") && ph.getMessage().startsWith("e.yaml:6: "), ph.getMessage());
    }
}
