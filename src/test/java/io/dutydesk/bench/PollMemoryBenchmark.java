package io.dutydesk.bench;

import io.dutydesk.app.Connector;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.health.HealthMonitor;
import io.dutydesk.core.poll.Poller;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.IdleProbe;
import io.dutydesk.testing.OwnMetrics;
import io.dutydesk.adapters.telemetry.PrometheusTelemetry;
import io.dutydesk.core.telemetry.Telemetry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * P6: the console's pollers, accelerated, against the reference host — the health monitor (every backend's
 * probe), the slots (and the Outbox pane's relay, which shares the slots' read), the outbox backlog, the stream
 * and Alertmanager's feed, each a real {@link Poller} on one scheduler as the window builds them, every
 * {@code intervalMs} (default 20 ms) — until every poller has run {@code cycles} times (default 10,000). RSS of
 * this process (/proc/self/status) at cycle 2,000 and at the end, the growth between them, the heap after a GC,
 * threads, and the sessions sshd started per cycle. Headless: the pollers and adapters, not the JavaFX scene.
 * The benchmark runs them in its own process, with the console's own metrics installed as {@code --metrics-port 0}
 * installs them (before the connection opens, so its SSH channels are counted); at each 1,000 cycles it reads RSS,
 * threads, open SSH channels and the polls' count and errors from that endpoint too, printed beside /proc's (the
 * same process: RSS is the same VmRSS, read by the endpoint's own code). No window: no pulse gaps.
 *
 * <pre>
 *   mvn -q -DskipTests package test-compile
 *   flock /tmp/dutydesk-it.lock sh -c 'src/refhost/refhost up &gt;/dev/null &amp;&amp;
 *     java -Duser.home=$(mktemp -d) -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.PollMemoryBenchmark [cycles] [intervalMs];
 *     src/refhost/refhost down'
 * </pre>
 */
public final class PollMemoryBenchmark {
    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int intervalMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path config = Path.of(args.length > 2 ? args[2] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        Environment env = EnvironmentsFile.load(config).require("ref");
        Duration interval = Duration.ofMillis(intervalMs);
        Duration timeout = env.poll().timeout();
        long self = ProcessHandle.current().pid();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "bench-poll");
            t.setDaemon(true);
            return t;
        });
        Clock clock = Clock.systemUTC();
        PrometheusTelemetry metrics = PrometheusTelemetry.start(0);
        Telemetry.install(metrics);
        try (Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            SlotsReader reader = new SlotsReader(env, h.containers(), h.shell(), clock);
            HealthMonitor health = new HealthMonitor(env.name(), h.probes(), interval, interval.multipliedBy(4), timeout,
                    scheduler, clock, h::connecting);
            List<Poller<?>> pollers = new ArrayList<>();
            pollers.add(new Poller<>("slots", reader::read, interval, interval.multipliedBy(4), timeout, scheduler, clock));
            pollers.add(new Poller<>("relay", reader::read, interval, interval.multipliedBy(4), timeout, scheduler, clock));
            pollers.add(new Poller<>("outbox", () -> h.backlog().backlog(), interval, interval.multipliedBy(4), timeout, scheduler, clock));
            pollers.add(new Poller<>("stream", () -> h.stream().stream(), interval, interval.multipliedBy(4), timeout, scheduler, clock));
            pollers.add(new Poller<>("alerts", () -> h.alerts().alerts(), interval, interval.multipliedBy(4), timeout, scheduler, clock));
            java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();
            for (Poller<?> p : pollers) {
                p.subscribe(s -> {
                    if (s.error() != null) {
                        errors.incrementAndGet();
                    }
                });
            }
            health.start();
            pollers.forEach(Poller::start);
            long t0 = System.nanoTime();
            long mark = IdleProbe.mark();
            long rssAt2k = -1;
            long heapAt2k = -1;
            int next = 1000;
            System.out.printf("P6 pollers every %d ms until each ran %,d times%n", intervalMs, cycles);
            while (true) {
                long done = pollers.stream().mapToLong(Poller::runs).min().orElse(0);
                if (done >= next) {
                    long rss = IdleProbe.status(self, "VmRSS") / 1024;
                    long heap = heapAfterGc();
                    System.out.printf("  cycle %,6d  %5.0f s  RSS %4d MB  heap after GC %5.1f MB  threads %3d  snapshots with an error %d%n", done,
                            (System.nanoTime() - t0) / 1e9, rss, heap / 1048576.0, IdleProbe.status(self, "Threads"), errors.get());
                    OwnMetrics.Scrape own = OwnMetrics.scrape(metrics.url());
                    System.out.printf("                own metrics:  RSS %4.0f MB  threads %3.0f  SSH channels open %.0f (opened %.0f)  polls %,.0f, failed %,.0f%n",
                            own.require("dutydesk_process_resident_memory_bytes") / 1048576, own.require("dutydesk_threads"),
                            own.require("dutydesk_ssh_channels_open"), own.value("dutydesk_ssh_channels_opened_total").orElse(0),
                            own.value("dutydesk_poll_duration_seconds_count").orElse(0), own.value("dutydesk_poll_errors_total").orElse(0));
                    if (next == 2000) {
                        rssAt2k = rss;
                        heapAt2k = heap;
                    }
                    if (next >= cycles) {
                        IdleProbe.Sessions s = IdleProbe.since(mark);
                        double growth = 100.0 * (rss - rssAt2k) / rssAt2k;
                        System.out.printf("  RSS at cycle 2,000: %d MB, at %,d: %d MB -> growth %+.1f %% (goal < 5 %%, RSS <= 300 MB)%n",
                                rssAt2k, cycles, rss, growth);
                        System.out.printf("  heap after GC: %.1f MB -> %.1f MB%n", heapAt2k / 1048576.0, heap / 1048576.0);
                        System.out.printf("  sessions sshd started: %d exec, %d SFTP over %,d cycles (%.4f exec per cycle); health: %s%n",
                                s.commands(), s.sftp(), done, (double) s.commands() / done, health.latest().okCount() + "/" + health.latest().configuredCount() + " backends ok");
                        break;
                    }
                    next += 1000;
                }
                Thread.sleep(200);
            }
            pollers.forEach(Poller::close);
            health.close();
        } finally {
            scheduler.shutdownNow();
            metrics.close();
        }
        System.exit(0);
    }

    private static long heapAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
