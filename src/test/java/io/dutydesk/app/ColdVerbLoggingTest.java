package io.dutydesk.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cold CLI verb never starts the JDK's logging: the first System.Logger looks its finder up as a service over the whole
 * class path and starts java.util.logging, ~40-60 ms of CPU before (the environments file's YAML facade) or beside
 * (the audit log's logger) the SSH handshake. Nothing on that path logs unless something is wrong.
 */
class ColdVerbLoggingTest {
    @Test
    void aRollbackUpToTheConnectionAndItsAuditEntryLoadsNoLogger(@TempDir Path dir) throws Exception {
        // refused at once: the verb reads the file, opens the audit log and fails to connect
        Path config = CdsTraining.refusingEnvironment(dir, "cold", "a cold verb");
        Path classes = dir.resolve("classes.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load:file=" + classes, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "rollback", "--env", "cold", "--config", config.toString(), "--yes");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        b.environment().put("HOME", dir.toString());
        b.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        b.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        b.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        b.environment().put("DUTYDESK_AUDIT_LOG", dir.resolve("audit.jsonl").toString());
        b.environment().remove("DUTYDESK_CONFIG");
        Process p = b.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended");
        String out = Files.readString(dir.resolve("out.txt"));
        String loaded = Files.readString(classes, StandardCharsets.UTF_8);
        // the verb went as far as the file, the audit log and the connection
        assertTrue(loaded.contains("io.dutydesk.core.config.EnvironmentsFile "), out);
        assertTrue(loaded.contains("io.dutydesk.adapters.audit.JsonlAuditLog "), out);
        assertTrue(loaded.contains("com.jcraft.jsch.JSch "), out);
        assertFalse(loaded.contains("jdk.internal.logger.LoggerFinderLoader "), "a System.Logger was looked up:\n" + out);
        assertFalse(loaded.contains("java.util.logging.LogManager "), "java.util.logging was started:\n" + out);
    }
}
