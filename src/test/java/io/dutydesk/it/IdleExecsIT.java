package io.dutydesk.it;

import io.dutydesk.testing.IdleProbe;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real window (Xvfb) left idle on the reference host starts at most one exec on the server per poll interval
 * and keeps one SFTP channel: counted in sshd's own log ("Starting session: …", LogLevel VERBOSE), not by the
 * console. The count is first shown to see a plain {@code ssh host true} as exactly one exec. Its FX thread sleeps
 * between what there is to do: JavaFX's GTK pulse timer woke it 60 times a second idle or not (~1,200 times in
 * these 20 s); the console's own timer (PausingPulseTimer) stops while no pulse is needed.
 */
class IdleExecsIT {
    private static final int INTERVAL_S = 2;
    private static final int INTERVALS = 10;

    @TempDir
    Path home;

    @Test
    void anIdleConsoleStartsAtMostOneExecPerPollInterval() throws Exception {
        long calibrate = IdleProbe.mark();
        IdleProbe.plainSshTrue();
        assertEquals(new IdleProbe.Sessions(1, 0), awaitLogged(calibrate, 1), "the counter sees a plain 'ssh host true' as one exec");

        Path config = home.resolve("environments.yaml");
        Files.writeString(config, Files.readString(RefHost.config())
                + "    poll: { intervalSeconds: " + INTERVAL_S + ", timeoutSeconds: 6 }\n");
        io.dutydesk.testing.Xvfb xvfb = io.dutydesk.testing.Xvfb.start("1366x820");
        // started as the README's command starts it (the jar's class archive, C1)
        List<String> cmd = new ArrayList<>(RefHost.javaJar(List.of("-Duser.home=" + home)));
        cmd.addAll(List.of("--config", config.toString(), "--env", "ref"));
        long started = IdleProbe.mark();
        try (IdleProbe.Watched app = new IdleProbe.Watched(cmd, xvfb.display)) {
            app.awaitLine("'all 7 backends ok'", l -> l.endsWith("ref: all 7 backends ok"), Duration.ofSeconds(90));
            app.awaitLine("the slots read", l -> l.startsWith("dutydesk: title: ") && l.contains("LIVE:") && !l.contains("stale"),
                    Duration.ofSeconds(30));
            // the pings' kept SFTP channel opens at the second ping (the first runs 'true'): waited for in sshd's log, not
            // assumed done within the sleep below (a loaded machine's late ping would open it inside the measured window)
            io.dutydesk.testing.Eventually.await(() -> "the pings' SFTP channel: " + IdleProbe.since(started), Duration.ofSeconds(60),
                    () -> IdleProbe.since(started).sftp() >= 1);
            Thread.sleep(2000L * INTERVAL_S); // every pane has polled at least once: the steady state is measured
            long mark = IdleProbe.mark();
            long wakeups = IdleProbe.wakeups(app.pid(), "JavaFX Applicat");
            Thread.sleep(1000L * INTERVAL_S * INTERVALS);
            IdleProbe.Sessions s = IdleProbe.since(mark);
            wakeups = IdleProbe.wakeups(app.pid(), "JavaFX Applicat") - wakeups;
            System.out.println("idle console, " + INTERVALS + " intervals of " + INTERVAL_S + " s: " + s.commands()
                    + " exec sessions, " + s.sftp() + " SFTP sessions started on the server");
            System.out.println("its FX thread woke " + wakeups + " times in " + INTERVAL_S * INTERVALS + " s");
            assertTrue(app.process.isAlive(), "the console still runs: " + app.lines);
            assertTrue(app.lines.stream().noneMatch(l -> l.contains("pulse timer is kept")), "the console's pulse timer runs: " + app.lines);
            // 60 Hz would be 60 a second; a poll's repaint keeps the timer ~0.3 s, some 20 wake-ups, every 2 s
            assertTrue(wakeups < 20L * INTERVAL_S * INTERVALS, "the idle FX thread sleeps between polls: it woke " + wakeups
                    + " times in " + INTERVAL_S * INTERVALS + " s (a 60 Hz timer: ~" + 60 * INTERVAL_S * INTERVALS + ")");
            assertTrue(s.commands() <= INTERVALS, "at most one exec per interval: " + s.commands() + " in " + INTERVALS);
            assertTrue(s.sftp() == 0, "the SFTP channel is kept across polls: " + s.sftp() + " opened in " + INTERVALS + " intervals");
        } finally {
            xvfb.close();
        }
    }

    /** The sessions since {@code mark} once sshd has logged {@code n} (it logs as the channel starts; ssh has returned). */
    private static IdleProbe.Sessions awaitLogged(long mark, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        IdleProbe.Sessions s = IdleProbe.since(mark);
        while (s.commands() + s.sftp() < n && System.nanoTime() < end) {
            Thread.sleep(20);
            s = IdleProbe.since(mark);
        }
        return s;
    }
}
