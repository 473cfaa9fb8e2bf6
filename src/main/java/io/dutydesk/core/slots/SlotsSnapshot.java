package io.dutydesk.core.slots;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Both slots as read from the server at one moment. The live slot comes from the server
 * (the configured command), never from the console's own last action.
 */
public record SlotsSnapshot(String environment, Instant takenAt, String liveSlot, String liveSource,
                            List<SlotState> slots) {

    public Optional<SlotState> slot(String name) {
        return slots.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public SlotState live() {
        return slot(liveSlot).orElseThrow();
    }

    public SlotState idle() {
        return slots.stream().filter(s -> !s.name().equals(liveSlot)).findFirst().orElseThrow();
    }

    /** Rollback is ready when the idle slot's containers all exist and are healthy. */
    public boolean rollbackReady() {
        return idle().allReady();
    }

    /** Empty when ready; otherwise why not, one reason per line. */
    public List<String> rollbackBlockers() {
        SlotState idle = idle();
        if (idle.empty()) {
            return List.of("the " + idle.name() + " slot has no containers (cleaned up?)");
        }
        return idle.problems();
    }
}
