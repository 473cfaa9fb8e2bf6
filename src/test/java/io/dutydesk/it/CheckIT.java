package io.dutydesk.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dutydesk.app.Connector;
import io.dutydesk.app.LocalStore;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckService;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.Eventually;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.Overnight;
import io.dutydesk.testing.RefHost;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The morning checklist against the reference host: every check passes on a healthy host (the CLI as a user runs it, with
 * its JSON, its HTML report and the push to the host's real Pushgateway, read back from the Pushgateway); then the idle
 * slot made unhealthy (its ServiceDown alert fires), 150 pending events, the newest backup aged past the RPO, error lines in
 * the live slot, a small volume filled and the AI cost out of its bounds: each check turns to its state with its evidence;
 * Prometheus stopped: the PromQL checks are UNKNOWN and the others still run. Everything is put back in a finally.
 */
class CheckIT {
    static final Duration T = Duration.ofSeconds(180);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PUSHGATEWAY = "http://127.0.0.1:24091";
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);

    @TempDir
    Path tmp;

    Path itBackups;
    String backupName;

    static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** GET on the host's loopback (the test's own look at Prometheus and the Pushgateway, not the console's). */
    static String get(String url) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    static String curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-fsS", "-m", "10"));
        cmd.addAll(List.of(args));
        return RefHost.run(Duration.ofSeconds(20), cmd.toArray(String[]::new));
    }

    /** The AI router's daily cost as the team's job pushes it: Prometheus scrapes the Pushgateway (honor_labels). */
    static void aiCost(double dollars) {
        Path body;
        try {
            body = Files.createTempFile("ai-cost", ".txt");
            Files.writeString(body, "# TYPE ai_router_cost_dollars_per_day gauge\nai_router_cost_dollars_per_day " + dollars + "\n");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        curl("--data-binary", "@" + body, PUSHGATEWAY + "/metrics/job/ai_router");
        Eventually.await("Prometheus has scraped the AI cost " + dollars, Duration.ofSeconds(60), () -> get(
                "http://127.0.0.1:24090/api/v1/query?query=ai_router_cost_dollars_per_day").contains("\"" + trim(dollars) + "\""));
    }

    static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** A backup folder of the test's own with a copy of the newest seeded full backup, stamped {@code age} ago. */
    void itBackups(Duration age) throws Exception {
        Path seeded;
        try (Stream<Path> s = Files.list(RefHost.serverHome().resolve("backups"))) {
            seeded = s.filter(p -> p.getFileName().toString().matches("selfology_full_\\d{8}_\\d{6}\\.sql\\.gz"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow(() -> new AssertionError("no seeded full backup"));
        }
        itBackups = RefHost.serverHome().resolve("check-it-backups");
        Files.createDirectories(itBackups);
        String name = "selfology_full_" + STAMP.format(Instant.now().minus(age)) + ".sql.gz";
        if (backupName == null) {
            Files.copy(seeded, itBackups.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.move(itBackups.resolve(backupName), itBackups.resolve(name));
        }
        backupName = name;
        RefHost.run(Duration.ofSeconds(10), "chown", "-R", "dutydesk-deploy", itBackups.toString());
    }

    /**
     * The reference host's file with the test's checklist: every kind, a custom PromQL check (the AI cost between 10 and
     * 20 $ a day), the test's own backup folder and the small volume; "overnight" since the test's start.
     */
    Path config(Overnight overnight) throws Exception {
        String text = Files.readString(RefHost.config());
        String desc = "    description: Local reference host (Selfology runbook replica)\n";
        assertTrue(text.contains(desc));
        String folders = "      folders: [ " + RefHost.serverHome().resolve("backups") + " ]";
        assertTrue(text.contains(folders), text);
        text = text.replace(folders, "      folders: [ " + itBackups + " ]");
        // the seeded pending events are never published: by age alone the outbox reads critical once the host's state is
        // older than 30 min (OutboxIT has the same); the count is what this test moves
        text = text.replace(desc, desc + "    poll: { timeoutSeconds: 20 }\n"
                + "    thresholds: { outboxOldestWarnSeconds: 900000000, outboxOldestCriticalSeconds: 900000000 }\n"
                + "    checks:\n"
                + "      slots:\n"
                + "      outbox:\n"
                + "      alerts:\n"
                + "      backups:\n"
                + "      error-rate: { kind: prometheus, title: Error rate < 1 %, query: '" + Environment.Check.ERROR_RATE.replace("'", "''")
                + "', max: 0.01, percent: true }\n"
                + "      ai-cost: { kind: prometheus, title: AI cost per day, query: 'max(ai_router_cost_dollars_per_day)', min: 10, max: 20,"
                + " unit: '$/day', outside: fail }\n"
                + "      logs:\n"
                + "      disk: { paths: { backups: " + RefHost.serverHome().resolve("backups-small") + ", database: " + RefHost.dir().resolve("pg")
                + " }, warnFreePercent: 10, failFreePercent: 5 }\n"
                + "    " + overnight.schedule() + "\n");
        Path f = tmp.resolve("check-environments.yaml");
        Files.writeString(f, text);
        return f;
    }

    static Map<String, CheckResult> byId(CheckRun r) {
        Map<String, CheckResult> m = new LinkedHashMap<>();
        r.checks().forEach(c -> m.put(c.id(), c));
        return m;
    }

    static String show(CheckRun r) {
        StringBuilder b = new StringBuilder();
        r.checks().forEach(c -> b.append("\n  ").append(c.status()).append(' ').append(c.id()).append(": ").append(c.evidence()));
        return b.toString();
    }

    static String psql(String sql) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-qtA", "-h", "127.0.0.1", "-p", "24432", "-U", "selfology", "-d", "selfology",
                "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", Files.readString(RefHost.serverHome().resolve("secrets/pg_password")).strip());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void healthyThenEachCheckTurnsToItsStateThenPrometheusStopped() throws Exception {
        Overnight overnight = Overnight.afterQuiet();
        Path fill = RefHost.serverHome().resolve("backups-small/check-it-fill");
        Path unhealthy = null;
        boolean prometheusStopped = false;
        try {
            itBackups(Duration.ofHours(2));
            aiCost(14.2);
            Path config = config(overnight);

            // ---- a healthy host, as a user runs it: JSON, the HTML report, the push
            Path report = tmp.resolve("morning.html");
            Path store = tmp.resolve("cli-store.db");
            RefHost.Result r = RefHost.dutydesk(T, List.of(), Map.of("DUTYDESK_STORE", store.toString()), "check", "--env", "ref",
                    "--json", "--report", report.toString(), "--push", PUSHGATEWAY, "--config", config.toString());
            JsonNode j = JSON.readTree(r.stdout());
            List<String> notPassing = new ArrayList<>();
            j.get("checks").forEach(c -> {
                if (!c.get("status").asText().equals("pass")) {
                    notPassing.add(c.get("id").asText() + " " + c.get("status").asText() + ": " + c.get("evidence").asText());
                }
            });
            assertEquals(List.of(), notPassing, "a healthy host passes every check\n" + r.stderr());
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals(List.of("slots", "outbox", "alerts", "backups", "error-rate", "ai-cost", "logs", "disk"),
                    ids(j.get("checks")));
            Map<String, String> ev = new LinkedHashMap<>();
            j.get("checks").forEach(c -> ev.put(c.get("id").asText(), c.get("evidence").asText()));
            assertTrue(ev.get("slots").matches("live (blue|green) 4/4 healthy; rollback ready \\((blue|green) 4/4 healthy\\)"), ev.get("slots"));
            assertTrue(ev.get("outbox").matches("pending \\d+ < 100, oldest .*"), ev.get("outbox"));
            assertEquals("no alert fired since " + overnight.hhmm() + ", none firing", ev.get("alerts"));
            assertTrue(ev.get("backups").matches("RPO met: full backup " + Pattern.quote(backupName) + " verified, 2\\.[01] h old \\(RPO 26 h\\)"),
                    ev.get("backups"));
            assertTrue(ev.get("error-rate").matches("0 % < 1 %"), ev.get("error-rate"));
            assertEquals("14.2 $/day within 10 $/day … 20 $/day", ev.get("ai-cost"));
            assertTrue(ev.get("logs").startsWith("no error line in "), ev.get("logs"));
            assertTrue(ev.get("disk").startsWith("backups "), ev.get("disk"));
            // the report, read by a browser's parser
            Document d = Jsoup.parse(Files.readString(report));
            assertEquals("Morning check: ref — PASS", d.selectFirst("h1").text());
            assertEquals(ids(j.get("checks")), d.select("details.passing tr.check").eachAttr("data-id"), "all passed: all folded");
            // and by an XML parser (the page is XHTML): every check's evidence, as the JSON has it, is its text (a '<' escaped)
            Map<String, String> jsonEvidence = new LinkedHashMap<>();
            j.get("checks").forEach(c -> jsonEvidence.put(c.get("id").asText(), c.get("evidence").asText()));
            assertEquals(jsonEvidence, xhtmlEvidence(Files.readString(report)));
            assertTrue(jsonEvidence.get("error-rate").contains("<"), "an evidence with a '<' in it: " + jsonEvidence);
            // the push, read back from the Pushgateway itself
            String metrics = get(PUSHGATEWAY + "/metrics");
            for (String id : ids(j.get("checks"))) {
                Matcher m = Pattern.compile("(?m)^dutydesk_check_status\\{([^}]*)\\} (\\S+)$").matcher(metrics);
                boolean found = false;
                while (m.find()) {
                    if (m.group(1).contains("check=\"" + id + "\"") && m.group(1).contains("env=\"ref\"")
                            && m.group(1).contains("job=\"dutydesk_check\"")) {
                        assertEquals(0.0, Double.parseDouble(m.group(2)), id);
                        found = true;
                    }
                }
                assertTrue(found, "dutydesk_check_status{env=\"ref\",check=\"" + id + "\"} in the Pushgateway:\n" + metrics);
            }

            // ---- in process, on the same store: break each thing, one run shows each state
            Environment env = EnvironmentsFile.load(config).require("ref");
            try (LocalStore local = LocalStore.open(store);
                 EnvironmentHandle h = new Connector(new io.dutydesk.adapters.keyring.SecretToolKeyring(), local)
                         .open(env, HostKeyPrompt.REFUSE, SecretPrompt.NONE)) {
                CheckService service = CheckService.of(h, local.alertHistory(), local.checkHistory(), MemoryAuditLog.create(), "check-it",
                        Clock.systemUTC(), java.util.concurrent.ForkJoinPool.commonPool());
                CheckRun before = service.run().join();
                assertEquals(CheckStatus.PASS, before.worst(), show(before));
                String live = RefHost.nginx("/live-upstream").strip();
                String idle = live.equals("blue") ? "green" : "blue";

                unhealthy = RefHost.serverHome().resolve("ctl/selfology-analysis-worker-" + idle + "/unhealthy");
                Files.createDirectories(unhealthy.getParent());
                Files.writeString(unhealthy, "");
                psql("INSERT INTO selfology.event_outbox (event_type, payload, status) SELECT 'check.it', '{}'::jsonb, 'pending'"
                        + " FROM generate_series(1, 150)");
                itBackups(Duration.ofHours(30));
                for (int i = 1; i <= 3; i++) {
                    RefHost.run(Duration.ofSeconds(30), RefHost.script().toString(), "log-line", "question-selection",
                            "ERROR payment webhook failed #" + i + (i == 3 ? HOSTILE : ""));
                }
                long free = Files.getFileStore(fill.getParent()).getUsableSpace();
                Files.write(fill, new byte[(int) Math.max(0, free - 4096)]);
                aiCost(23.5);

                CheckRun[] last = {null};
                Eventually.await(() -> "every check in its state:" + (last[0] == null ? "" : show(last[0])), T, () -> {
                    last[0] = service.run(false).join();
                    Map<String, CheckResult> m = byId(last[0]);
                    return m.get("slots").status() == CheckStatus.WARN && m.get("alerts").status() == CheckStatus.FAIL;
                });
                CheckRun broken = service.run().join();
                Map<String, CheckResult> m = byId(broken);
                assertEquals(CheckStatus.WARN, m.get("slots").status(), show(broken));
                assertEquals("live " + live + " 4/4 healthy; rollback not ready: selfology-analysis-worker-" + idle + ": unhealthy",
                        m.get("slots").evidence());
                assertEquals(CheckStatus.WARN, m.get("outbox").status());
                assertTrue(m.get("outbox").evidence().matches("pending 15\\d ≥ 100, oldest .*"), m.get("outbox").evidence());
                assertEquals(CheckStatus.FAIL, m.get("alerts").status());
                assertTrue(m.get("alerts").evidence().contains("ServiceDown firing since "), m.get("alerts").evidence());
                assertEquals(CheckStatus.FAIL, m.get("backups").status());
                assertTrue(m.get("backups").evidence().matches("RPO not met: newest full backup " + Pattern.quote(backupName)
                        + " is 30\\.[01] h old: older than the RPO of 26 h"), m.get("backups").evidence());
                assertEquals(CheckStatus.PASS, m.get("error-rate").status(), m.get("error-rate").evidence());
                assertEquals(CheckStatus.FAIL, m.get("ai-cost").status());
                assertEquals("23.5 $/day ≥ 20 $/day", m.get("ai-cost").evidence());
                assertEquals(CheckStatus.WARN, m.get("logs").status());
                assertTrue(m.get("logs").evidence().startsWith("3 error lines in " + live + " since "), m.get("logs").evidence());
                assertTrue(m.get("logs").evidence().contains("(selfology-question-selection-" + live + " 3); newest: selfology-question-selection-"
                        + live + ": "), m.get("logs").evidence());
                assertTrue(m.get("logs").evidence().endsWith("ERROR payment webhook failed #3" + HOSTILE), m.get("logs").evidence());
                assertEquals(CheckStatus.FAIL, m.get("disk").status());
                assertTrue(m.get("disk").evidence().startsWith("backups 0 % free < 5 %"), m.get("disk").evidence());
                List<String> changed = broken.changed().stream().map(CheckResult::id).toList();
                assertEquals(List.of("slots", "outbox", "alerts", "backups", "ai-cost", "logs", "disk"), changed,
                        "compared with the healthy run before");

                // the report of that run: the server's line with markup in it is text in the page, never markup
                String html = io.dutydesk.core.check.CheckReport.html(List.of(broken), ZoneOffset.UTC);
                assertTrue(!html.contains("<script>") && html.contains("&lt;script&gt;"), "escaped");
                Map<String, String> shown = xhtmlEvidence(html);
                for (CheckResult c : broken.checks()) {
                    assertEquals(c.evidence(), shown.get(c.id()), c.id());
                }
                // the push of each state, read back from the Pushgateway: 0 pass, 1 warn, 2 fail
                h.checkPush(java.net.URI.create(PUSHGATEWAY)).push(broken).join();
                assertEquals(Map.of("slots", 1.0, "outbox", 1.0, "alerts", 2.0, "backups", 2.0, "error-rate", 0.0, "ai-cost", 2.0,
                        "logs", 1.0, "disk", 2.0), pushed("ref"));

                // ---- Prometheus stopped: the PromQL checks cannot tell, the others still run. The worker is healed and its
                // ServiceDown resolved first: Prometheus writes no staleness marker when it stops, so an alert firing at the
                // stop that is not active again in its first evaluations after the start lingers in ALERTS for the
                // lookback (5 min), as if still firing, for whatever runs next (the next test's wait for a quiet host)
                Files.deleteIfExists(unhealthy);
                Eventually.await(() -> "ServiceDown resolved in Prometheus: " + get("http://127.0.0.1:24090/api/v1/query?query=ALERTS"),
                        T, () -> get("http://127.0.0.1:24090/api/v1/query?query=ALERTS").contains("\"result\":[]"));
                RefHost.stop("prometheus");
                prometheusStopped = true;
                Files.writeString(unhealthy, ""); // unhealthy again while no Prometheus can fire for it
                CheckRun[] downRun = {null};
                Eventually.await(() -> "the idle worker unhealthy again: " + (downRun[0] == null ? "" : show(downRun[0])), T, () -> {
                    downRun[0] = service.run(false).join();
                    return byId(downRun[0]).get("slots").status() == CheckStatus.WARN;
                });
                CheckRun down = downRun[0];
                Map<String, CheckResult> dm = byId(down);
                for (String id : List.of("error-rate", "ai-cost")) {
                    assertEquals(CheckStatus.UNKNOWN, dm.get(id).status(), id + ": " + dm.get(id).evidence());
                    assertTrue(dm.get(id).evidence().startsWith("prometheus not read: "), dm.get(id).evidence());
                }
                assertEquals(CheckStatus.WARN, dm.get("slots").status(), show(down));
                assertEquals(CheckStatus.WARN, dm.get("outbox").status());
                assertEquals(CheckStatus.FAIL, dm.get("backups").status());
                assertEquals(CheckStatus.FAIL, dm.get("disk").status());
                assertNotEquals(CheckStatus.PASS, dm.get("alerts").status(), "no alert can fire: never an all-clear");
                assertEquals(CheckStatus.PASS, dm.get("logs").status(), "no new error line since the last kept run: "
                        + dm.get("logs").evidence());
                // 3 unknown
                h.checkPush(java.net.URI.create(PUSHGATEWAY)).push(down).join();
                Map<String, Double> p = pushed("ref");
                assertEquals(3.0, p.get("error-rate"));
                assertEquals(3.0, p.get("ai-cost"));
                assertEquals(2.0, p.get("disk"));
            }
        } finally {
            // healed before Prometheus starts: its newest sample of the worker's health, from before the stop, is healthy
            if (unhealthy != null) {
                Files.deleteIfExists(unhealthy);
            }
            if (prometheusStopped) {
                RefHost.start("prometheus");
            }
            Files.deleteIfExists(fill);
            psql("DELETE FROM selfology.event_outbox WHERE event_type = 'check.it'");
            if (itBackups != null) {
                try (Stream<Path> s = Files.list(itBackups)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(itBackups);
            }
            curl("-X", "DELETE", PUSHGATEWAY + "/metrics/job/ai_router");
            curl("-X", "DELETE", PUSHGATEWAY + "/metrics/job/dutydesk_check/env/ref");
        }
    }

    /** A server's log line with markup and an ampersand in it (the report must show it as text). */
    static final String HOSTILE = " <script>alert(\"x\")</script> & co";

    /** The page parsed by an XML parser (it is XHTML): each check row's evidence, its text before the details. */
    static Map<String, String> xhtmlEvidence(String html) throws Exception {
        javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        org.w3c.dom.Document x = f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(html.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Map<String, String> out = new LinkedHashMap<>();
        org.w3c.dom.NodeList rows = x.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "tr");
        for (int i = 0; i < rows.getLength(); i++) {
            org.w3c.dom.Element tr = (org.w3c.dom.Element) rows.item(i);
            if (!tr.hasAttribute("data-id")) {
                continue;
            }
            org.w3c.dom.NodeList tds = tr.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "td");
            for (int k = 0; k < tds.getLength(); k++) {
                org.w3c.dom.Element td = (org.w3c.dom.Element) tds.item(k);
                if (!List.of(td.getAttribute("class").split(" ")).contains("evidence")) {
                    continue;
                }
                StringBuilder text = new StringBuilder();
                for (org.w3c.dom.Node n = td.getFirstChild(); n != null && n.getNodeType() == org.w3c.dom.Node.TEXT_NODE; n = n.getNextSibling()) {
                    text.append(n.getNodeValue());
                }
                out.put(tr.getAttribute("data-id"), text.toString());
            }
        }
        return out;
    }

    /** dutydesk_check_status{env, check} as the Pushgateway holds it for {@code env} (job dutydesk_check). */
    static Map<String, Double> pushed(String env) {
        String metrics = get(PUSHGATEWAY + "/metrics");
        Map<String, Double> out = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^dutydesk_check_status\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (m.find()) {
            Matcher c = Pattern.compile("check=\"([^\"]*)\"").matcher(m.group(1));
            if (m.group(1).contains("env=\"" + env + "\"") && m.group(1).contains("job=\"dutydesk_check\"") && c.find()) {
                out.put(c.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    static List<String> ids(JsonNode checks) {
        List<String> out = new ArrayList<>();
        checks.forEach(c -> out.add(c.get("id").asText()));
        return out;
    }
}
