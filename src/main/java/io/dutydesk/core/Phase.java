package io.dutydesk.core;

/**
 * Where a run's time goes: with {@code DUTYDESK_PHASES=1} in the environment (or
 * {@code -Ddutydesk.benchmark=cli}), {@link #mark} prints {@code DUTYDESK-PHASE name ms} on stderr, ms since the
 * JVM started. Off (the default) it costs one boolean test.
 */
public final class Phase {
    private static final boolean ON = System.getenv("DUTYDESK_PHASES") != null
            || "cli".equals(System.getProperty("dutydesk.benchmark"));
    private static final long START = ON ? start() : 0;

    private Phase() {}

    public static boolean on() {
        return ON;
    }

    /**
     * When this JVM's process started, to ~10 ms: now minus its age from /proc (its start in clock ticks since boot against
     * /proc/uptime). The JDK's start instant adds the boot time, which Linux gives in whole seconds (an error of up to 1 s).
     */
    static long start() {
        long now = System.currentTimeMillis();
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]); // field 22 (starttime); f[0] is field 3
            double uptime = Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).split(" ")[0]);
            long start = now - Math.round(uptime * 1000 - startTicks * 10.0); // USER_HZ is 100 on Linux
            if (Math.abs(start - jdkStart(now)) <= 2000) { // the JDK's figure is within a second: a tick of another size is not
                return start;
            }
        } catch (java.io.IOException | RuntimeException notLinux) {
            // the JDK's figure below
        }
        return jdkStart(now);
    }

    private static long jdkStart(long now) {
        return ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(now);
    }

    public static void mark(String name) {
        if (ON) {
            System.err.println("DUTYDESK-PHASE " + name + " " + (System.currentTimeMillis() - START));
        }
    }
}
