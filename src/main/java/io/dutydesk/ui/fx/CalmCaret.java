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
            calm = new Calm(super::setCaretAnimating);
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
            calm = new Calm(super::setCaretAnimating);
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

    /** Blinking, stopped {@link #blinkFor} after the last start; on the FX thread. */
    private static final class Calm {
        private final Consumer<Boolean> animating;
        /** Which start a pending stop belongs to: a later start or stop makes it stale. */
        private long generation;

        Calm(Consumer<Boolean> animating) {
            this.animating = animating;
        }

        void set(boolean value) {
            long g = ++generation;
            animating.accept(value);
            if (value) {
                // CompletableFuture's delay thread (one daemon thread, shared), then the FX thread: no Timeline, which
                // would keep the pulses going as the blinking does
                CompletableFuture.delayedExecutor(blinkFor.toMillis(), TimeUnit.MILLISECONDS, FxThread.INSTANCE).execute(() -> {
                    if (g == generation) {
                        animating.accept(false); // drawn, still: JavaFX's skin shows the caret when not animating
                    }
                });
            }
        }
    }
}
