package io.dutydesk.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the calling thread (a view-model test's FX thread) waits for a monitor that another thread holds: the monitor is
 * held by a thread of its own until {@code work} returned on this thread, or until this thread is seen blocked entering it
 * — then it is let go, so that a test of the old code fails instead of hanging.
 */
public final class MonitorHeld {
    private MonitorHeld() {}

    /** Runs {@code work} on this thread while {@code monitor} is held elsewhere; true if this thread waited for it. */
    public static boolean waitedFor(Object monitor, Runnable work) throws InterruptedException {
        Thread caller = Thread.currentThread();
        CountDownLatch held = new CountDownLatch(1);
        AtomicBoolean returned = new AtomicBoolean();
        AtomicBoolean waited = new AtomicBoolean();
        Thread holder = new Thread(() -> {
            synchronized (monitor) {
                held.countDown();
                while (!returned.get() && !blockedOn(caller, monitor)) {
                    Thread.onSpinWait();
                }
                waited.set(!returned.get());
            }
        }, "monitor-holder");
        holder.start();
        held.await();
        try {
            work.run();
        } finally {
            returned.set(true);
            holder.join();
        }
        return waited.get();
    }

    /** The object in {@code owner}'s private field {@code name} (a lock the test holds). */
    public static Object field(Object owner, String name) {
        try {
            java.lang.reflect.Field f = owner.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether {@code t} is blocked entering {@code monitor}. */
    public static boolean blockedOn(Thread t, Object monitor) {
        java.lang.management.ThreadInfo i = java.lang.management.ManagementFactory.getThreadMXBean().getThreadInfo(t.getId());
        return i != null && i.getThreadState() == Thread.State.BLOCKED
                && (monitor.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(monitor))).equals(i.getLockName());
    }
}
