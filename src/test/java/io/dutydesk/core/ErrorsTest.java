package io.dutydesk.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ErrorsTest {
    /** A bound that passes names who did not answer (a bare timeout read "timed out"); any other failure is kept as it is. */
    @Test
    void withinNamesWhoDidNotAnswerAndKeepsOtherFailures() {
        Throwable late = assertThrows(Exception.class, () -> Errors.within(new CompletableFuture<String>(), Duration.ofMillis(1500),
                "Docker on the server").join());
        assertInstanceOf(TimeoutException.class, Errors.unwrap(late));
        assertEquals("Docker on the server did not answer within 2 s", Errors.describe(late));

        Throwable refused = assertThrows(Exception.class, () -> Errors.within(CompletableFuture.<String>failedFuture(
                new IOException("Connection refused")), Duration.ofSeconds(5), "Docker on the server").join());
        assertEquals("Connection refused", Errors.describe(refused));
        assertEquals("ok", Errors.within(CompletableFuture.completedFuture("ok"), Duration.ofSeconds(5), "Docker").join());
    }

    /** A file error that names only its file says what happened to it; one that says why already is kept as it is. */
    @Test
    void aFileErrorSaysWhatHappenedToTheFile() {
        assertEquals("/x/audit.jsonl.000001: permission denied",
                Errors.describe(new java.util.concurrent.CompletionException(new java.nio.file.AccessDeniedException("/x/audit.jsonl.000001"))));
        assertEquals("/x/envs.yaml: no such file or folder", Errors.describe(new java.nio.file.NoSuchFileException("/x/envs.yaml")));
        assertEquals("/x/a: Read-only file system",
                Errors.describe(new java.nio.file.FileSystemException("/x/a", null, "Read-only file system")));
    }
}
