package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dutydesk.adapters.audit.JsonlAuditLog;
import io.dutydesk.adapters.store.SqliteAlertHistory;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.app.Connector;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.Notifier;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.AlertmanagerDirect;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.RefHost;
import io.dutydesk.ui.alerts.AlertsViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert feed against the reference host's real Prometheus and Alertmanager, through the SSH tunnel:
 * a service made unhealthy fires ServiceDown, is silenced, unsilenced and resolves; what fires while no
 * console runs is reconstructed; a 500 or garbage from Alertmanager (a small proxy) leaves a stale feed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsIT {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Duration FIRE = Duration.ofSeconds(120);
    /**
     * The consoles' alerts poll here (the default is 5 s): every wait for a console to see what Alertmanager has ends
     * sooner. The reference host's Prometheus evaluates its rules every second and scrapes the services' health every 2 s.
     */
    static final Duration POLL = Duration.ofSeconds(1);

    @TempDir
    Path tmp;
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    /** The view-model's one ui thread, as the FX thread is in the app: its lists are read there too, never beside it. */
    static final java.util.concurrent.ExecutorService UI = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alerts-it-ui");
        t.setDaemon(true);
        return t;
    });

    static <T> T onUi(java.util.concurrent.Callable<T> c) {
        try {
            return UI.submit(c).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
    final List<Notifier.Notice> notices = new CopyOnWriteArrayList<>();
    SqliteStore store;

    @BeforeEach
    void setUp() {
        store = SqliteStore.open(tmp.resolve("dutydesk.db"));
        assertTrue(AlertmanagerDirect.rules().contains("service_healthy == 0"),
                "the reference host lacks the health ServiceDown rule: run src/refhost/refhost up from this checkout");
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        store.close();
    }

    /** A console's alerts pane on an opened environment, its ui on the one UI thread. */
    record Console(Connector.Opened handle, AlertsViewModel vm) implements AutoCloseable {
        @Override
        public void close() {
            vm.close();
            handle.close();
        }
    }

    /** The reference host's environments file with the alerts polled every {@link #POLL}, for the consoles and the CLI alike. */
    Path config() {
        Path p = tmp.resolve("alerts-environments.yaml");
        try {
            if (!Files.exists(p)) {
                Files.writeString(p, Files.readString(RefHost.config()) + "    alerts: { pollSeconds: " + POLL.toSeconds() + " }\n");
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return p;
    }

    Environment env() {
        Environment env = EnvironmentsFile.load(config()).require("ref");
        assertEquals(POLL, env.alerts().interval());
        return env;
    }

    Console console(Environment env, Path audit) {
        return console(env, audit, store, notices);
    }

    /** A console on its own store instance ({@code s}: another process on the same file) and its own notifier. */
    Console console(Environment env, Path audit, SqliteStore s, List<Notifier.Notice> sink) {
        Connector.Opened h = new Connector().open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE);
        AlertsViewModel vm = new AlertsViewModel(UI, scheduler, CLOCK,
                AlertsViewModel.services(new SqliteAlertHistory(s), new JsonlAuditLog(audit), "it@test", CLOCK), sink::add);
        vm.attach(env, h);
        return new Console(h, vm);
    }

    /** A service container to make unhealthy: the idle slot's outbox relay (no traffic). */
    static String[] victim() {
        String live = RefHost.nginx("/live-upstream").split("\\W")[0];
        String idle = live.equals("blue") ? "green" : "blue";
        String name = "selfology-outbox-relay-" + idle;
        String ps = RefHost.run(Duration.ofSeconds(20), "docker", "ps", "--format", "{{.Names}}");
        if (!ps.contains(name)) {
            idle = live;
            name = "selfology-outbox-relay-" + live;
        }
        return new String[] {name, "outbox-relay", idle};
    }

    static Path flag(String container) {
        return RefHost.serverHome().resolve("ctl/" + container + "/unhealthy");
    }

    static Optional<Alert> serviceDown(AlertsFeed f, String service, String slot) {
        if (f == null) {
            return Optional.empty();
        }
        return f.alerts().stream().filter(a -> a.alertname().equals("ServiceDown") && service.equals(a.labels().get("service"))
                && slot.equals(a.labels().get("slot"))).findFirst();
    }

    @Test
    @Order(1)
    void serviceDownFiresIsSilencedExpiresAndResolvesWithItsHistory() throws Exception {
        String[] v = victim();
        Path flag = flag(v[0]);
        Path audit = tmp.resolve("audit.jsonl");
        try (Console c = console(env(), audit)) {
            Eventually.await("first feed", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null);
            Files.createDirectories(flag.getParent());
            Instant broken = Instant.now();
            Files.writeString(flag, "");
            try {
                Eventually.await(() -> " ServiceDown for " + v[0] + " in the console", FIRE,
                        () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).filter(a -> a.state().equals("active")).isPresent());
                System.out.printf("AlertsIT: ServiceDown in the console %.1f s after the service went unhealthy (rule for 2 s)%n",
                        Duration.between(broken, Instant.now()).toMillis() / 1000.0);
                Alert a = serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow();
                assertEquals("critical", a.severity());
                assertTrue(a.annotation("runbook_url").startsWith("https://"), a.annotations().toString());
                assertTrue(a.expression().orElseThrow().contains("service_healthy"), a.generatorURL());
                Eventually.await("a notification", Duration.ofSeconds(10), () -> notices.stream()
                        .anyMatch(n -> n.key().endsWith(a.fingerprint()) && n.level() == Notifier.Level.CRITICAL));

                // acknowledge = silence: suppressed
                List<Matcher> ms = List.of(Matcher.eq("alertname", "ServiceDown"), Matcher.eq("service", v[1]), Matcher.eq("slot", v[2]));
                Instant now = Instant.now();
                String id = c.vm().silence(new SilenceRequest(ms, now, now.plus(Duration.ofHours(1)), "it@test", "AlertsIT")).get();
                Eventually.await("suppressed", Duration.ofSeconds(30), () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2])
                        .filter(x -> x.state().equals("suppressed") && x.silencedBy().contains(id)).isPresent());
                Eventually.await("listed", Duration.ofSeconds(30), () -> onUi(() -> List.copyOf(c.vm().silences())).stream().anyMatch(s -> s.id().equals(id)));
                // expire: active again
                c.vm().expire(onUi(() -> List.copyOf(c.vm().silences())).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow()).get();
                Eventually.await("active again", Duration.ofSeconds(30), () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2])
                        .filter(x -> x.state().equals("active")).isPresent());
                // silence again, then heal it while silenced: Alertmanager sends no resolution, the history still ends it
                now = Instant.now();
                String id2 = c.vm().silence(new SilenceRequest(ms, now, now.plus(Duration.ofMinutes(10)), "it@test", "AlertsIT 2")).get();
                Eventually.await("suppressed again", Duration.ofSeconds(30), () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2])
                        .filter(x -> x.state().equals("suppressed")).isPresent());
                Files.deleteIfExists(flag);
                Eventually.await("resolved", FIRE, () -> c.vm().feedProperty().get() != null
                        && serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
                c.vm().expire(onUi(() -> List.copyOf(c.vm().silences())).stream().filter(s -> s.id().equals(id2)).findFirst().orElseThrow()).get();

                c.vm().refreshHistory();
                // (earlier cycles of the same alert are there too, reconstructed: a first run fills in the last 24 h)
                java.util.function.Supplier<List<Transition>> thisCycle = () -> onUi(() -> List.copyOf(c.vm().history())).stream()
                        .filter(t -> t.fingerprint().equals(a.fingerprint()) && t.at().isAfter(broken.minusSeconds(1))).toList();
                Eventually.await("history", Duration.ofSeconds(20), () -> thisCycle.get().size() >= 5);
                assertEquals(List.of("firing", "silenced", "unsilenced", "silenced", "resolved"), events(thisCycle.get(), a.fingerprint()));
                assertTrue(thisCycle.get().stream().noneMatch(Transition::reconstructed));
                List<AuditEntry> entries = new JsonlAuditLog(audit).recent(10).join();
                assertEquals(List.of("silence", "unsilence", "silence", "unsilence"), entries.stream().map(AuditEntry::action).toList());
                assertTrue(entries.stream().allMatch(e -> e.result().equals("succeeded")), entries.toString());
                assertEquals(1, notices.stream().filter(n -> n.key().endsWith(a.fingerprint())).count(), "once per fingerprint");
            } finally {
                Files.deleteIfExists(flag);
            }
        }
    }

    /** Oldest first, for one alert. */
    static List<String> events(List<Transition> newestFirst, String fp) {
        List<String> out = new java.util.ArrayList<>(newestFirst.stream().filter(t -> t.fingerprint().equals(fp))
                .map(Transition::event).toList());
        java.util.Collections.reverse(out);
        return out;
    }

    @Test
    @Order(2)
    void whatFiredAndResolvedWhileTheConsoleWasClosedIsReconstructed() throws Exception {
        String[] v = victim();
        Path flag = flag(v[0]);
        Environment env = env();
        Path audit = tmp.resolve("audit.jsonl");
        try (Console c = console(env, audit)) {
            Eventually.await("first feed", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null);
            Eventually.await("no ServiceDown for " + v[0] + " before", FIRE,
                    () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
        } // the console closes
        Instant closed = Instant.now();
        Map<String, String> labels = Map.of("alertname", "ServiceDown", "service", v[1], "slot", v[2]);
        AtomicReference<String> fp = new AtomicReference<>();
        Files.createDirectories(flag.getParent());
        Files.writeString(flag, "");
        try {
            Eventually.await("Alertmanager has it", FIRE, () -> {
                JsonNode a = AlertmanagerDirect.find(labels);
                if (a != null) {
                    fp.set(a.get("fingerprint").asText());
                }
                return a != null;
            });
            Instant firing = Instant.now();
            // a while: several evaluations (every second) and several steps of the console's fill (its poll interval)
            Eventually.await("it fires a while", Duration.ofSeconds(30), () -> Instant.now().isAfter(firing.plus(POLL.multipliedBy(5))));
        } finally {
            Files.deleteIfExists(flag);
        }
        Eventually.await("resolved in Alertmanager", FIRE, () -> AlertmanagerDirect.find(labels) == null);
        try (Console c = console(env, audit)) {
            Eventually.await("first feed", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null);
            c.vm().refreshHistory();
            // (earlier tests' cycles of the same alert are in the history too: the first console filled in 24 h)
            java.util.function.Supplier<List<Transition>> sinceClosed = () -> onUi(() -> List.copyOf(c.vm().history())).stream()
                    .filter(t -> t.fingerprint().equals(fp.get()) && t.at().isAfter(closed)).toList();
            Eventually.await(() -> " history: " + onUi(() -> List.copyOf(c.vm().history())), Duration.ofSeconds(30), () -> sinceClosed.get().size() >= 2);
            List<Transition> mine = new java.util.ArrayList<>(sinceClosed.get());
            java.util.Collections.reverse(mine);
            assertEquals(List.of("firing", "resolved"), mine.stream().map(Transition::event).toList(), mine.toString());
            assertTrue(mine.stream().allMatch(Transition::reconstructed), mine.toString());
            assertEquals(v[2], mine.get(0).labels().get("slot"));
            assertTrue(mine.get(1).at().isAfter(mine.get(0).at()));
        }
    }

    @Test
    @Order(3)
    void alertmanagerAnswering500OrGarbageLeavesAStaleFeedWithTheError() throws Exception {
        AtomicReference<String> mode = new AtomicReference<>("forward");
        HttpClient client = HttpClient.newHttpClient();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", ex -> {
            byte[] body;
            int status;
            String type = "application/json";
            switch (mode.get()) {
                case "500" -> {
                    status = 500;
                    body = "internal error: the proxy says boom\n".getBytes(StandardCharsets.UTF_8);
                    type = "text/plain";
                }
                case "garbage" -> {
                    status = 200;
                    body = "[{\"labels\": {\"alertname\": \"Half".getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    try {
                        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + AlertmanagerDirect.AM_PORT + ex.getRequestURI())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                        status = r.statusCode();
                        body = r.body();
                    } catch (InterruptedException e) {
                        throw new java.io.IOException(e);
                    }
                }
            }
            ex.getResponseHeaders().add("Content-Type", type);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        proxy.start();
        int port = proxy.getAddress().getPort();
        // Alertmanager as seen from the server: the proxy (the reference host's sshd runs on this machine)
        String yaml = Files.readString(config()).replace("http://127.0.0.1:" + AlertmanagerDirect.AM_PORT + "/",
                "http://127.0.0.1:" + port + "/");
        Path config = tmp.resolve("proxied.yaml");
        Files.writeString(config, yaml);
        Environment env = EnvironmentsFile.load(config).require("ref");
        assertEquals(port, env.alertmanager().port());
        // a synthetic alert, so the feed has something to keep
        Map<String, String> labels = Map.of("alertname", "DutydeskProxyIT", "run", UUID.randomUUID().toString(), "severity", "info");
        AlertmanagerDirect.post(labels, Map.of("summary", "kept while Alertmanager fails"), Instant.now().plusSeconds(180));
        try (Console c = console(env, tmp.resolve("audit.jsonl"))) {
            // the feed is set a hop before its rows are grouped: wait for both (the row count was read between them once)
            Eventually.await("the proxied feed and its rows", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null
                    && c.vm().feedProperty().get().alerts().stream().anyMatch(a -> a.labels().equals(new java.util.TreeMap<>(labels)))
                    && !c.vm().rows().isEmpty());
            mode.set("500");
            c.vm().refresh();
            Eventually.await(() -> " a 500 shown: " + c.vm().problemProperty().get(), Duration.ofSeconds(60),
                    () -> c.vm().problemProperty().get() != null && c.vm().problemProperty().get().contains("HTTP 500"));
            String p = c.vm().problemProperty().get();
            assertTrue(p.startsWith("Alertmanager: down; last answer at "), p);
            assertTrue(p.contains("internal error: the proxy says boom"), p);
            assertTrue(c.vm().staleProperty().get());
            assertTrue(!c.vm().rows().isEmpty() && c.vm().feedProperty().get().alerts().stream()
                    .anyMatch(a -> a.labels().equals(new java.util.TreeMap<>(labels))), "the last good feed stays");
            mode.set("forward");
            c.vm().refresh();
            Eventually.await("recovers", Duration.ofSeconds(90), () -> c.vm().problemProperty().get() == null);
            mode.set("garbage");
            c.vm().refresh();
            Eventually.await(() -> " garbage shown: " + c.vm().problemProperty().get(), Duration.ofSeconds(90),
                    () -> c.vm().problemProperty().get() != null && c.vm().problemProperty().get().contains("malformed"));
            assertTrue(c.vm().staleProperty().get());
            assertTrue(!c.vm().rows().isEmpty() && c.vm().feedProperty().get().alerts().stream()
                    .anyMatch(a -> a.labels().equals(new java.util.TreeMap<>(labels))), "garbage never empties the feed");
        }
        // the CLI says so too, with exit 1
        mode.set("500");
        RefHost.Result r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), Map.of("DUTYDESK_STORE", tmp.resolve("cli.db").toString()),
                "alerts", "--env", "ref", "--config", config.toString());
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("HTTP 500") && r.stderr().contains("the proxy says boom"), r.stderr());
        proxy.stop(0);
    }

    @Test
    @Order(4)
    void cliListsSilencesAndUnsilencesWithJson() throws Exception {
        String run = UUID.randomUUID().toString();
        Map<String, String> labels = Map.of("alertname", "DutydeskCliIT", "run", run, "severity", "warning");
        AlertmanagerDirect.post(labels, Map.of("summary", "posted by AlertsIT"), Instant.now().plusSeconds(180));
        Map<String, String> env = Map.of("DUTYDESK_STORE", tmp.resolve("cli.db").toString(),
                "DUTYDESK_AUDIT_LOG", tmp.resolve("cli-audit.jsonl").toString());
        String cfg = config().toString();
        ObjectMapper json = new ObjectMapper();
        RefHost.Result r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), env, "alerts", "--env", "ref", "--config", cfg,
                "--json", "--filter", "run=\"" + run + "\"");
        assertEquals(1, r.exitCode(), "an active alert: exit 1\n" + r.stdout() + r.stderr());
        JsonNode a = json.readTree(r.stdout()).get("alerts").get(0);
        assertEquals("DutydeskCliIT", a.get("alertname").asText());
        assertEquals("warning", a.get("severity").asText());
        assertEquals("active", a.get("state").asText());
        assertEquals(run, a.get("labels").get("run").asText());
        assertEquals("posted by AlertsIT", a.get("annotations").get("summary").asText());
        assertNotNull(a.get("startsAt").asText());
        assertEquals(0, a.get("silencedBy").size());

        r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), env, "silence", "--env", "ref", "--config", cfg,
                "--match", "alertname=DutydeskCliIT", "--match", "run=" + run, "--duration", "5m", "--comment", "AlertsIT cli");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String id = r.stdout().strip();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), env, "alerts", "--env", "ref", "--config", cfg, "--json",
                "--filter", "run=\"" + run + "\"");
        assertEquals(0, r.exitCode(), "only suppressed: exit 0\n" + r.stdout() + r.stderr());
        a = json.readTree(r.stdout()).get("alerts").get(0);
        assertEquals("suppressed", a.get("state").asText());
        assertEquals(id, a.get("silencedBy").get(0).asText());

        r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), env, "unsilence", "--env", "ref", "--config", cfg, id);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), env, "alerts", "--env", "ref", "--config", cfg, "--since", "1h", "--json");
        JsonNode ts = json.readTree(r.stdout()).get("transitions");
        List<String> mine = new java.util.ArrayList<>();
        ts.forEach(t -> {
            if (t.get("alertname").asText().equals("DutydeskCliIT") && t.path("labels").path("run").asText().equals(run)) {
                mine.add(t.get("event").asText() + "/" + t.get("source").asText());
            }
        });
        assertEquals(List.of("firing/console", "silenced/console", "unsilenced/console"), mine);
        // Alertmanager's refusal in its words (Go's regexp has no lookahead)
        r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(), env, "silence", "--env", "ref", "--config", cfg,
                "--match", "run=~\"(?=x)" + run + "\"", "--duration", "5m", "--comment", "refused");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("invalid or unsupported Perl syntax"), r.stderr());
        r = RefHost.dutydesk(Duration.ofSeconds(30), List.of(), env, "silence", "--env", "ref", "--config", cfg,
                "--match", "run=" + run, "--duration", "5m");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("--comment"), r.stderr());
        List<AuditEntry> audit = new JsonlAuditLog(tmp.resolve("cli-audit.jsonl")).recent(10).join();
        assertEquals(List.of("silence/succeeded", "unsilence/succeeded", "silence/refused"),
                audit.stream().map(e -> e.action() + "/" + e.result()).toList());
    }

    /** Events of this alert (by its labels, whatever fingerprint they were recorded under) since {@code t}, oldest first. */
    List<String> recorded(SqliteStore s, String service, String slot, Instant t) {
        return new SqliteAlertHistory(s).since("ref", t).join().stream()
                .filter(x -> x.alertname().equals("ServiceDown") && service.equals(x.labels().get("service"))
                        && slot.equals(x.labels().get("slot")))
                .map(x -> x.event() + (x.reconstructed() ? "/reconstructed" : "") + "@" + x.fingerprint()).toList();
    }

    /**
     * Waits until the console compared a feed with the history after now (its catch-up of earlier tests' incidents is
     * done, and what it judged of them is recorded), then returns the time: transitions after it are this test's.
     */
    Instant settled(SqliteStore s) {
        Instant now = Instant.now();
        Eventually.await("the history compared after the catch-up", Duration.ofSeconds(60),
                () -> new SqliteAlertHistory(s).lastPoll("ref").join().filter(t -> t.isAfter(now)).isPresent());
        return Instant.now();
    }

    static List<String> eventsOnly(List<String> recorded) {
        return recorded.stream().map(x -> x.substring(0, x.indexOf('@'))).toList();
    }

    /**
     * Prometheus stops while ServiceDown fires: the pane says no alert can fire; the alert is unknown with the reason,
     * and when Alertmanager times it out it is still shown unknown and never recorded resolved. Prometheus back and the
     * service still unhealthy: it fires again (pending first: still not resolved), known again as the same incident (its
     * start kept, not notified again); healed, it resolves.
     */
    @Test
    @Order(5)
    void prometheusStoppedWhileAnAlertFiresItIsUnknownNeverResolvedAndReconciledWhenBack() throws Exception {
        String[] v = victim();
        Path flag = flag(v[0]);
        Map<String, String> labels = Map.of("alertname", "ServiceDown", "service", v[1], "slot", v[2]);
        try (Console c = console(env(), tmp.resolve("audit.jsonl"))) {
            Eventually.await("first feed", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null);
            Eventually.await("no ServiceDown for " + v[0] + " before", FIRE,
                    () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
            Instant broken = settled(store);
            Files.createDirectories(flag.getParent());
            Files.writeString(flag, "");
            try {
                Eventually.await("ServiceDown in the console", FIRE, () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2])
                        .filter(a -> a.state().equals("active")).isPresent());
                Alert a = serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow();
                assertEquals("refhost", a.labels().get("cluster"), "the reference host's Prometheus has external labels");
                assertNull(c.vm().cannotFireProperty().get());
                // the real Prometheus tells answered scrapes (its health target answers) and reports its rules' last run
                assertNull(c.vm().sourceNoteProperty().get());
                Instant stopped;
                try {
                    RefHost.stop("prometheus");
                    stopped = Instant.now();
                    Eventually.await(() -> " the pane says no alert can fire: " + c.vm().cannotFireProperty().get(),
                            Duration.ofSeconds(30), () -> c.vm().cannotFireProperty().get() != null);
                    String says = c.vm().cannotFireProperty().get();
                    assertTrue(says.startsWith("No alert can fire or resolve: Prometheus down"), says);
                    System.out.printf("AlertsIT: 'no alert can fire' shown %.1f s after Prometheus stopped%n",
                            Duration.between(stopped, Instant.now()).toMillis() / 1000.0);
                    Eventually.await("the alert unknown, with the reason", Duration.ofSeconds(30),
                            () -> onUi(() -> c.vm().unverified(a)).filter(u -> u.reason().contains("Prometheus down")).isPresent());
                    // Alertmanager times it out (Prometheus resends no more)
                    Eventually.await("Alertmanager dropped it", Duration.ofSeconds(90), () -> AlertmanagerDirect.find(labels) == null);
                    Instant dropped = Instant.now();
                    System.out.printf("AlertsIT: Alertmanager dropped ServiceDown %.1f s after Prometheus stopped%n",
                            Duration.between(stopped, dropped).toMillis() / 1000.0);
                    Eventually.await("the console read the feed without it", Duration.ofSeconds(30),
                            () -> c.vm().feedProperty().get().takenAt().isAfter(dropped.plusSeconds(1)));
                    Alert shown = serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow(
                            () -> new AssertionError("vanished from the feed: " + c.vm().feedProperty().get()));
                    assertEquals("unknown", shown.state());
                    assertEquals(a.fingerprint(), shown.fingerprint());
                    assertTrue(onUi(() -> c.vm().unverified(shown)).orElseThrow().reason().contains("Prometheus down"));
                    assertTrue(c.vm().cannotFireProperty().get().startsWith("No alert can fire"));
                    List<String> during = eventsOnly(recorded(store, v[1], v[2], broken));
                    assertEquals(List.of("firing", "unknown"), during, "not recorded resolved");
                    // the CLI on the same store says so too: unknown, with the reason, exit 1
                    RefHost.Result r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(),
                            Map.of("DUTYDESK_STORE", tmp.resolve("dutydesk.db").toString(),
                                    "DUTYDESK_AUDIT_LOG", tmp.resolve("cli.jsonl").toString()),
                            "alerts", "--env", "ref", "--config", config().toString(), "--json");
                    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
                    assertTrue(r.stderr().contains("No alert can fire or resolve: Prometheus down"), r.stderr());
                    JsonNode root = new ObjectMapper().readTree(r.stdout());
                    assertEquals(false, root.get("source").get("canFire").asBoolean());
                    JsonNode mine = null;
                    for (JsonNode x : root.get("alerts")) {
                        if (x.get("fingerprint").asText().equals(a.fingerprint())) {
                            mine = x;
                        }
                    }
                    assertNotNull(mine, r.stdout());
                    assertEquals("unknown", mine.get("state").asText());
                    assertTrue(mine.get("unknownReason").asText().contains("Prometheus down"), mine.toString());
                    assertEquals(List.of("firing", "unknown"), eventsOnly(recorded(store, v[1], v[2], broken)),
                            "the CLI did not record it resolved either");
                } finally {
                    RefHost.start("prometheus");
                }
                // back, the service still unhealthy: Prometheus evaluates it again (pending, then firing): known again
                Eventually.await("firing again, known", FIRE, () -> c.vm().cannotFireProperty().get() == null
                        && serviceDown(c.vm().feedProperty().get(), v[1], v[2]).filter(x -> x.state().equals("active")
                        && onUi(() -> c.vm().unverified(x)).isEmpty()).isPresent());
                assertEquals(a.startsAt(), serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow().startsAt(),
                        "one incident: its first start");
                assertEquals(1, notices.stream().filter(n -> n.key().endsWith(a.fingerprint())).count(), "not notified again: " + notices);
                Files.deleteIfExists(flag);
                Eventually.await("resolved", FIRE, () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
                List<String> all = recorded(store, v[1], v[2], broken);
                // known again: the same incident, never a second firing
                assertEquals(List.of("firing", "unknown", "known", "resolved"), eventsOnly(all), all.toString());
                assertTrue(all.stream().allMatch(x -> x.endsWith("@" + a.fingerprint())), "one alert: " + all);
            } finally {
                Files.deleteIfExists(flag);
            }
        }
    }

    /**
     * The CLI records the firing first, then two windows open on the same store file (two processes): each notifies
     * exactly once.
     */
    @Test
    @Order(6)
    void twoWindowsAndTheCliOnOneAlertEachWindowNotifiesOnce() throws Exception {
        String[] v = victim();
        Path flag = flag(v[0]);
        Map<String, String> labels = Map.of("alertname", "ServiceDown", "service", v[1], "slot", v[2]);
        Eventually.await("no ServiceDown for " + v[0] + " before", FIRE, () -> AlertmanagerDirect.find(labels) == null);
        Files.createDirectories(flag.getParent());
        Files.writeString(flag, "");
        try {
            AtomicReference<String> fp = new AtomicReference<>();
            Eventually.await("Alertmanager has it", FIRE, () -> {
                JsonNode a = AlertmanagerDirect.find(labels);
                if (a != null && a.path("status").path("state").asText().equals("active")) {
                    fp.set(a.get("fingerprint").asText());
                }
                return fp.get() != null;
            });
            RefHost.Result r = RefHost.dutydesk(Duration.ofSeconds(90), List.of(),
                    Map.of("DUTYDESK_STORE", tmp.resolve("dutydesk.db").toString(), "DUTYDESK_AUDIT_LOG", tmp.resolve("cli.jsonl").toString()),
                    "alerts", "--env", "ref", "--config", config().toString());
            assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
            assertTrue(new SqliteAlertHistory(store).open("ref").join().containsKey(fp.get()), "the CLI recorded it first");
            List<Notifier.Notice> first = new CopyOnWriteArrayList<>();
            List<Notifier.Notice> second = new CopyOnWriteArrayList<>();
            SqliteStore other = SqliteStore.open(tmp.resolve("dutydesk.db"));
            try (Console a = console(env(), tmp.resolve("audit.jsonl"), store, first);
                 Console b = console(env(), tmp.resolve("audit.jsonl"), other, second)) {
                for (Console c : List.of(a, b)) {
                    Eventually.await("the window shows it", Duration.ofSeconds(60),
                            () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isPresent());
                }
                Instant shown = Instant.now();
                Instant threeMore = shown.plus(POLL.multipliedBy(3));
                Eventually.await("three more polls in each", Duration.ofSeconds(60), () -> a.vm().feedProperty().get().takenAt()
                        .isAfter(threeMore) && b.vm().feedProperty().get().takenAt().isAfter(threeMore));
                assertEquals(1, first.stream().filter(n -> n.key().endsWith(fp.get())).count(), "the first window: " + first);
                assertEquals(1, second.stream().filter(n -> n.key().endsWith(fp.get())).count(), "the second window: " + second);
                assertTrue(first.stream().filter(n -> n.key().endsWith(fp.get())).allMatch(n -> n.level() == Notifier.Level.CRITICAL));
            } finally {
                other.close();
            }
        } finally {
            Files.deleteIfExists(flag);
        }
        Eventually.await("resolved in Alertmanager", FIRE, () -> AlertmanagerDirect.find(labels) == null);
    }

    /**
     * Alertmanager restarts while ServiceDown fires, and Prometheus cannot send it the alert for a while (its delivery
     * stopped: what a restart looks like until Prometheus resends): Alertmanager has no alerts, but Prometheus still fires
     * it, so the console shows it firing, says Alertmanager lacks it, and never records it resolved. Sent again, it is the
     * same incident (no new transition, its start kept, not notified again); healed, it resolves.
     */
    @Test
    @Order(8)
    void alertmanagerRestartedWhileAnAlertFiresItIsNotRecordedResolved() throws Exception {
        String[] v = victim();
        Path flag = flag(v[0]);
        Map<String, String> labels = Map.of("alertname", "ServiceDown", "service", v[1], "slot", v[2]);
        try (Console c = console(env(), tmp.resolve("audit.jsonl"))) {
            Eventually.await("first feed", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null);
            Eventually.await("no ServiceDown for " + v[0] + " before", FIRE,
                    () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
            Instant broken = settled(store);
            Files.createDirectories(flag.getParent());
            Files.writeString(flag, "");
            try {
                Eventually.await("ServiceDown in the console", FIRE, () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2])
                        .filter(a -> a.state().equals("active")).isPresent());
                Alert a = serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow();
                Eventually.await("notified", Duration.ofSeconds(10), () -> notices.stream().anyMatch(n -> n.key().endsWith(a.fingerprint())));
                try {
                    RefHost.stop("alert-delivery");
                    RefHost.stop("alertmanager");
                    RefHost.start("alertmanager");
                    Instant up = Instant.now();
                    c.vm().recovered(io.dutydesk.core.Backend.ALERTMANAGER); // as the window's health probe says: read now

                    assertNull(AlertmanagerDirect.find(labels), "a restarted Alertmanager has no alerts");
                    Eventually.await(() -> " the pane says Alertmanager lacks it: " + c.vm().sourceNoteProperty().get(),
                            Duration.ofSeconds(30), () -> c.vm().feedProperty().get().takenAt().isAfter(up)
                                    && c.vm().sourceNoteProperty().get() != null
                                    && c.vm().sourceNoteProperty().get().matches("(?s).*Alertmanager does not have \\d+ alerts? Prometheus "
                                    + "still fires.*ServiceDown \\(.*"));
                    String note = c.vm().sourceNoteProperty().get();
                    assertTrue(note.matches("(?s).*Alertmanager (restarted at|\\(up since) \\d\\d:\\d\\d:\\d\\d.*"),
                            "its start read from its status: " + note);
                    Alert shown = serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow(
                            () -> new AssertionError("vanished from the pane: " + c.vm().feedProperty().get()));
                    assertEquals("active", shown.state());
                    assertTrue(onUi(() -> c.vm().unverified(shown)).isEmpty(), "Prometheus fires it: not unknown");
                    Instant threeMore = Instant.now().plus(POLL.multipliedBy(3));
                    Eventually.await("three more polls", Duration.ofSeconds(30), () -> c.vm().feedProperty().get().takenAt().isAfter(threeMore));
                    assertNull(AlertmanagerDirect.find(labels), "Alertmanager still lacks it");
                    assertEquals(List.of("firing"), eventsOnly(recorded(store, v[1], v[2], broken)), "never recorded resolved");
                } finally {
                    RefHost.start("alert-delivery");
                }
                Eventually.await("Alertmanager has it again", FIRE, () -> AlertmanagerDirect.find(labels) != null);
                Eventually.await("the pane no longer says it lacks it", Duration.ofSeconds(30), () -> (c.vm().sourceNoteProperty().get() == null
                        || !c.vm().sourceNoteProperty().get().contains("Prometheus still fires"))
                        && serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isPresent());
                assertEquals(a.startsAt(), serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow().startsAt());
                assertEquals(List.of("firing"), eventsOnly(recorded(store, v[1], v[2], broken)));
                assertEquals(1, notices.stream().filter(n -> n.key().endsWith(a.fingerprint())).count(), "not notified again: " + notices);
                Files.deleteIfExists(flag);
                Eventually.await("resolved", FIRE, () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
                List<String> all = recorded(store, v[1], v[2], broken);
                assertEquals(List.of("firing@" + a.fingerprint(), "resolved@" + a.fingerprint()), all);
            } finally {
                Files.deleteIfExists(flag);
            }
        }
    }

    /**
     * With Prometheus's external labels (cluster="refhost" on the reference host), one alert is one history entry: seen
     * live, still firing across a closed console (the backfill from ALERTS series, which lack the external labels, finds
     * the same alert), then resolved.
     */
    @Test
    @Order(7)
    void withExternalLabelsOneAlertIsOneHistoryEntryAcrossTheBackfill() throws Exception {
        String[] v = victim();
        Path flag = flag(v[0]);
        Environment env = env();
        Path audit = tmp.resolve("audit.jsonl");
        Instant broken;
        String fp;
        try {
            try (Console c = console(env, audit)) {
                Eventually.await("first feed", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null);
                Eventually.await("no ServiceDown for " + v[0] + " before", FIRE,
                        () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
                broken = settled(store);
                Files.createDirectories(flag.getParent());
                Files.writeString(flag, "");
                Eventually.await("ServiceDown in the console", FIRE, () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2])
                        .filter(a -> a.state().equals("active")).isPresent());
                Alert a = serviceDown(c.vm().feedProperty().get(), v[1], v[2]).orElseThrow();
                assertEquals("refhost", a.labels().get("cluster"));
                fp = a.fingerprint();
                Instant b = broken;
                Eventually.await("recorded", Duration.ofSeconds(30), () -> !recorded(store, v[1], v[2], b).isEmpty());
            } // the console closes; the alert keeps firing
            Instant closed = Instant.now();
            Instant threePolls = closed.plus(POLL.multipliedBy(3)).plusSeconds(1);
            Eventually.await("closed for more than three polls", Duration.ofSeconds(30), () -> Instant.now().isAfter(threePolls));
            try (Console c = console(env, audit)) {
                Eventually.await("first feed", Duration.ofSeconds(60), () -> c.vm().feedProperty().get() != null
                        && c.vm().historyProblemProperty().get() == null);
                Eventually.await("the history compared again", Duration.ofSeconds(30),
                        () -> new SqliteAlertHistory(store).lastPoll("ref").join().orElseThrow().isAfter(threePolls));
                List<String> mine = recorded(store, v[1], v[2], broken);
                Instant b = broken;
                assertEquals(List.of("firing@" + fp), mine, () -> "one alert, one entry, the backfill included; broken " + b
                        + ", closed " + closed + ", history: " + new SqliteAlertHistory(store).since("ref", b.minusSeconds(600)).join()
                        .stream().map(t -> t.at() + " " + t.event() + " " + t.source() + " " + t.fingerprint() + " " + t.labels()).toList());
                Files.deleteIfExists(flag);
                Eventually.await("resolved", FIRE, () -> serviceDown(c.vm().feedProperty().get(), v[1], v[2]).isEmpty());
            }
            List<String> mine = recorded(store, v[1], v[2], broken);
            assertEquals(List.of("firing@" + fp, "resolved@" + fp), mine);
        } finally {
            Files.deleteIfExists(flag);
        }
    }
}
