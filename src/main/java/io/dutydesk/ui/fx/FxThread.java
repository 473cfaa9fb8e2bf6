package io.dutydesk.ui.fx;

import javafx.application.Platform;

import java.util.concurrent.Executor;

/**
 * The one hop onto the JavaFX thread. View-models receive an {@link Executor}: this one in
 * the app, a same-thread one in tests. Nothing else calls {@code Platform.runLater}.
 */
public final class FxThread implements Executor {
    public static final FxThread INSTANCE = new FxThread();

    private FxThread() {}

    @Override
    public void execute(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
