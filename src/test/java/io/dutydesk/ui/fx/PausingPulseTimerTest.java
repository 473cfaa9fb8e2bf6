package io.dutydesk.ui.fx;

import javafx.animation.AnimationTimer;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pulse timer that stops while nothing needs a pulse: alone (a counting runnable), then in the toolkit it
 * replaced (Monocle's here, whose pause does nothing as GTK's): it stops once the scene is idle, a change is drawn
 * at once, an animation keeps it ticking and it stops again after.
 */
@ExtendWith(ApplicationExtension.class)
class PausingPulseTimerTest {
    private Label label;
    private Scene scene;

    @Start
    void start(Stage stage) {
        label = new Label("idle");
        scene = new Scene(label, 300, 100);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void aloneItTicksAtItsPeriodStopsWhenPausedAndTicksAtOnceWhenResumed() throws Exception {
        Semaphore ticked = new Semaphore(0);
        AtomicBoolean pauseNow = new AtomicBoolean();
        CountDownLatch paused = new CountDownLatch(1);
        AtomicReference<PausingPulseTimer> self = new AtomicReference<>();
        // paused from its own tick, as the toolkit pauses it (QuantumToolkit.postPulse): a pause from this thread
        // could meet a tick under way, which would still release a permit after the drain below
        PausingPulseTimer t = new PausingPulseTimer(() -> {
            ticked.release();
            if (pauseNow.getAndSet(false)) {
                self.get().pause();
                paused.countDown();
            }
        });
        self.set(t);
        t.start(16);
        assertTrue(ticked.tryAcquire(5, 5, TimeUnit.SECONDS), "ticks while running");
        pauseNow.set(true);
        assertTrue(paused.await(5, TimeUnit.SECONDS), "a tick paused it");
        assertFalse(t.ticking());
        ticked.drainPermits();
        long at = t.ticks();
        // nothing is scheduled while paused: not one tick, however long one waits (here ten periods)
        assertFalse(ticked.tryAcquire(1, 160, TimeUnit.MILLISECONDS), "a paused timer does not tick");
        assertEquals(at, t.ticks());
        t.resume();
        assertTrue(t.ticking());
        assertTrue(ticked.tryAcquire(1, 5, TimeUnit.SECONDS), "a resumed timer ticks");
        t.resume(); // a second resume schedules nothing more
        t.stop();
        assertFalse(t.ticking());
        t.resume(); // a stopped timer stays stopped
        assertFalse(t.ticking());
    }

    @Test
    void aloneATickThatThrowsDoesNotStopItAndTheFirstIsSaidOnStderr() throws Exception {
        Semaphore ticked = new Semaphore(0);
        AtomicInteger n = new AtomicInteger();
        PausingPulseTimer t = new PausingPulseTimer(() -> {
            ticked.release();
            if (n.incrementAndGet() <= 2) {
                throw new IllegalStateException("tick " + n.get() + " fails");
            }
        });
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            t.start(16);
            // a periodic task that throws is never run again: the third tick comes only if the throws were caught
            assertTrue(ticked.tryAcquire(3, 5, TimeUnit.SECONDS), "ticks on after a tick threw: " + n.get() + " ticks");
            assertTrue(t.ticking());
        } finally {
            t.stop();
            System.setErr(err);
        }
        assertEquals(2, t.failures());
        String text = said.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.startsWith("dutydesk: the pulse timer's tick failed (it goes on ticking; later failures are not printed): "
                + "java.lang.IllegalStateException: tick 1 fails"), text);
        assertFalse(text.contains("tick 2 fails"), "the first failure is said, not every one: " + text);
    }

    @Test
    void inTheToolkitItStopsWhenIdleDrawsAChangeAtOnceAndTicksThroughAnAnimation(FxRobot robot) throws Exception {
        PausingPulseTimer timer = WaitForAsyncUtils.asyncFx(PausingPulseTimer::install).get();
        assertNotNull(timer, "installed in Monocle's toolkit");
        assertSame(timer, WaitForAsyncUtils.asyncFx(PausingPulseTimer::install).get(), "installed once");
        // the test classes before this one in this JVM may have left animations running: a text field focused in a
        // scene TestFX then took off the stage blinks its caret for ever (its focus never changes again). Stopped here,
        // so that "idle" is this test's scene alone
        robot.interact(PausingPulseTimerTest::stopLeftovers);
        // idle: no animation, nothing asked for: the toolkit pauses it (after 250 ms without need)
        idle(timer);

        // a change: the scene asks for a pulse, the timer resumes, the change is laid out
        CountDownLatch laidOut = new CountDownLatch(1);
        AtomicReferenceText seen = new AtomicReferenceText();
        robot.interact(() -> {
            scene.addPostLayoutPulseListener(() -> {
                seen.text = label.getText();
                if ("changed".equals(label.getText())) {
                    laidOut.countDown();
                }
            });
            label.setText("changed");
        });
        assertTrue(laidOut.await(5, TimeUnit.SECONDS), "the change gets a pulse: last laid out " + seen.text);
        idle(timer);

        // an animation keeps it ticking: a pulse (a frame) takes a tick, 20 frames at least 20 ticks
        AtomicInteger frames = new AtomicInteger();
        AnimationTimer anim = new AnimationTimer() {
            @Override
            public void handle(long now) {
                frames.incrementAndGet();
            }
        };
        AtomicLong before = new AtomicLong();
        robot.interact(() -> {
            before.set(timer.ticks());
            anim.start();
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> frames.get() >= 20);
        assertTrue(timer.ticking());
        assertTrue(timer.ticks() - before.get() >= 20, "ticks through the animation: " + (timer.ticks() - before.get()));
        robot.interact(anim::stop);
        idle(timer);
    }

    /** Waits for the toolkit to pause it (another test's window may still run an animation for a while). */
    private static void idle(PausingPulseTimer timer) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(40, TimeUnit.SECONDS, () -> !timer.ticking());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still ticking after 40 s; running: " + running(), e);
        }
    }

    /** Stops every animation and animation timer running in this toolkit (FX thread). */
    private static void stopLeftovers() {
        for (Object outer : runningOwners().values()) {
            if (outer instanceof javafx.animation.Animation a) {
                a.stop();
            } else if (outer instanceof AnimationTimer t) {
                t.stop();
            }
        }
    }

    /** What keeps pulses coming: the primary timer's receivers (animations) and animation timers, by class. */
    static String running() {
        StringBuilder out = new StringBuilder();
        runningOwners().forEach((r, outer) -> {
            String frames = outer instanceof javafx.animation.Timeline t ? t.getKeyFrames().stream()
                    .map(k -> k.getTime() + " " + (k.getOnFinished() == null ? "-" : k.getOnFinished().getClass().getName())
                            + " " + k.getValues()).toList().toString() : "";
            out.append(r.getClass().getName()).append(" of ").append(outer == null ? "-" : outer.getClass().getName() + " " + outer)
                    .append(frames).append("; ");
        });
        return out.append("windows: ").append(javafx.stage.Window.getWindows()).toString();
    }

    /** The primary timer's receivers and animation timers, each with the object it belongs to (its outer instance, or null). */
    private static java.util.Map<Object, Object> runningOwners() {
        java.util.Map<Object, Object> owners = new java.util.LinkedHashMap<>();
        try {
            Object primary = com.sun.javafx.tk.Toolkit.getToolkit().getPrimaryTimer();
            Class<?> c = com.sun.scenario.animation.AbstractPrimaryTimer.class;
            for (String name : new String[] {"receivers", "animationTimers"}) {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                for (Object r : ((Object[]) f.get(primary)).clone()) {
                    if (r != null) {
                        owners.put(r, outer(r));
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return owners;
    }

    private static Object outer(Object r) throws IllegalAccessException {
        for (java.lang.reflect.Field f : r.getClass().getDeclaredFields()) {
            if (f.getName().startsWith("this$")) {
                f.setAccessible(true);
                return f.get(r);
            }
        }
        return null;
    }

    private static final class AtomicReferenceText {
        volatile String text;
    }
}
