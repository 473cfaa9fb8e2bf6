package io.dutydesk.adapters.alertmanager;

import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.Silence;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.ports.AlertsPort.AlertmanagerException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alertmanager API v2's JSON as Alertmanager 0.25 writes it; anything else is an error, not an empty feed. */
class AlertmanagerJsonTest {
    final AlertmanagerJson json = new AlertmanagerJson("severity");

    static final String ALERTS = """
            [{"annotations":{"description":"127.0.0.1:24113/health has failed for 10 seconds.","summary":"analysis-worker (green) is down"},
              "endsAt":"2026-11-22T22:04:39.318Z","fingerprint":"0a1b2c3d4e5f6071","receivers":[{"name":"oncall"}],
              "startsAt":"2026-11-22T22:00:39.318Z",
              "status":{"inhibitedBy":[],"silencedBy":["7f0c"],"state":"suppressed"},"updatedAt":"2026-11-22T22:00:39.321Z",
              "generatorURL":"http://127.0.0.1:24090/graph?g0.expr=service_healthy+%3D%3D+0&g0.tab=1",
              "labels":{"alertname":"ServiceDown","severity":"critical","service":"analysis-worker","slot":"green"}}]""";

    @Test
    void readsAlerts() {
        List<Alert> as = json.alerts(ALERTS);
        assertEquals(1, as.size());
        Alert a = as.get(0);
        assertEquals("ServiceDown", a.alertname());
        assertEquals("critical", a.severity());
        assertEquals("suppressed", a.state());
        assertEquals(List.of("7f0c"), a.silencedBy());
        assertEquals(Instant.parse("2026-11-22T22:00:39.318Z"), a.startsAt());
        assertEquals("analysis-worker (green) is down", a.annotation("summary"));
        assertEquals("service_healthy == 0", a.expression().orElseThrow());
        assertEquals(List.of("alertname", "service", "severity", "slot"), List.copyOf(a.labels().keySet()), "labels sorted");
    }

    /** /api/v2/status as Alertmanager 0.2x answers it: its "uptime" is when it started. */
    @Test
    void readsWhenAlertmanagerStarted() {
        String status = """
                {"cluster":{"name":"01H","peers":[],"status":"disabled"},"config":{"original":"route: {}"},
                 "uptime":"2026-12-03T12:00:01.123Z","versionInfo":{"version":"0.26.0"}}""";
        assertEquals(Instant.parse("2026-12-03T12:00:01.123Z"), AlertmanagerJson.startedAt(status));
        AlertmanagerException e = assertThrows(AlertmanagerException.class, () -> AlertmanagerJson.startedAt("{\"cluster\":{}}"));
        assertEquals("Alertmanager's answer is malformed (a status without its uptime): {\"cluster\":{}}", e.getMessage());
    }

    @Test
    void severityLabelIsConfigurable() {
        Alert a = new AlertmanagerJson("slot").alerts(ALERTS).get(0);
        assertEquals("green", a.severity());
    }

    @Test
    void garbageIsAnErrorNeverAnEmptyFeed() {
        AlertmanagerException e = assertThrows(AlertmanagerException.class, () -> json.alerts("<html>502 Bad Gateway</html>"));
        assertTrue(e.getMessage().startsWith("Alertmanager's answer is malformed (not JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("<html>502 Bad Gateway</html>"), e.getMessage());
        assertThrows(AlertmanagerException.class, () -> json.alerts("{\"status\":\"success\"}"));
        assertThrows(AlertmanagerException.class, () -> json.alerts("[{\"labels\":{}}]"));
        assertThrows(AlertmanagerException.class, () -> json.alerts(""));
        assertThrows(AlertmanagerException.class, () -> json.alerts("[{\"labels\":{},\"status\":{},\"fingerprint\":\"x\",\"startsAt\":\"yesterday\"}]"));
    }

    @Test
    void silencesBothWays() {
        SilenceRequest r = new SilenceRequest(List.of(Matcher.eq("alertname", "ServiceDown"), Matcher.parse("service=~\"analysis.*\"")),
                Instant.parse("2026-11-22T22:00:00Z"), Instant.parse("2026-11-22T23:00:00Z"), "me@host", "restarting");
        String body = json.silenceBody(r);
        assertTrue(body.contains("\"name\":\"service\",\"value\":\"analysis.*\",\"isRegex\":true,\"isEqual\":true"), body);
        assertTrue(body.contains("\"createdBy\":\"me@host\""), body);
        assertEquals("abc-123", json.silenceId("{\"silenceID\":\"abc-123\"}"));
        List<Silence> ss = json.silences("""
                [{"id":"abc-123","status":{"state":"active"},"updatedAt":"2026-11-22T22:00:00.000Z","comment":"restarting",
                  "createdBy":"me@host","endsAt":"2026-11-22T23:00:00.000Z","startsAt":"2026-11-22T22:00:00.000Z",
                  "matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"ServiceDown"},
                              {"isEqual":false,"isRegex":true,"name":"slot","value":"bl.*"}]}]""");
        assertEquals("alertname=\"ServiceDown\", slot!~\"bl.*\"", ss.get(0).matchersText());
        assertTrue(ss.get(0).active());
    }

    @Test
    void refusalsInAlertmanagersWords() {
        assertEquals("silence invalid: invalid label matcher 0", AlertmanagerJson.message("\"silence invalid: invalid label matcher 0\"\n"));
        assertEquals("bad things", AlertmanagerJson.message("{\"code\":500,\"message\":\"bad things\"}"));
        assertEquals("silence not found", AlertmanagerJson.message("silence not found\n"));
        assertEquals("(no message)", AlertmanagerJson.message(""));
    }
}
