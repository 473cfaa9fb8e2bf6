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
    void jitterChangesNothingAStepChangesAtOnceAndTheHoverTextHasTheFigure() {
        BackendIndicatorViewModel vm = new BackendIndicatorViewModel(Backend.DOCKER, Clock.fixed(T, ZoneOffset.UTC));
        List<String> shown = new ArrayList<>();
        vm.textProperty().addListener((o, a, b) -> shown.add(b));
        for (long ms : new long[] {4, 6, 3, 4, 7, 5, 9}) {
            vm.show(ok(ms));
        }
        assertEquals(List.of("<5 ms", "<10 ms"), shown, "a few ms of jitter around 5 ms: one change, not seven");
        assertTrue(vm.detailsProperty().get().contains("answered in 9 ms"), vm.detailsProperty().get());

        shown.clear();
        vm.show(ok(1)); // ten times faster: the bound no longer says how fast
        vm.show(ok(300));
        vm.show(ok(1500));
        assertEquals(List.of("<2 ms", "<500 ms", "<2 s"), shown);

        shown.clear();
        vm.show(new BackendStatus(Backend.DOCKER, BackendStatus.State.DOWN, -1, "refused", T, T, T));
        vm.show(ok(1400));
        assertEquals(List.of("down since 10:00:00", "<2 s"), shown, "the state's change shows at once");
    }

    @Test
    void theBoundAlwaysHolds() {
        long shown = 0;
        for (long ms = 0; ms < 5000; ms += 7) {
            shown = BackendIndicatorViewModel.bound(ms, shown);
            assertTrue(shown > ms && shown <= 4 * Math.max(ms, 1) + 4, ms + " shown as <" + shown);
        }
    }
}
