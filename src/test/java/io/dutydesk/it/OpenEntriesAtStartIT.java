package io.dutydesk.it;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.testing.IdleProbe;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trust finding: the window completed open audit entries (an action whose console was killed) only for the environment it
 * shows. The real window (Xvfb), opened on {@code ref}, completes those of {@code ref-single} at its start from that
 * environment's job folder on the reference host, over a connection of its own, and says so; those of an environment
 * whose host cannot be reached stay open and that is said too — while the window shows {@code ref} as usual.
 */
class OpenEntriesAtStartIT {

    @TempDir
    Path home;

    @Test
    void theWindowCompletesAnotherEnvironmentsOpenEntriesAtItsStartAndSaysWhichStayOpen() throws Exception {
        String id = "20261122-030000-deploy-" + String.format("%08x", (int) (System.nanoTime() & 0x7fffffff));
        String gone = "20261122-030100-deploy-0badc0de";
        Path actions = Path.of("/tmp/dutydesk-refhost/srv/lifeos/.dutydesk/actions"); // ref-single's deploy.stateDir
        // made as the server's user makes it at its first action (0700, the deploy user's): it is there only once some
        // ref-single action has run, which depended on the order of the test classes (a fresh host failed here)
        RefHost.run(Duration.ofSeconds(10), "runuser", "-u", "dutydesk-deploy", "--", "sh", "-c", "umask 077; mkdir -p -- \"$1\"", "sh", actions.toString());
        assertTrue(Files.isDirectory(actions), actions.toString());
        Path config = home.resolve("environments.yaml");
        Files.writeString(config, Files.readString(RefHost.config()) + "  gone:\n    ssh: { host: 127.0.0.1, port: 1, user: nobody }\n");
        // the window's audit log (user.home's, as the window finds it), with what killed consoles left open
        Path log = home.resolve(".local/state/dutydesk/audit.jsonl");
        Files.createDirectories(log.getParent());
        JsonlAuditLog audit = new JsonlAuditLog(log);
        for (String[] open : List.of(new String[] {id, "ref-single"}, new String[] {gone, "gone"})) {
            audit.append(new AuditEntry(open[0], "it@ws", open[1], "deploy", List.of("v1.0.0"), Instant.now(), null, null, null,
                    AuditRows.STARTED, null, null, DetachedActions.REQUESTED + " (a detached job, under the lock)")).join();
        }
        audit.close();
        Files.writeString(actions.resolve(id + ".meta"), "{}\n"); // the job ran to its end on the server
        Files.writeString(actions.resolve(id + ".exit"), "0\n");
        io.dutydesk.testing.Xvfb xvfb = io.dutydesk.testing.Xvfb.start("1366x820");
        List<String> cmd = new ArrayList<>(RefHost.javaJar(List.of("-Duser.home=" + home)));
        cmd.addAll(List.of("--config", config.toString(), "--env", "ref"));
        try (IdleProbe.Watched app = new IdleProbe.Watched(cmd, xvfb.display)) {
            app.awaitLine("ref-single's completed", l -> l.equals("dutydesk: ref-single: completed 1 audit entry left open by a "
                    + "console that stopped (from the server's exit files)"), Duration.ofSeconds(90));
            app.awaitLine("gone's kept open", l -> l.startsWith("dutydesk: gone: audit entries left open by a console that stopped "
                    + "stay open: its host could not be reached: "), Duration.ofSeconds(90));
            app.awaitLine("the window shows ref as usual", l -> l.endsWith("ref: all 7 backends ok"), Duration.ofSeconds(90));
            try (JsonlAuditLog after = new JsonlAuditLog(log)) {
                List<AuditEntry> all = after.recent(100).join();
                assertEquals(AuditRows.ENDED, last(all, id).result(), all.toString());
                assertEquals(AuditRows.STARTED, last(all, gone).result(), "kept open: " + all);
            }
        } finally {
            xvfb.close();
            Files.deleteIfExists(actions.resolve(id + ".meta"));
            Files.deleteIfExists(actions.resolve(id + ".exit"));
        }
    }

    private static AuditEntry last(List<AuditEntry> all, String id) {
        return all.stream().filter(e -> id.equals(e.actionId())).reduce((a, b) -> b).orElseThrow();
    }
}
