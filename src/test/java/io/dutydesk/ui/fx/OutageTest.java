package io.dutydesk.ui.fx;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The one way an outage is said (the header, the status bar, the panes): by the last answer, never the first failed check
 * as "since" — the window trial saw "stale since T1" in the header and "down since T2" in the status bar for one outage.
 */
class OutageTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:05Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void anOutageIsNamedByItsLastAnswer() {
        Instant last = NOW.minusSeconds(65);
        assertEquals("last answer at 11:59:00", Outage.lastAnswer(last, CLOCK));
        assertEquals("down; last answer at 11:59:00", Outage.down(last, CLOCK));
        assertEquals("misconfigured; last good answer at 11:59:00", Outage.misconfigured(last, CLOCK));
        assertEquals(Outage.down(last, CLOCK), Outage.of(false, last, CLOCK));
        assertEquals(Outage.misconfigured(last, CLOCK), Outage.of(true, last, CLOCK));
        assertEquals("first failed check at 11:59:05", Outage.firstFailure(last.plusSeconds(5), CLOCK), "said apart, labelled");
    }

    @Test
    void neverAnsweredAnotherDayAndTheClocksZone() {
        assertEquals("down; no answer yet", Outage.down(null, CLOCK));
        assertEquals("misconfigured; no good answer yet", Outage.misconfigured(null, CLOCK));
        assertEquals("", Outage.firstFailure(null, CLOCK));
        assertEquals("down; last answer at Nov 21 23:59:58", Outage.down(Instant.parse("2026-11-21T23:59:58Z"), CLOCK));
        assertEquals("down; last answer at 13:00:05", Outage.down(NOW, Clock.fixed(NOW, ZoneId.of("Europe/Berlin"))));
        assertEquals("down; last answer at 11:00:05", Outage.down(NOW.minus(Duration.ofHours(1)), CLOCK));
    }
}
