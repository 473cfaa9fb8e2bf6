package io.dutydesk.app;

import io.dutydesk.adapters.telemetry.PrometheusTelemetry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.telemetry.Telemetry;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --metrics-port N}: parsed off the arguments of the window and of every verb; a bad value is exit 2. */
class MetricsOptionTest {
    @TempDir
    Path tmp;

    @Test
    void theOptionIsTakenOffTheArgumentsWhereverItIs() {
        assertEquals(new MetricsOption.Parsed(OptionalInt.of(9400), List.of("ping", "--env", "prod")),
                MetricsOption.extract(List.of("ping", "--metrics-port", "9400", "--env", "prod")));
        assertEquals(new MetricsOption.Parsed(OptionalInt.of(0), List.of("--env", "prod")),
                MetricsOption.extract(List.of("--env", "prod", "--metrics-port=0")));
        assertEquals(new MetricsOption.Parsed(OptionalInt.empty(), List.of("status", "--env", "prod")),
                MetricsOption.extract(List.of("status", "--env", "prod")));
        // the port is no verb: the window opens
        assertEquals(Optional.empty(), Main.firstWord(MetricsOption.extract(List.of("--metrics-port", "9400")).rest()));
    }

    @Test
    void aBadValueSaysWhatIsWrong() {
        assertEquals("--metrics-port 'abc' is not a port number (1-65535, or 0 for a free one)",
                assertThrows(MetricsOption.BadOption.class, () -> MetricsOption.extract(List.of("--metrics-port", "abc"))).getMessage());
        assertEquals("--metrics-port 70000 is out of range (1-65535, or 0 for a free one)",
                assertThrows(MetricsOption.BadOption.class, () -> MetricsOption.extract(List.of("--metrics-port=70000"))).getMessage());
        assertEquals("--metrics-port needs a port number (1-65535, or 0 for a free one)",
                assertThrows(MetricsOption.BadOption.class, () -> MetricsOption.extract(List.of("ping", "--metrics-port"))).getMessage());
        assertEquals("--metrics-port needs a port number (1-65535, or 0 for a free one)",
                assertThrows(MetricsOption.BadOption.class, () -> MetricsOption.extract(List.of("--metrics-port", "-1"))).getMessage());
        assertEquals("--metrics-port given twice", assertThrows(MetricsOption.BadOption.class,
                () -> MetricsOption.extract(List.of("--metrics-port", "1", "--metrics-port", "2"))).getMessage());
    }

    @Test
    void aTakenPortIsABadOption() throws Exception {
        try (PrometheusTelemetry first = PrometheusTelemetry.start(0)) {
            int port = first.address().getPort();
            String m = assertThrows(MetricsOption.BadOption.class, () -> MetricsOption.start(port)).getMessage();
            assertTrue(m.startsWith("--metrics-port " + port + ": cannot listen on 127.0.0.1:" + port + " ("), m);
            assertFalse(Telemetry.current() instanceof PrometheusTelemetry, "nothing installed");
        }
    }

    @Test
    void mainExitsWithUsageOnABadValueForTheWindowAndForAVerb() throws Exception {
        for (List<String> args : List.of(List.of("--metrics-port", "http"), List.of("ping", "--env", "prod", "--metrics-port=99999"))) {
            Result r = runMain(args);
            assertEquals(2, r.code(), args + ": " + r.stderr());
            assertTrue(r.stderr().startsWith("dutydesk: --metrics-port "), r.stderr());
            assertTrue(r.stderr().contains("(1-65535, or 0 for a free one)"), r.stderr());
        }
    }

    @Test
    void aVerbServesItsMetricsWhileItRuns() throws Exception {
        // 'envs' of a missing file ends at once: the endpoint was up before it, and said where
        Result r = runMain(List.of("envs", "--config", tmp.resolve("none.yaml").toString(), "--metrics-port", "0"));
        assertEquals(2, r.code(), r.stderr());
        assertTrue(r.stderr().matches("(?s)dutydesk: metrics at http://127\\.0\\.0\\.1:\\d+/metrics\n.*"), r.stderr());
    }

    @Test
    void anEnvironmentsConnectionReportsItsSshChannelsUntilClosed() throws Exception {
        Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(5)).get("ref");
        Telemetry before = Telemetry.current();
        try (PrometheusTelemetry t = PrometheusTelemetry.start(0); LocalStore store = LocalStore.open(tmp.resolve("d.db"))) {
            Telemetry.install(t);
            Connector connector = new Connector(name -> CompletableFuture.completedFuture(Optional.empty()), store);
            Connector.Opened opened = connector.open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE); // connects on first use only
            String body = scrape(t).replace(",} ", "} ");
            assertTrue(body.contains("\ndutydesk_ssh_channels_open{env=\"ref\"} 0.0\n"), body);
            assertTrue(body.contains("\ndutydesk_ssh_channels_opened_total{env=\"ref\"} 0.0\n"), body);
            opened.close();
            assertFalse(scrape(t).contains("env=\"ref\""), "gone with its connection");
        } finally {
            Telemetry.install(before);
        }
    }

    private static String scrape(PrometheusTelemetry t) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(t.url())).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    record Result(int code, String stderr) {}

    /** {@code java io.dutydesk.app.Main ARGS} in a process of its own, with this test's class path. */
    static Result runMain(List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Ddutydesk.warmup=false", Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path home = java.nio.file.Files.createTempDirectory("dutydesk-main");
        b.environment().put("HOME", home.toString()); // whatever it would write stays out of the user's folders
        b.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        b.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        b.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
        b.environment().remove("DUTYDESK_CONFIG");
        Process p = b.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended");
        return new Result(p.exitValue(), err.get(10, TimeUnit.SECONDS));
    }
}
