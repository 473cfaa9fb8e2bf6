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
    private static final long START_NANOS = ON ? System.nanoTime() - age() * 1_000_000 : 0;

    private Phase() {}

    public static boolean on() {
        return ON;
    }

    /**
     * This process's age in ms, to ~10 ms: /proc/uptime minus the process's start in clock ticks since boot (both on the
     * boot clock, so a step of the wall clock does not move it). The JDK's start instant adds the boot time, which Linux
     * gives in whole seconds (an error of up to 1 s): it is only the fall-back and the check of the tick's size.
     */
    static long age() {
        long jdkAge = jdkAge();
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]); // field 22 (starttime); f[0] is field 3
            double uptime = Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).split(" ")[0]);
            long age = Math.round(uptime * 1000 - startTicks * 10.0); // USER_HZ is 100 on Linux
            if (age >= 0 && Math.abs(age - jdkAge) <= 2000) { // the JDK's figure is within a second: a tick of another size is not
                return age;
            }
        } catch (java.io.IOException | RuntimeException notLinux) {
            // the JDK's figure below
        }
        return jdkAge;
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
