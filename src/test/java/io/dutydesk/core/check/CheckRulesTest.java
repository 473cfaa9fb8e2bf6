package io.dutydesk.core.check;

import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.metrics.MetricSeries;
import io.dutydesk.core.metrics.QueryResult;
import io.dutydesk.core.outbox.OutboxBacklog;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.testing.FakeAlerts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind's rule on fixed inputs: the status and the one line of evidence. */
class CheckRulesTest {
    static final Instant NOW = Instant.parse("2026-03-10T08:00:00Z");
    static final ZoneId UTC = ZoneOffset.UTC;
    static final Environment.Thresholds T = new Environment.Thresholds(100, 1000, 1000, 300, 1800);

    static ServiceState svc(String service, String slot, String health) {
        String name = "selfology-" + service + "-" + slot;
        return new ServiceState(service, slot, name, health == null ? Optional.empty() : Optional.of(new ContainerInfo("id", name,
                "selfology/service:v1", "running", health, NOW, 0, Map.of())));
    }

    static SlotsSnapshot slots(String liveHealth, String idleHealth) {
        return new SlotsSnapshot("ref", NOW, "blue", "cmd", List.of(
                new SlotState("blue", true, List.of(svc("api", "blue", "healthy"), svc("worker", "blue", liveHealth))),
                new SlotState("green", false, List.of(svc("api", "green", "healthy"), svc("worker", "green", idleHealth)))));
    }

    @Test
    void slotsLiveHealthyAndRollbackReadyPassesIdleUnhealthyWarnsLiveUnhealthyFails() {
        CheckRules.Verdict ok = CheckRules.slots(slots("healthy", "healthy"));
        assertEquals(CheckStatus.PASS, ok.status());
        assertEquals("live blue 2/2 healthy; rollback ready (green 2/2 healthy)", ok.evidence());
        CheckRules.Verdict idle = CheckRules.slots(slots("healthy", "unhealthy"));
        assertEquals(CheckStatus.WARN, idle.status());
        assertEquals("live blue 2/2 healthy; rollback not ready: selfology-worker-green: unhealthy", idle.evidence());
        CheckRules.Verdict live = CheckRules.slots(slots("unhealthy", "healthy"));
        assertEquals(CheckStatus.FAIL, live.status());
        assertEquals("live blue 1/2 healthy: selfology-worker-blue: unhealthy", live.evidence());
        assertEquals(CheckStatus.WARN, CheckRules.slots(slots("healthy", null)).status(), "an idle container missing: no rollback");
    }

    static final Environment SINGLE = io.dutydesk.core.config.EnvironmentsFile.parse(java.nio.file.Path.of("e.yaml"),
            "environments:\n  life:\n    ssh: { host: lifeos-prod }\n    deploy: { model: single }\n"
                    + "    slots: { services: [app, worker], containerName: 'lifeos-{service}-1' }\n    backups: { folders: [ /b ] }\n").require("life");

    static io.dutydesk.core.deploy.StackSnapshot stack(String appState, String workerHealth) {
        return new io.dutydesk.core.deploy.StackSnapshot("life", "docker-host", NOW, List.of(
                new io.dutydesk.core.deploy.StackService("app", "h", "lifeos-app-1", appState == null ? Optional.empty()
                        : Optional.of(new ContainerInfo("id", "lifeos-app-1", "lifeos/app:v1.0.0", appState, "healthy", NOW, 0, Map.of()))),
                new io.dutydesk.core.deploy.StackService("worker", "h", "lifeos-worker-1", Optional.of(new ContainerInfo("id",
                        "lifeos-worker-1", "lifeos/worker:v1.0.0", "running", workerHealth, NOW, 0, Map.of())))));
    }

