package io.dutydesk.core.alerts;

import io.dutydesk.core.config.Environment;
import io.dutydesk.testing.FakeAlerts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert rules that need no server: matchers, filter, fingerprints, history, grouping, silences. */
class AlertsCoreTest {
    static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
    static final Environment.Alerts CFG = new Environment.Alerts(List.of("alertname"), "severity",
            List.of("critical", "warning", "info"), List.of("critical"), Duration.ofSeconds(5), false, Duration.ofHours(24));

    @Test
    void matchersParseAsPrometheusWritesThem() {
        assertEquals(new Matcher("severity", Matcher.Op.EQ, "critical"), Matcher.parse("severity=\"critical\""));
        assertEquals(new Matcher("service", Matcher.Op.RE, "analysis.*"), Matcher.parse("service=~\"analysis.*\""));
        assertEquals(new Matcher("slot", Matcher.Op.NE, "blue"), Matcher.parse("slot!=blue"));
        assertEquals(new Matcher("x", Matcher.Op.NRE, "a\"b"), Matcher.parse("x!~\"a\\\"b\""));
        Map<String, String> l = Map.of("service", "analysis-worker", "severity", "critical");
        assertTrue(Matcher.parse("service=~\"analysis.*\"").matches(l));
        assertFalse(Matcher.parse("service=~\"analysis\"").matches(l), "regexes are anchored");
        assertTrue(Matcher.parse("slot!=\"blue\"").matches(l), "a missing label is the empty value");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Matcher.parse("service=~\"(\""));
        assertTrue(e.getMessage().contains("not a valid regular expression"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Matcher.parse("just words"));
        assertEquals("a=\"x\\\"y\"", Matcher.eq("a", "x\"y").toString());
    }

