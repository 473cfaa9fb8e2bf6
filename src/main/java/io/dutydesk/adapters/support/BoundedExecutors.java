package io.dutydesk.adapters.support;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Each adapter's own small pool with a bounded queue: a stuck backend cannot eat the others' threads. */
public final class BoundedExecutors {
    private BoundedExecutors() {}

    public static ExecutorService create(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "dutydesk-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor ex = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), tf, (r, e) -> {
                    // a pool shut down (its adapter closed) is not a busy one: say which, the message reaches the user
                    throw new RejectedExecutionException(e.isShutdown() ? name + " is closed"
                            : name + " is busy (" + queue + " requests waiting)");
                });
        ex.allowCoreThreadTimeOut(true);
        return ex;
    }

    /** Like {@link CompletableFuture#supplyAsync} but a full queue fails the future instead of throwing. */
    public static <T> CompletableFuture<T> supply(ExecutorService ex, Callable<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, ex);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A task that may throw checked exceptions. */
    @FunctionalInterface
    public interface Callable<T> {
        T call() throws Exception;
    }

    public static <T> Supplier<T> unchecked(Callable<T> c) {
        return () -> {
            try {
                return c.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        };
    }
}