    @Test
    void aSingleStackEveryServiceHealthyAndABackupToRollBackToPassesOneUnhealthyFailsNamingIt() {
        Instant t = NOW.minusSeconds(3600);
        BackupEntry good = new BackupEntry("lifeos_predeploy_1.sql.gz", "/b", "/b/lifeos_predeploy_1.sql.gz", "pre-deployment", 1, t, t, null,
                Optional.of(new Verification("/b/lifeos_predeploy_1.sql.gz", 1, t, true, "ok", NOW)));
        BackupEntry failed = new BackupEntry("lifeos_predeploy_2.sql.gz", "/b", "/b/lifeos_predeploy_2.sql.gz", "pre-deployment", 1, NOW, NOW,
                null, Optional.of(new Verification("/b/lifeos_predeploy_2.sql.gz", 1, NOW, false, "truncated", NOW)));
        io.dutydesk.core.deploy.SingleReadiness ready = io.dutydesk.core.deploy.SingleReadiness.of(SINGLE, Optional.of(listing(good, failed)), "",
                Optional.empty(), "ssh: refused", java.time.ZoneOffset.UTC, NOW);
        CheckRules.Verdict ok = CheckRules.stack(stack("running", "healthy"), ready, Optional.of("v0.9.0"));
        assertEquals(CheckStatus.PASS, ok.status(), "a verified backup is enough even with the releases unread");
        assertEquals("stack 2/2 healthy on v1.0.0; rollback ready: backup " + java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                .withZone(java.time.ZoneOffset.UTC).format(t) + " verified (lifeos_predeploy_1.sql.gz); releases unknown (ssh: refused)"
                + " (newest backup taken on v0.9.0)", ok.evidence());

        CheckRules.Verdict sick = CheckRules.stack(stack("running", "unhealthy"), ready, Optional.of("v0.9.0"));
        assertEquals(CheckStatus.FAIL, sick.status());
        assertEquals("stack 1/2 healthy on v1.0.0: lifeos-worker-1: unhealthy", sick.evidence());
        CheckRules.Verdict stopped = CheckRules.stack(stack("exited", "healthy"), ready, Optional.empty());
        assertEquals(CheckStatus.FAIL, stopped.status());
        assertEquals("stack 1/2 healthy on v1.0.0: lifeos-app-1: exited", stopped.evidence());
        CheckRules.Verdict missing = CheckRules.stack(stack(null, "healthy"), ready, Optional.empty());
        assertEquals(CheckStatus.FAIL, missing.status());
        assertEquals("stack 1/2 healthy on missing: lifeos-app-1: missing", missing.evidence());

        io.dutydesk.core.rollout.ReleaseHistory.Listing noEarlier = new io.dutydesk.core.rollout.ReleaseHistory.Listing("life", List.of(),
                List.of(), null);
        io.dutydesk.core.deploy.SingleReadiness none = io.dutydesk.core.deploy.SingleReadiness.of(SINGLE, Optional.of(listing(failed)), "",
                Optional.of(noEarlier), "", java.time.ZoneOffset.UTC, NOW);
        CheckRules.Verdict w = CheckRules.stack(stack("running", "healthy"), none, Optional.empty());
        assertEquals(CheckStatus.WARN, w.status(), w.evidence());
        assertTrue(w.evidence().startsWith("stack 2/2 healthy on v1.0.0; rollback not ready: no backup in /b"), w.evidence());
        io.dutydesk.core.deploy.SingleReadiness unread = io.dutydesk.core.deploy.SingleReadiness.of(SINGLE, Optional.empty(), "ssh: refused",
                Optional.of(noEarlier), "", java.time.ZoneOffset.UTC, NOW);
        CheckRules.Verdict u = CheckRules.stack(stack("running", "healthy"), unread, Optional.empty());
        assertEquals(CheckStatus.UNKNOWN, u.status(), "backups that cannot be read are no all-clear");
        assertTrue(u.evidence().startsWith("stack 2/2 healthy on v1.0.0; rollback unknown: backups unknown (ssh: refused)"), u.evidence());
    }

    @Test
    void anOutboxWithoutARelayStreamSaysSoAndIsJudgedByItsBacklogAlone() {
        assertEquals(new CheckRules.Verdict(CheckStatus.PASS, "pending 0 < 100, none pending; relay stream: none configured (redis: false), "
                + "not checked"), CheckRules.outbox(backlog(0, null), T, false));
        assertEquals(CheckStatus.WARN, CheckRules.outbox(backlog(150, 40L), T, false).status());
        assertEquals(CheckRules.outbox(backlog(12, 40L), T), CheckRules.outbox(backlog(12, 40L), T, true));
    }

    static OutboxBacklog backlog(long pending, Long oldest) {
        return new OutboxBacklog(NOW, pending, 0, 0, 100L, oldest, List.of(), true, "");
    }

