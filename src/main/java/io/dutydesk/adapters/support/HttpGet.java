package io.dutydesk.adapters.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** A small HTTP client over a local tunnel, with a timeout on connect and on every request. */
public final class HttpGet {
    private final HttpClient client;
    private final Duration timeout;

    public HttpGet(Executor executor, Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
                .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** GET; completes with the body of a 2xx answer, fails with status and body otherwise. */
    public CompletableFuture<String> text(URI uri) {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        return client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() / 100 != 2) {
                String body = r.body() == null ? "" : r.body().strip();
                throw new java.util.concurrent.CompletionException(new IOException("HTTP " + r.statusCode()
                        + " from " + uri.getPath() + (body.isEmpty() ? "" : ": " + abbreviate(body))));
            }
            return r.body();
        });
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
