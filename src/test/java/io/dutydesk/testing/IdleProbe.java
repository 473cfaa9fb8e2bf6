package io.dutydesk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What an idle console costs, read from outside it: a process's CPU time, RSS and threads from {@code /proc}, and
 * the session channels the reference host's sshd started (its log at LogLevel VERBOSE says "Starting session:
 * command …" per exec and "Starting session: subsystem 'sftp' …" per SFTP channel; forwards start none).
 */
public final class IdleProbe {
    private IdleProbe() {}

    /** utime + stime of {@code pid} in clock ticks (USER_HZ, 100 a second on Linux). */
    public static long cpuTicks(long pid) {
        String stat = read(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the name: state(3) ppid(4) ... utime(14) stime(15) -> indexes 11 and 12 from field 3
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    public static final double TICKS_PER_SECOND = 100.0;

    /** CPU ticks (utime + stime) per thread name of {@code pid} (names as /proc gives them, 15 characters; pools' numbers dropped). */
    public static java.util.Map<String, Long> ticksByThread(long pid) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The threads that used the most CPU between two {@link #ticksByThread} samples, as "name ticks" (10 ms each). */
    public static String topThreads(java.util.Map<String, Long> before, java.util.Map<String, Long> after, int n) {
        return after.entrySet().stream()
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .map(e -> e.getKey() + " " + e.getValue() * 10 + " ms").collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * How many times the thread of {@code pid} whose name starts with {@code name} has gone to sleep of its own
     * accord (voluntary_ctxt_switches of /proc/PID/task/TID/status): each is one wake-up after it. A count, not a time.
     */
    public static long wakeups(long pid, String name) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                if (read(t.resolve("comm")).startsWith(name)) {
                    for (String l : read(t.resolve("status")).split("\n")) {
                        if (l.startsWith("voluntary_ctxt_switches:")) {
                            return Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no thread '" + name + "' in process " + pid);
    }

    /** A field of /proc/PID/status as a number (VmRSS in kB, Threads). */
    public static long status(long pid, String field) {
        for (String l : read(Path.of("/proc/" + pid + "/status")).split("\n")) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    /** Percent of one core {@code pid} used over {@code window} (sampled from /proc before and after). */
    public static double cpuPercent(long pid, Duration window) throws InterruptedException {
        long t0 = System.nanoTime();
        long c0 = cpuTicks(pid);
        Thread.sleep(window.toMillis());
        long c1 = cpuTicks(pid);
        double secs = (System.nanoTime() - t0) / 1e9;
        return 100.0 * (c1 - c0) / TICKS_PER_SECOND / secs;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(p + ": " + e.getMessage(), e);
        }
    }

    /** The sshd's log of the reference host (the streaming one the consoles use). */
    public static Path sshdLog() {
        return RefHost.dir().resolve("logs/sshd.log");
    }

    /** Session channels started since a mark of the sshd log. */
    public record Sessions(int commands, int sftp) {}

    /** A position in the sshd log: what is written after it is counted. */
    public static long mark() {
        try {
            return Files.size(sshdLog());
        } catch (IOException e) {
            throw new IllegalStateException(sshdLog() + " unreadable: is the reference host up?", e);
        }
    }

    public static Sessions since(long mark) {
        int cmd = 0;
        int sftp = 0;
        try (RandomAccessFile f = new RandomAccessFile(sshdLog().toFile(), "r")) {
            f.seek(mark);
            byte[] rest = new byte[(int) (f.length() - mark)];
            f.readFully(rest);
            for (String l : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                if (l.contains("Starting session: command")) {
                    cmd++;
                } else if (l.contains("Starting session: subsystem 'sftp'")) {
                    sftp++;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new Sessions(cmd, sftp);
    }

    /** {@code ssh -p PORT user@host true} with the reference host's key: one exec, to show the count sees one. */
    public static void plainSshTrue() throws Exception {
        plainSshTrue(RefHost.ref().ssh());
    }

    public static void plainSshTrue(io.dutydesk.core.config.Environment.Ssh ssh) throws Exception {
        Process p = new ProcessBuilder("ssh", "-i", ssh.identity().orElseThrow().toString(), "-p", String.valueOf(ssh.port()),
                "-o", "UserKnownHostsFile=" + ssh.knownHosts(), "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
                "-F", "/dev/null", ssh.user() + "@" + ssh.host(), "true").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ssh true failed: " + out);
        }
    }

    /** An X client (xdotool, xwininfo…) on {@code display}; fails the test unless it exits 0 within 20 s; its output. */
    public static String x(String display, String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DISPLAY", display);
        try {
            Process p = pb.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + (p.isAlive() ? " did not finish" : " exited " + p.exitValue()) + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A process whose output lines are kept, with a wait for a line. */
    public static final class Watched implements AutoCloseable {
        public final Process process;
        public final List<String> lines = new CopyOnWriteArrayList<>();

        public Watched(List<String> cmd, String display) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DISPLAY", display);
            pb.environment().put("GDK_BACKEND", "x11");
            process = pb.start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // ended
                }
            }, "watched-output");
            t.setDaemon(true);
            t.start();
        }

        public long pid() {
            return process.pid();
        }

        /** Waits until a line matching {@code p} was printed (polling the kept lines every 50 ms). */
        public void awaitLine(String what, Predicate<String> p, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (lines.stream().noneMatch(p)) {
                if (System.nanoTime() > end || !process.isAlive()) {
                    throw new AssertionError("no line " + what + " within " + timeout.toSeconds() + " s: " + lines);
                }
                Thread.sleep(50);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