    @Test
    void outboxAgainstTheThresholdsByCountAndByAge() {
        assertEquals(new CheckRules.Verdict(CheckStatus.PASS, "pending 12 < 100, oldest 40 s"), CheckRules.outbox(backlog(12, 40L), T));
        assertEquals(new CheckRules.Verdict(CheckStatus.WARN, "pending 150 ≥ 100, oldest 40 s"), CheckRules.outbox(backlog(150, 40L), T));
        assertEquals(new CheckRules.Verdict(CheckStatus.FAIL, "pending 1200 ≥ 1000, oldest 40 s"), CheckRules.outbox(backlog(1200, 40L), T));
        CheckRules.Verdict stuck = CheckRules.outbox(backlog(5, 2040L), T);
        assertEquals(CheckStatus.FAIL, stuck.status(), "five events stuck for 34 min: the relay is not relaying");
        assertEquals("pending 5 < 100, oldest 34 min (≥ 30 min)", stuck.evidence());
        assertEquals("pending 0 < 100, none pending", CheckRules.outbox(backlog(0, null), T).evidence());
    }

    static Transition tr(String fp, String name, String event, String at) {
        return new Transition(fp, name, event, Instant.parse(at), Transition.LIVE, Map.of("alertname", name));
    }

    @Test
    void alertsOvernightFiredResolvedAndStillFiring() {
        Instant since = CheckRules.lastOccurrence(LocalTime.of(18, 0), NOW, UTC);
        assertEquals(Instant.parse("2026-03-09T18:00:00Z"), since);
        Environment.Alerts cfg = Environment.Alerts.DEFAULT;
        assertEquals(new CheckRules.Verdict(CheckStatus.PASS, "no alert fired since 18:00, none firing"),
                CheckRules.alerts(List.of(), Set.of(), List.of(), since, UTC, cfg, CheckStatus.WARN));
        List<Transition> night = List.of(tr("f1", "ServiceDown", Transition.FIRING, "2026-03-10T02:14:00Z"),
                tr("f1", "ServiceDown", Transition.RESOLVED, "2026-03-10T02:31:00Z"));
        CheckRules.Verdict resolved = CheckRules.alerts(List.of(), Set.of(), night, since, UTC, cfg, CheckStatus.WARN);
        assertEquals(new CheckRules.Verdict(CheckStatus.WARN, "ServiceDown fired 02:14, resolved 02:31",
                List.of("ServiceDown fired 02:14, resolved 02:31")), resolved);
        assertEquals(CheckStatus.PASS, CheckRules.alerts(List.of(), Set.of(), night, since, UTC, cfg, CheckStatus.PASS).status(),
                "resolved: pass when the file says so");
        // fired before the overnight hour, resolved after it; one alert's eight instances are one line
        List<Transition> many = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            many.add(tr("g" + i, "ServiceDown", Transition.RESOLVED, "2026-03-10T07:19:00Z"));
        }
        assertEquals("ServiceDown firing before 18:00, resolved 07:19 (×8)",
                CheckRules.alerts(List.of(), Set.of(), many, since, UTC, cfg, CheckStatus.WARN).evidence());
        Alert critical = FakeAlerts.alert("critical", Instant.parse("2026-03-10T03:02:00Z"), "alertname", "ServiceDown", "service", "api");
        CheckRules.Verdict firing = CheckRules.alerts(List.of(critical), Set.of(), night, since, UTC, cfg, CheckStatus.WARN);
        assertEquals(CheckStatus.FAIL, firing.status());
        assertEquals("ServiceDown firing since 03:02 (critical); ServiceDown fired 02:14, resolved 02:31", firing.evidence());
        Alert warning = FakeAlerts.alert("warning", Instant.parse("2026-03-10T04:00:00Z"), "alertname", "HighErrorRate");
        assertEquals(CheckStatus.WARN, CheckRules.alerts(List.of(warning), Set.of(), List.of(), since, UTC, cfg, CheckStatus.WARN).status());
        CheckRules.Verdict unknown = CheckRules.alerts(List.of(warning), Set.of(warning.fingerprint()), List.of(), since, UTC, cfg, CheckStatus.WARN);
        assertEquals(CheckStatus.UNKNOWN, unknown.status());
        assertTrue(unknown.evidence().startsWith("HighErrorRate unknown"), unknown.evidence());
    }

    @Test
    void lastOccurrenceIsTodayOnceThatTimeHasPassed() {
        assertEquals(Instant.parse("2026-03-10T06:00:00Z"), CheckRules.lastOccurrence(LocalTime.of(6, 0), NOW, UTC));
        assertEquals(Instant.parse("2026-03-10T08:00:00Z"), CheckRules.lastOccurrence(LocalTime.of(8, 0), NOW, UTC));
        assertEquals(Instant.parse("2026-03-09T17:00:00Z"), CheckRules.lastOccurrence(LocalTime.of(18, 0), NOW, ZoneId.of("Europe/Berlin")));
    }

    static BackupEntry full(String name, Instant taken, Boolean ok) {
        BackupEntry e = new BackupEntry(name, "~/b", "~/b/" + name, "full", 1000, taken, taken, taken.plusSeconds(86400 * 30), Optional.empty());
        return ok == null ? e : e.withVerification(Optional.of(new Verification(e.path(), 1000, taken, ok, ok ? "ok gzip" : "bad gzip", NOW)));
    }

    static BackupListing listing(BackupEntry... b) {
        return new BackupListing("ref", List.of(new BackupListing.Folder("~/b", 1L << 30)), List.of(b),
                b.length == 0 ? Optional.empty() : Optional.of(b[0]),
                b.length == 0 ? Optional.empty() : Optional.of(b[0].ageHours(NOW)), 26, true, NOW, List.of("full"));
    }

    @Test
    void backupsTheRpoAndTheVerification() {
        Instant sixHours = NOW.minusSeconds(6 * 3600);
        assertEquals(CheckStatus.PASS, CheckRules.backups(listing(full("a.sql.gz", sixHours, true))).status());
        assertTrue(CheckRules.backups(listing(full("a.sql.gz", sixHours, true))).evidence().startsWith("RPO met: full backup a.sql.gz verified, 6.0 h old"));
        assertEquals(CheckStatus.WARN, CheckRules.backups(listing(full("a.sql.gz", sixHours, null))).status(), "not verified");
        CheckRules.Verdict old = CheckRules.backups(listing(full("old.sql.gz", NOW.minusSeconds(30 * 3600), true)));
        assertEquals(CheckStatus.FAIL, old.status());
        assertEquals("RPO not met: newest full backup old.sql.gz is 30.0 h old: older than the RPO of 26 h", old.evidence());
        BackupListing unreadable = new BackupListing("ref", List.of(new BackupListing.Folder("~/b", -1, Optional.of("no route"))),
                List.of(), Optional.empty(), Optional.empty(), 26, false, NOW, List.of("full"));
        assertEquals(CheckStatus.UNKNOWN, CheckRules.backups(unreadable).status());
    }

    static QueryResult vector(double... values) {
        List<MetricSeries> s = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            s.add(new MetricSeries(values.length == 1 ? Map.of() : Map.of("service", "s" + i), new long[]{NOW.toEpochMilli()},
                    new double[]{values[i]}));
        }
        return new QueryResult("vector", s, List.of(), 0);
    }

    @Test
    void prometheusBoundsPercentBetweenAndNoData() {
        Environment.Check rate = Environment.Check.of("error-rate", "prometheus", "Error rate")
                .withQuery("q", Optional.empty(), Optional.of(0.01), true);
        assertEquals(new CheckRules.Verdict(CheckStatus.PASS, "0.4 % < 1 %"), CheckRules.prometheus(rate, vector(0.004)));
        CheckRules.Verdict high = CheckRules.prometheus(rate, vector(0.002, 0.05));
        assertEquals(CheckStatus.WARN, high.status());
        assertEquals("5 % ≥ 1 % {service=\"s1\"} (2 series)", high.evidence());
        CheckRules.Verdict none = CheckRules.prometheus(rate, vector());
        assertEquals(CheckStatus.UNKNOWN, none.status(), "no data is not a pass");
        assertEquals("no data: the query returned no value (expected < 1 %)", none.evidence());
        assertEquals(CheckStatus.UNKNOWN, CheckRules.prometheus(rate, vector(Double.NaN)).status(), "0/0 without traffic");
        Environment.Check cost = new Environment.Check("ai-cost", "prometheus", "AI cost per day", java.time.Duration.ofSeconds(5),
                "q", Optional.of(10.0), Optional.of(20.0), "fail", "unknown", false, "$", Environment.Check.of("x", "logs", "x").pattern(),
                1, 1, 1, List.of(), Map.of(), 20, 10, true, "warn");
        assertEquals(new CheckRules.Verdict(CheckStatus.PASS, "14.2 $ within 10 $ … 20 $"), CheckRules.prometheus(cost, vector(14.2)));
        assertEquals(new CheckRules.Verdict(CheckStatus.FAIL, "23.5 $ ≥ 20 $", List.of("23.5 $ ≥ 20 $")), CheckRules.prometheus(cost, vector(23.5)));
        assertEquals(CheckStatus.FAIL, CheckRules.prometheus(cost, vector(3)).status());
        assertEquals("3 $ < 10 $", CheckRules.prometheus(cost, vector(3)).evidence());
    }

    @Test
    void logsCountAgainstWarnAtAndFailAtWithTheNewestLines() {
        Environment.Check c = Environment.Check.of("logs", "logs", "Error lines");
        Instant since = Instant.parse("2026-03-10T07:30:00Z");
        CheckRules.Verdict clean = CheckRules.logs(c, "blue", List.of(new CheckRules.LogLines("api-blue", 0, List.of())), List.of(), since, UTC);
        assertEquals(new CheckRules.Verdict(CheckStatus.PASS, "no error line in blue since 07:30 (1 containers)"), clean);
        CheckRules.Verdict some = CheckRules.logs(c, "blue", List.of(new CheckRules.LogLines("api-blue", 2, List.of("ERROR a", "ERROR b")),
                new CheckRules.LogLines("worker-blue", 1, List.of("ERROR c"))), List.of(), since, UTC);
        assertEquals(CheckStatus.WARN, some.status());
        assertEquals("3 error lines in blue since 07:30 (api-blue 2, worker-blue 1); newest: worker-blue: ERROR c", some.evidence());
        assertEquals(List.of("api-blue: ERROR b", "worker-blue: ERROR c"), some.details().subList(1, 3));
        assertEquals(CheckStatus.FAIL, CheckRules.logs(c, "blue", List.of(new CheckRules.LogLines("api-blue", 100, List.of())), List.of(),
                since, UTC).status());
        assertEquals(CheckStatus.UNKNOWN, CheckRules.logs(c, "blue", List.of(), List.of("api-blue (docker down)"), since, UTC).status(),
                "a log not read may hold the errors");
    }

    @Test
    void aLogReadOnlyInPartIsNeverAPass() {
        // Docker gave only the newest lines since the time asked (the tail bound): the errors may be in the lines before
        Environment.Check c = Environment.Check.of("logs", "logs", "Error lines");
        Instant since = Instant.parse("2026-03-10T07:30:00Z");
        CheckRules.Verdict v = CheckRules.logs(c, "blue", List.of(new CheckRules.LogLines("relay-blue", 0, List.of(), true)), List.of(), since, UTC);
        assertEquals(CheckStatus.UNKNOWN, v.status(), v.evidence());
        assertTrue(v.evidence().contains("only the newest lines read of relay-blue"), v.evidence());
        CheckRules.Verdict many = CheckRules.logs(c, "blue", List.of(new CheckRules.LogLines("relay-blue", 100, List.of(), true)), List.of(),
                since, UTC);
        assertEquals(CheckStatus.FAIL, many.status(), "what was read is enough to fail");
    }

    @Test
    void diskFreePercentPerVolume() {
        Environment.Check c = Environment.Check.of("disk", "disk", "Free space");
        long g = 1L << 30;
        CheckRules.Verdict ok = CheckRules.disk(c, List.of(new CheckRules.Volume("backups", "~/b", "~/b", 50 * g, 100 * g),
                new CheckRules.Volume("database", "/var/lib/postgresql", "/var/lib", 30 * g, 100 * g)));
        assertEquals(CheckStatus.PASS, ok.status());
        assertEquals("backups 50 % free ≥ 20 % (50 GiB of 100 GiB); database 30 % free ≥ 20 % (30 GiB of 100 GiB, at /var/lib)", ok.evidence());
        assertEquals(CheckStatus.WARN, CheckRules.disk(c, List.of(new CheckRules.Volume("b", "/b", "/b", 15 * g, 100 * g))).status());
        CheckRules.Verdict full = CheckRules.disk(c, List.of(new CheckRules.Volume("b", "/b", "/b", 0, 2L << 20)));
        assertEquals(CheckStatus.FAIL, full.status());
        assertEquals("b 0 % free < 10 % (0 B of 2.0 MiB)", full.evidence());
        assertEquals(CheckStatus.UNKNOWN, CheckRules.disk(c, List.of(new CheckRules.Volume("b", "/b", "/b", -1, -1))).status());
    }
}
