package io.dutydesk.bench;

import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.adapters.store.SqliteAlertHistory;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.app.Connector;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.AlertmanagerDirect;
import io.dutydesk.ui.alerts.AlertsViewModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * P3: from an alert's first appearance in Alertmanager's API (watched directly every 50 ms) to its
 * appearance in the console's feed model (the alerts view-model, polling through the SSH tunnel at the
 * environment's interval, 5 s by default). Alerts are posted to Alertmanager as Prometheus would, at
 * random moments. Prints median and max (goal: max at most 5.5 s) and the ratio to a 60 s poll
 * (Karma, Alertmanager's page), whose expected median is 30 s and max 60 s.
 *
 * <pre>
 *   src/refhost/refhost up && mvn -q -DskipTests package test-compile
 *   java -cp target/dutydesk.jar:target/test-classes io.dutydesk.bench.AlertLatencyBenchmark [alerts] [config]
 * </pre>
 */
public final class AlertLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Path config = Path.of(args.length > 1 ? args[1] : "/tmp/dutydesk-refhost/dutydesk-environments.yaml");
        Environment env = EnvironmentsFile.load(config).require("ref");
        Clock clock = Clock.systemUTC();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        Path dir = Files.createTempDirectory("dutydesk-p3");
        Map<String, Long> seenByConsole = new ConcurrentHashMap<>();
        try (SqliteStore store = SqliteStore.open(dir.resolve("dutydesk.db"));
             Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
            AlertsViewModel vm = new AlertsViewModel(Runnable::run, scheduler, clock,
                    AlertsViewModel.services(new SqliteAlertHistory(store), new JsonlAuditLog(dir.resolve("audit.jsonl")), "bench@p3",
                            clock), notice -> { });
            vm.onFeed((AlertsFeed f) -> {
                long now = System.nanoTime();
                f.alerts().forEach(a -> {
                    String run = a.labels().get("p3");
                    if (run != null) {
                        seenByConsole.putIfAbsent(run, now);
                    }
                });
            });
            vm.attach(env, h);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (vm.feedProperty().get() == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (vm.feedProperty().get() == null) {
                throw new IllegalStateException("the console never read Alertmanager: " + vm.problemProperty().get());
            }
            Random random = new Random();
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Thread.sleep(500 + random.nextInt((int) env.alerts().interval().toMillis())); // a random phase of the poll
                String run = UUID.randomUUID().toString();
                Map<String, String> labels = Map.of("alertname", "DutydeskP3", "p3", run, "severity", "info");
                AlertmanagerDirect.post(labels, Map.of("summary", "P3 latency probe"), Instant.now().plusSeconds(120));
                long inApi = 0;
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < end) {
                    if (AlertmanagerDirect.find(Map.of("p3", run)) != null) {
                        inApi = System.nanoTime();
                        break;
                    }
                    Thread.sleep(50);
                }
                if (inApi == 0) {
                    throw new IllegalStateException("Alertmanager never listed the probe alert");
                }
                end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!seenByConsole.containsKey(run) && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                Long inConsole = seenByConsole.get(run);
                if (inConsole == null) {
                    throw new IllegalStateException("the console never showed the probe alert: " + vm.problemProperty().get());
                }
                double s = Math.max(0, inConsole - inApi) / 1e9;
                latencies.add(s);
                System.out.printf("P3 alert %d: in the console %.2f s after it appeared in Alertmanager's API%n", i + 1, s);
            }
            vm.close();
            List<Double> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                    : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
            double max = sorted.get(sorted.size() - 1);
            System.out.printf("P3 over %d alerts (poll every %d s): median %.2f s, max %.2f s (goal: max <= 5.5 s: %s)%n", n,
                    env.alerts().interval().toSeconds(), median, max, max <= 5.5 ? "MET" : "MISSED");
            System.out.printf("P3 against a 60 s poll (expected median 30 s, max 60 s): median %.1fx, max %.1fx better%n",
                    30 / Math.max(median, 0.001), 60 / Math.max(max, 0.001));
        } finally {
            scheduler.shutdownNow();
        }
        System.exit(0);
    }
}
