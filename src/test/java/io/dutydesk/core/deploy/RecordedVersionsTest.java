package io.dutydesk.core.deploy;

import io.dutydesk.testing.LocalFolderShell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The .version sidecars of backups, read in one exec by a real shell; odd file names stay one word. */
class RecordedVersionsTest {
    @TempDir
    Path dir;

    @Test
    void eachBackupGetsTheVersionRecordedBesideIt() throws Exception {
        Path a = dir.resolve("lifeos_predeploy_20260301_100000.sql.gz");
        Path odd = dir.resolve("x';touch PWNED;'.sql.gz");
        Path none = dir.resolve("lifeos_manual_20260301_110000.sql.gz");
        for (Path p : List.of(a, odd, none)) {
            Files.writeString(p, "dump");
        }
        Files.writeString(Path.of(a + ".version"), "v1.0.0\n");
        Files.writeString(Path.of(odd + ".version"), "v0.9.0\u001b[31m\nsecond line\n");
        LocalFolderShell shell = new LocalFolderShell();
        Map<String, String> got = RecordedVersions.read(shell, List.of(a.toString(), odd.toString(), none.toString()), Duration.ofSeconds(10)).join();
        assertEquals(Map.of(a.toString(), "v1.0.0", odd.toString(), "v0.9.0?[31m"), got, "first line only, control characters shown as ?");
        assertFalse(Files.exists(dir.resolve("PWNED")) || Files.exists(Path.of("PWNED")), "a file name is never shell");
        assertEquals(1, shell.commands.size(), "one exec for all of them");
    }
}
