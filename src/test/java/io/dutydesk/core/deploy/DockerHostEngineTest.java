package io.dutydesk.core.deploy;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.testing.LocalFolderShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check the server runs inside the action lock: which version production runs, by the same words as
 * {@link StackSnapshot#version()} (one version, mixed, missing); and whether the backup file is still there. Run by a real
 * shell against a stand-in {@code docker} that answers {@code inspect} from files.
 */
class DockerHostEngineTest {
    @TempDir
    Path dir;

    private String check(ActionScripts.Precondition p) throws Exception {
        Path docker = dir.resolve("docker");
        Files.writeString(docker, "#!/bin/sh\n[ \"$1\" = version ] && exit 0\n"
                + "for a; do n=$a; done\n[ -f \"" + dir + "/$n.image\" ] || exit 1\ncat \"" + dir + "/$n.image\"\n");
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
        String out = new LocalFolderShell().exec("PATH=" + dir + ":$PATH; " + p.command(), Duration.ofSeconds(10), (e, l) -> { })
                .join().stdout();
        Matcher m = p.pattern().matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private void image(String container, String image) throws Exception {
        Files.writeString(dir.resolve(container + ".image"), image + "\n");
    }

    @Test
    void theInLockCheckReadsTheVersionAsTheConsoleDoes() throws Exception {
        Environment env = SinglePlansTest.env();
        DockerHostEngine engine = new DockerHostEngine(env, null, null, Clock.systemUTC());
        ActionScripts.Precondition p = engine.runsVersion("v1.0.0");
        assertEquals("v1.0.0", p.expected());
        image("lifeos-app-1", "registry.example:5000/lifeos/app:v1.0.0");
        image("lifeos-worker-1", "lifeos/app:v1.0.0");
        assertEquals("v1.0.0", check(p));
        image("lifeos-worker-1", "lifeos/app:v1.1.0");
        assertEquals("mixed", check(p));
        image("lifeos-worker-1", "registry.example:5000/lifeos/app");
        assertEquals("mixed", check(p), "no tag is latest, as ContainerInfo.version() says");
        Files.delete(dir.resolve("lifeos-worker-1.image"));
        assertEquals("missing", check(p));
    }

    @Test
    void theInLockCheckSeesABackupThatWasRemoved() throws Exception {
        DockerHostEngine engine = new DockerHostEngine(SinglePlansTest.env(), null, null, Clock.systemUTC());
        Path f = dir.resolve("x';touch PWNED;'.sql.gz");
        Files.writeString(f, "dump");
        ActionScripts.Precondition p = engine.fileExists(f.toString()).orElseThrow();
        assertEquals("present", check(p));
        Files.delete(f);
        assertEquals("gone", check(p));
        assertTrue(!Files.exists(dir.resolve("PWNED")) && !Files.exists(Path.of("PWNED")));
    }
}
