package io.dutydesk.ui.slots;

import io.dutydesk.testing.Snapshots;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the slots pane calls what it shows stale, and when it stops. */
class SlotsStaleTest {
    final SlotsViewModel vm = new SlotsViewModel(Runnable::run, Executors.newSingleThreadScheduledExecutor(), Clock.systemDefaultZone());

    @Test
    void aSourceDownMarksStaleUntilASuccessfulReadOrItsRecovery() {
        vm.show(Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of()));
        assertFalse(vm.staleProperty().get());
        assertEquals(SlotsViewModel.Readiness.READY, vm.rollbackStateProperty().get());

        String outage = "Docker down; last answer at 03:00:00";
        vm.sourceDown(outage);
        assertTrue(vm.staleProperty().get());
        assertEquals(SlotsViewModel.Readiness.UNKNOWN, vm.rollbackStateProperty().get());
        vm.sourceDown(outage); // every health snapshot says it again: still one mark
        assertTrue(vm.staleProperty().get());

        // the slots were read all the same (Docker answers before its own indicator's next poll): fresh
        vm.show(Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of()));
        assertFalse(vm.staleProperty().get());
        vm.sourceDown(outage);
        assertFalse(vm.staleProperty().get(), "the same outage, read through since");
        assertEquals("", vm.staleNoteProperty().get());

        vm.sourceDown(null);
        vm.sourceDown("Docker down; last answer at 03:05:00"); // a new outage
        assertTrue(vm.staleProperty().get());
        vm.sourceDown(null);
        assertFalse(vm.staleProperty().get());
        assertEquals(SlotsViewModel.Readiness.READY, vm.rollbackStateProperty().get());
    }

    @Test
    void aReadThatFailsAfterALateSuccessNamesTheSourceThatIsDown() {
        var ok = Snapshots.of("green", "v1.4.2", "v1.0.0", Set.of(), Set.of());
        java.time.Instant t = java.time.Instant.now();
        vm.applyRead(new io.dutydesk.core.poll.Snapshot<>(ok, t, t, null, null, 0, 1));
        String outage = "SSH down; last answer at 03:00:00";
        vm.sourceDown(outage);
        // a read sent before the outage answers after the SSH indicator said down: what it read is fresh
        vm.applyRead(new io.dutydesk.core.poll.Snapshot<>(ok, t.plusSeconds(1), t.plusSeconds(1), null, null, 0, 2));
        assertFalse(vm.staleProperty().get());
        // the next read fails: stale, and the note says why (the source), not only that the read failed
        vm.applyRead(new io.dutydesk.core.poll.Snapshot<>(ok, t.plusSeconds(6), t.plusSeconds(1), "Connection refused",
                t.plusSeconds(6), 1, 3));
        assertTrue(vm.staleProperty().get());
        assertTrue(vm.staleNoteProperty().get().contains(outage), vm.staleNoteProperty().get());
        assertEquals(SlotsViewModel.Readiness.UNKNOWN, vm.rollbackStateProperty().get());
    }
}
