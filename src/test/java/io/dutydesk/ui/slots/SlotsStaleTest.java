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

        String outage = "Docker does not answer (down since 03:00:00)";
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
        vm.sourceDown("Docker does not answer (down since 03:05:00)"); // a new outage
        assertTrue(vm.staleProperty().get());
        vm.sourceDown(null);
        assertFalse(vm.staleProperty().get());
        assertEquals(SlotsViewModel.Readiness.READY, vm.rollbackStateProperty().get());
    }
}
