package io.dutydesk.ui.fx;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.HealthSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The one rule by which the Outbox, Slots (both kinds) and Backups panes take the header's health: a backend they read
 * through down or misconfigured is said as the status bar says it; another environment's health is not theirs (the
 * Slots and Backups panes took only DOWN, and every environment's health as their own).
 */
class PaneSourcesTest {
    static final Instant NOW = Instant.parse("2026-03-10T09:42:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final List<Backend> THROUGH = List.of(Backend.SSH, Backend.DOCKER, Backend.BACKUPS);

    static HealthSnapshot health(String env, Map<Backend, BackendStatus.State> failing) {
        Map<Backend, BackendStatus> m = new EnumMap<>(Backend.class);
        for (Backend b : Backend.values()) {
            BackendStatus.State st = failing.get(b);
            m.put(b, st == null ? new BackendStatus(b, BackendStatus.State.OK, 3, null, NOW, null, NOW)
                    : new BackendStatus(b, st, -1, "no folder /b", NOW, NOW.minusSeconds(5), NOW.minusSeconds(10)));
        }
        return new HealthSnapshot(env, 1, NOW, m);
    }

    @Test
    void downAndMisconfiguredAreBothSaidAsTheStatusBarSaysThem() {
        HealthSnapshot h = health("ref", Map.of(Backend.SSH, BackendStatus.State.DOWN, Backend.DOCKER, BackendStatus.State.MISCONFIGURED,
                Backend.POSTGRES, BackendStatus.State.DOWN));
        assertEquals("SSH down; last answer at 09:41:50, Docker misconfigured; last good answer at 09:41:50",
                PaneSources.down(h, THROUGH, Set.of(), CLOCK), "PostgreSQL is not read through here");
        assertEquals("Backups misconfigured; last good answer at 09:41:50: no folder /b",
                PaneSources.down(health("ref", Map.of(Backend.BACKUPS, BackendStatus.State.MISCONFIGURED)), THROUGH,
                        Set.of(Backend.BACKUPS), CLOCK), "its error said where asked");
        assertNull(PaneSources.down(health("ref", Map.of(Backend.ALERTMANAGER, BackendStatus.State.DOWN,
                Backend.SSH, BackendStatus.State.NOT_CONFIGURED)), THROUGH, Set.of(), CLOCK), "all it reads through answer");
        assertNull(PaneSources.down(HealthSnapshot.unknown("ref", NOW), THROUGH, Set.of(), CLOCK), "not heard from yet: not down");
    }

    @Test
    void onlyTheShownEnvironmentsHealthIsTold() {
        List<String> told = new ArrayList<>();
        HealthSnapshot ref = health("ref", Map.of(Backend.SSH, BackendStatus.State.DOWN));
        PaneSources.tell(health("prod", Map.of(Backend.SSH, BackendStatus.State.DOWN)), "ref", THROUGH, Set.of(), CLOCK, told::add);
        PaneSources.tell(ref, null, THROUGH, Set.of(), CLOCK, told::add);
        PaneSources.tell(null, "ref", THROUGH, Set.of(), CLOCK, told::add);
        assertEquals(List.of(), told, "another environment's, none shown, or no health: nothing told");
        PaneSources.tell(ref, "ref", THROUGH, Set.of(), CLOCK, told::add);
        PaneSources.tell(health("ref", Map.of()), "ref", THROUGH, Set.of(), CLOCK, told::add);
        assertEquals(java.util.Arrays.asList("SSH down; last answer at 09:41:50", null), told, "the shown one's, down and answering again");
    }
}
