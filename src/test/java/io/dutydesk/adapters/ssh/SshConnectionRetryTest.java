package io.dutydesk.adapters.ssh;

import io.dutydesk.core.Errors;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A failed connection attempt is the answer of the calls of the next half second, timed on a monotonic clock the test
 * moves: the wall clock stepping back (a virtual machine's can) held reconnecting back by the step, stepping forward
 * hurried it. Against a local port that accepts and hangs up at once (no SSH server: every attempt fails).
 */
class SshConnectionRetryTest {
    @TempDir
    Path tmp;

    final AtomicInteger attempts = new AtomicInteger();
    ServerSocket server;

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    void hangUpOnEveryone() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    attempts.incrementAndGet();
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        }, "hang-up");
        t.setDaemon(true);
        t.start();
    }

    static Throwable failure(SshConnection ssh) {
        return Errors.unwrap(assertThrows(CompletionException.class, () -> ssh.ping().join()));
    }

    @Test
    void aFailedAttemptAnswersForHalfASecondOnTheMonotonicClock() throws Exception {
        hangUpOnEveryone();
        Environment.Ssh target = new Environment.Ssh("127.0.0.1", server.getLocalPort(), "nobody", Optional.empty(), false,
                tmp.resolve("known_hosts"), Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(10));
        AtomicLong now = new AtomicLong(Long.MAX_VALUE - 200_000_000L); // System.nanoTime may be anywhere, and wrap
        try (SshConnection ssh = new SshConnection(target, HostKeyPrompt.REFUSE, tmp.resolve("ssh_config"), now::get)) {
            Throwable first = failure(ssh);
            assertEquals(1, attempts.get());

            now.addAndGet(Duration.ofMillis(499).toNanos());
            assertSame(first, failure(ssh), "within the half second: the same failure, no new attempt");
            assertEquals(1, attempts.get());

            now.addAndGet(Duration.ofMillis(1).toNanos());
            Throwable second = failure(ssh);
            assertEquals(2, attempts.get(), "half a second on: a new attempt");

            assertSame(second, failure(ssh), "however long the test's machine takes: the clock the window is timed on stood still");
            assertEquals(2, attempts.get());
            ssh.askAgain();
            failure(ssh);
            assertEquals(3, attempts.get(), "asked to connect again: at once");
        }
    }
}
