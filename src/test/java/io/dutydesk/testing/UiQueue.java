package io.dutydesk.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The ui executor of view-model tests: like the FX thread, one thread runs every task in order —
 * the test's own thread, in {@link #await}. A test therefore never reads a view-model while another
 * thread is half-way through updating it (what {@code Runnable::run} allowed).
 */
public final class UiQueue implements Executor {
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs what is queued now, on the calling thread. */
    public void drain() {
        for (Runnable r; (r = tasks.poll()) != null; ) {
            r.run();
        }
    }

    /**
     * Runs queued tasks until {@code f} is done, then what its completion queued; returns its value (throwing as
     * {@link CompletableFuture#join} does). For a view-model's future that completes on the ui executor, which a plain
     * join on this thread would wait for forever.
     */
    public <T> T join(String what, Duration timeout, CompletableFuture<T> f) {
        await(what, timeout, f::isDone);
        drain();
        return f.join();
    }

    /** As {@link #await(String, Duration, BooleanSupplier)}; {@code what} is said as it is when the time is up. */
    public void await(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        try {
            await("", timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + what.get(), e);
        }
    }

    /** Runs queued tasks until {@code condition} holds (checked between tasks), or fails after {@code timeout}. */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        drain();
        while (!condition.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            try {
                Runnable r = tasks.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                if (r != null) {
                    r.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