    @Test
    void filterTakesMatchersAndWords() {
        Alert down = FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "analysis-worker", "slot", "green");
        Alert rate = FakeAlerts.alert("warning", T0, "alertname", "HighErrorRate", "service", "session-management", "slot", "blue");
        AlertFilter f = AlertFilter.parse("{severity=\"critical\", service=~\"analysis.*\"}");
        assertEquals(2, f.matchers().size());
        assertTrue(f.matches(down));
        assertFalse(f.matches(rate));
        AlertFilter words = AlertFilter.parse("session");
        assertTrue(words.matches(rate));
        assertFalse(words.matches(down));
        AlertFilter mixed = AlertFilter.parse("severity = warning  BLUE");
        assertEquals(1, mixed.matchers().size());
        assertEquals(List.of("blue"), mixed.words());
        assertTrue(mixed.matches(rate));
        assertTrue(AlertFilter.parse("  ").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> AlertFilter.parse("service=\"analysis"));
        assertThrows(IllegalArgumentException.class, () -> AlertFilter.parse("service=~\"[\""));
    }

    @Test
    void fingerprintIsAlertmanagers() {
        // taken from Alertmanager 0.25's answer for these labels
        assertEquals("f3ce3e325aa1bfbd", Fingerprints.of(Map.of("alertname", "DutydeskFpCheck", "severity", "info", "service", "x")));
    }

    @Test
    void generatorUrlGivesTheExpression() {
        assertEquals("up{job=\"services\"} == 0",
                GeneratorUrls.expression("http://127.0.0.1:24090/graph?g0.expr=up%7Bjob%3D%22services%22%7D+%3D%3D+0&g0.tab=1").orElseThrow());
        assertTrue(GeneratorUrls.expression("").isEmpty());
        assertTrue(GeneratorUrls.expression("not a url %%").isEmpty());
    }

    @Test
    void historyFiresSilencesAndResolvesASilencedAlertWhenItDisappears() {
        Alert a = FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "x");
        Transitions.Diff d1 = Transitions.diff(Map.of(), new AlertsFeed("ref", T0.plusSeconds(3), List.of(a)));
        assertEquals(List.of("firing"), events(d1.transitions()));
        assertEquals(T0, d1.transitions().get(0).at(), "fired when Alertmanager says it started");
        Transitions.Diff d2 = Transitions.diff(d1.open(), new AlertsFeed("ref", T0.plusSeconds(8), List.of(FakeAlerts.silencedBy(a, "s1"))));
        assertEquals(List.of("silenced"), events(d2.transitions()));
        Transitions.Diff same = Transitions.diff(d2.open(), new AlertsFeed("ref", T0.plusSeconds(13), List.of(FakeAlerts.silencedBy(a, "s1"))));
        assertTrue(same.transitions().isEmpty(), "nothing changed, nothing recorded");
        // Alertmanager sends no resolution for a silenced alert: it just is not there any more
        Transitions.Diff d3 = Transitions.diff(same.open(), new AlertsFeed("ref", T0.plusSeconds(18), List.of()));
        assertEquals(List.of("resolved"), events(d3.transitions()));
        assertEquals(T0.plusSeconds(18), d3.transitions().get(0).at());
        assertTrue(d3.open().isEmpty());
        Transitions.Diff back = Transitions.diff(d2.open(), new AlertsFeed("ref", T0.plusSeconds(18), List.of(a)));
        assertEquals(List.of("unsilenced"), events(back.transitions()));
    }

    @Test
    void reconstructionFillsTheTimeTheConsoleWasClosed() {
        Instant from = T0;
        Instant to = T0.plus(Duration.ofHours(8));
        Duration step = Duration.ofSeconds(15);
        Map<String, String> fired = Map.of("alertname", "ServiceDown", "service", "a", "severity", "critical");
        Map<String, String> wasOpen = Map.of("alertname", "HighErrorRate", "service", "b", "severity", "warning");
        Map<String, String> stillFiring = Map.of("alertname", "EventProcessingBacklog", "severity", "warning");
        Map<String, String> openGone = Map.of("alertname", "Gone", "severity", "info");
        List<Transitions.Series> series = List.of(
                new Transitions.Series(fired, run(T0.plus(Duration.ofHours(2)), step, 20)),     // fired and resolved at night
                new Transitions.Series(wasOpen, run(T0, step, 40)),                              // open at close, resolved later
                new Transitions.Series(stillFiring, run(T0.plus(Duration.ofHours(7)), step, 240))); // still firing now
        Map<String, Tracked> open = Map.of(
                Fingerprints.of(wasOpen), new Tracked(Fingerprints.of(wasOpen), "HighErrorRate", false, T0.minusSeconds(600), wasOpen),
                Fingerprints.of(openGone), new Tracked(Fingerprints.of(openGone), "Gone", false, T0.minusSeconds(60), openGone));
        List<Transition> ts = Transitions.reconstruct(open, series, from, to, step, Set.of(Fingerprints.of(stillFiring)));
        assertTrue(ts.stream().allMatch(Transition::reconstructed));
        assertEquals(List.of("Gone resolved", "HighErrorRate resolved", "ServiceDown firing", "ServiceDown resolved",
                "EventProcessingBacklog firing"), ts.stream().map(t -> t.alertname() + " " + t.event()).toList());
        Transition sdFired = ts.get(2);
        assertEquals(T0.plus(Duration.ofHours(2)), sdFired.at());
        assertEquals(T0.plus(Duration.ofHours(2)).plus(step.multipliedBy(20)), ts.get(3).at(), "one step after the last firing sample");
        assertEquals(Fingerprints.of(fired), sdFired.fingerprint());

        // resolved seconds before the console opened: the run reaches the end, but Alertmanager no longer has it
        List<Transition> late = Transitions.reconstruct(Map.of(), List.of(new Transitions.Series(fired, run(to.minusSeconds(120), step, 8))),
                from, to, step, Set.of());
        assertEquals(List.of("firing", "resolved"), events(late));
        // one that began at the very end and is not in Alertmanager yet is not called resolved
        List<Transition> fresh = Transitions.reconstruct(Map.of(), List.of(new Transitions.Series(fired, run(to.minusSeconds(10), step, 1))),
                from, to, step, Set.of());
        assertEquals(List.of("firing"), events(fresh));
    }

    static List<Instant> run(Instant start, Duration step, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> start.plus(step.multipliedBy(i))).toList();
    }

    static List<String> events(List<Transition> ts) {
        return ts.stream().map(Transition::event).toList();
    }

    @Test
    void groupsBySeverityThenNewest() {
        Alert oldCrit = FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "a");
        Alert newCrit = FakeAlerts.alert("critical", T0.plusSeconds(60), "alertname", "ServiceDown", "service", "b");
        Alert warn = FakeAlerts.alert("warning", T0.plusSeconds(120), "alertname", "HighErrorRate", "service", "a");
        Alert info = FakeAlerts.alert("info", T0.plusSeconds(180), "alertname", "Watchdog");
        List<AlertGrouping.Group> gs = AlertGrouping.group(List.of(info, oldCrit, warn, newCrit), CFG);
        assertEquals(List.of("ServiceDown", "HighErrorRate", "Watchdog"), gs.stream().map(AlertGrouping.Group::title).toList());
        assertEquals(List.of(newCrit, oldCrit), gs.get(0).alerts());
        Environment.Alerts byService = new Environment.Alerts(List.of("service"), "severity", List.of("page", "ticket"),
                List.of("page"), Duration.ofSeconds(5), false, Duration.ofHours(1));
        Alert page = FakeAlerts.alert("page", T0, "alertname", "ServiceDown", "service", "b");
        assertEquals(List.of("b", "—", "a"), AlertGrouping.group(List.of(info, oldCrit, warn, page), byService).stream()
                .map(AlertGrouping.Group::title).toList(), "a configured severity first; unknown ones after, newest first");
        assertEquals(Map.of("critical", 2L, "warning", 1L, "info", 1L), AlertGrouping.activeBySeverity(List.of(info, oldCrit, warn, newCrit), CFG));
    }

    @Test
    void aSilenceNeedsMatchersACommentAndAnEnd() {
        Instant now = T0;
        SilenceRequest ok = new SilenceRequest(List.of(Matcher.eq("alertname", "ServiceDown")), now, now.plusSeconds(3600), "me@host", "db restart");
        assertTrue(ok.problems().isEmpty());
        assertEquals(List.of("a comment is required (why, and what is being done)"),
                new SilenceRequest(ok.matchers(), now, ok.endsAt(), "me@host", "  ").problems());
        assertTrue(new SilenceRequest(List.of(), now, ok.endsAt(), "me", "c").problems().get(0).contains("matcher"));
        assertTrue(new SilenceRequest(List.of(Matcher.parse("a=~\".*\"")), now, ok.endsAt(), "me", "c").problems().get(0)
                .contains("every alert"));
        assertTrue(new SilenceRequest(ok.matchers(), now, now, "me", "c").problems().get(0).contains("end"));
    }

    @Test
    void aSilenceThatWouldSilenceEverythingIsRefusedWithTheReason() {
        Instant now = T0;
        for (String everything : List.of("alertname=~\".+\"", "alertname=~\".*\"", "alertname!~\"x\"", "alertname!=\"Watchdog\"",
                "service=~\"\\\\S+\"", "slot=~\"[^x]*\"", "alertname=~\".+|ServiceDown\"", "team=\"\"")) {
            List<String> p = new SilenceRequest(List.of(Matcher.parse(everything)), now, now.plusSeconds(3600), "me", "c").problems();
            assertEquals(1, p.size(), everything + ": " + p);
            assertTrue(p.get(0).startsWith("the matchers would silence every alert (" + Matcher.parse(everything)), p.get(0));
            assertTrue(p.get(0).contains("at least one must select alerts by a value"), p.get(0));
        }
        assertTrue(new SilenceRequest(List.of(Matcher.parse("alertname=~\".+\""), Matcher.parse("severity!=\"info\"")), now,
                now.plusSeconds(60), "me", "c").problems().get(0).contains("alertname=~\".+\" matches any value; "
                + "severity!=\"info\" matches every value but the ones it names"));
        // one matcher that names the alerts is enough; regexes that match only some values select
        for (String some : List.of("alertname=\"ServiceDown\"", "alertname=~\"Service.*\"", "instance=~\".*:9100\"",
                "severity=~\"critical|warning\"")) {
            assertTrue(new SilenceRequest(List.of(Matcher.parse("alertname=~\".+\""), Matcher.parse(some)), now, now.plusSeconds(60),
                    "me", "c").problems().isEmpty(), some);
        }
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(150), SilenceDurations.parse("2h30m"));
        assertEquals(Duration.ofDays(1), SilenceDurations.parse("1d"));
        assertEquals(Duration.ofHours(12), SilenceDurations.parse(" 12h "));
        assertThrows(IllegalArgumentException.class, () -> SilenceDurations.parse("2 hours"));
        assertThrows(IllegalArgumentException.class, () -> SilenceDurations.parse("0m"));
        ZoneId z = ZoneId.of("Europe/Berlin");
        Instant lateEvening = Instant.parse("2026-11-22T22:30:00Z"); // 23:30 in Berlin
        assertEquals(Instant.parse("2026-11-23T08:00:00Z"), SilenceDurations.tomorrowAt(lateEvening, z, LocalTime.of(9, 0)));
        assertEquals("4h", SilenceDurations.format(Duration.ofHours(4)));
        assertEquals("1d 2h 5m", SilenceDurations.format(Duration.ofMinutes(1565)));
    }

    @Test
    void aFiringCriticalAlertNotifiesOncePerFingerprintAndStart() {
        AlertNotifications n = new AlertNotifications();
        Alert crit = FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "a");
        Alert warn = FakeAlerts.alert("warning", T0, "alertname", "HighErrorRate", "service", "a");
        AlertsFeed feed = new AlertsFeed("ref", T0, List.of(crit, warn));
        var first = n.after(CFG, feed);
        assertEquals(1, first.size(), "the warning does not notify");
        assertTrue(first.get(0).title().contains("ServiceDown"));
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(5), List.of(crit, warn))).isEmpty(), "still firing is not new");
        // gone for a while (Alertmanager dropped it while Prometheus was down), back with the same start: the same firing
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(60), List.of(warn))).isEmpty());
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(90), List.of(crit, warn))).isEmpty());
        // resolved, then firing again later: a new start, a new incident, notified again
        Alert again = FakeAlerts.alert("critical", T0.plusSeconds(600), "alertname", "ServiceDown", "service", "a");
        assertEquals(again.fingerprint(), crit.fingerprint());
        assertEquals(1, n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(620), List.of(again))).size());
        // the same alert on another environment is another alert
        assertEquals(1, n.after(CFG, new AlertsFeed("prod", T0.plusSeconds(620), List.of(again))).size());
        // a burst makes one notice
        List<Alert> many = java.util.stream.IntStream.range(0, 5)
                .mapToObj(i -> FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "s" + i)).toList();
        var notices = n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(700), many));
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).title().startsWith("5 new critical alerts"), notices.get(0).title());
        // a silenced new alert does not notify
        Alert quiet = FakeAlerts.silencedBy(FakeAlerts.alert("critical", T0, "alertname", "Other"), "s9");
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(700), List.of(quiet))).isEmpty());
    }

    /** A critical alert first seen silenced notifies when the silence ends and it still fires (once), not never. */
    @Test
    void aCriticalFirstSeenSilencedNotifiesWhenTheSilenceEndsAndItStillFires() {
        AlertNotifications n = new AlertNotifications();
        Alert firing = FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "b");
        Alert silenced = FakeAlerts.silencedBy(firing, "s1");
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0, List.of(silenced))).isEmpty(), "silenced: no notice");
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(5), List.of(silenced))).isEmpty());
        // the silence expires; the same firing (same start) goes on
        var notices = n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(3600), List.of(firing)));
        assertEquals(1, notices.size(), "unsilenced while it fires: notified");
        assertTrue(notices.get(0).title().contains("ServiceDown"));
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(3605), List.of(firing))).isEmpty(), "once");
        // silenced again and unsilenced again: already notified of this firing
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(3610), List.of(silenced))).isEmpty());
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(3615), List.of(firing))).isEmpty());
        // a warning is never remembered nor notified
        Alert warn = FakeAlerts.alert("warning", T0, "alertname", "HighErrorRate", "service", "b");
        assertTrue(n.after(CFG, new AlertsFeed("ref", T0.plusSeconds(3620), List.of(warn))).isEmpty());
    }
}
