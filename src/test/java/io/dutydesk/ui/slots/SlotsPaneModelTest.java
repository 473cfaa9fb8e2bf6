package io.dutydesk.ui.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.rollout.RolloutService;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.UiQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Slots pane's model: a single-stack environment attaches the stack and not the slots; a blue-green one the reverse. */
class SlotsPaneModelTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** The "FX thread", never run here: a queue the poll's thread adds to as this one does (an ArrayDeque was not thread-safe). */
    final UiQueue fx = new UiQueue();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void theModelOfTheEnvironmentIsAttachedAndTheOtherDetached() {
        List<Environment> slotsAttachedTo = new ArrayList<>();
        var audit = MemoryAuditLog.create();
        SlotsViewModel slots = new SlotsViewModel(fx, scheduler, SingleStackViewModelTest.CLOCK, h -> {
            Environment e = h.environment();
            slotsAttachedTo.add(e);
            SlotsReader r = new SlotsReader(e, h.containers(), h.shell(), SingleStackViewModelTest.CLOCK);
            return new SlotsContext(e, r, new RolloutService(e, r, h.outbox(), h.containers(), h.shell(), audit, "me@test",
                    SingleStackViewModelTest.CLOCK), h.containers(), audit);
        });
        SingleStackViewModel single = new SingleStackViewModel(fx, scheduler, SingleStackViewModelTest.CLOCK, audit, "me@test");
        try (SlotsPaneModel m = new SlotsPaneModel(slots, single)) {
            Environment one = SingleStackViewModelTest.SINGLE;
            EnvironmentHandle h1 = SingleStackViewModelTest.handle(one, List.of());
            m.attach(one, h1);
            assertTrue(single.activeProperty().get());
            assertEquals(List.of(), slotsAttachedTo, "a single stack has no slots to read");
            assertEquals("PRODUCTION: …", m.titlePart().get(), "the title says the stack, not a live slot");

            Environment bg = SingleStackViewModelTest.env("");
            m.attach(bg, SingleStackViewModelTest.handle(bg, List.of()));
            assertFalse(single.activeProperty().get(), "the stack stops polling");
            assertEquals(List.of(bg), slotsAttachedTo);
            assertEquals("", m.titlePart().get(), "the slots' title before their first read");

            m.attach(one, h1);
            assertTrue(single.activeProperty().get());
            assertEquals(List.of(bg), slotsAttachedTo, "the slots are not attached again");
        }
    }

    /**
     * The Slots pane of a single stack handed no state of its own to the navigation (its badge was the morning check's
     * alone, "ok" beside the pane's stale line): it hands the stack's, as it hands the blue-green slots'.
     */
    @Test
    void theAttachedOnesOwnStateIsThePanesForItsBadge() {
        var audit = MemoryAuditLog.create();
        SlotsViewModel slots = new SlotsViewModel(fx, scheduler, SingleStackViewModelTest.CLOCK, h -> {
            Environment e = h.environment();
            SlotsReader r = new SlotsReader(e, h.containers(), h.shell(), SingleStackViewModelTest.CLOCK);
            return new SlotsContext(e, r, new RolloutService(e, r, h.outbox(), h.containers(), h.shell(), audit, "me@test",
                    SingleStackViewModelTest.CLOCK), h.containers(), audit);
        });
        SingleStackViewModel single = new SingleStackViewModel(fx, scheduler, SingleStackViewModelTest.CLOCK, audit, "me@test");
        try (SlotsPaneModel m = new SlotsPaneModel(slots, single)) {
            Environment one = SingleStackViewModelTest.SINGLE;
            m.attach(one, SingleStackViewModelTest.handle(one, List.of()));
            assertNull(m.paneState().getValue(), "nothing read: the morning check's badge");
            // the stack's read fails: the pane says it is down, and so does its state for the badge
            single.apply(single.service().orElseThrow(), new io.dutydesk.core.poll.Snapshot<>(null, SingleStackViewModelTest.NOW, null,
                    "ssh: connection refused", SingleStackViewModelTest.NOW, 1, 1000));
            io.dutydesk.ui.fx.PaneState st = m.paneState().getValue();
            assertEquals("down", st == null ? null : st.badge().text(), "the stack's own state: " + st);
            m.hidden();
            assertFalse(m.paneState().getValue().shown(), "hidden: its state says so");
            m.shown();
            assertTrue(m.paneState().getValue().shown());

            Environment bg = SingleStackViewModelTest.env("");
            m.attach(bg, SingleStackViewModelTest.handle(bg, List.of()));
            assertNull(m.paneState().getValue(), "blue-green: the slots' state (nothing read yet), never the stack's");
        }
    }
}
