package io.dutydesk.adapters.telemetry;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.poll.Poller;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.telemetry.Telemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The opt-in metrics endpoint: started on a free port, fed by the real parts that feed it in the app (a
 * {@link Poller}, the audit log), scraped over HTTP like Prometheus would; and it listens on 127.0.0.1 only.
 */
class PrometheusTelemetryTest {
    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private PrometheusTelemetry telemetry;
    private Telemetry before;

    @BeforeEach
    void start() throws IOException {
        telemetry = PrometheusTelemetry.start(0);
        before = Telemetry.current();
        Telemetry.install(telemetry);
    }

    @AfterEach
    void stop() {
        Telemetry.install(before);
        telemetry.close();
        scheduler.shutdownNow();
    }

    @Test
    void pollsErrorsAndActionsAreScrapedWithTheirLabels() throws Exception {
        // a health ping that answers and one that fails, through the poller the app uses
        refreshOnce(new Poller<>("docker", () -> CompletableFuture.supplyAsync(() -> 12L,
                CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS)), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), scheduler, Clock.systemUTC()).measuredAs("docker", "ping"));
        Poller<Long> failing = new Poller<Long>("redis", () -> CompletableFuture.failedFuture(new IOException("connection refused")),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), scheduler, Clock.systemUTC()).measuredAs("redis", "ping");
        refreshOnce(failing);
        // a pane's poller: named by its source, kind "poll"
        refreshOnce(new Poller<>("slots", () -> CompletableFuture.completedFuture("blue"), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(5), scheduler, Clock.systemUTC()));
        // an action's start and end, appended to the real audit log: timed from its entry, the start not counted
        JsonlAuditLog audit = new JsonlAuditLog(tmp.resolve("audit/audit.jsonl"));
        Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
        audit.append(new AuditEntry("id1", "ops@desk", "prod", "rollback", List.of(), t0, null, null, null, "started",
                "green", null, "started")).get(10, TimeUnit.SECONDS);
        audit.append(new AuditEntry("id1", "ops@desk", "prod", "rollback", List.of(), t0, t0.plusMillis(2500), 0, "ab",
                "succeeded", "green", "blue", "ok")).get(10, TimeUnit.SECONDS);
        audit.append(new AuditEntry(null, "ops@desk", "prod", "restore", List.of("x.dump"), t0, t0, null, null,
                "refused", null, null, "the backup failed its verification")).get(10, TimeUnit.SECONDS);

        String body = scrape();
        assertEquals(1, value(body, "dutydesk_poll_duration_seconds_count", "backend=\"docker\",kind=\"ping\"").getAsDouble());
        double docker = value(body, "dutydesk_poll_duration_seconds_sum", "backend=\"docker\",kind=\"ping\"").getAsDouble();
        assertTrue(docker >= 0.025 && docker < 5, "the ping's time, about 30 ms: " + docker);
        assertEquals(0, value(body, "dutydesk_poll_errors_total", "backend=\"docker\",kind=\"ping\"").getAsDouble());
        assertEquals(1, value(body, "dutydesk_poll_errors_total", "backend=\"redis\",kind=\"ping\"").getAsDouble());
        assertEquals(1, value(body, "dutydesk_poll_duration_seconds_count", "backend=\"redis\",kind=\"ping\"").getAsDouble());
        assertEquals(1, value(body, "dutydesk_poll_duration_seconds_count", "backend=\"slots\",kind=\"poll\"").getAsDouble());
        assertEquals(1, value(body, "dutydesk_action_duration_seconds_count", "action=\"rollback\",outcome=\"succeeded\"").getAsDouble());
        assertEquals(2.5, value(body, "dutydesk_action_duration_seconds_sum", "action=\"rollback\",outcome=\"succeeded\"").getAsDouble(), 1e-9);
        assertEquals(1, value(body, "dutydesk_action_duration_seconds_bucket", "action=\"rollback\",outcome=\"succeeded\",le=\"5.0\"").getAsDouble());
        assertEquals(0, value(body, "dutydesk_action_duration_seconds_bucket", "action=\"rollback\",outcome=\"succeeded\",le=\"1.0\"").getAsDouble());
        assertEquals(1, value(body, "dutydesk_action_duration_seconds_count", "action=\"restore\",outcome=\"refused\"").getAsDouble());
        assertFalse(body.contains("outcome=\"started\""), "a start is no action's end");

        // a second failure adds to the same series
        refreshOnce(failing);
        assertEquals(2, value(scrape(), "dutydesk_poll_errors_total", "backend=\"redis\",kind=\"ping\"").getAsDouble());
    }

    @Test
    void pulseGapsRssThreadsAndSshChannelsAreScraped() throws Exception {
        telemetry.pulseGap(16_700_000);
        telemetry.pulseGap(240_000_000);
        telemetry.pulseGap(16_600_000);
        AtomicInteger open = new AtomicInteger(3);
        AutoCloseable prod = telemetry.sshChannels("prod", open::get, () -> 41);
        String body = scrape();
        assertEquals(3, value(body, "dutydesk_fx_pulse_gap_seconds_count", "").getAsDouble());
        assertEquals(2, value(body, "dutydesk_fx_pulse_gap_seconds_bucket", "le=\"0.025\"").getAsDouble());
        assertEquals(0.24, value(body, "dutydesk_fx_pulse_gap_max_seconds", "").getAsDouble(), 1e-9);
        // around the 100 ms goal the buckets are 25-50 ms wide: 240 ms is over 200, not over 250
        assertEquals(2, value(body, "dutydesk_fx_pulse_gap_seconds_bucket", "le=\"0.2\"").getAsDouble());
        assertEquals(3, value(body, "dutydesk_fx_pulse_gap_seconds_bucket", "le=\"0.25\"").getAsDouble());
        telemetry.pulseGap(120_000_000);
        String later = scrape();
        assertEquals(2, value(later, "dutydesk_fx_pulse_gap_seconds_bucket", "le=\"0.1\"").getAsDouble());
        assertEquals(3, value(later, "dutydesk_fx_pulse_gap_seconds_bucket", "le=\"0.15\"").getAsDouble());
        assertEquals(3, value(body, "dutydesk_ssh_channels_open", "env=\"prod\"").getAsDouble());
        assertEquals(41, value(body, "dutydesk_ssh_channels_opened_total", "env=\"prod\"").getAsDouble());
        double rss = value(body, "dutydesk_process_resident_memory_bytes", "").getAsDouble();
        long kb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
        assertTrue(rss > 10e6 && Math.abs(rss - kb * 1024.0) < 0.5 * kb * 1024, "RSS " + rss + " vs VmRSS " + kb + " kB");
        assertTrue(value(body, "dutydesk_threads", "").getAsDouble() >= 2);
        for (String line : body.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertTrue(line.startsWith("dutydesk_"), "only dutydesk_* series: " + line);
            }
        }
        // read at each scrape; gone once its connection closed
        open.set(1);
        assertEquals(1, value(scrape(), "dutydesk_ssh_channels_open", "env=\"prod\"").getAsDouble());
        prod.close();
        assertTrue(value(scrape(), "dutydesk_ssh_channels_open", "env=\"prod\"").isEmpty());
    }

    @Test
    void listensOnTheLoopbackAddressOnly() throws Exception {
        int port = telemetry.address().getPort();
        // the kernel's view: one listening socket on that port, bound to 127.0.0.1 (an IPv4 socket, or a dual-stack
        // one bound to ::ffff:127.0.0.1) — not 0.0.0.0, not ::
        List<String> listening = new ArrayList<>(listeners(Path.of("/proc/net/tcp"), port));
        if (Files.exists(Path.of("/proc/net/tcp6"))) {
            listening.addAll(listeners(Path.of("/proc/net/tcp6"), port));
        }
        assertEquals(1, listening.size(), "listeners on port " + port + ": " + listening);
        assertTrue(List.of("0100007F", "0000000000000000FFFF00000100007F").contains(listening.get(0)),
                "bound to 127.0.0.1: " + listening);
        assertEquals(InetAddress.getByName("127.0.0.1"), telemetry.address().getAddress());
        assertEquals("http://127.0.0.1:" + port + "/metrics", telemetry.url());
        // and connecting through another address of this machine is refused
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (ni.isUp() && !ni.isLoopback()) {
                ni.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(others::add);
            }
        }
        for (InetAddress a : others) {
            try (Socket s = new Socket()) {
                assertThrows(ConnectException.class, () -> s.connect(new InetSocketAddress(a, port), 2000), a.toString());
            }
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000); // the loopback address answers
        }
    }

    @Test
    void aTakenPortFails() throws Exception {
        IOException e = assertThrows(IOException.class, () -> PrometheusTelemetry.start(telemetry.address().getPort()));
        assertNotNull(e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrometheusTelemetry.start(65536));
    }

    /** The local addresses (hex, as the kernel prints them) of the sockets listening on {@code port}. */
    static List<String> listeners(Path table, int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(table); // read once: other sockets come and go meanwhile
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            String[] local = f[1].split(":");
            if (local[1].equals(hexPort) && f[3].equals("0A")) { // 0A: LISTEN
                out.add(local[0]);
            }
        }
        return out;
    }

    /** One refresh, waited for (its measurement is recorded before its snapshot is published). */
    private static void refreshOnce(Poller<?> p) throws Exception {
        LinkedBlockingQueue<Snapshot<?>> seen = new LinkedBlockingQueue<>();
        AutoCloseable sub = p.subscribe(seen::add);
        assertNotNull(seen.poll(), "the current snapshot, at once");
        p.refreshNow();
        assertNotNull(seen.poll(10, TimeUnit.SECONDS), "a refresh of " + p.name());
        sub.close();
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(telemetry.url()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** The value of series {@code name{labels}} ("" labels: none) in a scrape, if present. */
    static OptionalDouble value(String body, String name, String labels) {
        String prefix = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
        for (String line : body.split("\n")) {
            line = line.replace(",} ", "} "); // the client's text format ends its labels with a comma
            if (line.startsWith(prefix)) {
                return OptionalDouble.of(Double.parseDouble(line.substring(prefix.length()).trim().split(" ")[0]));
            }
        }
        return OptionalDouble.empty();
    }
}
