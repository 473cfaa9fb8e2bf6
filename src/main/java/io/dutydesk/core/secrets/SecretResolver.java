package io.dutydesk.core.secrets;

import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.ports.Keyring;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.SecretPrompt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Turns {@link SecretRef}s into secrets, kept in memory for the life of one environment
 * handle and never written or logged. A server file is read over SFTP (no shell involved).
 */
public final class SecretResolver {
    private final String environment;
    private final RemoteShell shell;
    private final SecretPrompt prompt;
    private final Keyring keyring;
    private final Function<String, String> env;
    private final Map<SecretRef, CompletableFuture<Optional<char[]>>> cache = new ConcurrentHashMap<>();

    public SecretResolver(String environment, RemoteShell shell, SecretPrompt prompt, Keyring keyring,
                          Function<String, String> env) {
        this.environment = environment;
        this.shell = shell;
        this.prompt = prompt;
        this.keyring = keyring;
        this.env = env;
    }

    /** The secret, or empty for {@link SecretRef.None}; fails with a message that never contains it. */
    public CompletableFuture<Optional<char[]>> resolve(SecretRef ref) {
        CompletableFuture<Optional<char[]>> f = cache.computeIfAbsent(ref, this::load);
        // a failed lookup is retried next time (the server may come back), but a question the user
        // declined is not asked again at every poll: only after askAgain()
        f.whenComplete((v, e) -> {
            if (e != null && !(io.dutydesk.core.Errors.unwrap(e) instanceof Declined)) {
                cache.remove(ref, f);
            }
        });
        return f;
    }

    /** The user declined to give a secret: remembered until {@link #askAgain()}. */
    public static final class Declined extends IllegalStateException {
        Declined(String label) {
            super(label + " was not given");
        }
    }

    /** Forgets the declined questions: the next use asks again (the user's "refresh"). */
    public void askAgain() {
        cache.entrySet().removeIf(e -> e.getValue().isCompletedExceptionally());
    }

    /**
     * Forgets a secret the backend refused (a wrong password): the next use asks, reads or looks
     * it up again.
     */
    public void forget(SecretRef ref) {
        cache.remove(ref); // not zeroed: a connection being opened may still be reading it
    }

    private CompletableFuture<Optional<char[]>> load(SecretRef ref) {
        if (ref instanceof SecretRef.None) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (ref instanceof SecretRef.Env e) {
            String v = env.apply(e.variable());
            return v == null || v.isEmpty()
                    ? CompletableFuture.failedFuture(new IllegalStateException("environment variable " + e.variable() + " is not set"))
                    : CompletableFuture.completedFuture(Optional.of(v.toCharArray()));
        }
        if (ref instanceof SecretRef.ServerFile f) {
            return shell.readFile(f.path(), 64 * 1024).thenApply(bytes -> {
                char[] chars = decodeFirstLine(bytes);
                Arrays.fill(bytes, (byte) 0);
                if (chars.length == 0) {
                    throw new IllegalStateException("secret file " + f.path() + " on the server is empty");
                }
                return Optional.of(chars);
            });
        }
        if (ref instanceof SecretRef.DotenvKey d) {
            return shell.readFile(d.path(), 256 * 1024).thenApply(bytes -> {
                try {
                    char[] v = Dotenv.value(bytes, d.key()).orElseThrow(() -> new IllegalStateException(
                            "no " + d.key() + " in the dotenv file " + d.path() + " on the server"));
                    if (v.length == 0) {
                        throw new IllegalStateException(d.key() + " is empty in the dotenv file " + d.path() + " on the server");
                    }
                    return Optional.of(v);
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            });
        }
        if (ref instanceof SecretRef.Prompt p) {
            return prompt.ask(environment, p.label()).thenApply(o -> {
                if (o.isEmpty()) {
                    throw new Declined(p.label());
                }
                return o;
            });
        }
        SecretRef.Keyring k = (SecretRef.Keyring) ref;
        return keyring.lookup(k.name()).thenApply(o -> {
            if (o.isEmpty()) {
                throw new IllegalStateException("no keyring entry '" + k.name() + "'");
            }
            return o;
        });
    }

    /** The first line of a file, without its line ending. */
    static char[] decodeFirstLine(byte[] bytes) {
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        int end = 0;
        while (end < cb.limit() && cb.get(end) != '\n' && cb.get(end) != '\r') {
            end++;
        }
        char[] out = new char[end];
        cb.get(out, 0, end);
        Arrays.fill(cb.array(), '\0');
        return out;
    }
}
