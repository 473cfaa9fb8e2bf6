package io.dutydesk.ui.fx;

import io.dutydesk.core.poll.Poller;
import io.dutydesk.core.poll.Snapshot;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One value a pane polls: the core {@link Poller} (tick, backoff, timeout), the single hop onto the ui executor, the
 * stale marking ("down; last answer at 12:00:05", one formatter: {@link Outage}) and the closing. The pane's handler
 * runs on the ui executor with the snapshots in order: never the initial (pending) one, never one older than the
 * last handed over, never after {@link #close()} — so a late answer from an environment left is dropped here, not
 * checked in every pane.
 *
 * <p>A hidden pane {@link #pause()}s it (the ticker stops: nothing is read while nobody looks); {@link #resume()}
 * reads at once, whatever the backoff, then at the interval. Call every method on the ui executor.
 */
public final class PolledValue<T> implements AutoCloseable {
    private final Poller<T> poller;
    private final Clock clock;
    private final Consumer<Snapshot<T>> handler;
    private final AutoCloseable subscription;
    private long handedSeq = -1;
    private boolean started;
    private boolean paused;
    private volatile boolean closed;

    /** {@code handler}: what the pane does with each new snapshot, on {@code ui}. Not polling until {@link #start()}. */
    public PolledValue(String name, Supplier<CompletableFuture<T>> source, Duration interval, Duration maxBackoff,
                       Duration timeout, ScheduledExecutorService scheduler, Clock clock, Executor ui,
                       Consumer<Snapshot<T>> handler) {
        this.poller = new Poller<>(name, source, interval, maxBackoff, timeout, scheduler, clock);
        this.clock = clock;
        this.handler = handler;
        this.subscription = poller.subscribe(s -> ui.execute(() -> hand(s)));
    }

    private void hand(Snapshot<T> s) {
        if (closed || s.pending() || s.seq() <= handedSeq) {
            return; // closed (the environment was left), nothing read yet, or overtaken by a newer one on the way
        }
        handedSeq = s.seq();
        handler.accept(s);
    }

    /** Starts polling, unless paused (then at {@link #resume()}). */
    public void start() {
        started = true;
        if (!paused && !closed) {
            poller.start();
        }
    }

    /** The pane is hidden: no more reads until {@link #resume()} (one already running still hands its answer over). */
    public void pause() {
        paused = true;
        poller.stop();
    }

    /** The pane is shown again: read now (not a full interval later), then at the interval. Nothing if not paused. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (started && !closed) {
            poller.resume();
        }
    }

    public boolean paused() {
        return paused;
    }

    /** Whether a ticker is scheduled: false before {@link #start()}, while paused and once closed. */
    public boolean polling() {
        return poller.running();
    }

    /** Reads now, whatever the backoff; while paused nothing (the pane reads when shown again). */
    public void refreshNow() {
        if (started && !paused && !closed) {
            poller.refreshNow();
        }
    }

    /**
     * Reads once now, whatever the backoff, paused or not; paused, it stays paused (no reads at the interval). For a hidden
     * pane whose own last read failed when what it reads through answers again: its state is otherwise unknown until it
     * is shown.
     */
    public void readOnce() {
        if (started && !closed) {
            poller.refreshNow();
        }
    }

    /** The poller's latest snapshot (any thread). */
    public Snapshot<T> latest() {
        return poller.latest();
    }

    /** Reads started (tests, benchmarks). */
    public long runs() {
        return poller.runs();
    }

    /** "last answer at 12:00:05", or "no answer yet" before the first success ({@link Outage#lastAnswer}). */
    public String staleness(Snapshot<?> s) {
        return staleness(s, clock);
    }

    /** See {@link #problem(String, Snapshot, Clock)}. */
    public String problem(String source, Snapshot<?> s) {
        return problem(source, s, clock);
    }

    public static String staleness(Snapshot<?> s, Clock clock) {
        return Outage.lastAnswer(s.lastSuccessAt(), clock);
    }

    /**
     * What a pane says of a failed read of {@code source}: "PostgreSQL: down; last answer at 12:00:05: error", "…: down;
     * no answer yet: error", or, when it answers without what the environments file names, "PostgreSQL: misconfigured
     * (it answers, but not with what the environments file names); last good answer at 12:00:05: error" — never empty,
     * never green. The time is the last answer's, as everywhere ({@link Outage}).
     */
    public static String problem(String source, Snapshot<?> s, Clock clock) {
        if (s.misconfigured()) {
            return source + ": misconfigured (it answers, but not with what the environments file names); "
                    + Outage.lastGoodAnswer(s.lastSuccessAt(), clock) + ": " + s.error();
        }
        return source + ": " + Outage.down(s.lastSuccessAt(), clock) + ": " + s.error();
    }

    /** Stops polling for good; nothing more reaches the handler. */
    @Override
    public void close() {
        closed = true;
        try {
            subscription.close();
        } catch (Exception ignored) {
            // a list removal
        }
        poller.close();
    }
}
