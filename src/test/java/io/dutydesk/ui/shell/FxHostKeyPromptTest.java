package io.dutydesk.ui.shell;

import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.testing.Screenshots;
import io.dutydesk.ui.fx.FxThread;
import javafx.scene.Scene;
import javafx.scene.control.DialogPane;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unknown-host-key dialog: shows the SHA256 fingerprint; refusing is the default. */
@ExtendWith(ApplicationExtension.class)
class FxHostKeyPromptTest {
    private static final HostKeyPrompt.UnknownHostKey KEY = new HostKeyPrompt.UnknownHostKey("[10.1.2.3]:22",
            "ssh-ed25519", "SHA256:5I8YUCmeHT2T6gPy7ZEOenwuB9PB21sgi05wDI+/0a0", Path.of("/home/oncall/.ssh/known_hosts"));
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 600, 400));
        stage.show();
    }

    /** Asked from an SSH thread, as during a connection. */
    private CompletableFuture<Boolean> ask() {
        FxHostKeyPrompt prompt = new FxHostKeyPrompt(FxThread.INSTANCE, () -> stage);
        return CompletableFuture.supplyAsync(() -> prompt.trust(KEY)).thenCompose(f -> f);
    }

    private DialogPane dialog(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#host-key-dialog").tryQuery().isPresent());
        return robot.lookup("#host-key-dialog").queryAs(DialogPane.class);
    }

    @Test
    void showsTheFingerprintAndRefusesOnEnter(FxRobot robot) throws Exception {
        CompletableFuture<Boolean> answer = ask();
        DialogPane d = dialog(robot);
        assertTrue(robot.lookup("#host-key-fingerprint").queryAs(javafx.scene.control.TextField.class).getText()
                .equals("SHA256:5I8YUCmeHT2T6gPy7ZEOenwuB9PB21sgi05wDI+/0a0"));
        assertTrue(d.getHeaderText().contains("[10.1.2.3]:22"));
        WaitForAsyncUtils.asyncFx(() -> Screenshots.save(d.getScene(), "host-key-dialog")).get();
        assertFalse(answer.isDone(), "the connection waits for the user");
        robot.type(javafx.scene.input.KeyCode.ENTER); // the default button is Refuse: a reflex never trusts a key
        assertFalse(answer.get(5, TimeUnit.SECONDS));
    }

    @Test
    void trustsOnlyWhenTheUserClicksTrust(FxRobot robot) throws Exception {
        CompletableFuture<Boolean> answer = ask();
        DialogPane d = dialog(robot);
        javafx.scene.control.Button trust = (javafx.scene.control.Button) d.lookupButton(FxHostKeyPrompt.ACCEPT);
        assertFalse(trust.isDefaultButton(), "trusting is never the default");
        robot.interact(trust::fire);
        assertTrue(answer.get(5, TimeUnit.SECONDS));
    }
}
