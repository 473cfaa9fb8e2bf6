package io.dutydesk.ui.fx;

import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.TextAreaSkin;
import javafx.scene.control.skin.TextFieldSkin;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Text fields and areas whose caret stops blinking after {@link #BLINK_FOR} without typing, then stays drawn, as
 * GTK's do (gtk-cursor-blink-timeout, 10 s). JavaFX's blinking is a Timeline, which keeps the pulse timer and the FX
 * thread at 60 Hz for as long as a field has the focus in a focused window: a window left with the cursor in the PromQL
 * editor used 60 pulses a second for nothing (the idle window's cost, issue 16's P8). Typing, a click or the focus
 * coming back starts it blinking again (JavaFX's behaviour asks the skin to, every time). Set on every text field and area
 * by styles/dutydesk.css ({@code -fx-skin}).
 */
public final class CalmCaret {
    /** How long a caret blinks after the last key or click. */
    static volatile Duration blinkFor = Duration.ofSeconds(10);

    private CalmCaret() {}

    /** The skin of {@code .text-field} (and password fields, combo boxes' and spinners' editors). */
    public static final class Field extends TextFieldSkin {
        private Calm calm;

        public Field(TextField control) {
            super(control);
            calm = new Calm(this, super::setCaretAnimating);
        }

        @Override
        public void setCaretAnimating(boolean value) {
            if (calm == null) { // from the constructor of JavaFX's skin
                super.setCaretAnimating(value);
            } else {
                calm.set(value);
            }
        }
    }

    /** The skin of {@code .text-area}. */
    public static final class Area extends TextAreaSkin {
        private Calm calm;

        public Area(TextArea control) {
            super(control);
            calm = new Calm(this, super::setCaretAnimating);
        }

        @Override
        public void setCaretAnimating(boolean value) {
            if (calm == null) {
                super.setCaretAnimating(value);
            } else {
                calm.set(value);
            }
        }
    }

    /**
     * JavaFX's skin's private {@code setBlink}: its caret is drawn while "blink" is false. Stopping the animation
     * ({@code setCaretAnimating(false)}, what JavaFX does when the window loses the focus) sets it true, the caret
     * hidden: stopped so, the caret of a field left 10 s went missing (the window trial: no caret in the PromQL editor).
     * Null where it cannot be reached: the caret then blinks as JavaFX's does, never stopped hidden.
     */
    private static final java.lang.invoke.MethodHandle SET_BLINK = setBlink();

    private static java.lang.invoke.MethodHandle setBlink() {
        try {
            java.lang.reflect.Method m = javafx.scene.control.skin.TextInputControlSkin.class.getDeclaredMethod("setBlink", boolean.class);
            m.setAccessible(true);
            return java.lang.invoke.MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Blinking, stopped {@link #blinkFor} after the last start with the caret drawn; on the FX thread. */
    private static final class Calm {
        private final javafx.scene.control.skin.TextInputControlSkin<?> skin;
        private final Consumer<Boolean> animating;
        /** Which start a pending stop belongs to: a later start or stop makes it stale. */
        private long generation;

        Calm(javafx.scene.control.skin.TextInputControlSkin<?> skin, Consumer<Boolean> animating) {
            this.skin = skin;
            this.animating = animating;
        }

        void set(boolean value) {
            long g = ++generation;
            animating.accept(value);
            if (value && SET_BLINK != null) {
                // CompletableFuture's delay thread (one daemon thread, shared), then the FX thread: no Timeline, which
                // would keep the pulses going as the blinking does
                CompletableFuture.delayedExecutor(blinkFor.toMillis(), TimeUnit.MILLISECONDS, FxThread.INSTANCE).execute(() -> {
                    if (g == generation) {
                        animating.accept(false); // the Timeline stopped: JavaFX's skin then hides the caret…
                        try {
                            SET_BLINK.invoke(skin, false); // …drawn, still, as long as the field has the focus
                        } catch (Throwable e) {
                            animating.accept(true); // blinking rather than no caret
                        }
                    }
                });
            }
        }
    }
}
