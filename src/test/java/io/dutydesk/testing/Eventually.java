package io.dutydesk.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that other threads make true. */
public final class Eventually {
    private Eventually() {}

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
    }

    public static void await(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        try {
            await("", timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + what.get());
        }
    }
}
