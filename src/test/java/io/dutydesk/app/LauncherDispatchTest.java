package io.dutydesk.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /usr/bin/dutydesk of the .deb (packaging/deb/dutydesk): an action verb starts from the dutydesk-cli launcher (its own,
 * smaller archive), anything else — the window, the read verbs, --version — from the window's launcher; the verb is the
 * word {@link Main#firstWord} finds, and every argument reaches the launcher as given.
 */
class LauncherDispatchTest {
    @TempDir
    Path tmp;

    /** Runs the script with /opt/dutydesk/bin replaced by a folder of two launchers that print their name and arguments. */
    private String run(String... args) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String l : List.of("dutydesk", "dutydesk-cli")) {
            Path f = bin.resolve(l);
            Files.writeString(f, "#!/bin/sh\nprintf '%s' " + l + "; for a in \"$@\"; do printf ' [%s]' \"$a\"; done\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        }
        String script = Files.readString(Path.of("packaging/deb/dutydesk"));
        assertTrue(script.contains("bin=/opt/dutydesk/bin\n"), "the installed launchers' folder");
        Path copy = tmp.resolve("dutydesk");
        Files.writeString(copy, script.replace("bin=/opt/dutydesk/bin\n", "bin='" + bin + "'\n"));
        List<String> cmd = new ArrayList<>(List.of("sh", copy.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void anActionVerbStartsFromTheActionLauncherWithEveryArgument() throws Exception {
        assertEquals("dutydesk-cli [rollback] [--env] [prod] [--yes]", run("rollback", "--env", "prod", "--yes"));
        assertEquals("dutydesk-cli [--env] [rollback] [switch] [--json]", run("--env", "rollback", "switch", "--json"),
                "--env's value is not the verb");
        assertEquals("dutydesk-cli [--config] [/tmp/a b.yaml] [deploy] [v2 x] [--env] [prod]",
                run("--config", "/tmp/a b.yaml", "deploy", "v2 x", "--env", "prod"), "arguments with spaces kept whole");
        for (String verb : List.of("deploy", "switch", "rollback", "cleanup", "lock", "unlock")) {
            assertEquals("dutydesk-cli [" + verb + "]", run(verb));
        }
        assertEquals("dutydesk-cli [--metrics-port] [0] [rollback]", run("--metrics-port", "0", "rollback"));
    }

    @Test
    void theWindowAndEveryOtherVerbStartFromTheWindowsLauncher() throws Exception {
        assertEquals("dutydesk", run());
        assertEquals("dutydesk [--env] [prod]", run("--env", "prod"), "the window");
        assertEquals("dutydesk [--version]", run("--version"));
        for (String verb : List.of("ping", "status", "check", "logs", "envs", "history", "doctor", "outbox", "alerts", "backups", "query")) {
            assertEquals("dutydesk [" + verb + "] [--env] [rollback]", run(verb, "--env", "rollback"), verb);
        }
        assertEquals("dutydesk [--config] [deploy] [status]", run("--config", "deploy", "status"), "--config's value is not the verb");
    }

    /** The script finds the verb as the program does: the same word for the same arguments. */
    @Test
    void theVerbIsTheWordTheProgramTakesForIt() throws Exception {
        for (List<String> args : List.of(List.of("--env", "prod", "rollback"), List.of("-e", "prod", "-c", "f", "lock"),
                List.of("--json", "unlock", "--env", "x"), List.of("--env", "deploy", "ping"),
                // --metrics-port and its value are taken out before the verb is looked for (Main, MetricsOption)
                List.of("--metrics-port", "0", "rollback"), List.of("--env", "--metrics-port=0", "rollback"),
                List.of("-c", "--metrics-port", "9", "deploy", "x"), List.of("--env", "prod", "--metrics-port=0", "lock"),
                List.of("", "rollback"), List.of("--", "switch"))) {
            Optional<String> verb = Main.firstWord(MetricsOption.extract(args).rest());
            String launcher = verb.filter(v -> List.of("deploy", "switch", "rollback", "cleanup", "lock", "unlock").contains(v))
                    .isPresent() ? "dutydesk-cli" : "dutydesk";
            assertTrue(run(args.toArray(String[]::new)).startsWith(launcher + " "), args + " -> " + launcher);
        }
    }
}
