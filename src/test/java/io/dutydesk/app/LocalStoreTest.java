package io.dutydesk.app;

import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window and the CLI open their local store once: every pane and every environment's adapters share it. */
class LocalStoreTest {
    @TempDir
    Path tmp;

    /** Descriptors of this process open on {@code file} (each SQLite connection holds one). */
    private static long openDescriptors(Path file) throws Exception {
        Path real = file.toRealPath();
        long n = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        n++;
                    }
                } catch (Exception closedMeanwhile) {
                    // gone
                }
            }
        }
        return n;
    }

    @Test
    void everyPaneAndEveryEnvironmentUseTheOneStore() throws Exception {
        Path file = tmp.resolve("data/dutydesk.db");
        Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(5)).get("ref");
        try (LocalStore store = LocalStore.open(file)) {
            Connector connector = new Connector(name -> CompletableFuture.completedFuture(Optional.empty()), store);
            // what the window does on its first select: the panes' components and the environment's
            store.outboxHistory().since("ref", Instant.EPOCH).get(10, TimeUnit.SECONDS);
            store.alertHistory().lastPoll("ref").get(10, TimeUnit.SECONDS);
            store.queryStore().history("ref", 10).get(10, TimeUnit.SECONDS);
            try (Connector.Opened opened = connector.open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                opened.verifications().save("ref", new Verification("/b/x.dump", 1, Instant.ofEpochSecond(1), true, "ok",
                        Instant.ofEpochSecond(2))).get(10, TimeUnit.SECONDS);
            }
            assertEquals(1, openDescriptors(file), "one connection to " + file);
        }
        try (SqliteStore again = SqliteStore.open(file)) {
            var saved = new io.dutydesk.adapters.store.SqliteVerificationResults(again).load("ref").get(10, TimeUnit.SECONDS);
            assertEquals(java.util.Set.of("/b/x.dump"), saved.keySet(), "the environment's verification is in the window's store");
        }
        assertTrue(Files.exists(file));
    }
}
