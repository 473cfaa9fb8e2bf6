package io.dutydesk.core.poll;

import io.dutydesk.core.Errors;
import io.dutydesk.core.telemetry.Telemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Polls one source on a fixed tick. A tick that finds the previous refresh still running is
 * dropped (counted in {@link #dropped()}); after failures the next attempt waits
 * interval x 2^(failures-1), capped at {@code maxBackoff} — except after a misconfigured answer
 * ({@link io.dutydesk.core.MisconfiguredException}): the backend answered, so it is polled at the
 * normal interval and a fixed configuration shows at the next tick. Every result is published to the
 * listeners as an immutable {@link Snapshot}, on the thread that completed the refresh: a UI
 * hops onto its own thread itself. Each refresh's time and failure go to {@link Telemetry#current()}
 * (labelled by {@link #measuredAs}: the poller's name and "poll" unless told).
 */
public final class Poller<T> implements AutoCloseable {

    private final String name;
    private final Supplier<CompletableFuture<T>> source;
    private final Duration interval;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final List<Consumer<Snapshot<T>>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean inFlight = new AtomicBoolean();
    /** refreshNow() came while a refresh ran: run again as soon as it ends, whatever the backoff. */
    private final AtomicBoolean refreshRequested = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private volatile Snapshot<T> latest;
    private volatile Instant nextAttemptAt = Instant.MIN;
    private volatile ScheduledFuture<?> ticker;
    private volatile boolean closed;
    private volatile String measuredBackend;
    private volatile String measuredKind = "poll";

    public Poller(String name, Supplier<CompletableFuture<T>> source, Duration interval, Duration maxBackoff,
                  Duration timeout, ScheduledExecutorService scheduler, Clock clock) {
        this.name = Objects.requireNonNull(name);
        this.source = Objects.requireNonNull(source);
        this.interval = requirePositive(interval, "interval");
        this.maxBackoff = maxBackoff.compareTo(interval) < 0 ? interval : maxBackoff;
        this.timeout = requirePositive(timeout, "timeout");
        this.scheduler = Objects.requireNonNull(scheduler);
        this.clock = Objects.requireNonNull(clock);
        this.latest = Snapshot.initial(clock.instant());
        this.measuredBackend = name;
    }

    /** The labels of this poller's measurements ({@link Telemetry#pollCompleted}): what it polls, and how. */
    public Poller<T> measuredAs(String backend, String kind) {
        this.measuredBackend = Objects.requireNonNull(backend);
        this.measuredKind = Objects.requireNonNull(kind);
        return this;
    }

    private static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
    }

    public String name() {
        return name;
    }

    public Snapshot<T> latest() {
        return latest;
    }

    /** Ticks dropped because a refresh was still running. */
    public long dropped() {
        return dropped.get();
    }

    /** Refreshes started. */
    public long runs() {
        return runs.get();
    }

    /** Adds a listener; it gets the current snapshot at once. Returns the handle that removes it. */
    public synchronized AutoCloseable subscribe(Consumer<Snapshot<T>> listener) {
        listeners.add(listener);
        listener.accept(latest);
        return () -> listeners.remove(listener);
    }

    public synchronized void start() {
        if (closed || ticker != null) {
            return;
        }
        ticker = scheduler.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Polls again after {@link #stop()} (or starts): one refresh now, whatever the backoff, then at the interval — what
     * a pane shown again does, rather than wait a full interval with what it read before it was hidden.
     */
    public synchronized void resume() {
        if (closed) {
            return;
        }
        nextAttemptAt = Instant.MIN;
        if (ticker != null) {
            refreshNow();
            return;
        }
        ticker = scheduler.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the ticker runs (started and not stopped). */
    public synchronized boolean running() {
        return ticker != null;
    }

    public synchronized void stop() {
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        stop();
        listeners.clear();
    }

    /**
     * Refreshes now, ignoring any backoff. If a refresh is running (e.g. one started before the
     * source came back, that will time out), another starts as soon as it ends.
     */
    public void refreshNow() {
        nextAttemptAt = Instant.MIN;
        refreshRequested.set(true);
        scheduler.execute(this::tick);
    }

    /** One tick: exposed so tests can drive the poller without waiting on a clock. */
    void tick() {
        if (closed) {
            return;
        }
        if (clock.instant().isBefore(nextAttemptAt)) {
            return; // backing off
        }
        if (!inFlight.compareAndSet(false, true)) {
            dropped.incrementAndGet();
            return;
        }
        runs.incrementAndGet();
        refreshRequested.set(false); // this refresh answers any request made so far
        CompletableFuture<T> f;
        long started = System.nanoTime();
        try {
            f = source.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            Telemetry.current().pollCompleted(measuredBackend, measuredKind, System.nanoTime() - started, error != null);
            // made and handed over under one lock, before the next refresh may start: in order
            synchronized (this) {
                Instant now = clock.instant();
                Snapshot<T> next;
                if (error == null) {
                    next = latest.success(value, now);
                    nextAttemptAt = Instant.MIN;
                } else {
                    Throwable u = Errors.unwrap(error); // a timeout that names who did not answer says so
                    String message = u instanceof java.util.concurrent.TimeoutException && u.getMessage() == null
                            ? "no answer within " + timeout.toMillis() + " ms" : Errors.describe(error);
                    boolean misconfigured = io.dutydesk.core.MisconfiguredException.in(error);
                    next = latest.failure(message, misconfigured, now);
                    // a misconfigured answer is an answer: no backoff, the next tick asks again
                    nextAttemptAt = misconfigured ? Instant.MIN
                            : now.plus(backoff(next.consecutiveFailures())).minusMillis(interval.toMillis() / 2);
                }
                latest = next;
                for (Consumer<Snapshot<T>> l : listeners) {
                    try {
                        l.accept(next);
                    } catch (RuntimeException ignored) {
                        // a listener's fault must not stop the poller
                    }
                }
                inFlight.set(false);
            }
            if (refreshRequested.get() && !closed) {
                nextAttemptAt = Instant.MIN;
                scheduler.execute(this::tick);
            }
        });
    }

    /** The wait before the next attempt after {@code failures} failures in a row. */
    Duration backoff(int failures) {
        if (failures <= 1) {
            return interval;
        }
        long factor = 1L << Math.min(failures - 1, 20);
        Duration d = interval.multipliedBy(factor);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
