package io.dutydesk.it;

import io.dutydesk.app.Connector;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.metrics.MetricsService;
import io.dutydesk.core.metrics.QueryException;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.metrics.QueryStore;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus on the reference host, through the SSH tunnel: queries, limits, errors, markers, a path prefix. */
class MetricsIT {
    static final Duration T = Duration.ofSeconds(20);

    static MetricsService service(Connector.Opened h, MemoryAuditLog audit) {
        return new MetricsService(h.environment(), h.metrics(), QueryStore.NONE, audit, T);
    }

    static Connector.Opened open(Environment env) {
        return new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE);
    }

    @Test
    void upReturnsOneSeriesPerScrapeTarget() throws Exception {
        try (Connector.Opened h = open(RefHost.ref())) {
            QueryResult r = service(h, MemoryAuditLog.create()).instant("up", Instant.now()).get(30, TimeUnit.SECONDS);
            assertEquals("vector", r.resultType());
            // the scrape targets, from Prometheus's own targets API (through the same tunnel)
            QueryResult targets = service(h, MemoryAuditLog.create()).instant("count(up)", Instant.now()).get(30, TimeUnit.SECONDS);
            assertEquals((int) targets.series().get(0).values()[0], r.series().size());
            assertTrue(r.series().size() >= 8, "8 service containers at least: " + r.series().size());
            assertTrue(r.series().stream().anyMatch(s -> "question-selection".equals(s.metric().get("service"))
                    && "blue".equals(s.metric().get("slot"))));
        }
    }

    @Test
    void aRangeQueryStaysUnder11000PointsPerSeriesFor7DaysAtAnyWidth() throws Exception {
        try (Connector.Opened h = open(RefHost.ref())) {
            MetricsService svc = service(h, MemoryAuditLog.create());
            Instant end = Instant.now();
            for (int width : new int[] {1, 300, 1366, 3840, 20_000, 100_000}) {
                Duration step = MetricsService.stepFor(Duration.ofDays(7), width, Duration.ZERO);
                assertTrue(MetricsService.pointsFor(Duration.ofDays(7), step) <= 11_000, width + " px: step " + step);
            }
            // the finest step Prometheus accepts for 7 days, for real: it answers, and no series passes 11,000
            Duration step = MetricsService.stepFor(Duration.ofDays(7), 100_000, Duration.ZERO);
            QueryResult r = svc.range("up", end.minus(Duration.ofDays(7)), end, step).get(60, TimeUnit.SECONDS);
            assertEquals("matrix", r.resultType());
            assertFalse(r.series().isEmpty());
            assertTrue(r.maxPoints() <= 11_000, "points " + r.maxPoints());
            // a finer step is refused before anything is sent
            assertThrowsIae(() -> svc.range("up", end.minus(Duration.ofDays(7)), end, Duration.ofSeconds(30)));
        }
    }

    static void assertThrowsIae(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("11000"), expected.getMessage());
            return;
        }
        throw new AssertionError("refused before sending");
    }

    @Test
    void aBadQueryShowsPrometheussOwnMessageAndPosition() throws Exception {
        try (Connector.Opened h = open(RefHost.ref())) {
            MetricsService svc = service(h, MemoryAuditLog.create());
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                    () -> svc.instant("sum(rate(up[5m]) by (job", Instant.now()).join());
            QueryException q = assertInstanceOf(QueryException.class, e.getCause());
            assertEquals("bad_data", q.errorType());
            assertTrue(q.prometheusMessage().contains("parse error"), q.prometheusMessage());
            assertEquals(1, q.line().orElseThrow());
            assertTrue(q.column().orElseThrow() > 1);
            assertTrue(q.rejected());
        }
        // the CLI prints it and exits 2
        RefHost.Result r = RefHost.dutydesk(Duration.ofSeconds(60), "query", "--env", "ref", "--config", RefHost.config().toString(),
                "sum(rate(up[5m]) by (job");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("parse error"), r.stderr());
    }

    @Test
    void theCliPrintsJsonCsvAndSaysWhenPrometheusIsDown() throws Exception {
        RefHost.Result json = RefHost.dutydesk(Duration.ofSeconds(60), "query", "--env", "ref", "--config",
                RefHost.config().toString(), "up", "--range", "2m", "--step", "15s", "--json");
        assertEquals(0, json.exitCode(), json.toString());
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.stdout());
        assertEquals("matrix", root.path("resultType").asText());
        assertTrue(root.path("series").size() >= 8);
        assertTrue(root.path("series").get(0).path("metric").has("job"));
        // [time, value]: the time ISO-8601 (as every --json time), the value a number
        java.time.Instant.parse(root.path("series").get(0).path("values").get(0).get(0).asText());
        assertTrue(root.path("series").get(0).path("values").get(0).get(1).isNumber());
        assertTrue(root.path("series").get(0).path("values").size() <= 9);
        RefHost.Result csv = RefHost.dutydesk(Duration.ofSeconds(60), "query", "--env", "ref", "--config",
                RefHost.config().toString(), "--saved", "outbox backlog", "--csv");
        assertEquals(0, csv.exitCode(), csv.toString());
        assertTrue(csv.stdout().startsWith("series,epoch_seconds,time,value\n"), csv.stdout());
        RefHost.stop("prometheus");
        try {
            RefHost.Result down = RefHost.dutydesk(Duration.ofSeconds(60), "query", "--env", "ref", "--config",
                    RefHost.config().toString(), "up");
            assertEquals(1, down.exitCode(), down.toString());
            assertTrue(down.stderr().contains("Prometheus"), down.stderr());
        } finally {
            RefHost.start("prometheus");
        }
    }

    @Test
    void aDeployDoneByTheConsoleAppearsAsAMarker() throws Exception {
        MemoryAuditLog audit = MemoryAuditLog.create();
        Instant start = Instant.now().minusSeconds(5);
        audit.append(new AuditEntry("a1", "oncall@desk", "ref", "deploy", List.of("v1.4.2"), start, start.plusSeconds(3), 0,
                "x", "succeeded", "blue", "blue", "deployed")).join();
        audit.append(new AuditEntry("a2", "oncall@desk", "other-env", "rollback", List.of(), start, start.plusSeconds(1), 0,
                "x", "succeeded", "green", "blue", "")).join();
        try (Connector.Opened h = open(RefHost.ref())) {
            MetricsService svc = service(h, audit);
            var marks = svc.actions(Instant.now().minus(Duration.ofHours(1)), Instant.now()).join();
            assertEquals(1, marks.size(), "only this environment's actions: " + marks);
            assertEquals("deploy v1.4.2", marks.get(0).label());
            assertTrue(marks.get(0).detail().contains("oncall@desk") && marks.get(0).detail().contains("exit 0"), marks.get(0).detail());
        }
    }

    @Test
    void prometheusUnderAPathPrefix(@TempDir Path tmp) throws Exception {
        // a second, real Prometheus on the reference host, serving under /prometheus
        Path cfg = RefHost.dir().resolve("prometheus/prometheus.yml");
        Process prom = new ProcessBuilder("prometheus", "--config.file=" + cfg, "--storage.tsdb.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:24097", "--web.route-prefix=/prometheus",
                "--web.external-url=http://127.0.0.1:24097/prometheus")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prom.log").toFile()).start();
        try {
            String yaml = Files.readString(RefHost.config()).replace("url: http://127.0.0.1:24090/", "url: http://127.0.0.1:24097/prometheus");
            Path file = tmp.resolve("envs.yaml");
            Files.writeString(file, yaml);
            Environment env = EnvironmentsFile.load(file).require("ref");
            assertEquals("/prometheus", env.prometheus().pathPrefix());
            try (Connector.Opened h = open(env)) {
                MetricsService svc = service(h, MemoryAuditLog.create());
                Eventually.await("the prefixed Prometheus answers", Duration.ofSeconds(30), () -> {
                    try {
                        return svc.instant("vector(1)", Instant.now()).get(10, TimeUnit.SECONDS).series().size() == 1;
                    } catch (Exception e) {
                        return false;
                    }
                });
                // label and metadata calls go under the prefix too (without it Prometheus answers 404, an error here)
                h.metrics().labelNames().get(20, TimeUnit.SECONDS);
                h.metrics().metadata().get(20, TimeUnit.SECONDS);
            }
        } finally {
            prom.destroy();
            prom.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
