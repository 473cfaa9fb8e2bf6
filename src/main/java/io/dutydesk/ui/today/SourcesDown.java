package io.dutydesk.ui.today;

import io.dutydesk.core.Backend;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.core.health.HealthSnapshot;
import io.dutydesk.ui.fx.Outage;

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
 * through a source that cannot be read now ("SSH down; last answer at T"). SSH carries every other backend. T is as the
 * status bar and every pane say it ({@link Outage}): the down backend's last answer (its {@link BackendStatus#lastOkAt()}),
 * "no answer yet" when it never answered — not the outage's first failed check, nor the run's time (said apart).
 */
final class SourcesDown {
    /** Each down backend and its last answer ("SSH down; last answer at 09:11:55"). */
    private final Map<Backend, String> down = new EnumMap<>(Backend.class);
    /** Each down backend: its last answer (what is read through it is as of then), absent when it never answered. */
    private final Map<Backend, Instant> unknownSince = new EnumMap<>(Backend.class);
    /** The down backends that answer, but not with what the environments file names. */
    private final Set<Backend> misconfigured = java.util.EnumSet.noneOf(Backend.class);
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
                d.put(st.backend(), st.backend().label() + " "
                        + Outage.of(st.state() == BackendStatus.State.MISCONFIGURED, st.lastOkAt(), zoned));
                if (st.lastOkAt() != null) {
                    since.put(st.backend(), st.lastOkAt());
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
        misconfigured.clear();
        for (BackendStatus st : now.all()) {
            if (st.state() == BackendStatus.State.MISCONFIGURED) {
                misconfigured.add(st.backend());
            }
        }
        unknownSince.clear();
        unknownSince.putAll(since);
        return true;
    }

    void clear() {
        down.clear();
        misconfigured.clear();
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

    /**
     * The earliest last answer of the down backends {@code r}'s checks read through (what they would read is as of then
     * at the oldest); null when none is down, or none of them answered in this session.
     */
    Instant staleSince(CheckRun r) {
        return earliest(hit(r));
    }

    /**
     * "SSH down; last answer at 09:41:55" of {@code r} (times said by {@code zoned}), "Docker, Prometheus down; last
     * answer at 10:09:55" (the earliest): the header's, the badges' and the environment row's words, as the status bar
     * says the same outage ({@link Outage}); null when no check of it reads through a down backend.
     */
    String stale(CheckRun r, Clock zoned) {
        String labels = staleSources(r);
        if (labels == null) {
            return null;
        }
        Set<Backend> hit = hit(r);
        Instant t = staleSince(r);
        // to the second, as shown: several backends' last answers in the same second are one time
        boolean one = hit.stream().map(b -> Outage.lastAnswer(unknownSince.get(b), zoned)).distinct().count() == 1;
        return labels + " " + Outage.of(misconfigured.containsAll(hit), t, zoned) + (one || t == null ? "" : " (the earliest)");
    }

    private Instant earliest(Collection<Backend> backends) {
        return backends.stream().map(unknownSince::get).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /**
     * {@code r}'s checks as of now: one whose source is down now says so first, "SSH down; last answer at T: the check
     * said pass: …"; a pass is UNKNOWN then (never PASS as if fresh), a warn or a fail stays (known bad, not green), an
     * unknown keeps its own why.
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
                    String.join(", ", through.stream().map(down::get).toList()) + ": the check said " + c.status().id()
                            + ": " + c.evidence(),
                    c.details(), c.pane(), c.previous(), c.took()));
        }
        return out;
    }
}
