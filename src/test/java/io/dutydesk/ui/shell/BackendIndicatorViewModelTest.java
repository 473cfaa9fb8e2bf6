package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status bar's latency: a bound that holds, not a figure that changes (and repaints the bar) at every poll. */
class BackendIndicatorViewModelTest {
    private static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

    private static BackendStatus ok(long ms) {
        return new BackendStatus(Backend.DOCKER, BackendStatus.State.OK, ms, null, T, null, T);
    }

    @Test
    void fastReadsOkASlowAnswerShowsItsBoundAtOnceAndGoesAfterAMinute() {
        BackendIndicatorViewModel vm = new BackendIndicatorViewModel(Backend.DOCKER, Clock.fixed(T, ZoneOffset.UTC));
        List<String> shown = new ArrayList<>();
        vm.textProperty().addListener((o, a, b) -> shown.add(b));
        for (long ms : new long[] {4, 6, 3, 4, 7, 5, 9, 40, 3, 12, 6, 8}) {
            vm.show(ok(ms));
        }
        assertEquals(List.of("ok"), shown, "twelve answers between 3 and 40 ms: one text, not twelve");
        assertTrue(vm.detailsProperty().get().contains("answered in 8 ms") && vm.detailsProperty().get().contains("slowest of its last 12 answers: 40 ms"),
                vm.detailsProperty().get());

        shown.clear();
        vm.show(ok(150));
        vm.show(ok(120));
        vm.show(ok(90));
        assertEquals(List.of("<200 ms"), shown, "slow: its bound, at once, kept while the slow answer is among the last");
        for (int i = 0; i < BackendIndicatorViewModel.RECENT; i++) {
            vm.show(ok(2));
        }
        assertEquals(List.of("<200 ms", "ok"), shown, "fast again for a minute");
        shown.clear();
        vm.show(ok(1500));
        assertEquals(List.of("<2 s"), shown);

        shown.clear();
        vm.show(new BackendStatus(Backend.DOCKER, BackendStatus.State.DOWN, -1, "refused", T, T, T.minusSeconds(5)));
        vm.show(ok(3));
        assertEquals(List.of("down; last answer at 09:59:55", "ok"), shown, "the state's change shows at once; a new start after it");
    }

    @Test
    void theBoundAlwaysHolds() {
        for (long ms = 0; ms < 50_000; ms += 7) {
            long b = BackendIndicatorViewModel.bound(ms);
            assertTrue(b > ms && b <= 2.5 * Math.max(ms, 1) + 1, ms + " shown as <" + b);
        }
    }
}
