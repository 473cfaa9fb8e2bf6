package io.dutydesk.core.secrets;

import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretResolverTest {
    /** Serves files from a map, counting reads. */
    static final class Files implements RemoteShell {
        final Map<String, String> files;
        final AtomicInteger reads = new AtomicInteger();

        Files(Map<String, String> files) {
            this.files = files;
        }

        @Override
        public CompletableFuture<ExecResult> exec(String c, Duration t, OutputListener l) {
            throw new UnsupportedOperationException("secrets are never read through a shell");
        }

        @Override
        public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
            reads.incrementAndGet();
            String s = files.get(path);
            return s == null ? CompletableFuture.failedFuture(new java.io.IOException(path + ": no such file or folder"))
                    : CompletableFuture.completedFuture(s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public CompletableFuture<List<RemoteFile>> list(String folder) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void serverFileIsReadOnceOverSftpAndItsFirstLineIsTheSecret() {
        Files shell = new Files(Map.of("/srv/secrets/pg", "s3cr3t\nignored\n"));
        SecretResolver r = new SecretResolver("ref", shell, SecretPrompt.NONE, n -> null, k -> null);
        assertArrayEquals("s3cr3t".toCharArray(), r.resolve(new SecretRef.ServerFile("/srv/secrets/pg")).join().orElseThrow());
        r.resolve(new SecretRef.ServerFile("/srv/secrets/pg")).join();
        assertEquals(1, shell.reads.get(), "kept in memory for the session");
    }

    @Test
    void aMissingServerFileFailsAndIsRetriedNextTime() {
        Files shell = new Files(new java.util.HashMap<>());
        SecretResolver r = new SecretResolver("ref", shell, SecretPrompt.NONE, n -> null, k -> null);
        CompletionException e = assertThrows(CompletionException.class,
                () -> r.resolve(new SecretRef.ServerFile("/srv/pw")).join());
        assertTrue(e.getCause().getMessage().contains("/srv/pw"));
        shell.files.put("/srv/pw", "later");
        assertArrayEquals("later".toCharArray(), r.resolve(new SecretRef.ServerFile("/srv/pw")).join().orElseThrow());
    }

    @Test
    void environmentVariablePromptAndNone() {
        SecretResolver r = new SecretResolver("ref", new Files(Map.of()),
                (env, label) -> CompletableFuture.completedFuture(Optional.of(("typed-for-" + env).toCharArray())),
                n -> null, k -> k.equals("PGPASSWORD") ? "from-env" : null);
        assertArrayEquals("from-env".toCharArray(), r.resolve(new SecretRef.Env("PGPASSWORD")).join().orElseThrow());
        assertArrayEquals("typed-for-ref".toCharArray(), r.resolve(new SecretRef.Prompt("PostgreSQL password")).join().orElseThrow());
        assertTrue(r.resolve(new SecretRef.None()).join().isEmpty());
        CompletionException unset = assertThrows(CompletionException.class, () -> r.resolve(new SecretRef.Env("NOPE")).join());
        assertEquals("environment variable NOPE is not set", unset.getCause().getMessage());
    }

    @Test
    void aDeclinedPromptFailsWithoutTheSecretInAnyMessage() {
        SecretResolver r = new SecretResolver("ref", new Files(Map.of()), SecretPrompt.NONE,
                n -> CompletableFuture.completedFuture(Optional.empty()), k -> null);
        CompletionException e = assertThrows(CompletionException.class,
                () -> r.resolve(new SecretRef.Prompt("Redis password")).join());
        assertEquals("Redis password was not given", e.getCause().getMessage());
        CompletionException k = assertThrows(CompletionException.class,
                () -> r.resolve(new SecretRef.Keyring("prod-redis")).join());
        assertFalse(k.getCause().getMessage().isEmpty());
    }

    /** A cancelled password question is not asked again at every poll, only when the user asks again. */
    @Test
    void aDeclinedPromptIsRememberedUntilAskAgain() {
        AtomicInteger asked = new AtomicInteger();
        SecretResolver r = new SecretResolver("ref", new Files(Map.of()), (env, label) -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(Optional.empty());
        }, n -> CompletableFuture.completedFuture(Optional.empty()), k -> null);
        SecretRef ref = new SecretRef.Prompt("Redis password");
        for (int i = 0; i < 3; i++) {
            CompletionException e = assertThrows(CompletionException.class, () -> r.resolve(ref).join());
            assertEquals("Redis password was not given", e.getCause().getMessage());
        }
        assertEquals(1, asked.get());
        r.askAgain();
        assertThrows(CompletionException.class, () -> r.resolve(ref).join());
        assertEquals(2, asked.get());
    }

    /** A password the server refused is forgotten and asked for again; a right one is kept. */
    @Test
    void aForgottenPasswordIsAskedAgain() {
        AtomicInteger asked = new AtomicInteger();
        SecretResolver r = new SecretResolver("ref", new Files(Map.of()), (env, label) -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(Optional.of(("pw" + asked.get()).toCharArray()));
        }, n -> CompletableFuture.completedFuture(Optional.empty()), k -> null);
        SecretRef ref = new SecretRef.Prompt("Redis password");
        assertEquals("pw1", new String(r.resolve(ref).join().orElseThrow()));
        assertEquals("pw1", new String(r.resolve(ref).join().orElseThrow()));
        r.forget(ref);
        assertEquals("pw2", new String(r.resolve(ref).join().orElseThrow()));
        assertEquals(2, asked.get());
    }
}
