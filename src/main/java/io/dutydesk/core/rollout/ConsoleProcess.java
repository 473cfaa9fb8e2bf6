package io.dutydesk.core.rollout;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The console process that starts a job, as the server's lock holder names it: its face (the window or the CLI), its
 * pid and its start time. An on-call engineer with several windows and terminals open as the same user@host reads from a
 * BUSY refusal which of them holds the lock ("… by alice from host ws (the CLI, pid 4242, started 2026-11-22 12:00:01
 * UTC) …"). Written into the job's meta ({@link #json}), read back by {@link DetachedActions.Running#describe}.
 *
 * @param face    {@link #WINDOW} or {@link #CLI}; {@code null} when the process did not say (a test, an embedding)
 * @param pid     the process id on the console's workstation
 * @param started when the process started (its own clock); null when the platform does not tell
 */
public record ConsoleProcess(String face, long pid, Instant started) {
    public static final String WINDOW = "window";
    public static final String CLI = "CLI";

    private static volatile String declared;

    /** Said once by the entry point: this process is the window or the CLI (every job it starts then names it). */
    public static void declare(String face) {
        if (!WINDOW.equals(face) && !CLI.equals(face)) {
            throw new IllegalArgumentException("not a console face: " + face);
        }
        declared = face;
    }

    /** This process. */
    public static ConsoleProcess current() {
        ProcessHandle self = ProcessHandle.current();
        return new ConsoleProcess(declared, self.pid(), self.info().startInstant().orElse(null));
    }

    /** The meta's fields for it, each after a comma: {@code ,"console":"window","pid":"4242","pstart":"2026-…Z"}. */
    String json() {
        return (face == null ? "" : ",\"console\":\"" + face + "\"") + ",\"pid\":\"" + pid + "\""
                + (started == null ? "" : ",\"pstart\":\"" + started + "\"");
    }

    /** The process a job's meta names, if it names one (jobs started by older consoles do not). */
    static Optional<ConsoleProcess> in(String meta) {
        String face = MaintenanceLock.field(meta, "console");
        String pid = MaintenanceLock.field(meta, "pid");
        if (!pid.matches("[0-9]{1,10}")) {
            return Optional.empty();
        }
        Instant started = null;
        try {
            String at = MaintenanceLock.field(meta, "pstart");
            started = at.isEmpty() ? null : Instant.parse(at);
        } catch (java.time.format.DateTimeParseException unreadable) {
            // left out
        }
        return Optional.of(new ConsoleProcess(WINDOW.equals(face) || CLI.equals(face) ? face : null, Long.parseLong(pid), started));
    }

    /** "the window, pid 4242, started 2026-11-22 12:00:01 UTC" (what is not known left out). */
    public String describe(ZoneId zone) {
        return (face == null ? "a console" : "the " + face) + ", pid " + pid + (started == null ? ""
                : ", started " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", java.util.Locale.ROOT).withZone(zone).format(started));
    }
}
