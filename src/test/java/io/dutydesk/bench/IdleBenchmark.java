package io.dutydesk.bench;

import io.dutydesk.testing.IdleProbe;
import io.dutydesk.testing.OwnMetrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * P8 and the server-side exec count: the real window idle on the reference host, measured from outside once it
 * settled — CPU of one core from /proc/PID/stat (utime + stime), RSS and threads from /proc/PID/status, and the
 * session channels sshd started (its log, LogLevel VERBOSE) — against a bare JavaFX window (IdleFloorApp)
 * measured in the same run, and a plain {@code ssh host true} per interval for the exec count. The console runs with
 * the packaged launcher's JVM options and, as a user's does, without {@code --metrics-port} (P8's figure). With
 * {@code -Didle.metrics=true} it runs with {@code --metrics-port 0} and its own RSS, threads and open SSH channels
 * ({@code dutydesk_*}) are read from that endpoint at the end of the period and printed beside /proc's; the option
 * itself costs CPU: it runs the pulse-gap timer (an AnimationTimer, so the window pulses 60 times a second).
 * With {@code -Didle.panes=true} every pane is shown once (Ctrl+1 … Ctrl+6) before the settling, then the Slots pane
 * again: the idle window of a user who looked at every pane (built panes stay in the scene, hidden).
 *
 * <pre>
 *   mvn -q -DskipTests package test-compile
 *   flock /tmp/dutydesk-it.lock sh -c 'src/refhost/refhost up &gt;/dev/null &amp;&amp;
 *     java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.IdleBenchmark [seconds] [settleSeconds] [config];
 *     src/refhost/refhost down'
 * </pre>
 * The console polls at its default interval (5 s) unless the config says otherwise; {@code -Ddutydesk.jar=PATH}
 * measures another build (e.g. main's, with a config it accepts). Needs a display: uses
 * $DISPLAY, else starts an Xvfb on a free display.
 */
public final class IdleBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int settle = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path config = Path.of(args.length > 2 ? args[2] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        var env = io.dutydesk.core.config.EnvironmentsFile.load(config).require("ref");
        int interval = (int) env.poll().interval().toSeconds();
        io.dutydesk.testing.Xvfb xvfb = null;
        String display = System.getenv("DISPLAY");
        if (display == null || display.isEmpty()) {
            xvfb = io.dutydesk.testing.Xvfb.start("1366x820");
            display = xvfb.display;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(System.getProperty("dutydesk.jar", "target/dutydesk.jar")).toAbsolutePath().toString();
        Path home = Files.createTempDirectory("dutydesk-idle");
        try {
            Figures floor = new Figures(0, 0, 0, "(not measured: -Didle.floor=false)");
            if (Boolean.parseBoolean(System.getProperty("idle.floor", "true"))) try (IdleProbe.Watched f = new IdleProbe.Watched(List.of(java, "-cp", System.getProperty("java.class.path"),
                    IdleFloorApp.Main.class.getName()), display)) {
                f.awaitLine("FLOOR-SHOWN", l -> l.equals("FLOOR-SHOWN"), Duration.ofSeconds(60));
                Thread.sleep(settle * 1000L);
                floor = measure(f.pid(), seconds);
            }
            Figures app;
            IdleProbe.Sessions sessions;
            // off by default: the endpoint's pulse-gap timer keeps the window pulsing at 60 Hz (~0.7-2 points of a core,
            // docs/benchmarks.md) and a user's window runs without it; -Didle.metrics=true reads the figures from it too
            boolean metrics = Boolean.parseBoolean(System.getProperty("idle.metrics", "false"));
            boolean panes = Boolean.getBoolean("idle.panes");
            OwnMetrics.Scrape own = null;
            List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Duser.home=" + home));
            cmd.addAll(LaunchBenchmark.jvmOptions()); // the packaged launcher's options (-Dbench.launcher=false: none)
            cmd.addAll(List.of("-jar", jar, "--config", config.toString(), "--env", "ref"));
            System.out.println("app JVM options " + LaunchBenchmark.jvmOptions() + (panes ? "; every pane shown once before the settling" : ""));
            if (metrics) {
                cmd.addAll(List.of("--metrics-port", "0"));
            }
            try (IdleProbe.Watched a = new IdleProbe.Watched(cmd, display)) {
                a.awaitLine("'all 7 backends ok'", l -> l.endsWith("ref: all 7 backends ok"), Duration.ofSeconds(120));
                if (panes) {
                    // every pane shown once (Ctrl+1 … Ctrl+6, a second each), then the Slots pane again: the built panes
                    // stay in the scene, hidden; the background ones (Alerts, Today) keep polling there
                    String win = StallBenchmark.x(display, "xdotool", "search", "--sync", "--name", "^Dutydesk").lines().findFirst().orElseThrow();
                    for (int pane = 1; pane <= 7; pane++) {
                        StallBenchmark.x(display, "xdotool", "windowfocus", "--sync", win);
                        StallBenchmark.x(display, "xdotool", "key", "--clearmodifiers", "ctrl+" + (pane == 7 ? 1 : pane));
                        Thread.sleep(1000);
                    }
                }
                Thread.sleep(settle * 1000L);
                long mark = IdleProbe.mark();
                app = measure(a.pid(), seconds);
                sessions = IdleProbe.since(mark);
                if (metrics) {
                    String url = a.lines.stream().map(OwnMetrics::urlIn).filter(u -> u != null).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no 'metrics at' line: " + a.lines));
                    own = OwnMetrics.scrape(url);
                }
                if (!a.process.isAlive()) {
                    throw new IllegalStateException("the console ended: " + a.lines);
                }
            }
            long mark = IdleProbe.mark();
            IdleProbe.plainSshTrue(env.ssh());
            Thread.sleep(500);
            IdleProbe.Sessions plain = IdleProbe.since(mark);
            double intervals = (double) seconds / interval;
            System.out.printf("P8 idle window, %d s after it settled %d s (poll every %d s)%n", seconds, settle, interval);
            System.out.printf("  floor (bare JavaFX window): %5.2f %% of a core, %3d threads, RSS %4d MB%n", floor.cpu, floor.threads, floor.rssMb);
            System.out.printf("  dutydesk:                   %5.2f %% of a core, %3d threads, RSS %4d MB   (goal <= 1 %%)%n", app.cpu, app.threads, app.rssMb);
            System.out.printf("  dutydesk - floor: %+.2f points%n", app.cpu - floor.cpu);
            if (own != null) {
                System.out.printf("  dutydesk, its own metrics (--metrics-port, read after the period): %3.0f threads, RSS %4.0f MB, %.0f SSH channels open"
                                + " (%.0f opened), longest FX pulse gap since the start %.0f ms%n",
                        own.require("dutydesk_threads"), own.require("dutydesk_process_resident_memory_bytes") / 1048576,
                        own.require("dutydesk_ssh_channels_open"), own.value("dutydesk_ssh_channels_opened_total").orElse(0),
                        own.require("dutydesk_fx_pulse_gap_max_seconds") * 1000);
                System.out.println("    (the CPU figure above includes --metrics-port's pulse-gap timer: without -Didle.metrics=true it is measured without it)");
            }
            System.out.println("  busiest threads, floor:    " + floor.top);
            System.out.println("  busiest threads, dutydesk: " + app.top);
            System.out.printf("server-side sessions over %.0f intervals: %d exec (%.2f per interval, goal <= 1), %d SFTP channels opened%n",
                    intervals, sessions.commands(), sessions.commands() / intervals, sessions.sftp());
            System.out.printf("  baseline, a plain 'ssh host true' counted by the same log: %d exec per interval%n", plain.commands());
        } finally {
            if (xvfb != null) {
                xvfb.close();
            }
        }
    }

    private record Figures(double cpu, long threads, long rssMb, String top) {}

    private static Figures measure(long pid, int seconds) throws InterruptedException {
        var before = IdleProbe.ticksByThread(pid);
        double cpu = IdleProbe.cpuPercent(pid, Duration.ofSeconds(seconds));
        String top = IdleProbe.topThreads(before, IdleProbe.ticksByThread(pid), 8);
        return new Figures(cpu, IdleProbe.status(pid, "Threads"), IdleProbe.status(pid, "VmRSS") / 1024, top);
    }
}
