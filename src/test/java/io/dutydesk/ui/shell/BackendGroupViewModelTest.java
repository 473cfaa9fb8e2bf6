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

/**
 * The status bar's chips per state: counted, named, the earliest last answer (as the header and the panes name an outage),
 * every member's details on hover.
 */
class BackendGroupViewModelTest {
    static final Instant NOW = Instant.parse("2026-11-22T13:02:30Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    final List<BackendIndicatorViewModel> all = new ArrayList<>();

    BackendGroupViewModelTest() {
        for (Backend b : Backend.values()) {
            BackendIndicatorViewModel i = new BackendIndicatorViewModel(b, CLOCK);
            i.show(new BackendStatus(b, BackendStatus.State.OK, 12, null, NOW, null, NOW));
            all.add(i);
        }
    }

    /** {@code b} down, its last answer at {@code lastAnswer}, its first failed check 5 s later. */
    private void down(Backend b, String lastAnswer) {
        Instant t = Instant.parse(lastAnswer);
        all.get(b.ordinal()).show(new BackendStatus(b, BackendStatus.State.DOWN, -1, b.label() + " refused", NOW, t.plusSeconds(5), t));
    }

    private BackendGroupViewModel group(BackendStatus.State s) {
        BackendGroupViewModel g = new BackendGroupViewModel(s);
        g.update(all);
        return g;
    }

    @Test
    void everyBackendDownAtOnceIsOneChipWithTheTimeAndTheNames() {
        for (Backend b : Backend.values()) {
            down(b, "2026-11-22T13:02:11.%03dZ".formatted(b.ordinal() * 100)); // the same second, as shown
        }
        BackendGroupViewModel g = group(BackendStatus.State.DOWN);
        assertEquals(7, g.countProperty().get());
        assertEquals("7 down;", g.headProperty().get());
        assertEquals("last answer at 13:02:11: SSH, Docker, PostgreSQL, Redis, Prometheus, Alertmanager, Backups", g.textProperty().get());
        assertEquals("last answer at 13:02:11", g.shortTextProperty().get());
        for (Backend b : Backend.values()) {
            assertTrue(g.detailsProperty().get().contains(b.label() + ": down; last answer at 13:02:11 (first failed check at 13:02:16)\n"
                    + b.label() + " refused"), g.detailsProperty().get());
        }
        assertEquals(0, group(BackendStatus.State.OK).countProperty().get());
        assertEquals("", group(BackendStatus.State.OK).headProperty().get());
    }

    @Test
    void outagesOfDifferentTimesSayTheEarliestLastAnswerAndOkOnesAreCounted() {
        down(Backend.REDIS, "2026-11-22T13:02:11Z");
        down(Backend.POSTGRES, "2026-11-22T12:58:40Z");
        BackendGroupViewModel d = group(BackendStatus.State.DOWN);
        assertEquals("2 down;", d.headProperty().get());
        assertEquals("last answer at 12:58:40 (the earliest): PostgreSQL, Redis", d.textProperty().get());
        assertEquals("last answer at 12:58:40 (the earliest)", d.shortTextProperty().get());
        assertTrue(d.detailsProperty().get().contains("Redis: down; last answer at 13:02:11"), d.detailsProperty().get());
        BackendGroupViewModel ok = group(BackendStatus.State.OK);
        assertEquals("5 ok", ok.headProperty().get());
        assertEquals("SSH, Docker, Prometheus, Alertmanager, Backups", ok.textProperty().get());
        assertEquals("", ok.shortTextProperty().get());
    }

    @Test
    void oneBackendAloneSaysItAsItsIndicatorDoes() {
        down(Backend.REDIS, "2026-11-21T23:59:59Z"); // yesterday, by the clock: with its date
        BackendGroupViewModel d = group(BackendStatus.State.DOWN);
        assertEquals("Redis", d.headProperty().get());
        assertEquals("down; last answer at Nov 21 23:59:59", d.textProperty().get());
        assertEquals(d.textProperty().get(), d.shortTextProperty().get());
    }

    @Test
    void partsTheEnvironmentDoesNotHaveAreTheirOwnChipNeverOk() {
        for (Backend b : new Backend[]{Backend.REDIS, Backend.ALERTMANAGER}) {
            all.get(b.ordinal()).show(new BackendStatus(b, BackendStatus.State.NOT_CONFIGURED, -1, null, NOW, null, null));
        }
        BackendGroupViewModel off = group(BackendStatus.State.NOT_CONFIGURED);
        assertEquals("2 not configured", off.headProperty().get());
        assertEquals("Redis, Alertmanager", off.textProperty().get());
        assertEquals("5 ok", group(BackendStatus.State.OK).headProperty().get());
    }

    /** Backends that never answered in this session: "no answer yet", never a first failure's time as if it were one. */
    @Test
    void backendsThatNeverAnsweredSaySo() {
        for (Backend b : new Backend[]{Backend.SSH, Backend.DOCKER}) {
            all.get(b.ordinal()).show(new BackendStatus(b, BackendStatus.State.DOWN, -1, "refused", NOW, NOW.minusSeconds(30), null));
        }
        BackendGroupViewModel d = group(BackendStatus.State.DOWN);
        assertEquals("no answer yet: SSH, Docker", d.textProperty().get());
        assertTrue(d.detailsProperty().get().contains("SSH: down; no answer yet (first failed check at 13:02:00)"), d.detailsProperty().get());
        down(Backend.REDIS, "2026-11-22T12:58:40Z");
        assertEquals("last answer at 12:58:40 (the earliest)", group(BackendStatus.State.DOWN).shortTextProperty().get(),
                "one answered: its time, not all of theirs");
    }
}
