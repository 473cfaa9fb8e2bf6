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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header's health as the Today pane needs it: which backends are down now, and so which checks of a run read
 * through a source that cannot be read now ("down / stale since T"). SSH carries every other backend. T is as in every
 * pane ({@link io.dutydesk.ui.fx.PolledValue}): from when it is unknown — the down backend's last answer (its
 * {@link BackendStatus#lastOkAt()}), else, never answered, the outage's start — not the run's time, which is said apart.
 */
final class SourcesDown {
    /** Each down backend with since when ("SSH down since 09:12:00"). */
    private final Map<Backend, String> down = new EnumMap<>(Backend.class);
    /** Each down backend: from when what is read through it is unknown. */
    private final Map<Backend, Instant> unknownSince = new EnumMap<>(Backend.class);
    /** Each backend answering now: when it last answered. */
    private final Map<Backend, Instant> answering = new EnumMap<>(Backend.class);
    /** {@link #superseded} of the newest run as of the last {@link #update}. */
    private Set<String> superseded = Set.of();

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
     * what the checks read through it cannot be read as the file names it. {@code latest}: the newest run, whose
     * {@link #superseded} checks changing is a change too.
     */
    boolean update(HealthSnapshot now, Clock zoned, CheckRun latest) {
        Map<Backend, String> d = new EnumMap<>(Backend.class);
        Map<Backend, Instant> since = new EnumMap<>(Backend.class);
        for (BackendStatus st : now.all()) {
            if (st.state() == BackendStatus.State.DOWN || st.state() == BackendStatus.State.MISCONFIGURED) {
                d.put(st.backend(), st.backend().label() + (st.state() == BackendStatus.State.DOWN ? " down" : " misconfigured")
                        + " since " + Times.since(st.downSince(), zoned));
                Instant t = st.lastOkAt() != null ? st.lastOkAt() : st.downSince();
                if (t != null) {
                    since.put(st.backend(), t);
                }
            }
        }
        answering.clear();
        for (BackendStatus st : now.all()) {
            if (st.state() == BackendStatus.State.OK && st.lastOkAt() != null) {
                answering.put(st.backend(), st.lastOkAt());
            }
        }
        Set<String> sup = latest == null ? Set.of() : superseded(latest);
        if (d.equals(down) && since.equals(unknownSince) && sup.equals(superseded)) {
            return false;
        }
        superseded = sup;
        down.clear();
        down.putAll(d);
        unknownSince.clear();
        unknownSince.putAll(since);
        return true;
    }

    void clear() {
        down.clear();
        unknownSince.clear();
        answering.clear();
        superseded = Set.of();
    }

    /**
     * The sources a pane reads again by itself, hidden or not, as the check reads them: the slots (a background pane that
     * keeps polling) and the alerts (the feed, the Alerts badge live). A backend answering its ping says nothing of the
     * others' checks (the free disk, the outbox's backlog, the newest backup, the logs): nothing reads them again.
     */
    private static final Set<CheckSource> READ_LIVE = java.util.EnumSet.of(CheckSource.SLOTS, CheckSource.ALERTS);

    /**
     * The checks of {@code r} that could not tell (UNKNOWN: a CLI run during an outage) whose source a pane reads live
     * ({@link #READ_LIVE}) and whose every backend has answered since the run: that fresher read supersedes them.
     */
    Set<String> superseded(CheckRun r) {
        Set<String> out = new TreeSet<>();
        for (CheckResult c : r.checks()) {
            if (c.status() == CheckStatus.UNKNOWN && READ_LIVE.contains(c.source()) && sourcesOf(c.source()).stream()
                    .allMatch(b -> answering.containsKey(b) && answering.get(b).isAfter(r.at()))) {
                out.add(c.id());
            }
        }
        return out;
    }

    boolean isEmpty() {
        return down.isEmpty();
    }

    /** Why each down backend is down. */
    Collection<String> reasons() {
        return List.copyOf(down.values());
    }

    /** The down backends {@code source} reads through (SSH alone when it is down: everything goes through it). */
    private List<Backend> downOf(CheckSource source) {
        return down.containsKey(Backend.SSH) ? List.of(Backend.SSH) : sourcesOf(source).stream().filter(down::containsKey).toList();
    }

    /** The down backends some check of {@code r} reads through. */
    private Set<Backend> hit(CheckRun r) {
        Set<Backend> hit = new TreeSet<>();
        for (CheckResult c : r.checks()) {
            hit.addAll(downOf(c.source()));
        }
        return hit;
    }

    /** The labels of the down backends some check of {@code r} reads through ("SSH", "Prometheus"), null for none. */
    String staleSources(CheckRun r) {
        Set<Backend> hit = hit(r);
        return hit.isEmpty() ? null : String.join(", ", hit.stream().map(Backend::label).toList());
    }

    /** From when {@code r}'s checks through a down backend are unknown: the earliest of those backends'; null when none is. */
    Instant staleSince(CheckRun r) {
        return earliest(hit(r));
    }

    /**
     * "down / stale since 09:41:55 (SSH)" of {@code r} (times said by {@code zoned}): the header's, the badges' and the
     * environment row's words; null when no check of it reads through a down backend.
     */
    String stale(CheckRun r, Clock zoned) {
        String labels = staleSources(r);
        return labels == null ? null : "down / stale since " + Times.since(staleSince(r), zoned) + " (" + labels + ")";
    }

    private Instant earliest(Collection<Backend> backends) {
        return backends.stream().map(unknownSince::get).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /**
     * {@code r}'s checks as of now: one whose source is down now says so first, "SSH down since T' — down / stale since T
     * (its last answer): the check said pass: …"; a pass is UNKNOWN then (never PASS as if fresh), a warn or a fail stays
     * (known bad, not green), an unknown keeps its own why.
     */
    List<CheckResult> asOfNow(CheckRun r, Clock zoned) {
        if (down.isEmpty()) {
            return r.checks();
        }
        List<CheckResult> out = new ArrayList<>();
        for (CheckResult c : r.checks()) {
            List<Backend> through = c.status() == CheckStatus.UNKNOWN ? List.of() : downOf(c.source());
            out.add(through.isEmpty() ? c : new CheckResult(c.id(), c.title(), c.source(),
                    c.status() == CheckStatus.PASS ? CheckStatus.UNKNOWN : c.status(),
                    String.join(", ", through.stream().map(down::get).toList()) + " — down / stale since "
                            + Times.since(earliest(through), zoned) + ": the check said " + c.status().id() + ": " + c.evidence(),
                    c.details(), c.pane(), c.previous(), c.took()));
        }
        return out;
    }
}
