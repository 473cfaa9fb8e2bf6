package io.dutydesk.bench;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * P1: launch -> shell shown, SSH connected and every backend pinged, against the floor (a bare
 * JavaFX window + one SSH handshake) measured in the same run, alternating, as a ratio.
 *
 * <pre>
 *   src/refhost/refhost up
 *   mvn -q -DskipTests package test-compile
 *   java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.LaunchBenchmark [rounds] [config]
 * </pre>
 * The app runs with the packaged launcher's JVM options; {@code -Dbench.launcher=false}, {@code -Dbench.cds=…},
 * {@code -Dbench.jvm='…'}: see {@link #jvmOptions()}.
 * Needs a display: uses $DISPLAY, else starts an Xvfb on a free display.
 */
public final class LaunchBenchmark {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path config = Path.of(args.length > 1 ? args[1] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        Environment env = EnvironmentsFile.load(config).require("ref");
        io.dutydesk.testing.Xvfb xvfb = null;
        String display = System.getenv("DISPLAY");
        if (display == null || display.isEmpty()) {
            xvfb = io.dutydesk.testing.Xvfb.start("1366x820");
            display = xvfb.display;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target/dutydesk.jar").toAbsolutePath().toString();
        Path home = Files.createTempDirectory("dutydesk-bench");
        List<String> floorCmd = List.of(java, "-cp", jar + ":" + Path.of("target/test-classes").toAbsolutePath(),
                FloorApp.Main.class.getName(), env.ssh().host(), String.valueOf(env.ssh().port()), env.ssh().user(),
                env.ssh().identity().orElseThrow().toString(), env.ssh().knownHosts().toString());
        List<String> appCmd = new ArrayList<>(List.of(java, "-Duser.home=" + home, "-Ddutydesk.benchmark=launch",
                "-Ddutydesk.warmup=" + System.getProperty("dutydesk.warmup", "true")));
        appCmd.addAll(jvmOptions());
        appCmd.addAll(List.of("-jar", jar, "--config", config.toString(), "--env", "ref"));
        List<Long> floor = new ArrayList<>();
        List<Long> app = new ArrayList<>();
        try {
            run(floorCmd, display, "FLOOR-READY"); // warm the file cache for both
            run(appCmd, display, "DUTYDESK-READY");
            for (int i = 0; i < rounds; i++) {
                floor.add(run(floorCmd, display, "FLOOR-READY"));
                app.add(run(appCmd, display, "DUTYDESK-READY"));
            }
        } finally {
            if (xvfb != null) {
                xvfb.close();
            }
        }
        long f = median(floor);
        long a = median(app);
        System.out.println("P1 launch -> shell shown, SSH connected, all 7 backends pinged; app JVM options " + jvmOptions());
        System.out.println("  floor (bare JavaFX window + one SSH handshake): median " + f + " ms  " + floor);
        System.out.println("  dutydesk:                                       median " + a + " ms  " + app);
        System.out.printf("  ratio dutydesk / floor: %.2f  (%d alternating rounds; goal <= 1.5)%n", (double) a / f, rounds);
    }

    /**
     * The JVM options of the measured app: by default the packaged launcher's ({@code packaging/java-options}, with
     * {@code $APPDIR} the jar's folder, where {@code mvn package} writes the AppCDS archive {@code dutydesk.jsa}), so the
     * figure is the installed console's; {@code -Dbench.launcher=false} runs a plain {@code java -jar}. Then
     * {@code -Dbench.cds=ARCHIVE} (an AppCDS archive) and {@code -Dbench.jvm='OPTS'} (space-separated) are added, so runs
     * with and without them compare in one sitting.
     */
    static List<String> jvmOptions() {
        List<String> o = new ArrayList<>();
        if (Boolean.parseBoolean(System.getProperty("bench.launcher", "true"))) {
            String appDir = Path.of(System.getProperty("dutydesk.jar", "target/dutydesk.jar")).toAbsolutePath().getParent().toString();
            try {
                for (String line : java.nio.file.Files.readAllLines(Path.of("packaging/java-options"))) {
                    String s = line.strip();
                    if (!s.isEmpty() && !s.startsWith("#")) {
                        o.add(s.replace("$APPDIR", appDir));
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("the launcher's options (run from the project folder)", e);
            }
        }
        String cds = System.getProperty("bench.cds", "");
        if (!cds.isEmpty()) {
            o.addAll(List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + Path.of(cds).toAbsolutePath(), "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"));
        }
        for (String s : System.getProperty("bench.jvm", "").split(" ")) {
            if (!s.isBlank()) {
                o.add(s);
            }
        }
        return o;
    }

    /** Wall-clock ms from process start to the line starting with {@code ready}. */
    private static long run(List<String> cmd, String display, String ready) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        long t0 = System.nanoTime();
        Process p = pb.start();
        long at = -1;
        List<String> seen = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                seen.add(l);
                if (l.startsWith(ready)) {
                    at = System.nanoTime();
                    if (l.contains("ok=") && !l.contains("ok=7")) {
                        throw new IllegalStateException("not every backend ok: " + l);
                    }
                }
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        if (at < 0) {
            throw new IllegalStateException(cmd.get(cmd.size() - 1) + ": no " + ready + " line: " + seen);
        }
        return TimeUnit.NANOSECONDS.toMillis(at - t0);
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
