package io.dutydesk.testing;

import io.dutydesk.adapters.telemetry.PrometheusTelemetry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks' reading of the console's own metrics, against the real endpoint. */
class OwnMetricsTest {
    static final long MS = 1_000_000L;

    @Test
    void aPeriodsLongestGapIsExactWhenTheMaximumRoseAndBoundedByTheBucketsOtherwise() throws Exception {
        try (PrometheusTelemetry t = PrometheusTelemetry.start(0)) {
            t.pulseGap(2_000 * MS); // the launch: the maximum since the start is 2 s from here on
            OwnMetrics.Scrape s0 = OwnMetrics.scrape(t.url());
            for (int i = 0; i < 10; i++) {
                t.pulseGap(16 * MS);
            }
            t.pulseGap(80 * MS);
            OwnMetrics.Scrape s1 = OwnMetrics.scrape(t.url());
            OwnMetrics.Gaps quiet = OwnMetrics.pulseGaps(s0, s1);
            assertEquals(11, quiet.pulses());
            assertEquals(0, quiet.over100ms());
            assertFalse(quiet.exact(), "the maximum since the start (2 s, the launch) did not rise");
            assertEquals(0.075, quiet.lowerSeconds(), 1e-9);
            assertEquals(0.1, quiet.upperSeconds(), 1e-9, "not the launch's 2 s");
            assertEquals("75-100 ms", quiet.longest());

            t.pulseGap(16 * MS);
            t.pulseGap(3_000 * MS);
            t.pulseGap(300 * MS);
            OwnMetrics.Scrape s2 = OwnMetrics.scrape(t.url());
            OwnMetrics.Gaps stalled = OwnMetrics.pulseGaps(s1, s2);
            assertEquals(3, stalled.pulses());
            assertEquals(2, stalled.over100ms());
            assertTrue(stalled.exact());
            assertEquals("3000 ms", stalled.longest());

            OwnMetrics.Gaps none = OwnMetrics.pulseGaps(s2, OwnMetrics.scrape(t.url()));
            assertEquals(0, none.pulses());
            assertEquals("no pulse", none.longest());
        }
    }

    @Test
    void readsGaugesSummedOverLabelsAndTheUrlTheConsolePrints() {
        OwnMetrics.Scrape s = OwnMetrics.parse("""
                # HELP dutydesk_threads Live threads of the JVM
                # TYPE dutydesk_threads gauge
                dutydesk_threads 61.0
                dutydesk_ssh_channels_open{env="ref"} 2.0
                dutydesk_ssh_channels_open{env="ref-single"} 1.0
                dutydesk_process_resident_memory_bytes 3.145728E8
                """);
        assertEquals(61, s.require("dutydesk_threads"));
        assertEquals(3, s.require("dutydesk_ssh_channels_open"));
        assertEquals(300, s.require("dutydesk_process_resident_memory_bytes") / 1048576, 1e-9);
        assertTrue(s.value("dutydesk_ssh_channels_opened_total").isEmpty());
        assertEquals("http://127.0.0.1:41234/metrics", OwnMetrics.urlIn("dutydesk: metrics at http://127.0.0.1:41234/metrics"));
    }
}
