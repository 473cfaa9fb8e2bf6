package io.dutydesk.ui.today;

import io.dutydesk.core.Backend;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.HealthSnapshot;
import io.dutydesk.ui.fx.Times;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header's health as the Today pane needs it: which backends are down now, and so which checks of a run read
 * through a source that cannot be read now ("down / stale since T"). SSH carries every other backend.
 */
final class SourcesDown {
    /** Each down backend with since when ("SSH down since 09:12:00"). */
    private final Map<Backend, String> down = new EnumMap<>(Backend.class);

    /** The backends a check of {@code source} reads through (SSH carries them all). */
    static List<Backend> sourcesOf(CheckSource source) {
        return switch (source) {
            case SLOTS, LOGS -> List.of(Backend.SSH, Backend.DOCKER);
            case OUTBOX -> List.of(Backend.SSH, Backend.POSTGRES, Backend.REDIS);
            // no alert can fire while Prometheus is down: the alerts check cannot tell then
            case ALERTS -> List.of(Backend.SSH, Backend.ALERTMANAGER, Backend.PROMETHEUS);
            case BACKUPS -> List.of(Backend.SSH, Backend.BACKUPS);
            case PROMETHEUS -> List.of(Backend.SSH, Backend.PROMETHEUS);
            case DISK -> List.of(Backend.SSH);
        };
    }

    /**
     * Takes {@code now}'s down backends (times said by {@code zoned}); whether they changed. A misconfigured one counts:
     * what the checks read through it cannot be read as the file names it.
     */
    boolean update(HealthSnapshot now, Clock zoned) {
        Map<Backend, String> d = new EnumMap<>(Backend.class);
        for (BackendStatus st : now.all()) {
            if (st.state() == BackendStatus.State.DOWN) {
                d.put(st.backend(), st.backend().label() + " down since " + Times.since(st.downSince(), zoned));
            } else if (st.state() == BackendStatus.State.MISCONFIGURED) {
                d.put(st.backend(), st.backend().label() + " misconfigured since " + Times.since(st.downSince(), zoned));
            }
        }
        if (d.equals(down)) {
            return false;
        }
        down.clear();
        down.putAll(d);
        return true;
    }

    void clear() {
        down.clear();
    }

    boolean isEmpty() {
        return down.isEmpty();
    }

    /** Why each down backend is down. */
    Collection<String> reasons() {
        return List.copyOf(down.values());
    }

    /** Why {@code source} cannot be read now ("SSH down since 09:12:00"), empty when it can. */
    List<String> downFor(CheckSource source) {
        if (down.containsKey(Backend.SSH)) {
            return List.of(down.get(Backend.SSH)); // everything goes through it
        }
        List<String> why = new ArrayList<>();
        for (Backend b : sourcesOf(source)) {
            if (down.containsKey(b)) {
                why.add(down.get(b));
            }
        }
        return why;
    }

    /** The labels of the down backends some check of {@code r} reads through ("SSH", "Prometheus"), null for none. */
    String staleSources(CheckRun r) {
        Set<Backend> hit = new TreeSet<>();
        for (CheckResult c : r.checks()) {
            for (Backend b : down.containsKey(Backend.SSH) ? List.of(Backend.SSH) : sourcesOf(c.source())) {
                if (down.containsKey(b)) {
                    hit.add(b);
                }
            }
        }
        return hit.isEmpty() ? null : String.join(", ", hit.stream().map(Backend::label).toList());
    }

    /**
     * {@code r}'s checks as of now: one whose source is down now says so first, "SSH down since T' — down / stale since T
     * (the run's time): the check said pass: …"; a pass is UNKNOWN then (never PASS as if fresh), a warn or a fail stays
     * (known bad, not green), an unknown keeps its own why.
     */
    List<CheckResult> asOfNow(CheckRun r, Clock zoned) {
        if (down.isEmpty()) {
            return r.checks();
        }
        String at = Times.since(r.at(), zoned);
        List<CheckResult> out = new ArrayList<>();
        for (CheckResult c : r.checks()) {
            List<String> why = c.status() == CheckStatus.UNKNOWN ? List.of() : downFor(c.source());
            out.add(why.isEmpty() ? c : new CheckResult(c.id(), c.title(), c.source(),
                    c.status() == CheckStatus.PASS ? CheckStatus.UNKNOWN : c.status(),
                    String.join(", ", why) + " — down / stale since " + at + ": the check said " + c.status().id() + ": " + c.evidence(),
                    c.details(), c.pane(), c.previous(), c.took()));
        }
        return out;
    }
}
