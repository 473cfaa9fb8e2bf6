package io.dutydesk.ui.fx;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A pane's navigation badge from the newest check run's and the pane's own state (the window trial: the Outbox badge
 * said the run's "ok" beside the pane's "PostgreSQL down"): the badge never says better than the pane on the screen.
 */
class PaneStateTest {
    static final Instant RUN = Instant.parse("2026-03-10T07:30:00Z");
    static final NavBadge OK = new NavBadge("pass", "ok", "pending 5 < 100 (as of the check at 08:30)");
    static final NavBadge FAIL = new NavBadge("fail", "fail", "pending 1200 ≥ 1000 (as of the check at 08:30)");
    static final NavBadge DOWN = new NavBadge("unknown", "down", "PostgreSQL down; last answer at 08:31:10 (as the pane shows it)");
    static final NavBadge PANE_OK = new NavBadge("pass", "ok", "fine (as the pane shows it)");
    static final NavBadge PANE_WARN = new NavBadge("warn", "warn", "watch it (≥ 100) (as the pane shows it)");

    @Test
    void aReadOfThePaneNewerThanTheRunIsTheBadge() {
        assertSame(DOWN, PaneState.badge(OK, RUN, new PaneState(DOWN, RUN.plusSeconds(70), true)), "never the run's ok beside a down banner");
        assertSame(DOWN, PaneState.badge(OK, RUN, new PaneState(DOWN, RUN.plusSeconds(70), false)), "hidden too: the newest it knows");
        assertSame(PANE_OK, PaneState.badge(FAIL, RUN, new PaneState(PANE_OK, RUN.plusSeconds(70), true)),
                "read again since: the pane's, not the morning's fail");
        assertSame(DOWN, PaneState.badge(OK, RUN, new PaneState(DOWN, RUN, true)), "as new as the run: the pane's");
    }

    @Test
    void aRunNewerThanThePaneOnTheScreenIsNeverBetterThanIt() {
        assertSame(DOWN, PaneState.badge(OK, RUN, new PaneState(DOWN, RUN.minusSeconds(5), true)), "on the screen: never better");
        assertSame(FAIL, PaneState.badge(FAIL, RUN, new PaneState(PANE_WARN, RUN.minusSeconds(5), true)), "the worse of the two");
        assertSame(PANE_WARN, PaneState.badge(OK, RUN, new PaneState(PANE_WARN, RUN.minusSeconds(5), true)));
    }

    @Test
    void aHiddenPaneOlderThanTheRunLeavesTheRunsBadge() {
        // hidden, it reads nothing: the run is the newer knowledge; shown again, it is on the screen (never better) and reads
        assertSame(OK, PaneState.badge(OK, RUN, new PaneState(DOWN, RUN.minusSeconds(5), false)));
        assertSame(DOWN, PaneState.badge(OK, RUN, new PaneState(DOWN, RUN.minusSeconds(5), false).shown(true)));
    }

    @Test
    void withoutARunOrAPaneStateTheOther() {
        assertSame(DOWN, PaneState.badge(null, null, new PaneState(DOWN, RUN, false)));
        assertSame(OK, PaneState.badge(OK, RUN, null));
        assertEquals(null, PaneState.badge(null, null, null));
    }
}
