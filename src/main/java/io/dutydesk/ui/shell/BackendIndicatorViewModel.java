package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Clock;
import java.time.Instant;

/**
 * One backend's indicator in the status bar: ok with latency, "down since T" with the error, or
 * "misconfigured" (it answers, but lacks what the environments file names) with what is missing.
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
        state.set(BackendStatus.State.UNKNOWN);
        text.set("…");
        details.set(backend.label() + ": not checked yet");
    }

    void show(BackendStatus s) {
        status = s;
        state.set(s.state());
        switch (s.state()) {
            case OK -> {
                text.set(s.latencyMs() + " ms");
                details.set(backend.label() + ": ok, answered in " + s.latencyMs() + " ms at " + time(s.checkedAt()));
            }
            case DOWN -> {
                text.set("down since " + time(s.downSince()));
                details.set(backend.label() + ": DOWN since " + time(s.downSince()) + "\n" + s.error()
                        + "\n" + (s.lastOkAt() == null ? "Never answered in this session."
                        : "Last answered at " + time(s.lastOkAt()) + "; data from it is stale since then."));
            }
            case MISCONFIGURED -> {
                text.set("misconfigured");
                details.set(backend.label() + ": MISCONFIGURED since " + time(s.downSince()) + ": it answers, but\n"
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

    String time(Instant t) {
        return io.dutydesk.ui.fx.Times.since(t, clock);
    }
}
