package io.dutydesk.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar's AppCDS archive (target/dutydesk.jsa, written at package time by packaging/cds-archive.sh) as the README's
 * command uses it: it is used by that jar, and with a jar it was not written for (a rebuilt or copied jar: another
 * path or mtime) it is ignored quietly — the CLI runs, exit 0, nothing on stderr, stdout only the CLI's own output.
 * Needs no reference host; it runs after the package phase, which wrote both files.
 */
class LauncherIT {
    private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    @TempDir
    Path tmp;

    private final Path jar = Path.of(System.getProperty("dutydesk.jar", "target/dutydesk.jar")).toAbsolutePath();
    private final Path archive = jar.resolveSibling("dutydesk.jsa");

    private record Run(int code, String out, String err) {}

    private Run java(List<String> options, Path jarFile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-jar", jarFile.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
        pb.environment().remove("DUTYDESK_CONFIG");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        p.getOutputStream().close();
        var errStream = p.getErrorStream();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(errStream.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }

    private List<String> withArchive(String... more) {
        List<String> o = new ArrayList<>(QUIET);
        o.add("-XX:SharedArchiveFile=" + archive);
        o.addAll(List.of(more));
        return o;
    }

    @Test
    void theJarUsesItsArchive() throws Exception {
        assertTrue(Files.size(archive) > 1_000_000, "the package phase wrote " + archive);
        Run r = java(withArchive("-Xlog:class+load=info"), jar, "--version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("io.dutydesk.app.Main source: shared objects file (top)"),
                "Main comes from the archive: " + r.out().lines().filter(l -> l.contains("io.dutydesk.app.Main ")).toList());
        Path config = tmp.resolve("environments.yaml");
        Files.writeString(config, "environments:\n  staging:\n    ssh: { host: 127.0.0.1, port: 9, user: nobody, agent: false }\n"
                + "    deploy: { workdir: /srv/app }\n");
        Run ping = java(withArchive("-Xlog:class+load=info"), jar, "ping", "--env", "staging", "--config", config.toString());
        assertEquals(1, ping.code(), "nothing answers on port 9: " + ping.err());
        assertTrue(ping.out().contains("com.jcraft.jsch.Session source: shared objects file (top)"), "and the SSH client's classes");
    }

    /**
     * The action verbs' archive: a rollback's classes come from it; neither the window's nor the read verbs' clients (Docker,
     * Redis, HTTP) are in it — a smaller archive to relocate at each start.
     */
    @Test
    void anActionVerbUsesTheCliArchiveWhichHoldsOnlyWhatActionsLoad() throws Exception {
        Path cli = archive.resolveSibling("dutydesk-cli.jsa");
        assertTrue(Files.size(cli) > 1_000_000, "the package phase wrote " + cli);
        assertTrue(Files.size(cli) < Files.size(archive) / 2, "under half the window's: " + Files.size(cli) + " vs " + Files.size(archive));
        List<String> o = new ArrayList<>(QUIET);
        o.addAll(List.of("-XX:SharedArchiveFile=" + cli, "-Xlog:class+load=info"));
        Path config = tmp.resolve("environments.yaml");
        Files.writeString(config, "environments:\n  staging:\n    ssh: { host: 127.0.0.1, port: 9, user: nobody, agent: false }\n"
                + "    deploy: { workdir: /srv/app }\n");
        Run rollback = java(o, jar, "rollback", "--env", "staging", "--yes", "--config", config.toString());
        assertEquals(1, rollback.code(), "nothing answers on port 9: " + rollback.err());
        assertTrue(rollback.out().contains("io.dutydesk.app.Main source: shared objects file (top)"), "Main from the CLI's archive");
        assertTrue(rollback.out().contains("com.jcraft.jsch.Session source: shared objects file (top)"), "and the SSH client's classes");
        assertTrue(rollback.out().contains("io.dutydesk.core.rollout.DetachedActions source: shared objects file (top)"),
                "and the action's (listed: cds-classes-cli.txt)");
        Run probe = java(List.of("-XX:SharedArchiveFile=" + cli, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-XX:+PrintSharedArchiveAndExit"), jar, "--version");
        assertTrue(probe.out().contains("io.dutydesk.cli.Cli "), "the CLI's classes are listed: " + probe.out().length());
        assertTrue(probe.out().contains("io.dutydesk.core.slots.SlotsReader "), "the state's parser too");
        // the window's archive holds each of these (the window and the read verbs run with it)
        for (String absent : List.of("io.dutydesk.ui.shell.ShellView ", "com.github.dockerjava.core.DockerClientImpl ",
                "redis.clients.jedis.Jedis ", "org.apache.hc.client5.")) {
            assertFalse(probe.out().contains(absent), absent + "is not in it");
        }
    }

    @Test
    void aStaleArchiveIsIgnoredQuietly() throws Exception {
        Path copy = tmp.resolve("dutydesk.jar"); // a jar the archive was not written for: another path and mtime
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(copy, FileTime.from(Instant.now().plusSeconds(60)));
        Path config = tmp.resolve("environments.yaml");
        Files.writeString(config, "environments:\n  staging:\n    ssh: { host: 127.0.0.1, port: 9, user: nobody }\n"
                + "    deploy: { workdir: /srv/app }\n");

        Run loud = java(List.of("-XX:SharedArchiveFile=" + archive), copy, "--version");
        assertTrue(loud.out().contains("Unable to use shared archive"),
                "without the quiet options the JVM says so on stdout (what the options are for): " + loud);

        Run v = java(withArchive(), copy, "--version");
        assertEquals(0, v.code(), v.toString());
        assertTrue(v.out().matches("dutydesk \\S+\\n"), "only the version: " + v);
        assertEquals("", v.err());
        Run envs = java(withArchive(), copy, "envs", "--json", "--config", config.toString());
        assertEquals(0, envs.code(), envs.toString());
        assertTrue(envs.out().startsWith("{") && envs.out().contains("\"staging\""), "the JSON alone: " + envs);
        assertEquals("", envs.err());
        Run missing = java(List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-XX:SharedArchiveFile=" + tmp.resolve("none.jsa")), jar, "--version");
        assertEquals(0, missing.code(), missing.toString());
        assertEquals("", missing.err());
        assertFalse(missing.out().contains("archive"), missing.out());
    }
}
