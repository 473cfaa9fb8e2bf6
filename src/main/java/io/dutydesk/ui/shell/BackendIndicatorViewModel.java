package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import io.dutydesk.ui.fx.Outage;

import java.time.Clock;
import java.time.Instant;

/**
 * One backend's indicator in the status bar: ok with latency, "down; last answer at T" with the error (T as the header
 * and the panes say it: {@link Outage}), or "misconfigured" (it answers, but lacks what the environments file names)
 * with what is missing.
 */
public final class BackendIndicatorViewModel {

    private final Backend backend;
    private final Clock clock;
    private BackendStatus status;
    private final ObjectProperty<BackendStatus.State> state = new SimpleObjectProperty<>(BackendStatus.State.UNKNOWN);
    private final StringProperty text = new SimpleStringProperty("…");
    private final StringProperty details = new SimpleStringProperty("");

    /** {@code clock}: its zone for the times shown, its date for "today" (a time of another day shows its date). */
    BackendIndicatorViewModel(Backend backend, Clock clock) {
        this.backend = backend;
        this.clock = clock;
        this.status = BackendStatus.unknown(backend);
        details.set(backend.label() + ": not checked yet");
    }

    public Backend backend() { return backend; }

    public ReadOnlyObjectProperty<BackendStatus.State> stateProperty() { return state; }

    public ReadOnlyStringProperty textProperty() { return text; }

    /** The hover text: the error, when it started, when it last answered. */
    public ReadOnlyStringProperty detailsProperty() { return details; }

    /** What it shows, as last given to {@link #show}. */
    BackendStatus status() { return status; }

    void reset() {
        status = BackendStatus.unknown(backend);
        recent.clear();
        state.set(BackendStatus.State.UNKNOWN);
        text.set("…");
        details.set(backend.label() + ": not checked yet");
    }

    void show(BackendStatus s) {
        status = s;
        state.set(s.state());
        if (s.state() != BackendStatus.State.OK) {
            recent.clear();
        }
        switch (s.state()) {
            case OK -> {
                recent.addLast(Math.max(0, s.latencyMs()));
                while (recent.size() > RECENT) {
                    recent.removeFirst();
                }
                long slowest = recent.stream().mapToLong(Long::longValue).max().orElse(0);
                long b = bound(slowest);
                text.set(b <= FAST_MS ? "ok" : "<" + (b >= 1000 ? b / 1000 + " s" : b + " ms"));
                details.set(backend.label() + ": ok, answered in " + s.latencyMs() + " ms at " + time(s.checkedAt())
                        + (recent.size() > 1 ? "; the slowest of its last " + recent.size() + " answers: " + slowest + " ms" : ""));
            }
            case DOWN -> {
                // named by its last answer, as the header and every pane name it (Outage); the first failure on hover
                text.set(Outage.down(s.lastOkAt(), clock));
                details.set(backend.label() + ": " + Outage.down(s.lastOkAt(), clock) + when(s) + "\n" + s.error()
                        + "\n" + (s.lastOkAt() == null ? "Never answered in this session."
                        : "What was read through it is as of " + time(s.lastOkAt()) + "."));
            }
            case MISCONFIGURED -> {
                text.set("misconfigured");
                details.set(backend.label() + ": " + Outage.misconfigured(s.lastOkAt(), clock) + when(s) + ": it answers, but\n"
                        + s.error() + "\nWaiting will not fix this: the environments file (or the server) must change.");
            }
            case NOT_CONFIGURED -> {
                text.set("not configured");
                details.set(backend.label() + ": not configured — this environment has none (" + backend.id()
                        + ": false in the environments file); not polled");
            }
            default -> {
                if (s.error() == null) {
                    reset();
                } else { // not answered yet: the first connection is still being set up — neutral, never "down"
                    text.set(io.dutydesk.core.health.HealthMonitor.CONNECTING);
                    details.set(backend.label() + ": not answered yet, " + s.error());
                }
            }
        }
    }

    /** Answers within this (as a bound) read "ok" in the bar: what a glance needs; a slower one shows its bound. */
    static final long FAST_MS = 100;

    /** How many answers the bar's latency covers: a minute at the default 5 s interval. */
    static final int RECENT = 12;
    /** The latencies of the last {@link #RECENT} answers, oldest first; emptied when the backend stops answering. */
    private final java.util.ArrayDeque<Long> recent = new java.util.ArrayDeque<>();

    /**
     * The bar's latency: "ok" while the slowest of the last answers is within {@link #FAST_MS}, else that slowest as a bound
     * from the steps 1, 2, 5, 10, 20, 50 … ms ("<500 ms"); the exact figure is in the hover text. A slower answer shows at once; the bound comes down once the slow answer
     * is out of the last {@link #RECENT}. A poll's jitter then does not change the bar's text: an idle window's bar is
     * not laid out and repainted at every poll (measured under load: each backend's figure changed at nearly every poll).
     */
    static long bound(long latencyMs) {
        long ms = Math.max(0, latencyMs);
        for (long step = 1; ; step *= 10) {
            for (long m : new long[] {1, 2, 5}) {
                if (step * m > ms) {
                    return step * m;
                }
            }
        }
    }

    /** The hover's other time, labelled: " (first failed check at T)", or "". */
    private String when(BackendStatus s) {
        String first = Outage.firstFailure(s.downSince(), clock);
        return first.isEmpty() ? "" : " (" + first + ")";
    }

    /** "last answer at T" or "no answer yet", in this indicator's words ({@link Outage#lastAnswer}). */
    String lastAnswer(Instant t) {
        return Outage.lastAnswer(t, clock);
    }

    String time(Instant t) {
        return io.dutydesk.ui.fx.Times.since(t, clock);
    }
}
