package io.dutydesk.ui.chart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ValueUnitTest {
    @Test
    void unitsPickOneScaleForTheAxis() {
        assertEquals("1.5 MiB", ValueUnit.BYTES.format(1.5 * 1024 * 1024));
        assertEquals("512 B", ValueUnit.BYTES.format(512));
        assertEquals("250 ms", ValueUnit.SECONDS.format(0.25));
        assertEquals("12 µs", ValueUnit.SECONDS.format(0.000012));
        assertEquals("5 min", ValueUnit.SECONDS.format(300));
        assertEquals("2.5%", ValueUnit.RATIO.format(0.025));
        assertEquals("45%", ValueUnit.PERCENT.format(45));
        assertEquals("1.23k", ValueUnit.SI.format(1234));
        assertEquals("3M", ValueUnit.SI.format(3_000_000));
        // axis labels share the scale of the largest tick, decimals from the step
        assertEquals("0.5k", ValueUnit.SI.format(500, 2000, 500));
        // a 0.25k step keeps its two decimals: the outbox chart printed 0.3k and 0.8k for 250 and 750
        assertEquals("0.25k", ValueUnit.SI.format(250, 1250, 250));
        assertEquals("0.75k", ValueUnit.SI.format(750, 1250, 250));
        assertEquals("0.0%", ValueUnit.RATIO.format(0, 0.05, 0.005));
        assertEquals("2.5%", ValueUnit.RATIO.format(0.025, 0.05, 0.005));
        assertEquals("0", ValueUnit.NONE.format(0, 10, 2));
    }

    @Test
    void guessFromPrometheusNames() {
        assertEquals(ValueUnit.BYTES, ValueUnit.guess("process_resident_memory_bytes"));
        assertEquals(ValueUnit.SECONDS, ValueUnit.guess("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))"));
        assertEquals(ValueUnit.SI, ValueUnit.guess("rate(http_requests_total[5m])"));
    }

    @Test
    void niceTicks() {
        ValueTicks.Axis a = ValueTicks.axis(0, 93, 6, ValueUnit.NONE);
        assertEquals(0, a.min());
        assertEquals(20, a.step());
        assertEquals(100, a.max());
        ValueTicks.Axis b = ValueTicks.axis(0, 3.1 * 1024 * 1024, 5, ValueUnit.BYTES);
        assertEquals(1024 * 1024, b.step());
    }
}
