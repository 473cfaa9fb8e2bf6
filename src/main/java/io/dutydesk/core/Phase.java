package io.dutydesk.core;

/**
 * Where a run's time goes: with {@code DUTYDESK_PHASES=1} in the environment (or
 * {@code -Ddutydesk.benchmark=cli}), {@link #mark} prints {@code DUTYDESK-PHASE name ms} on stderr, ms since the
 * JVM started. Off (the default) it costs one boolean test.
 */
public final class Phase {
    private static final boolean ON = System.getenv("DUTYDESK_PHASES") != null
            || "cli".equals(System.getProperty("dutydesk.benchmark"));
    private static final long START = ON ? ProcessHandle.current().info().startInstant()
            .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis()) : 0;

    private Phase() {}

    public static boolean on() {
        return ON;
    }

    public static void mark(String name) {
        if (ON) {
            System.err.println("DUTYDESK-PHASE " + name + " " + (System.currentTimeMillis() - START));
        }
    }
}
