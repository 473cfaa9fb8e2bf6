package io.dutydesk.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged launcher's JVM options (packaging/java-options, which jpackage.sh passes as --java-options): the AppCDS
 * archive next to the jar, a desktop heap cap, and an archive that is missing or not one breaks nothing — the CLI
 * runs, exit 0, nothing on stderr, nothing extra on stdout (its --json output is read by scripts).
 */
class LauncherOptionsTest {
    @TempDir
    Path tmp;

    static List<String> launcherOptions() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("packaging/java-options"))) {
            String o = line.strip();
            if (!o.isEmpty() && !o.startsWith("#")) {
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void theLauncherHasTheArchiveAndAHeapCap() throws IOException {
        List<String> o = launcherOptions();
        assertTrue(o.contains("-XX:SharedArchiveFile=$APPDIR/dutydesk.jsa"), o.toString());
        assertTrue(o.containsAll(List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")), o.toString());
        String xmx = o.stream().filter(x -> x.startsWith("-Xmx")).findFirst().orElseThrow(() -> new AssertionError("no -Xmx: " + o));
        long mb = Long.parseLong(xmx.substring(4, xmx.length() - 1)) * (xmx.endsWith("g") ? 1024 : 1);
        assertTrue(mb >= 256 && mb <= 1024, "a desktop's heap cap: " + xmx);
        assertTrue(o.contains("-XX:TieredStopAtLevel=1"), "the client compiler only (idle CPU, launch): " + o);
        assertTrue(o.contains("-XX:-UsePerfData"), "no perf-data sampling 20 times a second (idle CPU): " + o);
        assertTrue(o.stream().noneMatch(x -> x.startsWith("-XX:ArchiveRelocationMode")),
                "the archive relocated at a random address, the JDK's default (hardening kept over ~30 ms): " + o);
        String jpackage = Files.readString(Path.of("packaging/jpackage.sh"));
        assertTrue(jpackage.contains("done < packaging/java-options"), "jpackage.sh passes packaging/java-options");
        assertTrue(jpackage.contains("--generate-cds-archive"), "the runtime has the base archive a dynamic archive needs");
        assertTrue(jpackage.contains("cds-archive.sh --launcher"), "the launcher's archive is trained");
    }

    /**
     * No class of ours concatenates strings through invokedynamic (javac's -XDstringConcat=inline, pom.xml): each such
     * site's first run spins method-handle classes that no CDS archive holds, the largest part of a cold verb's classes.
     */
    @Test
    void stringConcatenationIsCompiledInline() throws IOException {
        Path classes = Path.of("target/classes/io/dutydesk");
        List<Path> indy;
        try (var files = Files.walk(classes)) {
            indy = files.filter(f -> f.toString().endsWith(".class")).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains("makeConcatWithConstants");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertTrue(Files.isDirectory(classes.resolve("cli")), "compiled classes under " + classes);
        assertTrue(indy.isEmpty(), "string concatenation by invokedynamic in " + indy.size() + " classes, e.g. "
                + indy.stream().limit(3).toList());
    }

    private record Run(int code, String out, String err) {}

    private Run cli(Path appDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String o : launcherOptions()) {
            cmd.add(o.replace("$APPDIR", appDir.toString()));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
        pb.environment().remove("DUTYDESK_CONFIG");
        Process p = pb.start();
        p.getOutputStream().close();
        var err = p.getErrorStream();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String e = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, e);
    }

    @Test
    void aMissingOrBrokenArchiveIsIgnoredQuietly() throws Exception {
        Path config = tmp.resolve("environments.yaml");
        Files.writeString(config, "environments:\n  staging:\n    ssh: { host: 127.0.0.1, port: 9, user: nobody }\n"
                + "    deploy: { workdir: /srv/app }\n");
        Path noArchive = Files.createDirectory(tmp.resolve("none"));
        Path broken = Files.createDirectory(tmp.resolve("broken"));
        Files.writeString(broken.resolve("dutydesk.jsa"), "not an archive\n");
        for (Path appDir : List.of(noArchive, broken)) {
            Run v = cli(appDir, "--version");
            assertEquals(0, v.code(), v.toString());
            assertTrue(v.out().matches("dutydesk \\S+\\n"), "only the version on stdout: " + v);
            assertEquals("", v.err(), "nothing on stderr");
            Run envs = cli(appDir, "envs", "--json", "--config", config.toString());
            assertEquals(0, envs.code(), envs.toString());
            assertTrue(envs.out().startsWith("{") && envs.out().contains("\"staging\""), "the JSON alone: " + envs);
            assertEquals("", envs.err(), "nothing on stderr");
        }
    }
}
