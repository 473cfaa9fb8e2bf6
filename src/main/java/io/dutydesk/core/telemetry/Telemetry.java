package io.dutydesk.core.telemetry;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The process's own measurements, for whoever exports them (the opt-in {@code --metrics-port}: the
 * Prometheus adapter, {@code adapters.telemetry}). Core and ui call it; the default ({@link #NONE})
 * records nothing and costs a virtual call. One per process: {@link #current()}, set once by the app
 * at start ({@link #install}) before anything polls. Every method is cheap, never blocks and is called
 * from any thread.
 */
public interface Telemetry {
    /** Records nothing. */
    Telemetry NONE = new Telemetry() {
        @Override
        public void pollCompleted(String backend, String kind, long nanos, boolean failed) {
        }

        @Override
        public void actionCompleted(String action, String outcome, Duration duration) {
        }

        @Override
        public void pulseGap(long nanos) {
        }

        @Override
        public AutoCloseable sshChannels(String environment, IntSupplier open, LongSupplier opened) {
            return () -> { };
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /**
     * One refresh of a poller ended: {@code backend} is what it polls (a backend's id for the health pings, the
     * pane's source otherwise), {@code kind} "ping" (health) or "poll"; {@code failed}: an error or no answer in time.
     */
    void pollCompleted(String backend, String kind, long nanos, boolean failed);

    /** An action ended (its completion audited): {@code outcome} succeeded, failed, refused, unknown, interrupted. */
    void actionCompleted(String action, String outcome, Duration duration);

    /** The time between two pulses of the window (a frame's start to the next one's). */
    void pulseGap(long nanos);

    /**
     * The SSH channels of an environment's connection, read when the measurements are read, until the returned
     * handle is closed: {@code open} now, {@code opened} since the connection was made.
     */
    AutoCloseable sshChannels(String environment, IntSupplier open, LongSupplier opened);

    /** Whether anything is recorded (a measurement that costs something itself is taken only then). */
    boolean enabled();

    /** The process's telemetry ({@link #NONE} unless the app installed another). */
    static Telemetry current() {
        return Installed.current;
    }

    /** Sets the process's telemetry (the app, at start; tests, restoring the previous one after). */
    static void install(Telemetry t) {
        Installed.current = t == null ? NONE : t;
    }

    /**
     * The action an audit entry completes, recorded: an entry with an end that is not "started" (a refusal before
     * anything ran has start == end). Called by the audit log on every append, so every action — rollout verbs,
     * restarts, backups, restores, verifications, downloads, silences — is timed the same way, from its entry.
     */
    static void audited(AuditEntry e) {
        if (e.end() == null || e.start() == null || e.action() == null || AuditRows.STARTED.equals(e.result())) {
            return;
        }
        Telemetry t = current();
        if (t.enabled()) {
            Duration d = Duration.between(e.start(), e.end());
            t.actionCompleted(e.action(), e.result() == null ? "unknown" : e.result(), d.isNegative() ? Duration.ZERO : d);
        }
    }
}
