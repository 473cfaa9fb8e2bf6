package io.dutydesk.core.rollout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maintenance lock's scripts in a real local sh, interrupted where it matters: the console's session dropping
 * (SIGHUP to the script's process group) or the script killed (SIGKILL) just before the lock file is renamed into place.
 */
class MaintenanceScriptsTest {
    @TempDir
    Path tmp;

    private String state() {
        return tmp.resolve("state").toString();
    }

    private static final String ID = "20261203-161000-lock-0a1b2c3d";
    private static final String META = "{\"id\":\"" + ID + "\",\"action\":\"lock\",\"actor\":\"alice@ws1\",\"message\":\"m\",\"start\":\"2026-12-03T16:10:00Z\"}";

    /** A PATH whose mv stops before it renames the maintenance file into place, until the test lets it go. */
    private String slowMvPath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        String real = Files.exists(Path.of("/usr/bin/mv")) ? "/usr/bin/mv" : "/bin/mv";
        Files.writeString(bin.resolve("mv"), "#!/bin/sh\ncase \"$2\" in */maintenance) : > '" + tmp.resolve("at-mv")
                + "'; while [ ! -f '" + tmp.resolve("go") + "' ]; do sleep 0.05; done;; esac\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(bin.resolve("mv"), PosixFilePermissions.fromString("rwx------"));
        return bin + ":" + System.getenv("PATH");
    }

    private Process lockInItsOwnGroup() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", ActionScripts.maintenanceLock(state(), ID, META));
        pb.environment().put("PATH", slowMvPath());
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("out").toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        io.dutydesk.testing.Eventually.await("the lock reaches its rename", Duration.ofSeconds(10), () -> Files.exists(tmp.resolve("at-mv")));
        return p;
    }

    private String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    private void signalGroup(Process p, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid()).start().waitFor());
    }

    @Test
    void aSessionThatDropsMidLockDoesNotStopItHalfDone() throws Exception {
        Process p = lockInItsOwnGroup();
        signalGroup(p, "HUP"); // what sshd sends when the console's connection goes
        Files.writeString(tmp.resolve("go"), "");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("out")));
        String read = sh(ActionScripts.maintenanceRead(state()));
        assertEquals(Optional.of(ID), MaintenanceLock.in(read).map(MaintenanceLock::id), read);
        assertTrue(sh("cat " + state() + "/actions/" + ID + ".exit").startsWith("0"), "its exit file: the audit entry is completed from it");
    }

    @Test
    void aLockKilledBeforeItsRenameLeavesNoLockAtAllAndTheNextActionAndLockProceed() throws Exception {
        Process p = lockInItsOwnGroup();
        signalGroup(p, "KILL");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        Files.writeString(tmp.resolve("go"), "");
        assertEquals(ActionScripts.NOT_LOCKED, sh(ActionScripts.maintenanceRead(state())).strip(), "no half lock");
        assertTrue(sh(ActionScripts.lockOrBusy(state()) + "echo changed").contains("changed"), "the next change runs");
        String again = sh(ActionScripts.maintenanceLock(state(), "20261203-161100-lock-0a1b2c3e", META.replace(ID, "20261203-161100-lock-0a1b2c3e")));
        assertTrue(again.contains(ActionScripts.LOCKED), again);
        assertFalse(Files.readString(Path.of(state(), "maintenance")).contains(ID), "the new lock, whole");
    }
}
