package io.dutydesk.ui.metrics;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Monotonic time and delayed work for the view-model's pan/zoom throttle; tests pass a fake one that
 * they advance by hand. A scheduled task runs on the ticker's thread: the caller hops to its ui executor.
 */
public interface Ticker {
    /** Milliseconds on a monotonic clock (not the wall clock: it never jumps). */
    long millis();

    /** Runs {@code task} after {@code delayMillis}; running the returned {@code Runnable} cancels it. */
    Runnable schedule(long delayMillis, Runnable task);

    /** {@link System#nanoTime()} and one shared daemon thread. */
    Ticker SYSTEM = new Ticker() {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dutydesk-metrics-ticker");
            t.setDaemon(true);
            return t;
        });

        @Override
        public long millis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        }

        @Override
        public Runnable schedule(long delayMillis, Runnable task) {
            ScheduledFuture<?> f = timer.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
    };
}
