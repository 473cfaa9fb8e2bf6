package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy.model: blue-green (the default) or single, its defaults, and bad input as file:line errors. */
class DeployModelConfigTest {
    static final Path F = Path.of("envs.yaml");

    static Environment load(String deployAndSlots) {
        return EnvironmentsFile.parse(F, "environments:\n  e:\n    ssh: { host: h }\n" + deployAndSlots).require("e");
    }

    static ConfigException refused(String deployAndSlots) {
        return assertThrows(ConfigException.class, () -> load(deployAndSlots));
    }

    @Test
    void blueGreenIsTheDefault() {
        Environment e = load("");
        assertEquals(Environment.DeployModel.BLUE_GREEN, e.deploy().model());
        assertFalse(e.deploy().single());
        assertEquals("./deployment/blue-green-deploy.sh rollback", e.deploy().commands().get("rollback"));
        assertFalse(e.deploy().commands().containsKey("healthCheck"));
        assertEquals(Environment.DeployModel.BLUE_GREEN, load("    deploy: { workdir: /srv }\n").deploy().model());
    }

    @Test
    void singleTakesTheLifeOsScriptsVerbs() {
        Environment e = load("    deploy: { model: single, workdir: /opt/lifeos }\n    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n");
        assertTrue(e.deploy().single());
        assertEquals("./deploy.sh deploy production {version}", e.deploy().commands().get("deploy"));
        assertEquals("./deploy.sh rollback {backup}", e.deploy().commands().get("rollback"));
        assertEquals("./deploy.sh health-check", e.deploy().commands().get("healthCheck"));
        assertEquals("./deploy.sh logs {service}", e.deploy().commands().get("logs"));
        assertEquals("./deploy.sh status", e.deploy().commands().get("status"));
        assertFalse(e.deploy().commands().containsKey("switch"));
        assertFalse(e.deploy().commands().containsKey("cleanup"));
        assertEquals("lifeos-app-1", e.slots().container("app", ""));
        assertEquals("{service}", load("    deploy: { model: single }\n").slots().containerName());
    }

    @Test
    void anUnknownModelIsRefusedWithItsLine() {
        ConfigException e = refused("    deploy:\n      model: canary\n");
        assertEquals(5, e.line());
        assertEquals("envs.yaml:5: environments.e.deploy.model: expected blue-green or single, got 'canary'", e.getMessage());
    }

    @Test
    void aSingleStackHasNoSlotVerbsNorLiveSlot() {
        ConfigException sw = refused("    deploy:\n      model: single\n      commands:\n        switch: ./deploy.sh switch\n");
        assertEquals(7, sw.line());
        assertTrue(sw.getMessage().contains("has no idle slot to switch"), sw.getMessage());
        ConfigException live = refused("    deploy:\n      model: single\n      liveSlotCommand: cat live\n");
        assertEquals(6, live.line());
        assertTrue(live.getMessage().contains("has no live slot"), live.getMessage());
        ConfigException liveFile = refused("    deploy:\n      model: single\n      liveSlotFile: ~/state/live\n");
        assertEquals(6, liveFile.line());
        assertTrue(liveFile.getMessage().contains("has no live slot"), liveFile.getMessage());
        ConfigException names = refused("    deploy: { model: single }\n    slots:\n      names: [a, b]\n");
        assertEquals(6, names.line());
        ConfigException slot = refused("    deploy: { model: single }\n    slots:\n      containerName: 'x-{service}-{slot}'\n");
        assertEquals(6, slot.line());
        assertTrue(slot.getMessage().contains("no {slot}"), slot.getMessage());
    }

    @Test
    void theBackupPlaceholderBelongsToTheSingleRollbackOnly() {
        ConfigException without = refused("    deploy:\n      model: single\n      commands:\n        rollback: ./deploy.sh rollback\n");
        assertEquals(7, without.line());
        assertTrue(without.getMessage().contains("must contain {backup}"), without.getMessage());
        ConfigException blueGreen = refused("    deploy:\n      commands:\n        rollback: ./x.sh rollback {backup}\n");
        assertEquals(6, blueGreen.line());
        assertTrue(blueGreen.getMessage().contains("{backup} is filled only with deploy.model: single"), blueGreen.getMessage());
        ConfigException quoted = refused("    deploy:\n      model: single\n      commands:\n        rollback: ./deploy.sh rollback \"{backup}\"\n");
        assertTrue(quoted.getMessage().contains("inside quotes"), quoted.getMessage());
        assertEquals("./deploy.sh rollback '/b/x;rm -rf ~.sql.gz'", CommandTemplate.fill("deploy.commands.rollback",
                "./deploy.sh rollback {backup}", java.util.Map.of(CommandTemplate.BACKUP, "/b/x;rm -rf ~.sql.gz")));
    }
}
