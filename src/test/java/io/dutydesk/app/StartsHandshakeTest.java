package io.dutydesk.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which CLI runs warm the handshake's curve code: those that start one as they open their environment. */
class StartsHandshakeTest {
    @Test
    void aVerbOfTheServerWithAnEnvironmentInAnyForm() {
        assertTrue(Main.startsHandshake(List.of("rollback", "--env", "prod", "--yes")));
        assertTrue(Main.startsHandshake(List.of("--env", "prod", "status")));
        assertTrue(Main.startsHandshake(List.of("status", "--env=prod")));
        assertTrue(Main.startsHandshake(List.of("-e", "prod", "ping")));
    }

    @Test
    void notTheVerbsOfLocalFilesNorOneWithoutAnEnvironment() {
        assertFalse(Main.startsHandshake(List.of("audit", "--env", "prod")), "audit asks the server only for open entries");
        assertFalse(Main.startsHandshake(List.of("envs", "--env", "prod")));
        assertFalse(Main.startsHandshake(List.of("help")));
        assertFalse(Main.startsHandshake(List.of("check", "--report", "x.md")));
        assertFalse(Main.startsHandshake(List.of("--env", "prod")), "no verb: the window, which has its own warm-up");
    }
}
