package io.dutydesk.ui.fx;

import io.dutydesk.core.telemetry.Telemetry;
import javafx.animation.AnimationTimer;

/**
 * The FX thread's stalls as the gaps between pulses, handed to {@link Telemetry#pulseGap}: an
 * {@link AnimationTimer} sees every pulse (its timestamp is the pulse's start), about 1/60 s apart while
 * the thread keeps up; a longer gap is a stall. It keeps pulses coming at 60 Hz, so it runs only when the
 * telemetry records ({@code --metrics-port}) and only while the window runs (started in {@code start},
 * stopped with the toolkit). FX thread.
 */
public final class PulseGaps extends AnimationTimer {
    private final Telemetry telemetry;
    private long last;

    public PulseGaps(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** Starts measuring if the process's telemetry records anything; returns the timer or null. */
    public static PulseGaps startIfEnabled() {
        Telemetry t = Telemetry.current();
        if (!t.enabled()) {
            return null;
        }
        PulseGaps g = new PulseGaps(t);
        g.start();
        return g;
    }

    @Override
    public void handle(long now) {
        if (last != 0 && now > last) {
            telemetry.pulseGap(now - last);
        }
        last = now;
    }

    @Override
    public void stop() {
        super.stop();
        last = 0; // a gap across a stop is no stall
    }
}
