package io.dutydesk.core.alerts;

import io.dutydesk.adapters.store.SqliteAlertHistory;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.testing.FakeAlerts;
import io.dutydesk.testing.MemoryAuditLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert history stays true when its source fails: Prometheus stopped, a failed backfill, external labels.
 * The service over a stand-in Alertmanager/Prometheus and the real local store, polled by the test on a fixed clock.
 */
class AlertsTruthTest {
    static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");

    @TempDir
    Path tmp;
    final TestClock clock = new TestClock(T0);
    final FakeAlerts am = new FakeAlerts("ref");
    SqliteStore store;

    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static Environment env() {
        return EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1, port: 24022, user: dutydesk-deploy }
                    alerts: { pollSeconds: 5 }
                """).require("ref");
    }

    @BeforeEach
    void setUp() {
        am.clock = clock;
        store = SqliteStore.open(tmp.resolve("dutydesk.db"));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    AlertsService service(SqliteStore s) {
        return new AlertsService(env(), am, am, new SqliteAlertHistory(s), MemoryAuditLog.create(), "me@host", clock);
    }

    AlertsService.Update poll(AlertsService s) {
        return s.poll(true).join();
    }

    List<String> history(String fp) {
        return new SqliteAlertHistory(store).since("ref", T0.minus(Duration.ofDays(2))).join().stream()
                .filter(t -> t.fingerprint().equals(fp)).map(t -> t.event() + (t.reconstructed() ? "/reconstructed" : "")).toList();
    }

    static Alert withSummary(Alert a, String summary) {
        return new Alert(a.fingerprint(), a.alertname(), a.severity(), a.state(), a.startsAt(), a.updatedAt(), a.labels(),
                Map.of("summary", summary), a.silencedBy(), a.inhibitedBy(), a.generatorURL());
    }

    @Test
    void prometheusStoppedAnAlertIsUnknownNeverResolvedAndReconciledTruthfullyWhenItIsBack() {
        Alert down = withSummary(FakeAlerts.alert("critical", T0.minusSeconds(60), "alertname", "ServiceDown", "service", "x"),
                "x is down");
        Alert backlog = withSummary(FakeAlerts.alert("warning", T0.minusSeconds(60), "alertname", "EventProcessingBacklog"),
                "1505 events pending in the outbox");
        am.alerts.addAll(List.of(down, backlog));
        AlertsService window = service(store);
        AlertsService.Update u = poll(window);
        assertTrue(u.source().up());
        assertTrue(u.cannotFire().isEmpty());
        assertTrue(u.unverified().isEmpty());

        // Prometheus stops: Alertmanager still has both for a while; nothing can fire or resolve, every alert is unknown
        Instant lastGood = clock.instant();
        am.prometheusDown = "connection refused";
        clock.advance(Duration.ofSeconds(5));
        u = poll(window);
        assertFalse(u.source().up());
        assertTrue(u.cannotFire().orElseThrow().startsWith("No alert can fire or resolve: Prometheus down: "), u.cannotFire().get());
        assertTrue(u.cannotFire().get().contains("connection refused"), u.cannotFire().get());
        assertEquals(Set.of(down.fingerprint(), backlog.fingerprint()), u.unverified().keySet());
        assertEquals(lastGood, u.unverified().get(down.fingerprint()).since(), "unknown since the last check that worked");
        assertTrue(u.unverified().get(down.fingerprint()).reason().contains("Prometheus down"), u.unverified().toString());

        // Alertmanager times ServiceDown out (nobody resends it): it is unknown, never resolved, and still shown
        am.alerts.remove(down);
        clock.advance(Duration.ofSeconds(20));
        u = poll(window);
        assertEquals(List.of("unknown"), u.transitions().stream().map(Transition::event).toList());
        assertEquals(lastGood, u.transitions().get(0).at());
        assertEquals(List.of(down.fingerprint()), u.vanished().stream().map(Alert::fingerprint).toList());
        Alert shown = u.vanished().get(0);
        assertEquals(AlertsService.UNKNOWN, shown.state());
        assertEquals("x is down", shown.annotation("summary"), "shown with what was known of it");
        assertTrue(u.shown().alerts().contains(shown));
        assertEquals(List.of("firing", "unknown"), history(down.fingerprint()));
        clock.advance(Duration.ofSeconds(5));
        assertTrue(poll(window).transitions().isEmpty(), "unknown once");

        // a second console opened meanwhile (another process: its own memory) shows it unknown too, from the history
        try (SqliteStore other = SqliteStore.open(tmp.resolve("dutydesk.db"))) {
            AlertsService.Update o = poll(service(other));
            assertEquals(List.of(down.fingerprint()), o.vanished().stream().map(Alert::fingerprint).toList());
            assertTrue(o.unverified().get(down.fingerprint()).reason().contains("Prometheus down"));
            assertTrue(o.transitions().isEmpty());
        }

        // Prometheus is back; ServiceDown is pending again (its `for` starts anew after a restart): still not resolved
        am.prometheusDown = null;
        Map<String, String> own = new TreeMap<>(down.labels());
        am.held.put(own, "pending");
        clock.advance(Duration.ofSeconds(5));
        u = poll(window);
        assertTrue(u.source().up());
        assertTrue(u.cannotFire().isEmpty());
        assertTrue(u.transitions().isEmpty(), u.transitions().toString());
        assertTrue(u.unverified().get(down.fingerprint()).reason().contains("holds it again (pending)"), u.unverified().toString());
        assertFalse(u.unverified().containsKey(backlog.fingerprint()), "checked again");
        // it fires again: known again, still firing (Alertmanager's start is new: Prometheus lost the old one)
        am.held.clear();
        Alert again = FakeAlerts.alert("critical", clock.instant().minusSeconds(2), "alertname", "ServiceDown", "service", "x");
        am.alerts.add(again);
        clock.advance(Duration.ofSeconds(5));
        u = poll(window);
        assertEquals(List.of("known"), u.transitions().stream().map(Transition::event).toList());
        assertTrue(u.vanished().isEmpty());
        assertTrue(u.unverified().isEmpty());
        // and resolves when Prometheus says so
        am.alerts.remove(again);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("resolved"), poll(window).transitions().stream().map(Transition::event).toList());
        assertEquals(List.of("firing", "unknown", "known", "resolved"), history(down.fingerprint()));

        // healed while Prometheus was down: resolved once Prometheus, back, has had the time to scrape again (60 s here) and
        // does not hold it — right after its return its rules may hold nothing for want of fresh data
        am.prometheusDown = "connection refused";
        am.alerts.remove(backlog);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("unknown"), poll(window).transitions().stream().map(Transition::event).toList());
        am.prometheusDown = null;
        clock.advance(Duration.ofSeconds(5));
        u = poll(window);
        assertTrue(u.transitions().isEmpty(), "just back: not resolved yet " + u.transitions());
        assertTrue(u.unverified().get(backlog.fingerprint()).reason().contains("Prometheus is back since"), u.unverified().toString());
        clock.advance(Duration.ofSeconds(60));
        u = poll(window);
        assertEquals(List.of("resolved"), u.transitions().stream().map(Transition::event).toList());
        assertEquals(clock.instant(), u.transitions().get(0).at(), "resolved when the console could know it");
        assertEquals(List.of("firing", "unknown", "resolved"), history(backlog.fingerprint()));
    }

    /** The notices a window would give for this update (the view-model's AlertNotifications over the update's feed). */
    static List<io.dutydesk.core.ports.Notifier.Notice> notify(AlertNotifications n, AlertsService.Update u) {
        return n.after(env().alerts(), u.feed());
    }

    Instant start(AlertsService.Update u, String fp) {
        return u.shown().alerts().stream().filter(a -> a.fingerprint().equals(fp)).findFirst().orElseThrow().startsAt();
    }

    /**
     * An alert unknown while Prometheus was down, seen firing again once it is back (with a new start: Prometheus lost
     * its state), is the same incident: recorded known again (not a second firing), shown with its first start in the
     * window and in a console opened later, and not notified again.
     */
    @Test
    void anUnknownAlertKnownAgainKeepsItsStartIsOneIncidentAndIsNotNotifiedAgain() {
        Instant first = T0.minusSeconds(60);
        Alert down = FakeAlerts.alert("critical", first, "alertname", "ServiceDown", "service", "x");
        am.alerts.add(down);
        AlertsService window = service(store);
        AlertNotifications notifications = new AlertNotifications();
        AlertsService.Update u = poll(window);
        assertEquals(1, notify(notifications, u).size(), "a new critical notifies");
        am.prometheusDown = "connection refused";
        clock.advance(Duration.ofSeconds(5));
        assertEquals(0, notify(notifications, poll(window)).size());
        am.alerts.clear(); // Alertmanager times it out
        clock.advance(Duration.ofSeconds(20));
        u = poll(window);
        assertEquals(List.of("unknown"), u.transitions().stream().map(Transition::event).toList());
        assertEquals(first, start(u, down.fingerprint()));
        assertEquals(0, notify(notifications, u).size());

        // Prometheus is back; the alert fires again with a new start (its state was lost), Alertmanager has it again
        am.prometheusDown = null;
        Alert again = FakeAlerts.alert("critical", clock.instant().plusSeconds(3), "alertname", "ServiceDown", "service", "x");
        assertEquals(down.fingerprint(), again.fingerprint());
        am.alerts.add(again);
        clock.advance(Duration.ofSeconds(5));
        u = poll(window);
        assertEquals(List.of("known"), u.transitions().stream().map(Transition::event).toList(), "known again, not a second firing");
        assertEquals(first, start(u, down.fingerprint()), "one incident: its first start");
        assertEquals(first, u.feed().alerts().get(0).startsAt());
        assertEquals(List.of(), notify(notifications, u), "the same incident is not notified again");
        clock.advance(Duration.ofSeconds(5));
        u = poll(window);
        assertTrue(u.transitions().isEmpty());
        assertEquals(List.of(), notify(notifications, u));
        assertEquals(List.of("firing", "unknown", "known"), history(down.fingerprint()));
        assertEquals(first, new SqliteAlertHistory(store).open("ref").join().get(down.fingerprint()).since());
        // a console opened now shows the incident's start from the history
        try (SqliteStore other = SqliteStore.open(tmp.resolve("dutydesk.db"))) {
            assertEquals(first, start(poll(service(other)), down.fingerprint()));
        }
    }

    /**
     * Alertmanager restarts and keeps no alerts until Prometheus sends them again: an alert Prometheus still fires is
     * still firing (shown as last seen, noted); one it does not hold is unknown while Alertmanager has only just started
     * (cannot tell), never resolved; sent again, both are the same incidents, not notified again. One Alertmanager still
     * lacks once it has run a few resend intervals resolved.
     */
    @Test
    void alertmanagerRestartedLosesItsAlertsAndTheyAreNotRecordedResolved() {
        Alert x = withSummary(FakeAlerts.alert("critical", T0.minusSeconds(60), "alertname", "ServiceDown", "service", "x"), "x is down");
        Alert y = FakeAlerts.alert("warning", T0.minusSeconds(60), "alertname", "HighErrorRate", "service", "y");
        am.alerts.addAll(List.of(x, y));
        AlertsService window = service(store);
        AlertNotifications notifications = new AlertNotifications();
        assertEquals(1, notify(notifications, poll(window)).size());

        // Alertmanager restarts: it has nothing; Prometheus still fires x (y it holds under labels Alertmanager does not
        // know it by, e.g. relabelled: the console cannot tell)
        clock.advance(Duration.ofSeconds(5));
        am.startedAt = clock.instant().minusSeconds(2);
        am.alerts.clear();
        am.held.put(new TreeMap<>(x.labels()), "firing");
        Map<String, String> relabelled = new TreeMap<>(y.labels());
        relabelled.put("team", "relabelled");
        am.held.put(relabelled, "firing");
        clock.advance(Duration.ofSeconds(1));
        AlertsService.Update u = poll(window);
        assertEquals(List.of("unknown"), u.transitions().stream().map(t -> t.event()).toList(), u.transitions().toString());
        assertEquals(y.fingerprint(), u.transitions().get(0).fingerprint());
        assertEquals(am.startedAt, u.transitions().get(0).at(), "unknown since Alertmanager started");
        Alert shownX = u.shown().alerts().stream().filter(a -> a.fingerprint().equals(x.fingerprint())).findFirst().orElseThrow(
                () -> new AssertionError("x is still firing: shown"));
        assertEquals("active", shownX.state());
        assertEquals("x is down", shownX.annotation("summary"), "as last seen");
        assertFalse(u.unverified().containsKey(x.fingerprint()), "Prometheus fires it: known");
        assertTrue(u.sourceNotes().stream().anyMatch(n -> n.startsWith("Alertmanager does not have 1 alert Prometheus still fires")
                && n.contains("Alertmanager restarted at 02:00:03")), u.sourceNotes().toString());
        assertTrue(u.unverified().get(y.fingerprint()).reason().startsWith("Alertmanager restarted at 02:00:03"),
                u.unverified().toString());
        assertEquals(List.of("firing"), history(x.fingerprint()));
        assertEquals(List.of("firing", "unknown"), history(y.fingerprint()));
        assertEquals(0, notify(notifications, u).size());

        // Prometheus sends them again (with their starts): the same incidents
        clock.advance(Duration.ofSeconds(5));
        am.held.clear();
        am.alerts.addAll(List.of(x, y));
        u = poll(window);
        assertEquals(List.of("known"), u.transitions().stream().map(Transition::event).toList());
        assertEquals(List.of("firing"), history(x.fingerprint()));
        assertEquals(List.of("firing", "unknown", "known"), history(y.fingerprint()));
        assertTrue(u.vanished().isEmpty() && u.unverified().isEmpty() && u.notes().isEmpty());
        assertEquals(List.of(), notify(notifications, u), "nothing new");

        // it restarts again and y, healed meanwhile, is not sent again: unknown while it may still come, then resolved
        clock.advance(Duration.ofMinutes(10));
        am.startedAt = clock.instant();
        am.alerts.remove(y);
        am.held.put(relabelled, "pending"); // Prometheus holds something of its rule, under labels the console cannot match
        clock.advance(Duration.ofSeconds(5));
        assertEquals(List.of("unknown"), poll(window).transitions().stream().map(Transition::event).toList());
        clock.advance(Duration.ofMinutes(2));
        assertTrue(poll(window).transitions().isEmpty(), "still cannot tell");
        clock.advance(Duration.ofMinutes(1));
        u = poll(window);
        assertEquals(List.of("resolved"), u.transitions().stream().map(Transition::event).toList(), "after 3 resend intervals");
        assertEquals(List.of("firing", "unknown", "known", "unknown", "resolved"), history(y.fingerprint()));
        assertEquals(List.of("firing"), history(x.fingerprint()));
    }

    /**
     * Alertmanager just restarted and lacks an alert whose rule is this Prometheus's, evaluated, and holds no alert at
     * all (under any labels): it fires nowhere, so it resolved — "cannot tell" only when Prometheus holds something of
     * the rule it cannot be matched with. (AlertsIT saw the healed service recorded unknown before resolved.)
     */
    @Test
    void justAfterARestartAnAlertWhoseRuleHoldsNothingInPrometheusIsResolvedNotUnknown() {
        Alert y = FakeAlerts.alert("warning", T0.minusSeconds(60), "alertname", "HighErrorRate", "service", "y");
        am.alerts.add(y);
        AlertsService window = service(store);
        poll(window);
        clock.advance(Duration.ofSeconds(5));
        am.startedAt = clock.instant().minusSeconds(2);
        am.alerts.clear();
        am.held.clear();
        AlertsService.Update u = poll(window);
        assertEquals(List.of("resolved"), u.transitions().stream().map(Transition::event).toList(), u.transitions().toString());
        assertEquals(List.of("firing", "resolved"), history(y.fingerprint()));
    }

    /**
     * Prometheus back after an outage may hold no alert for seconds (its rules evaluated before it scraped again: seen on
     * the reference host after a restart, the service still down): an alert that went unknown in the outage is not
     * resolved by that until Prometheus has had the time to scrape again (4 group intervals, 60 s at least); one known
     * until now resolves as before; a Prometheus that was never down is not waited for.
     */
    @Test
    void aPrometheusBackFromAnOutageHoldingNothingYetResolvesNoUnknownAlertUntilItHadTheTimeToScrape() {
        RuleEvaluation.Group g = new RuleEvaluation.Group("g", Duration.ofSeconds(1), T0.minusSeconds(1),
                List.of(new RuleEvaluation.Rule("ServiceDown", "ok", "", List.of())));
        RuleEvaluation e = new RuleEvaluation(T0, Optional.of(T0), List.of(g));
        AlertSource down = AlertSource.down("Prometheus down: Connection refused", T0.minusSeconds(30), null);
        Instant unknownSince = T0.minusSeconds(30);
        AlertSource back = AlertSource.judge(e, Map.of(), T0, ZoneOffset.UTC, down);
        Missing m = back.missing("fp", "ServiceDown", unknownSince, ZoneOffset.UTC);
        assertEquals(Missing.Fate.UNKNOWN, m.fate(), m.toString());
        assertEquals(unknownSince, m.since());
        assertEquals("Prometheus is back since 02:00:00 and holds no ServiceDown alert yet: whether it resolved is told once it has "
                + "scraped again", m.reason());
        assertTrue(back.missing("fp", "ServiceDown", null, ZoneOffset.UTC).resolved(), "known until now: resolved as before");
        AlertSource later = AlertSource.judge(e, Map.of(), T0.plusSeconds(59), ZoneOffset.UTC, back);
        assertEquals(Missing.Fate.UNKNOWN, later.missing("fp", "ServiceDown", unknownSince, ZoneOffset.UTC).fate(), "59 s: still waited for");
        AlertSource settled = AlertSource.judge(e, Map.of(), T0.plusSeconds(60), ZoneOffset.UTC, later);
        assertTrue(settled.missing("fp", "ServiceDown", unknownSince, ZoneOffset.UTC).resolved(), "60 s on: it holds nothing, resolved");
        assertTrue(AlertSource.judge(e, Map.of(), T0, ZoneOffset.UTC, AlertSource.judge(e, Map.of(), T0.minusSeconds(5), ZoneOffset.UTC, null))
                .missing("fp", "ServiceDown", unknownSince, ZoneOffset.UTC).resolved(), "never down: not waited for");
    }

    /** A freshly started Alertmanager is given 3 of Prometheus's resend intervals (its resend delay, or its rules' interval). */
    @Test
    void alertmanagerJustStartedLastsThreeResendIntervals() {
        RuleEvaluation.Group g = new RuleEvaluation.Group("g", Duration.ofSeconds(1), T0.minusSeconds(1),
                List.of(new RuleEvaluation.Rule("ServiceDown", "ok", "", List.of())));
        RuleEvaluation e = new RuleEvaluation(T0, Optional.of(T0), List.of(g));
        AlertSource threeSeconds = AlertSource.judge(e, Map.of(), Duration.ofSeconds(3), T0, ZoneOffset.UTC, null);
        assertEquals(Duration.ofSeconds(9), threeSeconds.resendWindow());
        assertTrue(threeSeconds.withAlertmanager(T0.minusSeconds(8), null).alertmanagerJustStarted());
        assertFalse(threeSeconds.withAlertmanager(T0.minusSeconds(9), null).alertmanagerJustStarted());
        assertEquals(Duration.ofMinutes(3), AlertSource.judge(e, Map.of(), T0, ZoneOffset.UTC, null).resendWindow(), "the default 1 min");
        AlertSource unread = threeSeconds.withAlertmanager(null, "HTTP 500");
        assertFalse(unread.alertmanagerJustStarted());
        assertTrue(unread.notes().get(0).startsWith("Alertmanager's start time was not read (HTTP 500)"), unread.notes().toString());
    }

    /**
     * An alert that fires again after a real resolution, with a start Alertmanager gives as before it (an alert it lost
     * and was sent again, a workstation clock ahead of the server's), starts at that resolution: a new incident, in
     * order in the history, notified again.
     */
    @Test
    void anAlertFiringAgainAfterItsResolutionStartsNoEarlierThanThatANewIncident() {
        Instant s = T0.minusSeconds(60);
        Alert z = FakeAlerts.alert("critical", s, "alertname", "ServiceDown", "service", "z");
        am.alerts.add(z);
        AlertsService window = service(store);
        AlertNotifications notifications = new AlertNotifications();
        assertEquals(1, notify(notifications, poll(window)).size());
        am.alerts.clear();
        clock.advance(Duration.ofSeconds(5));
        Instant resolved = clock.instant();
        assertEquals(List.of("resolved"), poll(window).transitions().stream().map(Transition::event).toList());
        am.alerts.add(z); // the same start as before
        clock.advance(Duration.ofSeconds(5));
        AlertsService.Update u = poll(window);
        assertEquals(List.of("firing"), u.transitions().stream().map(Transition::event).toList());
        assertEquals(resolved, u.transitions().get(0).at(), "max(its start, its last resolution)");
        assertEquals(resolved, start(u, z.fingerprint()));
        assertEquals(1, notify(notifications, u).size(), "a new incident notifies");
        List<Transition> all = new SqliteAlertHistory(store).since("ref", T0.minus(Duration.ofDays(1))).join();
        assertEquals(List.of(s, resolved, resolved), all.stream().map(Transition::at).toList(), "in order: " + all);
        assertEquals(resolved, new SqliteAlertHistory(store).open("ref").join().get(z.fingerprint()).since());
    }

    @Test
    void aPrometheusThatEvaluatesNothingOrScrapesNothingCannotFireAlertsAndARuleInErrorCannotFireItsOwn() {
        Map<String, String> ext = Map.of("cluster", "eu1");
        Instant now = T0;
        RuleEvaluation.Held held = new RuleEvaluation.Held(Map.of("alertname", "ServiceDown", "service", "x"), "firing");
        RuleEvaluation.Rule ok = new RuleEvaluation.Rule("ServiceDown", "ok", "", List.of(held));
        RuleEvaluation.Rule err = new RuleEvaluation.Rule("HighErrorRate", "err", "query timed out", List.of());
        RuleEvaluation.Group fresh = new RuleEvaluation.Group("g", Duration.ofSeconds(5), now.minusSeconds(4), List.of(ok, err));
        AlertSource s = AlertSource.judge(new RuleEvaluation(now, Optional.of(now.minusSeconds(3)), List.of(fresh)), ext, now,
                ZoneOffset.UTC, null);
        assertTrue(s.up());
        assertEquals(Optional.of("firing"), Optional.ofNullable(s.held().get(Fingerprints.of(Map.of("alertname", "ServiceDown",
                "service", "x", "cluster", "eu1")))), "held alerts in Alertmanager's fingerprint (external labels added)");
        assertTrue(s.unverified("HighErrorRate", true).orElseThrow().reason()
                .contains("cannot evaluate the rule HighErrorRate: query timed out"));
        assertTrue(s.unverified("ServiceDown", true).isEmpty());
        assertTrue(AlertsService.cannotFire(s).orElseThrow().startsWith("These alerts cannot fire or resolve: "));

        RuleEvaluation.Group stale = new RuleEvaluation.Group("g", Duration.ofSeconds(5), now.minusSeconds(31), List.of(ok));
        AlertSource notEvaluating = AlertSource.judge(new RuleEvaluation(now, Optional.of(now), List.of(stale)), ext,
                now.plusSeconds(5), ZoneOffset.UTC, s);
        assertEquals("Prometheus has not evaluated its alert rules since 01:59:29 (group g)", notEvaluating.problem());
        assertEquals(now, notEvaluating.since(), "unknown since the last check that worked");
        assertTrue(notEvaluating.unverified("ServiceDown", true).isPresent());
        assertTrue(notEvaluating.unverified("NotItsRule", false).isEmpty(), "an alert from elsewhere is not Prometheus's to vouch for");
        RuleEvaluation.Group justStarted = new RuleEvaluation.Group("g", Duration.ofSeconds(5), null, List.of(ok));
        assertTrue(AlertSource.judge(new RuleEvaluation(now, Optional.of(now), List.of(justStarted)), ext, now, ZoneOffset.UTC, null)
                .problem().startsWith("Prometheus has not evaluated its alert rules yet"));
        assertEquals("Prometheus scrapes nothing (no scrape of any target for 5 minutes)", AlertSource.judge(
                new RuleEvaluation(now, Optional.empty(), List.of(fresh)), ext, now, ZoneOffset.UTC, null).problem());
        assertEquals("Prometheus has not scraped since 01:58:59", AlertSource.judge(
                new RuleEvaluation(now, Optional.of(now.minusSeconds(61)), List.of(fresh)), ext, now, ZoneOffset.UTC, null).problem());
        assertEquals("Prometheus has no alert rules", AlertSource.judge(new RuleEvaluation(now, Optional.of(now), List.of()), ext, now,
                ZoneOffset.UTC, null).problem());
        assertTrue(s.notes().isEmpty(), s.notes().toString());

        // every target down: scraped (up is 0), none answered — alerts on up fire, so not "no alert can fire", but said
        AlertSource allDown = AlertSource.judge(new RuleEvaluation(now, Optional.of(now.minusSeconds(3)), Optional.empty(),
                List.of(fresh)), ext, now, ZoneOffset.UTC, null);
        assertTrue(allDown.up(), String.valueOf(allDown.problem()));
        assertEquals(List.of("no target answers Prometheus's scrapes (all down): alerts on up fire, alerts on the targets' data "
                + "may resolve for want of it"), allDown.notes());
        assertEquals("no target has answered Prometheus's scrapes since 01:58:59: alerts on up fire, alerts on the targets' data "
                + "may resolve for want of it", AlertSource.judge(new RuleEvaluation(now, Optional.of(now.minusSeconds(3)),
                Optional.of(now.minusSeconds(61)), List.of(fresh)), ext, now, ZoneOffset.UTC, null).notes().get(0));

        // a Prometheus that does not report its groups' last evaluation (older versions): unknown, said, not blocking
        RuleEvaluation.Group unreported = new RuleEvaluation.Group("g", Duration.ofSeconds(5), null, false, List.of(ok));
        AlertSource old = AlertSource.judge(new RuleEvaluation(now, Optional.of(now), List.of(unreported)), ext, now,
                ZoneOffset.UTC, null);
        assertTrue(old.up(), "never 'not evaluated yet' for good: " + old.problem());
        assertEquals(List.of("Prometheus does not report when it last evaluated its alert rules (group g; an older version): "
                + "that they still run is not checked"), old.notes());
        AlertsService.Update u = new AlertsService.Update(new AlertsFeed("ref", now, List.of()), List.of(), Optional.empty(), old,
                Map.of(), List.of());
        assertTrue(u.cannotFire().isEmpty());
        assertEquals(old.notes(), u.sourceNotes());

        AlertSource down = AlertSource.down("Prometheus down: connection refused", now.plusSeconds(10), notEvaluating);
        assertEquals(now, down.since(), "still unknown since the last check that worked");
        assertTrue(down.rulesKnown());
    }

    @Test
    void aFailedBackfillIsTriedAgainAtALaterPollOverTheSameTime() {
        // a console looked an hour ago, with G firing
        clock.now = T0.minus(Duration.ofHours(1));
        Alert g = FakeAlerts.alert("warning", T0.minus(Duration.ofMinutes(70)), "alertname", "HighErrorRate", "service", "g");
        am.alerts.add(g);
        poll(service(store));
        assertEquals(List.of("firing"), history(g.fingerprint()));

        // now: meanwhile H fired and resolved, G resolved; Prometheus is down when the console opens again
        clock.now = T0;
        am.alerts.clear();
        Duration step = Duration.ofSeconds(5);
        Map<String, String> h = Map.of("alertname", "ServiceDown", "service", "h", "severity", "critical");
        am.series.add(new Transitions.Series(h, AlertsCoreTest.run(T0.minus(Duration.ofMinutes(50)), step, 60)));
        am.series.add(new Transitions.Series(g.labels(), AlertsCoreTest.run(T0.minus(Duration.ofMinutes(60)), step, 240)));
        am.prometheusDown = "connection refused";
        AlertsService window = service(store);
        AlertsService.Update u = poll(window);
        assertTrue(u.historyProblem().orElseThrow().contains("not filled in yet"), u.historyProblem().toString());
        assertTrue(u.historyProblem().get().endsWith("attempt 1 failed; tried again at 02:00:05 (in 5 s)"), u.historyProblem().get());
        assertEquals(List.of("firing", "unknown"), history(g.fingerprint()), "gone while Prometheus is down: unknown, not resolved");
        assertEquals(List.of(), history(Fingerprints.of(h)));
        clock.advance(step);
        assertTrue(poll(window).historyProblem().orElseThrow().endsWith("attempt 2 failed; tried again at 02:00:15 (in 10 s)"),
                "still down: tried, failed again");
        int asked = am.seriesAsked.get();

        // Prometheus is back: a later poll, once the backoff is over, fills in the same time
        am.prometheusDown = null;
        clock.advance(Duration.ofSeconds(10));
        u = poll(window);
        assertEquals(asked + 1, am.seriesAsked.get());
        assertEquals(List.of("firing/reconstructed", "resolved/reconstructed"), history(Fingerprints.of(h)));
        List<Transition> hs = new SqliteAlertHistory(store).since("ref", T0.minus(Duration.ofDays(1))).join().stream()
                .filter(t -> t.fingerprint().equals(Fingerprints.of(h))).toList();
        assertEquals(T0.minus(Duration.ofMinutes(50)), hs.get(0).at());
        assertEquals(List.of("firing", "unknown"), history(g.fingerprint()),
                "G was judged live (unknown; Prometheus just back has not had the time to scrape): the late backfill does not touch it");
        clock.advance(step);
        u = poll(window);
        assertTrue(u.historyProblem().isEmpty(), u.historyProblem().toString());
        assertEquals(asked + 1, am.seriesAsked.get(), "filled in once");
        clock.advance(Duration.ofSeconds(60));
        poll(window);
        assertEquals(List.of("firing", "unknown", "resolved"), history(g.fingerprint()), "resolved once Prometheus could say");
        assertEquals(asked + 1, am.seriesAsked.get(), "still filled in once");
    }

    /**
     * Prometheus answers but fails the catch-up's query_range (over up to 30 days: perhaps what makes it fail): it is
     * tried again after the poll interval × 2^(n-1), not at every poll, and the pane says which attempt failed and when
     * the next one is; once it works the gap is filled in and no more is asked.
     */
    @Test
    void aBackfillPrometheusFailsIsTriedAgainWithABackoffNotAtEveryPoll() {
        clock.now = T0.minus(Duration.ofHours(1)); // a console looked an hour ago
        poll(service(store));
        clock.now = T0;
        Duration step = Duration.ofSeconds(5);
        Map<String, String> h = Map.of("alertname", "ServiceDown", "service", "h", "severity", "critical");
        am.series.add(new Transitions.Series(h, AlertsCoreTest.run(T0.minus(Duration.ofMinutes(50)), step, 60)));
        am.rangeRefused = "query timed out in expression evaluation";
        AlertsService window = service(store);
        List<Long> triedAt = new java.util.ArrayList<>();
        String third = null;
        for (int i = 0; i <= 120; i++) { // ten minutes of polls every 5 s
            int before = am.seriesAsked.get();
            AlertsService.Update u = poll(window);
            if (am.seriesAsked.get() > before) {
                triedAt.add(Duration.between(T0, clock.instant()).toSeconds());
            }
            assertTrue(u.historyProblem().orElseThrow().contains("(Prometheus: query timed out in expression evaluation)"),
                    u.historyProblem().toString());
            if (triedAt.size() == 3 && third == null) {
                third = u.historyProblem().get();
            }
            clock.advance(step);
        }
        assertEquals(List.of(0L, 5L, 15L, 35L, 75L, 155L, 315L), triedAt, "7 tries in ten minutes, not 121");
        assertTrue(third.endsWith("attempt 3 failed; tried again at 02:00:35 (in 20 s)"), third);
        assertEquals(List.of(), history(Fingerprints.of(h)));

        // Prometheus answers it again: the next try (at 635 s) fills in the gap, then nothing more is asked
        am.rangeRefused = null;
        clock.now = T0.plusSeconds(635);
        AlertsService.Update u = poll(window);
        assertTrue(u.historyProblem().isEmpty(), u.historyProblem().toString());
        assertEquals(List.of("firing/reconstructed", "resolved/reconstructed"), history(Fingerprints.of(h)));
        int asked = am.seriesAsked.get();
        clock.advance(step);
        poll(window);
        assertEquals(asked, am.seriesAsked.get(), "filled in once");

        assertEquals(Duration.ofSeconds(5), AlertsService.catchUpBackoff(step, 1));
        assertEquals(Duration.ofSeconds(640), AlertsService.catchUpBackoff(step, 8));
        assertEquals(AlertsService.MAX_CATCH_UP_BACKOFF, AlertsService.catchUpBackoff(step, 9), "capped");
        assertEquals(AlertsService.MAX_CATCH_UP_BACKOFF, AlertsService.catchUpBackoff(step, 500));
    }

    @Test
    void withPrometheusExternalLabelsOneAlertIsOneHistoryEntryIncludingTheBackfill() {
        // Prometheus adds cluster="eu1" to what it sends Alertmanager; its ALERTS series do not have it
        am.external.put("cluster", "eu1");
        Alert a = FakeAlerts.alert("critical", T0.minusSeconds(30), "alertname", "ServiceDown", "service", "x", "cluster", "eu1");
        am.alerts.add(a);
        clock.now = T0;
        poll(service(store));
        assertEquals(List.of("firing"), history(a.fingerprint()));
        // the console closes for ten minutes while it keeps firing; it opens again and fills the gap in from ALERTS
        Duration step = Duration.ofSeconds(5);
        Map<String, String> own = new TreeMap<>(a.labels());
        own.remove("cluster");
        am.series.add(new Transitions.Series(own, AlertsCoreTest.run(T0.minusSeconds(30), step, 128)));
        clock.now = T0.plus(Duration.ofMinutes(10));
        AlertsService.Update u = poll(service(store));
        assertTrue(u.historyProblem().isEmpty(), u.historyProblem().toString());
        List<Transition> all = new SqliteAlertHistory(store).since("ref", T0.minus(Duration.ofDays(2))).join();
        assertEquals(List.of("firing"), all.stream().map(Transition::event).toList(), "one alert, one entry: " + all);
        assertEquals(a.fingerprint(), all.get(0).fingerprint());
        // it resolves while the console is closed again: the backfill ends the same entry
        am.alerts.clear();
        am.series.clear();
        am.series.add(new Transitions.Series(own, AlertsCoreTest.run(T0.minusSeconds(30), step, 200)));
        clock.now = T0.plus(Duration.ofMinutes(30));
        poll(service(store));
        all = new SqliteAlertHistory(store).since("ref", T0.minus(Duration.ofDays(2))).join();
        assertEquals(List.of("firing", "resolved/reconstructed"), history(a.fingerprint()));
        assertEquals(2, all.size(), all.toString());
        assertEquals("eu1", all.get(1).labels().get("cluster"), "with the labels Alertmanager knows it by");
    }
}
