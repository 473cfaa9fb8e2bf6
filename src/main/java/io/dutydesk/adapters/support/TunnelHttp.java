package io.dutydesk.adapters.support;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.Tunnels;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one HTTP client for server-side HTTP services (Prometheus, Alertmanager) reached through the
 * environment's SSH connection. Paths are relative to the service's configured base URL, path
 * prefix included ({@code http://127.0.0.1:9090/prometheus} + {@code /api/v1/query}).
 *
 * <p>Every call has a timeout; cancelling the returned future aborts the request. Non-2xx answers
 * complete normally with their status and body (Prometheus and Alertmanager explain errors in the
 * body): callers decide; {@link Response#requireOk()} turns them into an exception with the body.
 * Transport failures fail the future with an error naming the server-side address.
 */
public final class TunnelHttp {
    /** An HTTP answer: status, body, content type. */
    public record Response(int status, String body, String contentType) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** This response if 2xx, else an {@link HttpStatusException} carrying status and body. */
        public Response requireOk() {
            if (!ok()) {
                throw new HttpStatusException(status, body);
            }
            return this;
        }
    }

    /** A non-2xx answer, with the server's own words. */
    public static final class HttpStatusException extends RuntimeException {
        private final int status;
        private final String body;

        public HttpStatusException(int status, String body) {
            super("HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip())));
            this.status = status;
            this.body = body == null ? "" : body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    private final Environment.Http config;
    private final Tunnels tunnels;
    private final Duration timeout;
    private final String name;
    private final ExecutorService executor;

    /**
     * @param name how errors name the service, e.g. "Prometheus"
     * @param executor the adapter's own bounded executor
     * @param timeout the default per-call timeout
     */
    public TunnelHttp(String name, Environment.Http config, Tunnels tunnels, ExecutorService executor, Duration timeout) {
        this.name = name;
        this.config = config;
        this.tunnels = tunnels;
        this.timeout = timeout;
        this.executor = executor;
    }

    /** Where errors say the service is, e.g. "Prometheus 127.0.0.1:9090". */
    public String where() {
        return name + " " + config.host() + ":" + config.port();
    }

    public CompletableFuture<Response> get(String pathAndQuery) {
        return send("GET", pathAndQuery, Optional.empty(), timeout);
    }

    public CompletableFuture<Response> get(String pathAndQuery, Duration callTimeout) {
        return send("GET", pathAndQuery, Optional.empty(), callTimeout);
    }

    public CompletableFuture<Response> postJson(String pathAndQuery, String json) {
        return send("POST", pathAndQuery, Optional.of(json), timeout);
    }

    /** POST of an {@code application/x-www-form-urlencoded} body (Prometheus's query endpoints take one). */
    public CompletableFuture<Response> postForm(String pathAndQuery, String form, Duration callTimeout) {
        return send("POST", pathAndQuery, Optional.of(form), callTimeout, "application/x-www-form-urlencoded");
    }

    public CompletableFuture<Response> delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery, Optional.empty(), timeout);
    }

    /** Any method; {@code body} is sent as JSON. */
    public CompletableFuture<Response> send(String method, String pathAndQuery, Optional<String> body, Duration callTimeout) {
        return send(method, pathAndQuery, body, callTimeout, "application/json");
    }

    /**
     * One exchange on its own in-process SSH channel (no local port: nothing on the workstation can
     * reach the service without going through this process). The call's timeout covers sending
     * and reading once the channel is open (opening it has the SSH connect timeout); on timeout or
     * cancel the channel is closed, which aborts the blocked read.
     */
    public CompletableFuture<Response> send(String method, String pathAndQuery, Optional<String> body, Duration callTimeout,
                                             String contentType) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        AtomicReference<Tunnels.Stream> channel = new AtomicReference<>();
        URI uri = config.uriOn(config.host(), config.port(), pathAndQuery);
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        CompletableFuture<Tunnels.Stream> opening = tunnels.open(config.host(), config.port());
        long ms = callTimeout.toMillis();
        opening.thenCompose(stream -> {
            channel.set(stream);
            // the call's time starts once the channel is open: (re)connecting SSH has its own timeout
            CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS).execute(() ->
                    result.completeExceptionally(new TimeoutException(where() + ": no answer within " + ms + " ms")));
            if (result.isDone()) {
                stream.close();
                return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException());
            }
            return BoundedExecutors.supply(executor, () -> exchange(stream, method, target, body, contentType));
        }).whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(TunnelErrors.wrap(where(), e));
            } else {
                result.complete(r);
            }
        });
        // done one way or another (answer, timeout, the caller's cancel): the channel goes; one still
        // opening is cancelled, and Tunnels.open's contract closes it once open (or never opens it)
        result.whenComplete((r, e) -> {
            opening.cancel(false);
            Tunnels.Stream st = channel.get();
            if (st != null) {
                st.close();
            } else {
                opening.thenAccept(Tunnels.Stream::close);
            }
        });
        return result;
    }

    /** HTTP/1.1 with {@code Connection: close}: one request, the answer read to its end. */
    private Response exchange(Tunnels.Stream stream, String method, String target, Optional<String> body,
                              String contentType) throws IOException {
        NetworkClients.creating(NetworkClients.HTTP);
        byte[] payload = body.map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(null);
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(config.host()).append(':').append(config.port()).append("\r\n")
                .append("Accept: application/json\r\nUser-Agent: dutydesk\r\nConnection: close\r\n");
        if (payload != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(payload.length)
                    .append("\r\n");
        } else if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        OutputStream out = stream.output();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (payload != null) {
            out.write(payload);
        }
        out.flush();
        InputStream in = new BufferedInputStream(stream.input());
        int status;
        Map<String, String> headers;
        do {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new EOFException("the connection closed before an answer (unexpected end of stream)");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer: " + abbreviate(statusLine));
            }
            status = Integer.parseInt(parts[1]);
            headers = new HashMap<>();
            String h;
            while ((h = line(in)) != null && !h.isEmpty()) {
                int c = h.indexOf(':');
                if (c > 0) {
                    headers.merge(h.substring(0, c).strip().toLowerCase(Locale.ROOT), h.substring(c + 1).strip(),
                            (x, y) -> x + ", " + y);
                }
            }
        } while (status / 100 == 1); // 100 Continue and friends precede the answer
        byte[] bytes;
        if (method.equals("HEAD") || status == 204 || status == 304) {
            bytes = new byte[0];
        } else if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            bytes = chunked(in);
        } else if (headers.containsKey("content-length")) {
            bytes = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            bytes = in.readAllBytes();
        }
        String type = headers.getOrDefault("content-type", "");
        return new Response(status, new String(bytes, charset(type)), type);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                throw new EOFException("the answer ended inside a chunk (unexpected end of stream)");
            }
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
            if (n == 0) {
                String trailer;
                while ((trailer = line(in)) != null && !trailer.isEmpty()) {
                    // trailers are not used
                }
                return b.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) {
                throw new EOFException("the answer ended inside a chunk (unexpected end of stream)");
            }
            b.write(chunk);
            line(in);
        }
    }

    /** A header line without its CRLF; null at end of stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static Charset charset(String contentType) {
        for (String p : contentType.split(";")) {
            String t = p.strip();
            if (t.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(t.substring(8).replace("\"", ""));
                } catch (RuntimeException ignored) {
                    break;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
