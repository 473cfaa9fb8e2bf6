package io.dutydesk.bench;

import io.dutydesk.testing.IdleProbe;
import io.dutydesk.testing.OwnMetrics;
import io.dutydesk.testing.RefHost;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * P7: the longest FX-thread stall while a backend hangs. The real window on the reference host, started with
 * {@code --metrics-port 0}; once it settled, a baseline period with every backend answering, then one period per
 * backend while it HANGS ({@code refhost pause NAME}: SIGSTOP, so connections are accepted or queued and never
 * answered — not refused as when it is stopped). During every period the window is driven through its six panes
 * (Ctrl+1 … Ctrl+6 with xdotool, one a second), and the period's pulse gaps are read from the console's own
 * metrics ({@code dutydesk_fx_pulse_gap_seconds} and {@code _max_seconds}, see {@link OwnMetrics#pulseGaps}). The
 * settling drives the panes too, so that each pane's first showing (when it is built) falls in no period; a second
 * baseline follows the last backend. A
 * period ends {@value #AFTER_RESUME_S} s after the backend is resumed, so that a stall that spans the resume is
 * counted in it. The backend is resumed in a finally; the console then gets back to "all 7 backends ok" before
 * the next one hangs.
 *
 * <pre>
 *   mvn -q -DskipTests package test-compile
 *   flock /tmp/dutydesk-it.lock sh -c 'src/refhost/refhost up &gt;/dev/null &amp;&amp;
 *     java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.StallBenchmark [seconds] [settleSeconds] [backends] [config];
 *     src/refhost/refhost down'
 * </pre>
 * {@code backends}: comma-separated, default {@code postgres,redis,prometheus,alertmanager,docker,ssh}.
 * {@code -Dstall.stacks=true} also samples the FX thread's stack (jstack, every 300 ms) while a backend hangs and
 * prints the frames where it was found busy (jstack's safepoints add a few ms of their own to the gaps);
 * {@code -Dstall.jvm="-XX:StartFlightRecording=filename=/tmp/p7.jfr,settings=profile"} passes JVM options to the
 * console (a flight recording, whose jdk.ThreadPark, jdk.JavaMonitorEnter and jdk.SocketRead events on the
 * "JavaFX Application Thread" show where it blocked: {@code jfr print --events ... /tmp/p7.jfr}).
 * {@code -Dstall.out=FILE} writes the console's own output there at the end (with
 * {@code -Dstall.jvm=-Djavafx.pulseLogger=true -Djavafx.pulseLogger.threshold=60}: JavaFX's phases of each slow pulse).
 * Needs a display: uses $DISPLAY, else starts an Xvfb on a free display.
 */
public final class StallBenchmark {
    static final int AFTER_RESUME_S = 2;
    static final double GOAL_MS = 100;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int settle = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> backends = List.of((args.length > 2 ? args[2] : "postgres,redis,prometheus,alertmanager,docker,ssh").split(","));
        Path config = Path.of(args.length > 3 ? args[3] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        boolean stacks = Boolean.getBoolean("stall.stacks");
        io.dutydesk.testing.Xvfb xvfb = null;
        String display = System.getenv("DISPLAY");
        if (display == null || display.isEmpty()) {
            xvfb = io.dutydesk.testing.Xvfb.start("1366x820");
            display = xvfb.display;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(System.getProperty("dutydesk.jar", "target/dutydesk.jar")).toAbsolutePath().toString();
        Path home = Files.createTempDirectory("dutydesk-stall");
        List<String> rows = new ArrayList<>();
        boolean over = false;
        List<String> cmd = new ArrayList<>(List.of(java, "-Duser.home=" + home));
        cmd.addAll(LaunchBenchmark.jvmOptions()); // the packaged launcher's options (-Dbench.launcher=false: none)
        System.out.println("app JVM options " + LaunchBenchmark.jvmOptions());
        String jvm = System.getProperty("stall.jvm", "").trim();
        if (!jvm.isEmpty()) {
            cmd.addAll(List.of(jvm.split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar, "--config", config.toString(), "--env", "ref", "--metrics-port", "0"));
        try (IdleProbe.Watched a = new IdleProbe.Watched(cmd, display)) {
            a.awaitLine("'all 7 backends ok'", l -> l.endsWith("ref: all 7 backends ok"), Duration.ofSeconds(120));
            String url = a.lines.stream().map(OwnMetrics::urlIn).filter(u -> u != null).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no 'metrics at' line: " + a.lines));
            String win = x(display, "xdotool", "search", "--sync", "--name", "^Dutydesk").lines().findFirst().orElseThrow();
            // settling, the window driven too: each pane's first showing (it is built then) is no part of any period
            drive(display, win, settle);
            System.out.printf("P7 longest FX-thread stall, %d s per period (+%d s after the resume), window driven through its 6 panes%n",
                    seconds, AFTER_RESUME_S);
            System.out.printf("  metrics: %s%n", url);

            OwnMetrics.Scrape s0 = OwnMetrics.scrape(url);
            drive(display, win, seconds + AFTER_RESUME_S);
            OwnMetrics.Gaps base = OwnMetrics.pulseGaps(s0, OwnMetrics.scrape(url));
            System.out.printf("  %-13s longest gap %-10s  gaps > 100 ms: %d of %d pulses%n", "baseline", base.longest(), base.over100ms(), base.pulses());

            for (String backend : backends) {
                int seen = summaries(a).size();
                OwnMetrics.Scrape before = OwnMetrics.scrape(url);
                Map<String, Integer> busy = new TreeMap<>();
                Instant from = Instant.now();
                RefHost.pause(backend);
                try {
                    Thread sampler = stacks ? sampler(a.pid(), busy) : null;
                    drive(display, win, seconds);
                    if (sampler != null) {
                        sampler.interrupt();
                        sampler.join();
                    }
                } finally {
                    RefHost.resume(backend);
                }
                drive(display, win, AFTER_RESUME_S);
                OwnMetrics.Gaps g = OwnMetrics.pulseGaps(before, OwnMetrics.scrape(url));
                over |= g.over100ms() > 0;
                String row = String.format("  %-13s longest gap %-10s  gaps > 100 ms: %d of %d pulses   baseline %s   goal <= %.0f ms: %s",
                        backend + " hung", g.longest(), g.over100ms(), g.pulses(), base.longest(), GOAL_MS,
                        g.over100ms() == 0 ? "met" : "MISSED");
                System.out.println(row);
                rows.add(row);
                if (!busy.isEmpty()) {
                    System.out.println("    FX thread found busy (jstack samples):");
                    busy.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
                            .forEach(e -> System.out.println("      " + e.getValue() + "x\n" + e.getKey()));
                }
                List<String> said = summaries(a);
                System.out.println("    " + from + " to " + Instant.now() + "; the header said: " + String.join(" | ", said.subList(seen, said.size())));
                // back to all ok before the next backend hangs
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!summaries(a).get(summaries(a).size() - 1).equals("all 7 backends ok")) {
                    if (System.nanoTime() > end || !a.process.isAlive()) {
                        throw new IllegalStateException("not back to 'all 7 backends ok' after " + backend + " resumed: "
                                + a.lines.subList(Math.max(0, a.lines.size() - 10), a.lines.size()));
                    }
                    Thread.sleep(200);
                }
                Thread.sleep(3000);
            }
            // the same again with nothing hung, after the backends: the baseline did not depend on when it was taken
            OwnMetrics.Scrape s1 = OwnMetrics.scrape(url);
            drive(display, win, seconds + AFTER_RESUME_S);
            OwnMetrics.Gaps again = OwnMetrics.pulseGaps(s1, OwnMetrics.scrape(url));
            System.out.printf("  %-13s longest gap %-10s  gaps > 100 ms: %d of %d pulses%n", "baseline again", again.longest(), again.over100ms(), again.pulses());
            if (!a.process.isAlive()) {
                throw new IllegalStateException("the console ended: " + a.lines);
            }
            String out = System.getProperty("stall.out", "");
            if (!out.isEmpty()) { // the console's own output, e.g. with -Dstall.jvm=-Djavafx.pulseLogger=true
                Files.write(Path.of(out), a.lines, StandardCharsets.UTF_8);
            }
        } finally {
            if (xvfb != null) {
                xvfb.close();
            }
        }
        System.out.println(over ? "P7: a stall over 100 ms while a backend hung" : "P7: no stall over 100 ms while a backend hung");
        System.exit(0);
    }

    /** What the header's summary said so far, in order ("all 7 backends ok", "1 down: redis", "connecting…"). */
    private static List<String> summaries(IdleProbe.Watched a) {
        return a.lines.stream().filter(l -> l.startsWith("dutydesk: ref: ")).map(l -> l.substring("dutydesk: ref: ".length()))
                .filter(l -> l.startsWith("all ") || l.matches("\\d+ (down|misconfigured).*") || l.startsWith("connecting")).toList();
    }

    /** Ctrl+1 … Ctrl+6 to the window, one a second, for {@code seconds}. */
    private static void drive(String display, String win, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int pane = 0;
        while (System.nanoTime() < end) {
            x(display, "xdotool", "windowfocus", "--sync", win);
            x(display, "xdotool", "key", "--clearmodifiers", "ctrl+" + (pane % 6 + 1));
            pane++;
            long left = end - System.nanoTime();
            if (left > 0) {
                Thread.sleep(Math.min(1000, left / 1_000_000));
            }
        }
    }

    /** Samples the FX thread's stack every 300 ms; counts its top frames when it is not waiting for events. */
    private static Thread sampler(long pid, Map<String, Integer> busy) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Process p = new ProcessBuilder("jstack", String.valueOf(pid)).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    p.waitFor();
                    int i = out.indexOf("\"JavaFX Application Thread\"");
                    if (i >= 0) {
                        int j = out.indexOf("\n\n", i);
                        List<String> frames = out.substring(i, j < 0 ? out.length() : j).lines()
                                .map(String::trim).filter(l -> l.startsWith("at ")).limit(16).toList();
                        // waiting for events in GTK's loop: idle
                        if (!frames.isEmpty() && !frames.get(0).contains("_runLoop")) {
                            synchronized (busy) {
                                busy.merge("        " + String.join("\n        ", frames), 1, Integer::sum);
                            }
                        }
                    }
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    return;
                }
            }
        }, "fx-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static String x(String display, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DISPLAY", display);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
        }
        return out;
    }
}
