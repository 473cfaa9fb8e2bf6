package io.dutydesk.adapters.support;

import io.dutydesk.core.Errors;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.Tunnels;
import io.dutydesk.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TunnelHttp's HTTP/1.1 over a stream, against a small scripted server standing in for the
 * channel's far end (the real channel is tested against the reference host in TunnelsIT).
 */
class TunnelHttpTest {
    private final ExecutorService executor = BoundedExecutors.create("test-http", 2, 8);
    private ServerSocket server;
    private final AtomicReference<String> lastRequest = new AtomicReference<>();
    private final AtomicBoolean clientClosed = new AtomicBoolean();

    @AfterEach
    void close() throws Exception {
        executor.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /** A server answering every request with {@code answer(request)}; null answer: hang until the client closes. */
    private TunnelHttp http(Function<String, String> answer, Duration timeout) throws Exception {
        server = new ServerSocket(0);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    StringBuilder req = new StringBuilder();
                    String line;
                    int length = 0;
                    while ((line = r.readLine()) != null && !line.isEmpty()) {
                        req.append(line).append('\n');
                        if (line.toLowerCase().startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).strip());
                        }
                    }
                    char[] body = new char[length];
                    int n = 0;
                    while (n < length) {
                        n += r.read(body, n, length - n);
                    }
                    req.append('\n').append(body);
                    lastRequest.set(req.toString());
                    String a = answer.apply(req.toString());
                    if (a == null) {
                        if (s.getInputStream().read() < 0) {
                            clientClosed.set(true);
                        }
                        continue;
                    }
                    OutputStream o = s.getOutputStream();
                    o.write(a.getBytes(StandardCharsets.UTF_8));
                    o.flush();
                } catch (Exception e) {
                    clientClosed.set(true);
                }
            }
        });
        t.setDaemon(true);
        t.start();
        Tunnels tunnels = new Tunnels() {
            @Override
            public CompletableFuture<Path> forwardUnixSocket(String socketPath, String fallbackCommand) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletableFuture<Stream> open(String host, int port) {
                try {
                    Socket s = new Socket("127.0.0.1", server.getLocalPort());
                    return CompletableFuture.completedFuture(new Stream() {
                        @Override
                        public InputStream input() {
                            try {
                                return s.getInputStream();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public OutputStream output() {
                            try {
                                return s.getOutputStream();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public void close() {
                            try {
                                s.close();
                            } catch (Exception ignored) {
                                // closing
                            }
                        }
                    });
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
        return new TunnelHttp("Prometheus", new Environment.Http("127.0.0.1", 9090, "/prom/"), tunnels, executor, timeout);
    }

    @Test
    void chunkedAnswerUnderThePathPrefix() throws Exception {
        TunnelHttp h = http(req -> "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n5;ext=1\r\n\"é\"}\r\n0\r\n\r\n", Duration.ofSeconds(10));
        TunnelHttp.Response r = h.get("/api/v1/query?query=up").join();
        assertEquals(200, r.status());
        assertEquals("{\"a\":\"é\"}", r.body());
        assertTrue(lastRequest.get().startsWith("GET /prom/api/v1/query?query=up HTTP/1.1\n"), lastRequest.get());
        assertTrue(lastRequest.get().contains("Host: 127.0.0.1:9090"), lastRequest.get());
    }

    @Test
    void postBodyAndAnErrorStatusWithTheServersWords() throws Exception {
        TunnelHttp h = http(req -> "HTTP/1.1 400 Bad Request\r\nContent-Length: 27\r\n\r\n{\"error\":\"parse error at 3\"}",
                Duration.ofSeconds(10));
        TunnelHttp.Response r = h.postForm("/api/v1/query", "query=up%7B", Duration.ofSeconds(10)).join();
        assertEquals(400, r.status());
        assertEquals("{\"error\":\"parse error at 3", r.body().substring(0, 26));
        assertTrue(lastRequest.get().endsWith("\nquery=up%7B"), lastRequest.get());
        assertTrue(lastRequest.get().contains("Content-Type: application/x-www-form-urlencoded"));
    }

    @Test
    void anAnswerWithoutLengthIsReadToTheEnd() throws Exception {
        TunnelHttp h = http(req -> "HTTP/1.0 200 OK\r\n\r\nPrometheus Server is Ready.\n", Duration.ofSeconds(10));
        assertEquals("Prometheus Server is Ready.\n", h.get("/-/ready").join().body());
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndTheChannelIsClosed() throws Exception {
        TunnelHttp h = http(req -> null, Duration.ofMillis(300));
        CompletionException e = assertThrows(CompletionException.class, () -> h.get("/api/v2/alerts").join());
        assertInstanceOf(TimeoutException.class, Errors.unwrap(e));
        assertTrue(Errors.describe(e).contains("Prometheus 127.0.0.1:9090: no answer within 300 ms"), Errors.describe(e));
        Eventually.await("the channel closed", Duration.ofSeconds(10), clientClosed::get);
    }

    @Test
    void cancellingClosesTheChannel() throws Exception {
        TunnelHttp h = http(req -> null, Duration.ofSeconds(60));
        CompletableFuture<TunnelHttp.Response> f = h.get("/api/v1/query_range?query=up");
        Eventually.await("sent", Duration.ofSeconds(10), () -> lastRequest.get() != null);
        f.cancel(true);
        Eventually.await("the channel closed", Duration.ofSeconds(10), clientClosed::get);
    }
}
