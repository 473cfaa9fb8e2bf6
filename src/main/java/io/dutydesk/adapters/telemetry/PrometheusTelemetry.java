package io.dutydesk.adapters.telemetry;

import io.dutydesk.core.telemetry.Telemetry;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.HTTPServer;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * {@link Telemetry} as Prometheus metrics, served at {@code http://127.0.0.1:PORT/metrics} — the loopback
 * address only, never another interface — on one daemon thread ({@code dutydesk-metrics}). Its own
 * registry: only {@code dutydesk_*} series (see {@link #NAMES}).
 */
public final class PrometheusTelemetry implements Telemetry, AutoCloseable {
    /** Every series this exports (without the histograms' _bucket/_sum/_count suffixes). */
    public static final List<String> NAMES = List.of("dutydesk_poll_duration_seconds", "dutydesk_poll_errors_total",
            "dutydesk_action_duration_seconds", "dutydesk_fx_pulse_gap_seconds", "dutydesk_fx_pulse_gap_max_seconds",
            "dutydesk_process_resident_memory_bytes", "dutydesk_threads", "dutydesk_ssh_channels_open",
            "dutydesk_ssh_channels_opened_total");

    private static final InetAddress LOOPBACK = loopback();

    private final CollectorRegistry registry = new CollectorRegistry();
    private final Histogram pollDuration = Histogram.build("dutydesk_poll_duration_seconds",
                    "Time of one poll (a health ping or a pane's refresh), by what it polls; failures included")
            .labelNames("backend", "kind").buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    private final Counter pollErrors = Counter.build("dutydesk_poll_errors_total",
                    "Polls that failed (an error, or no answer in time), by what they poll")
            .labelNames("backend", "kind").register(registry);
    private final Histogram actionDuration = Histogram.build("dutydesk_action_duration_seconds",
                    "Time of an action from its start to its audited end (deploy, switch, rollback, cleanup, restart, "
                            + "backup-now, restore, restore-scratch, backup-verify, backup-download, silence ...), by outcome")
            .labelNames("action", "outcome").buckets(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
            .register(registry);
    private final Histogram pulseGaps = Histogram.build("dutydesk_fx_pulse_gap_seconds",
                    "Time between two pulses of the window (about 1/60 s while it animates; more: the FX thread stalled)")
            // fine around P7's goal (100 ms): a period's longest gap is read from the buckets whose count grew
            .buckets(0.010, 0.017, 0.025, 0.033, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.5, 1, 2.5, 5).register(registry);
    private final AtomicLong maxPulseGapNanos = new AtomicLong();
    private final Map<Object, Channels> channels = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final HTTPServer server;
    private final InetSocketAddress address;

    private record Channels(String environment, IntSupplier open, LongSupplier opened) {}

    private PrometheusTelemetry(int port) throws IOException {
        registry.register(new Gauges());
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dutydesk-metrics");
            t.setDaemon(true);
            return t;
        });
        try {
            server = new HTTPServer.Builder().withInetSocketAddress(new InetSocketAddress(LOOPBACK, port))
                    .withRegistry(registry).withExecutorService(executor).withDaemonThreads(true).build();
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        address = new InetSocketAddress(LOOPBACK, server.getPort());
    }

    /**
     * Serves the metrics on 127.0.0.1:{@code port} (0: a free port, see {@link #address()}).
     *
     * @throws IOException the port cannot be bound (taken, or privileged)
     */
    public static PrometheusTelemetry start(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not 0-65535");
        }
        return new PrometheusTelemetry(port);
    }

    /** Where it listens: 127.0.0.1 and the port. */
    public InetSocketAddress address() {
        return address;
    }

    public String url() {
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/metrics";
    }

    @Override
    public void pollCompleted(String backend, String kind, long nanos, boolean failed) {
        pollDuration.labels(backend, kind).observe(nanos / 1e9);
        if (failed) {
            pollErrors.labels(backend, kind).inc();
        } else {
            pollErrors.labels(backend, kind); // the series exists (at 0) from the first poll
        }
    }

    @Override
    public void actionCompleted(String action, String outcome, Duration duration) {
        actionDuration.labels(action, outcome).observe(duration.toNanos() / 1e9);
    }

    @Override
    public void pulseGap(long nanos) {
        pulseGaps.observe(nanos / 1e9);
        maxPulseGapNanos.accumulateAndGet(nanos, Math::max);
    }

    @Override
    public AutoCloseable sshChannels(String environment, IntSupplier open, LongSupplier opened) {
        Object key = new Object();
        channels.put(key, new Channels(environment, open, opened));
        return () -> channels.remove(key);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void close() {
        server.close();
        executor.shutdownNow();
    }

    /** What is read when scraped: RSS, threads, the pulse gaps' maximum, the SSH channels. */
    private final class Gauges extends Collector {
        @Override
        public List<MetricFamilySamples> collect() {
            List<MetricFamilySamples> out = new ArrayList<>();
            residentBytes().ifPresent(b -> out.add(new GaugeMetricFamily("dutydesk_process_resident_memory_bytes",
                    "Resident set size of the process (VmRSS of /proc/self/status)", b)));
            out.add(new GaugeMetricFamily("dutydesk_threads", "Live threads of the JVM",
                    ManagementFactory.getThreadMXBean().getThreadCount()));
            out.add(new GaugeMetricFamily("dutydesk_fx_pulse_gap_max_seconds",
                    "Longest time between two pulses of the window since the start (0: no window)",
                    maxPulseGapNanos.get() / 1e9));
            GaugeMetricFamily open = new GaugeMetricFamily("dutydesk_ssh_channels_open",
                    "In-process SSH channels (direct-tcpip: Prometheus, Alertmanager, PostgreSQL, Redis) open now, by environment",
                    List.of("env"));
            CounterMetricFamily opened = new CounterMetricFamily("dutydesk_ssh_channels_opened_total",
                    "In-process SSH channels opened by the environment's current connection", List.of("env"));
            Map<String, long[]> byEnv = new java.util.TreeMap<>();
            for (Channels c : channels.values()) {
                long[] sum = byEnv.computeIfAbsent(c.environment(), k -> new long[2]);
                sum[0] += c.open().getAsInt();
                sum[1] += c.opened().getAsLong();
            }
            byEnv.forEach((env, sum) -> {
                open.addMetric(List.of(env), sum[0]);
                opened.addMetric(List.of(env), sum[1]);
            });
            out.add(open);
            out.add(opened);
            return out;
        }
    }

    /** VmRSS of /proc/self/status in bytes (empty where there is no /proc). */
    static OptionalLong residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    long v = Long.parseLong(f[0]);
                    return OptionalLong.of(f.length > 1 && f[1].equalsIgnoreCase("kB") ? v * 1024 : v);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS series
        }
        return OptionalLong.empty();
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
