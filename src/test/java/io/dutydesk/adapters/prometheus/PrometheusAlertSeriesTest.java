package io.dutydesk.adapters.prometheus;

import io.dutydesk.core.alerts.RuleEvaluation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus's answers as the alerts' source: its rules API, its configuration's external labels, its newest scrape. */
class PrometheusAlertSeriesTest {
    @Test
    void rulesGiveEachGroupsLastEvaluationAndEachRulesHealthAndHeldAlerts() {
        String body = """
                {"status":"success","data":{"groups":[
                 {"name":"selfology","file":"/r.yml","interval":5,"evaluationTime":0.001,
                  "lastEvaluation":"2026-11-22T03:00:04.123456789+01:00","rules":[
                   {"state":"firing","name":"ServiceDown","query":"service_healthy == 0","duration":10,"health":"ok",
                    "type":"alerting","lastEvaluation":"2026-11-22T03:00:04.1+01:00","alerts":[
                     {"labels":{"alertname":"ServiceDown","service":"x","severity":"critical"},"state":"firing",
                      "activeAt":"2026-11-22T01:59:00Z","value":"0e+00"},
                     {"labels":{"alertname":"ServiceDown","service":"y","severity":"critical"},"state":"pending",
                      "activeAt":"2026-11-22T02:00:00Z","value":"0e+00"}]},
                   {"state":"inactive","name":"HighErrorRate","query":"x","duration":15,"health":"err",
                    "lastError":"query timed out in expression evaluation","type":"alerting","alerts":[]},
                   {"name":"job:up:sum","query":"sum(up)","health":"ok","type":"recording"}]},
                 {"name":"fresh","file":"/r.yml","interval":30,"lastEvaluation":"0001-01-01T00:00:00Z","rules":[]},
                 {"name":"old","file":"/r.yml","interval":15,"rules":[]}]}}
                """;
        List<RuleEvaluation.Group> gs = PrometheusAlertSeries.parseRules(200, body);
        assertEquals(3, gs.size());
        RuleEvaluation.Group g = gs.get(0);
        assertEquals(Duration.ofSeconds(5), g.interval());
        assertEquals(Instant.parse("2026-11-22T02:00:04.123456789Z"), g.lastEvaluation());
        assertEquals(List.of("ServiceDown", "HighErrorRate"), g.rules().stream().map(RuleEvaluation.Rule::name).toList(),
                "alerting rules only");
        assertEquals(List.of("firing", "pending"), g.rules().get(0).alerts().stream().map(RuleEvaluation.Held::state).toList());
        assertEquals("x", g.rules().get(0).alerts().get(0).labels().get("service"));
        assertEquals("err", g.rules().get(1).health());
        assertEquals("query timed out in expression evaluation", g.rules().get(1).lastError());
        assertNull(gs.get(1).lastEvaluation(), "Go's zero time: never evaluated");
        assertTrue(g.evaluationReported() && gs.get(1).evaluationReported());
        assertNull(gs.get(2).lastEvaluation());
        assertTrue(!gs.get(2).evaluationReported(), "no lastEvaluation at all (a Prometheus before it was reported): unknown");
        assertThrows(IllegalStateException.class, () -> PrometheusAlertSeries.parseRules(503, "Service Unavailable"));
    }

    @Test
    void externalLabelsComeFromTheConfigurationPrometheusRuns() {
        String body = "{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n  scrape_interval: 5s\\n  external_labels:\\n"
                + "    cluster: refhost\\n    replica: \\\"1\\\"\\nrule_files:\\n- /r.yml\\n\"}}";
        assertEquals(Map.of("cluster", "refhost", "replica", "1"), PrometheusAlertSeries.parseExternalLabels(200, body));
        assertEquals(Map.of(), PrometheusAlertSeries.parseExternalLabels(200,
                "{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n  scrape_interval: 5s\\n\"}}"));
    }

    @Test
    void theNewestScrapeTheNewestAnsweredAndPrometheussClock() {
        Instant[] r = PrometheusAlertSeries.parseLastScrape(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{\"scrape\":\"any\"},\"value\":[1795831204.5,\"1795831201.25\"]},"
                + "{\"metric\":{\"scrape\":\"answered\"},\"value\":[1795831204.5,\"1795831199.75\"]},"
                + "{\"metric\":{\"scrape\":\"none\"},\"value\":[1795831204.5,\"-1\"]}]}}");
        assertEquals(Instant.ofEpochMilli(1_795_831_204_500L), r[0]);
        assertEquals(Instant.ofEpochMilli(1_795_831_201_250L), r[1]);
        assertEquals(Instant.ofEpochMilli(1_795_831_199_750L), r[2]);
        // every target down: scraped, none answered
        Instant[] down = PrometheusAlertSeries.parseLastScrape(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{\"scrape\":\"any\"},\"value\":[1795831204.5,\"1795831201.25\"]},"
                + "{\"metric\":{\"scrape\":\"none\"},\"value\":[1795831204.5,\"-1\"]}]}}");
        assertEquals(Instant.ofEpochMilli(1_795_831_201_250L), down[1]);
        assertNull(down[2], "no target answered");
        Instant[] none = PrometheusAlertSeries.parseLastScrape(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{\"scrape\":\"none\"},\"value\":[1795831204.5,\"-1\"]}]}}");
        assertEquals(Instant.ofEpochMilli(1_795_831_204_500L), none[0], "the clock, always");
        assertNull(none[1], "nothing scraped within the lookback");
        assertNull(none[2]);
        assertThrows(IllegalStateException.class, () -> PrometheusAlertSeries.parseLastScrape(200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        // the sample's own time (of the selector), never the evaluation's (timestamp(up == 1) would give that)
        assertTrue(PrometheusAlertSeries.LAST_SCRAPE.contains("max(timestamp(up) and up == 1)"), PrometheusAlertSeries.LAST_SCRAPE);
    }

    /** Prometheus's flags give its resend delay as a Go duration. */
    @org.junit.jupiter.api.Test
    void readsGoDurations() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(3)), PrometheusAlertSeries.goDuration("3s"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(90)), PrometheusAlertSeries.goDuration("1m30s"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(java.time.Duration.ofMinutes(1)), PrometheusAlertSeries.goDuration("1m0s"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(java.time.Duration.ofMillis(500)), PrometheusAlertSeries.goDuration("500ms"));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.empty(), PrometheusAlertSeries.goDuration(""));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.empty(), PrometheusAlertSeries.goDuration("3 s"));
    }
}
