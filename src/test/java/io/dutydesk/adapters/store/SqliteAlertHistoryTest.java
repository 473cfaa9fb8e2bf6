package io.dutydesk.adapters.store;

import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.testing.FakeAlerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert history in the one local store: transitions, the open alerts, two consoles on one file. */
class SqliteAlertHistoryTest {
    static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
    @TempDir
    Path tmp;

    @Test
    void recordsOnlyChangesEvenWithTwoConsolesOnOneFile() throws Exception {
        Path file = tmp.resolve("dutydesk.db");
        Alert a = FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "x");
        try (SqliteStore s1 = SqliteStore.open(file); SqliteStore s2 = SqliteStore.open(file)) {
            SqliteAlertHistory window = new SqliteAlertHistory(s1);
            SqliteAlertHistory cli = new SqliteAlertHistory(s2);
            assertEquals(List.of("firing"), events(window.observe(new AlertsFeed("ref", T0.plusSeconds(5), List.of(a))).get(5, TimeUnit.SECONDS)));
            assertTrue(cli.observe(new AlertsFeed("ref", T0.plusSeconds(6), List.of(a))).get(5, TimeUnit.SECONDS).isEmpty(),
                    "the other process knows it fires already");
            assertTrue(window.observe(new AlertsFeed("other-env", T0.plusSeconds(6), List.of())).get(5, TimeUnit.SECONDS).isEmpty());
            assertEquals(List.of("silenced"), events(cli.observe(new AlertsFeed("ref", T0.plusSeconds(9),
                    List.of(FakeAlerts.silencedBy(a, "s1")))).get(5, TimeUnit.SECONDS)));
            List<Transition> resolved = window.observe(new AlertsFeed("ref", T0.plusSeconds(12), List.of())).get(5, TimeUnit.SECONDS);
            assertEquals(List.of("resolved"), events(resolved));
            assertEquals("x", resolved.get(0).labels().get("service"), "the resolution carries the alert's labels");
            assertTrue(cli.observe(new AlertsFeed("ref", T0.plusSeconds(13), List.of())).get(5, TimeUnit.SECONDS).isEmpty());
            assertEquals(T0.plusSeconds(13), cli.lastPoll("ref").get(5, TimeUnit.SECONDS).orElseThrow());
            assertEquals(List.of("firing", "silenced", "resolved"),
                    events(window.since("ref", T0.minusSeconds(60)).get(5, TimeUnit.SECONDS)));
            assertEquals(List.of("silenced", "resolved"), events(window.since("ref", T0.plusSeconds(8)).get(5, TimeUnit.SECONDS)));
        }
        try (SqliteStore again = SqliteStore.open(file)) {
            assertEquals(3, new SqliteAlertHistory(again).since("ref", T0.minusSeconds(60)).get(5, TimeUnit.SECONDS).size(),
                    "kept across restarts");
            assertEquals(SqliteAlertHistory.MIGRATIONS.size(), again.version(SqliteAlertHistory.COMPONENT).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void reconstructedTransitionsApplyToTheOpenAlerts() throws Exception {
        Alert a = FakeAlerts.alert("critical", T0, "alertname", "ServiceDown", "service", "x");
        try (SqliteStore s = SqliteStore.open(tmp.resolve("d.db"))) {
            SqliteAlertHistory h = new SqliteAlertHistory(s);
            h.observe(new AlertsFeed("ref", T0, List.of(a))).get(5, TimeUnit.SECONDS);
            h.record("ref", List.of(
                    new Transition(a.fingerprint(), "ServiceDown", Transition.FIRING, T0.plusSeconds(30), Transition.RECONSTRUCTED, a.labels()),
                    new Transition(a.fingerprint(), "ServiceDown", Transition.RESOLVED, T0.plusSeconds(60), Transition.RECONSTRUCTED, a.labels()),
                    new Transition("b", "B", Transition.FIRING, T0.plusSeconds(70), Transition.RECONSTRUCTED, java.util.Map.of()),
                    new Transition("b", "B", Transition.RESOLVED, T0.plusSeconds(80), Transition.RECONSTRUCTED, java.util.Map.of())))
                    .get(5, TimeUnit.SECONDS);
            // the same reconstruction again (a second catch-up) records nothing
            h.record("ref", List.of(
                    new Transition("b", "B", Transition.FIRING, T0.plusSeconds(70), Transition.RECONSTRUCTED, java.util.Map.of()),
                    new Transition("b", "B", Transition.RESOLVED, T0.plusSeconds(80), Transition.RECONSTRUCTED, java.util.Map.of())))
                    .get(5, TimeUnit.SECONDS);
            List<Transition> all = h.since("ref", T0.minusSeconds(1)).get(5, TimeUnit.SECONDS);
            assertEquals(List.of("ServiceDown firing console", "ServiceDown resolved reconstructed", "B firing reconstructed",
                    "B resolved reconstructed"), all.stream().map(t -> t.alertname() + " " + t.event() + " " + t.source()).toList(),
                    "a firing it already knows is not recorded twice");
            assertTrue(h.open("ref").get(5, TimeUnit.SECONDS).isEmpty());
        }
    }

    static List<String> events(List<Transition> ts) {
        return ts.stream().map(Transition::event).toList();
    }
}
