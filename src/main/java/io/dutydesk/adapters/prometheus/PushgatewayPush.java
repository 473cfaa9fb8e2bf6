package io.dutydesk.adapters.prometheus;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.TunnelHttp;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.CheckPush;
import io.dutydesk.core.ports.Tunnels;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import io.prometheus.client.exporter.PushGateway;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code dutydesk check --push URL}: a run as {@code dutydesk_check_status{env,check}} (0 pass, 1 warn, 2 fail, 3 unknown)
 * pushed with prometheus-simpleclient's {@link PushGateway} under job {@value #JOB} and grouping key {@code env} (PUT: the
 * environment's group is replaced, so a check taken out of the file disappears). A URL on the server's loopback
 * (127.0.0.1, localhost, ::1) is reached over the environment's SSH connection, one channel per request, like Prometheus
 * and Alertmanager: the Pushgateway has no authentication and nothing on the workstation opens a port to it. Any other
 * URL is the team's own choice of a reachable gateway and is pushed to directly.
 */
public final class PushgatewayPush implements CheckPush, AutoCloseable {
    public static final String JOB = "dutydesk_check";
    public static final String METRIC = "dutydesk_check_status";

    private final URI url;
    private final Tunnels tunnels; // null: direct
    private final Duration timeout;
    private final ExecutorService executor = BoundedExecutors.create("pushgateway", 1, 8);
    private final ExecutorService exchanges = BoundedExecutors.create("pushgateway-http", 1, 8); // not the push's own thread

    /** {@code tunnels}: the environment's SSH connection, used when {@code url} is on the server's loopback. */
    public PushgatewayPush(URI url, Tunnels tunnels, Duration timeout) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--push needs an http:// URL of a Pushgateway, got " + url);
        }
        this.url = url;
        this.tunnels = onLoopback(url) ? tunnels : null;
        this.timeout = timeout;
    }

    /** 127.0.0.1 and the rest of 127/8, localhost, ::1: the server's own loopback, reached over SSH. */
    public static boolean onLoopback(URI url) {
        String h = url.getHost() == null ? "" : url.getHost().toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || Set.of("[::1]", "::1", "[0:0:0:0:0:0:0:1]").contains(h);
    }

    public boolean tunnelled() {
        return tunnels != null;
    }

    @Override
    public CompletableFuture<Void> push(CheckRun run) {
        return BoundedExecutors.supply(executor, () -> {
            CollectorRegistry registry = new CollectorRegistry();
            Gauge g = Gauge.build(METRIC, "The morning check's status per environment and check: 0 pass, 1 warn, 2 fail, 3 unknown.")
                    .labelNames("env", "check").register(registry);
            for (CheckResult c : run.checks()) {
                g.labels(run.env(), c.id()).set(c.status().value());
            }
            String base = url.toString().endsWith("/") ? url.toString().substring(0, url.toString().length() - 1) : url.toString();
            PushGateway pg = new PushGateway(new URL(base));
            if (tunnels != null) {
                int port = url.getPort() > 0 ? url.getPort() : 80;
                TunnelHttp http = new TunnelHttp("Pushgateway", new Environment.Http(url.getHost().replace("[", "").replace("]", ""),
                        port, "/"), tunnels, exchanges, timeout);
                pg.setConnectionFactory(u -> new TunnelConnection(new URL(u), http, timeout));
            }
            pg.push(registry, JOB, Map.of("env", run.env()));
            return (Void) null;
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
        exchanges.shutdownNow();
    }

    /**
     * The one {@link HttpURLConnection} PushGateway asks for, carried over an SSH channel: the body is buffered, the
     * exchange happens when the response code is asked for (what PushGateway does right after writing).
     */
    static final class TunnelConnection extends HttpURLConnection {
        private final TunnelHttp http;
        private final Duration timeout;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private TunnelHttp.Response response;

        TunnelConnection(URL u, TunnelHttp http, Duration timeout) {
            super(u);
            this.http = http;
            this.timeout = timeout;
        }

        private String contentType = "text/plain";

        @Override
        public void setRequestProperty(String key, String value) {
            if ("Content-Type".equalsIgnoreCase(key)) {
                contentType = value;
            }
        }

        @Override
        public void connect() {
            // the exchange happens once the body is written (getResponseCode)
        }

        @Override
        public OutputStream getOutputStream() {
            return body;
        }

        @Override
        public int getResponseCode() throws IOException {
            if (response == null) {
                String path = url.getPath() + (url.getQuery() == null ? "" : "?" + url.getQuery());
                Optional<String> payload = getDoOutput() ? Optional.of(body.toString(StandardCharsets.UTF_8)) : Optional.empty();
                try {
                    response = http.send(method, path, payload, timeout, contentType)
                            .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IOException(e.getCause().getMessage(), e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IOException("Pushgateway " + url + ": no answer within " + timeout.toSeconds() + " s", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            return response.status();
        }

        @Override
        public InputStream getErrorStream() {
            return response == null || response.ok() ? null : new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public InputStream getInputStream() throws IOException {
            getResponseCode();
            return new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void disconnect() {
            // each exchange had its own channel, closed with it
        }

        @Override
        public boolean usingProxy() {
            return false;
        }
    }
}
