package io.dutydesk.adapters.keyring;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.core.ports.Keyring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The desktop keyring through libsecret's {@code secret-tool}: entries stored with
 * {@code secret-tool store --label=... service dutydesk name NAME}.
 */
public final class SecretToolKeyring implements Keyring {
    private final ExecutorService executor = BoundedExecutors.create("keyring", 1, 8);

    @Override
    public CompletableFuture<Optional<char[]>> lookup(String name) {
        return BoundedExecutors.supply(executor, () -> {
            Process p;
            try {
                p = new ProcessBuilder("secret-tool", "lookup", "service", "dutydesk", "name", name)
                        .redirectErrorStream(false).start();
            } catch (IOException e) {
                throw new IOException("the OS keyring is not available (secret-tool not installed)");
            }
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                in.transferTo(bos);
                out = bos.toByteArray();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the OS keyring did not answer within 10 s");
            }
            if (p.exitValue() != 0 || out.length == 0) {
                return Optional.empty();
            }
            char[] chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(out)).array();
            Arrays.fill(out, (byte) 0);
            int n = chars.length;
            while (n > 0 && (chars[n - 1] == '\n' || chars[n - 1] == '\0')) {
                n--;
            }
            char[] trimmed = Arrays.copyOf(chars, n);
            Arrays.fill(chars, '\0');
            return Optional.of(trimmed);
        });
    }
}
