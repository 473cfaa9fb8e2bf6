package io.dutydesk.ui.fx;

import com.sun.glass.ui.Timer;
import javafx.application.Platform;

import java.lang.reflect.Field;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pulse timer that stops while nothing needs a pulse. JavaFX asks its timer to pause once no animation runs and no
 * pulse was asked for 250 ms, and to resume when one is (JDK-8189926; QuantumToolkit.postPulse/pauseTimer/resumeTimer);
 * only macOS's timer does. On Linux GtkTimer's pause and resume do nothing, so an idle window's FX thread still
 * wakes 60 times a second to learn there is nothing to do: ~0.5 % of a core on the reference machine, half of P8's
 * budget, in a bare window as in ours. This timer ticks the same runnable at the same period from one daemon thread
 * while running, and not at all while paused; a resume ticks at once.
 *
 * <p>{@link #install()} swaps it for the toolkit's own, on the FX thread, once the toolkit runs: it reads
 * QuantumToolkit's private fields (the fat jar puts JavaFX in the unnamed module, so no --add-opens is needed). Where
 * they are not as expected (another JavaFX, a vsync or full-speed timer), it leaves the toolkit's timer in place and
 * says why on stderr; with {@code -Ddutydesk.pulseTimer=native} it leaves it silently, as asked. The window works
 * either way, only its idle cost differs.
 *
 * <p>A tick that throws does not stop it: a periodic task that throws is never run again by its executor, and the
 * window would never pulse again while this timer still said it ticked. GtkTimer logs such a throw and goes on; so
 * does this, saying the first on stderr.
 */
public final class PausingPulseTimer extends Timer {
    private static final String QUANTUM = "com.sun.javafx.tk.quantum.QuantumToolkit";
    private static volatile PausingPulseTimer installed;

    private final ScheduledThreadPoolExecutor thread;
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private Runnable tick;
    private int period;
    private ScheduledFuture<?> task; // null while stopped or paused; guarded by Timer's own lock (its methods are synchronized)

    PausingPulseTimer(Runnable runnable) {
        super(runnable);
        thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dutydesk-pulse-timer");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY); // as the toolkit's timers are
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
    }

    /**
     * Puts this timer in place of the toolkit's, started at the toolkit's period. FX thread, after the toolkit started.
     * Returns the installed timer, or null where it left the toolkit's own (and why is on stderr, unless asked to).
     */
    public static PausingPulseTimer install() {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("install on the FX thread");
        }
        if (installed != null) {
            return installed;
        }
        if ("native".equals(System.getProperty("dutydesk.pulseTimer"))) {
            return null;
        }
        try {
            Object toolkit = com.sun.javafx.tk.Toolkit.getToolkit();
            if (!toolkit.getClass().getName().equals(QUANTUM)) {
                return fail("the toolkit is " + toolkit.getClass().getName());
            }
            Class<?> c = toolkit.getClass();
            Timer old = (Timer) field(c, "pulseTimer").get(toolkit);
            Runnable runnable = (Runnable) field(c, "timerRunnable").get(toolkit);
            int interval = field(c, "PULSE_INTERVAL").getInt(toolkit);
            boolean vsync = field(c, "nativeSystemVsync").getBoolean(toolkit);
            if (old == null || runnable == null || !old.isRunning()) {
                return fail("the toolkit's timer is not running");
            }
            if (vsync || com.sun.javafx.tk.Toolkit.getToolkit().getPrimaryTimer().isFullspeed()) {
                return fail("the toolkit's timer follows vsync or runs at full speed");
            }
            PausingPulseTimer timer = new PausingPulseTimer(runnable);
            Field pulseTimer = field(c, "pulseTimer");
            // pauseTimer and resumeTimer are synchronized on the toolkit: swapping under its lock, neither sees a half-done swap
            // ours started and in place before the toolkit's stops: where either fails, the toolkit's keeps ticking
            synchronized (toolkit) {
                timer.start(interval);
                try {
                    pulseTimer.set(toolkit, timer);
                } catch (IllegalAccessException | RuntimeException e) {
                    timer.stop();
                    throw e;
                }
                old.stop();
            }
            installed = timer;
            return timer;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return fail(e.toString());
        }
    }

    /** The timer {@link #install()} put in place, or null. */
    public static PausingPulseTimer installed() {
        return installed;
    }

    private static PausingPulseTimer fail(String why) {
        System.err.println("dutydesk: JavaFX's own pulse timer is kept (" + why + "); an idle window costs more CPU");
        return null;
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** How many times it has ticked since it was installed. */
    public long ticks() {
        return ticks.get();
    }

    /** Whether it is ticking now (started and not paused). */
    public synchronized boolean ticking() {
        return task != null;
    }

    @Override
    protected long _start(Runnable runnable, int period) {
        this.tick = () -> {
            ticks.incrementAndGet();
            try {
                runnable.run();
            } catch (Throwable e) { // thrown on, it would end the periodic task: no tick, no pulse, ever again
                failed(e);
            }
        };
        this.period = period;
        schedule();
        return 1; // non-zero: started
    }

    /** How many of its ticks have thrown (the first of them is said on stderr). */
    public long failures() {
        return failures.get();
    }

    private void failed(Throwable e) {
        if (failures.getAndIncrement() == 0) {
            try {
                System.err.println("dutydesk: the pulse timer's tick failed (it goes on ticking; later failures are not printed): " + e);
                e.printStackTrace();
            } catch (Throwable ignored) {
                // out of memory even to say it: the next tick is what matters
            }
        }
    }

    @Override
    protected long _start(Runnable runnable) {
        throw new UnsupportedOperationException("no vsync timer");
    }

    @Override
    protected void _stop(long timer) {
        cancel();
        thread.shutdown();
    }

    @Override
    protected void _pause(long timer) {
        cancel(); // called from the tick itself: this tick ends, no next one
    }

    @Override
    protected void _resume(long timer) {
        if (task == null && !thread.isShutdown()) {
            schedule();
        }
    }

    private void schedule() {
        task = thread.scheduleAtFixedRate(tick, 0, period, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
