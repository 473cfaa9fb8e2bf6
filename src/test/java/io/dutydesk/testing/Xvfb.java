package io.dutydesk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An Xvfb on a display number it picked free itself ({@code -displayfd}), told once it accepts clients. The tests and
 * benchmarks used fixed numbers (IdleExecsIT and StallBenchmark both ":95"): a second Xvfb on a taken number exits at
 * once, the socket of the first is there, and the test drew on the other's display until that one ended under it.
 */
public final class Xvfb implements AutoCloseable {
    public final Process process;
    /** The display, ":N". */
    public final String display;

    private Xvfb(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    /** A screen of {@code size} ("1366x820"), 24 bits. */
    public static Xvfb start(String size) throws Exception {
        Process x = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", size + "x24", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> number = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(x.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String n;
        try {
            n = number.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            x.destroyForcibly();
            throw new IllegalStateException("Xvfb did not say its display within 20 s");
        }
        if (n == null || !n.strip().matches("\\d+")) {
            x.destroyForcibly();
            throw new IllegalStateException("Xvfb did not start (it said " + n + ")");
        }
        return new Xvfb(x, ":" + n.strip());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
