package io.dutydesk.core;

/**
 * Where a run's time goes: with {@code DUTYDESK_PHASES=1} in the environment (or
 * {@code -Ddutydesk.benchmark=cli}), {@link #mark} prints {@code DUTYDESK-PHASE name ms} on stderr, ms since the
 * process started. Off (the default) it costs one boolean test. Times are ages on the monotonic clock: the wall clock
 * of a virtual machine can step while a run goes on (a CI run saw it 1.3 s off between the JVM's start and a test).
 */
public final class Phase {
    private static final boolean ON = System.getenv("DUTYDESK_PHASES") != null
            || "cli".equals(System.getProperty("dutydesk.benchmark"));
    /** {@link System#nanoTime} at the process's start. */
    private static final long START_NANOS = ON ? startNanos() : 0;

    private Phase() {}

    /** The age first, then the clock: the age is right as of its read of /proc/uptime, just before (not the reads' time later). */
    private static long startNanos() {
        long age = age();
        return System.nanoTime() - age * 1_000_000;
    }

    public static boolean on() {
        return ON;
    }

    /**
     * This process's age in ms, to ~10 ms: /proc/uptime minus the process's start in clock ticks since boot (both on the
     * boot clock, so a step of the wall clock does not move it). The JDK's start instant is the fall-back where /proc
     * cannot be read: it is a wall-clock figure (the boot time in whole seconds, which the JDK reads once and keeps, so a
     * step of the wall clock after the JVM first asked goes into it whole). It is not a check of the boot-clock age: with
     * the 1.3 s step CI saw, the two could be over 2 s apart, and the stepped figure would have been taken instead.
     */
    static long age() {
        try {
            long age = bootClockAge(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat")),
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")));
            if (age >= 0) {
                return age;
            }
        } catch (java.io.IOException | RuntimeException notLinux) {
            // the JDK's figure below
        }
        return jdkAge();
    }

    /**
     * The age in ms from the texts of /proc/self/stat and /proc/uptime; -1 when the start is after the uptime (not ticks of
     * 1/100 s: USER_HZ, the unit of the start, is 100 on every Linux the JDK runs on).
     */
    static long bootClockAge(String stat, String uptime) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long startTicks = Long.parseLong(f[19]); // field 22 (starttime); f[0] is field 3
        double up = Double.parseDouble(uptime.split(" ")[0]);
        long age = Math.round(up * 1000 - startTicks * 10.0);
        return age >= 0 ? age : -1;
    }

    private static long jdkAge() {
        long now = System.currentTimeMillis();
        return Math.max(0, now - ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(now));
    }

    public static void mark(String name) {
        if (ON) {
            System.err.println("DUTYDESK-PHASE " + name + " " + (System.nanoTime() - START_NANOS) / 1_000_000);
        }
    }
}
