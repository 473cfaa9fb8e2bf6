package io.dutydesk.ui.chart;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeTicksTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final long H = 3_600_000L;

    static long at(String local, ZoneId z) {
        return ZonedDateTime.of(LocalDateTime.parse(local), z).toInstant().toEpochMilli();
    }

    static List<String> labels(List<TimeTicks.Tick> ticks) {
        return ticks.stream().map(TimeTicks.Tick::label).toList();
    }

    @Test
    void hourlyTicksAcrossSpringForwardSkip0200AndStayOneHourApart() {
        // 2026-03-29 02:00 CET -> 03:00 CEST
        long from = at("2026-03-29T00:30:00", BERLIN);
        long to = at("2026-03-29T05:30:00", BERLIN);
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, to, H, BERLIN);
        assertEquals(List.of("01:00", "03:00", "04:00", "05:00"), labels(ticks));
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(H, ticks.get(i).millis() - ticks.get(i - 1).millis(), "one real hour apart");
        }
    }

    @Test
    void hourlyTicksAcrossFallBackShow0200Twice() {
        // 2026-10-25 03:00 CEST -> 02:00 CET
        long from = at("2026-10-25T00:30:00", BERLIN);
        long to = from + 5 * H;
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, to, H, BERLIN);
        assertEquals(List.of("01:00", "02:00", "02:00", "03:00", "04:00"), labels(ticks));
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(H, ticks.get(i).millis() - ticks.get(i - 1).millis());
        }
    }

    @Test
    void sixHourlyTicksStayOnLocalWallClockAcrossDst() {
        long from = at("2026-03-28T23:00:00", BERLIN);
        long to = at("2026-03-30T01:00:00", BERLIN);
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, to, 6 * H, BERLIN);
        assertEquals(List.of("Sun 29 Mar", "06:00", "12:00", "18:00", "Mon 30 Mar"), labels(ticks));
        assertEquals(5 * H, ticks.get(1).millis() - ticks.get(0).millis(), "the night with 23 hours");
        for (TimeTicks.Tick t : ticks) {
            assertEquals(0, Instant.ofEpochMilli(t.millis()).atZone(BERLIN).getHour() % 6);
        }
    }

    @Test
    void dailyTicksAreLocalMidnightsAcrossA25HourDay() {
        long from = at("2026-10-24T12:00:00", BERLIN);
        long to = at("2026-10-27T12:00:00", BERLIN);
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, to, 24 * H, BERLIN);
        assertEquals(List.of("Sun 25 Oct", "Mon 26 Oct", "Tue 27 Oct"), labels(ticks));
        assertEquals(25 * H, ticks.get(1).millis() - ticks.get(0).millis());
        ticks.forEach(t -> assertTrue(t.major()));
    }

    @Test
    void ticksAreStrictlyIncreasingInsideTheRangeForEveryStepAndZone() {
        for (String zone : new String[] {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe"}) {
            ZoneId z = ZoneId.of(zone);
            long from = at("2026-03-07T10:17:23", z);
            for (long span : new long[] {60_000, 15 * 60_000, H, 6 * H, 24 * H, 7 * 24 * H, 40L * 24 * H, 400L * 24 * H}) {
                List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, from + span, 1200, 90, z);
                assertFalse(ticks.isEmpty(), zone + " " + span);
                assertTrue(ticks.size() <= 1200 / 90 + 2, zone + " " + span + ": " + ticks.size());
                for (int i = 0; i < ticks.size(); i++) {
                    long t = ticks.get(i).millis();
                    assertTrue(t >= from && t <= from + span);
                    if (i > 0) {
                        assertTrue(t > ticks.get(i - 1).millis());
                    }
                }
            }
        }
    }

    @Test
    void minuteTicksAreAlignedOnTheWallClockInAQuarterHourZone() {
        ZoneId kathmandu = ZoneId.of("Asia/Kathmandu"); // +05:45
        long from = at("2026-05-01T10:07:00", kathmandu);
        List<TimeTicks.Tick> ticks = TimeTicks.ticks(from, from + H, 15 * 60_000, kathmandu);
        assertEquals(List.of("10:15", "10:30", "10:45", "11:00"), labels(ticks));
    }

    @Test
    void theStepKeepsTicksApart() {
        assertEquals(2 * 60_000, TimeTicks.step(15 * 60_000, 1200, 90), "15 one-minute ticks would be closer than 90 px");
        assertEquals(2 * H, TimeTicks.step(24 * H, 1200, 90));
        assertEquals(60_000, TimeTicks.step(10 * 60_000, 1200, 90));
        assertEquals(24 * H, TimeTicks.step(7 * 24 * H, 1200, 90));
    }
}
