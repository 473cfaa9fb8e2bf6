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
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#host-key-dialog").tryQuery().isPresent());
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

    /** The environment was left (a switch) while the question was open: the dialog closes by itself. */
    @Test
    void cancellingTheQuestionClosesTheDialog(FxRobot robot) throws Exception {
        FxHostKeyPrompt prompt = new FxHostKeyPrompt(FxThread.INSTANCE, () -> stage);
        CompletableFuture<Boolean> answer = prompt.trust(KEY);
        DialogPane d = dialog(robot);
        javafx.stage.Window w = d.getScene().getWindow();
        assertTrue(w.isShowing());
        answer.cancel(true);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !w.isShowing());
    }

    /** A host known by another key type: a warning naming the known type, not "First connection". */
    @Test
    void aKnownHostOfferingAnotherKeyTypeIsAWarning(FxRobot robot) throws Exception {
        FxHostKeyPrompt prompt = new FxHostKeyPrompt(FxThread.INSTANCE, () -> stage);
        CompletableFuture<Boolean> answer = prompt.trust(new HostKeyPrompt.UnknownHostKey(KEY.host(), KEY.keyType(),
                KEY.fingerprint(), KEY.knownHosts(), java.util.List.of("ecdsa-sha2-nistp256")));
        DialogPane d = dialog(robot);
        assertTrue(d.getHeaderText().startsWith("WARNING"), d.getHeaderText());
        assertTrue(d.getHeaderText().contains("ecdsa-sha2-nistp256"), d.getHeaderText());
        assertFalse(d.getHeaderText().contains("First connection"));
        robot.type(javafx.scene.input.KeyCode.ENTER);
        assertFalse(answer.get(5, TimeUnit.SECONDS));
    }
}
