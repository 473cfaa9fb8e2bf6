package io.dutydesk.it;

import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code refhost pause NAME}, what P7 (StallBenchmark) hangs backends with: a paused backend still accepts a
 * connection and answers nothing — not refused as a stopped one — and answers again once resumed, the request
 * sent while it hung included.
 */
class RefHostPauseIT {
    @Test
    void aPausedRedisAcceptsAndAnswersNothingUntilResumed() throws Exception {
        int port = RefHost.ref().redis().port();
        RefHost.pause("redis");
        try (Socket s = new Socket()) {
            try {
                assertTrue(Files.exists(RefHost.dir().resolve("paused/redis")), "the frozen pids are kept");
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000); // the kernel completes the handshake
                s.setSoTimeout(1500);
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                assertThrows(SocketTimeoutException.class, in::read, "a hung Redis answers nothing");
            } finally {
                RefHost.resume("redis");
            }
            s.setSoTimeout(10_000);
            // the PING sent while it hung is answered now (without AUTH: an error, but an answer)
            int first = s.getInputStream().read();
            assertTrue(first == '+' || first == '-', "an answer after the resume: " + (char) first);
        }
        assertFalse(Files.exists(RefHost.dir().resolve("paused/redis")));
        assertEquals("", RefHost.run(java.time.Duration.ofSeconds(10), "sh", "-c",
                "grep -l '^State:[[:space:]]*T' /proc/$(cat " + RefHost.dir().resolve("pids/redis.pid") + ")/status || true").trim(),
                "redis runs again");
    }
}
