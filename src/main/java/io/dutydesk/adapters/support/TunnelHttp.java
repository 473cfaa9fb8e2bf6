package io.dutydesk.adapters.support;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.Tunnels;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

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
    private final HttpClient client;

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
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
                .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
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

    private CompletableFuture<Response> send(String method, String pathAndQuery, Optional<String> body, Duration callTimeout,
                                             String contentType) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> inFlight = tunnels.forwardTcp(config.host(), config.port())
                .thenCompose(local -> {
                    URI uri = config.uriOn("127.0.0.1", local.getPort(), pathAndQuery);
                    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(callTimeout)
                            .header("Accept", "application/json");
                    if (body.isPresent()) {
                        b.header("Content-Type", contentType);
                        b.method(method, HttpRequest.BodyPublishers.ofString(body.get()));
                    } else {
                        b.method(method, HttpRequest.BodyPublishers.noBody());
                    }
                    return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
                });
        inFlight.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(TunnelErrors.wrap(where(), e));
            } else {
                result.complete(new Response(r.statusCode(), r.body() == null ? "" : r.body(),
                        r.headers().firstValue("Content-Type").orElse("")));
            }
        });
        // cancelling the caller's future aborts the exchange (HttpClient cancels on cancel of its future)
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                inFlight.cancel(true);
            }
        });
        return result;
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
