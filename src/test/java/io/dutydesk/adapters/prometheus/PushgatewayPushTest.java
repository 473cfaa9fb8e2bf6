package io.dutydesk.adapters.prometheus;

import com.sun.net.httpserver.HttpServer;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.ports.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The push as the Pushgateway receives it, through the tunnel for a loopback URL: simpleclient's PUT of the text format to
 * /metrics/job/dutydesk_check/env/NAME, one value per check. The tunnel here is a plain socket to a local HTTP server
 * standing in for the channel's far end (the real channel and the real Pushgateway: CheckIT).
 */
class PushgatewayPushTest {
    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Content-Type") + "\n" + body);
            byte[] answer = (status == 200 ? "" : "pushed metrics are invalid or inconsistent").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    final AtomicInteger opened = new AtomicInteger();

    Tunnels tunnel() {
        return new Tunnels() {
            @Override
            public CompletableFuture<Path> forwardUnixSocket(String socketPath, String fallbackCommand) {
                return CompletableFuture.failedFuture(new UnsupportedOperationException());
            }

            @Override
            public CompletableFuture<Stream> open(String host, int port) {
                opened.incrementAndGet();
                assertTrue(host.equals("127.0.0.1") || host.equals("localhost"), host);
                try {
                    Socket s = new Socket("127.0.0.1", server.getAddress().getPort());
                    return CompletableFuture.completedFuture(new Stream() {
                        @Override
                        public InputStream input() {
                            try {
                                return s.getInputStream();
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public OutputStream output() {
                            try {
                                return s.getOutputStream();
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public void close() {
                            try {
                                s.close();
                            } catch (java.io.IOException ignored) {
                                // closing
                            }
                        }
                    });
                } catch (java.io.IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
    }

    static CheckRun run() {
        return new CheckRun(1, "ref", Instant.parse("2026-03-10T08:00:00Z"), "alice", List.of(
                result("slots", CheckStatus.PASS), result("outbox", CheckStatus.WARN), result("disk", CheckStatus.FAIL),
                result("error-rate", CheckStatus.UNKNOWN)), Optional.empty());
    }

    static CheckResult result(String id, CheckStatus s) {
        return new CheckResult(id, id, CheckSource.SLOTS, s, "e", List.of(), "slots", Optional.empty(), Duration.ZERO);
    }

    @Test
    void aLoopbackUrlIsPushedThroughTheTunnelAsSimpleclientsPut() throws Exception {
        // the port the URL names is the server's; the stand-in tunnel reaches the local test server whatever it says
        try (PushgatewayPush p = new PushgatewayPush(URI.create("http://127.0.0.1:24091"), tunnel(), Duration.ofSeconds(5))) {
            assertTrue(p.tunnelled());
            p.push(run()).get(20, TimeUnit.SECONDS);
        }
        assertEquals(1, opened.get(), "one channel");
        assertEquals(1, requests.size());
        String r = requests.get(0);
        assertTrue(r.startsWith("PUT /metrics/job/dutydesk_check/env/ref text/plain; version=0.0.4"), r);
        assertTrue(r.contains("dutydesk_check_status{env=\"ref\",check=\"slots\",} 0.0\n"), r);
        assertTrue(r.contains("dutydesk_check_status{env=\"ref\",check=\"outbox\",} 1.0\n"), r);
        assertTrue(r.contains("dutydesk_check_status{env=\"ref\",check=\"disk\",} 2.0\n"), r);
        assertTrue(r.contains("dutydesk_check_status{env=\"ref\",check=\"error-rate\",} 3.0\n"), r);
    }

    @Test
    void theGatewaysRefusalFailsThePushInItsWords() {
        status = 400;
        try (PushgatewayPush p = new PushgatewayPush(URI.create("http://localhost:24091/"), tunnel(), Duration.ofSeconds(5))) {
            Exception e = assertThrows(Exception.class, () -> p.push(run()).get(20, TimeUnit.SECONDS));
            assertTrue(String.valueOf(e.getCause().getMessage()).contains("pushed metrics are invalid"), e.toString());
        }
    }

    @Test
    void onlyTheServersLoopbackGoesThroughTheTunnel() {
        assertTrue(PushgatewayPush.onLoopback(URI.create("http://127.0.0.1:9091")));
        assertTrue(PushgatewayPush.onLoopback(URI.create("http://localhost:9091")));
        assertTrue(PushgatewayPush.onLoopback(URI.create("http://[::1]:9091")));
        assertFalse(PushgatewayPush.onLoopback(URI.create("http://pushgateway.example:9091")));
        assertFalse(new PushgatewayPush(URI.create("http://pushgateway.example:9091"), tunnel(), Duration.ofSeconds(1)).tunnelled());
        assertThrows(IllegalArgumentException.class, () -> new PushgatewayPush(URI.create("ftp://x/"), tunnel(), Duration.ofSeconds(1)));
    }
}
