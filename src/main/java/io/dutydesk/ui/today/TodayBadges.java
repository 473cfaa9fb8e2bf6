package io.dutydesk.ui.today;

import io.dutydesk.core.check.CheckReport;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.config.Environment;
import io.dutydesk.ui.fx.NavBadge;
import io.dutydesk.ui.fx.PaneState;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Today pane's word to the rest of the window: the navigation's badges (each pane's worst check of the newest run as
 * of now; a built pane's own state where it has one, the badge never better than what the pane shows; the Alerts badge
 * live from the alerts feed) and the header's statement about the selected environment
 * ("ref: healthy (checks 09:00)", "ref: outbox warn +1", "ref: SSH down; last answer at 09:41:55": as the status bar
 * says it), apart from "backends reachable". Never healthy while any badge is unknown, none is known, or the run is only
 * a kept one.
 */
final class TodayBadges {
    /**
     * What the statement is about, as the view-model knows it at the moment of a merge.
     *
     * @param env    the selected environment, null before one is attached
     * @param latest its newest run (this window's or the newest kept), null for none
     * @param kept   the run is a kept one (another session's, the CLI's), not this window's
     * @param stale  "SSH down; last answer at 09:41:55": the down backends some check of the run reads through and their
     *               last answer ({@link SourcesDown#stale}), null for none
     * @param down   why each down backend is down ("SSH down; last answer at 09:41:55")
     */
    record Context(Environment env, CheckRun latest, boolean kept, String stale, Collection<String> down, ZoneId zone) {}

    private final Clock clock;
    private final Supplier<Context> context;
    private final ObservableMap<String, NavBadge> badges = FXCollections.observableHashMap();
    /** From the newest run: each pane's worst check, as of that run. */
    private final Map<String, NavBadge> checkBadges = new HashMap<>();
    /** The panes whose only checks of the run could not tell and were read fresh since (no badge of the run). */
    private final java.util.Set<String> superseded = new java.util.TreeSet<>();
    /** From what the console polls anyway (the alerts feed): overrides the run's. */
    private final Map<String, NavBadge> liveBadges = new HashMap<>();
    /** The built panes' own states (the Outbox pane's header): the badge never says better ({@link PaneState#badge}). */
    private final Map<String, PaneState> paneStates = new HashMap<>();
    private final StringProperty production = new SimpleStringProperty("not checked yet");
    private final StringProperty productionState = new SimpleStringProperty("unknown");
    private final StringProperty productionDetail = new SimpleStringProperty("");

    TodayBadges(Clock clock, Supplier<Context> context) {
        this.clock = clock;
        this.context = context;
    }

    ObservableMap<String, NavBadge> badges() { return badges; }

    StringProperty production() { return production; }

    StringProperty productionState() { return productionState; }

    StringProperty productionDetail() { return productionDetail; }

    /**
     * The badges of run {@code r} from its checks as of now ({@code now}: the stale ones UNKNOWN), whose worst is
     * {@code worst}; {@code staleSince}: "SSH down; last answer at T: " in front of the Today badge's tooltip, or "".
     * {@code fresher}: the checks that could not tell then and whose sources answered since — no badge, their panes are
     * fresh (an "unknown" of a CLI run during an outage does not outlive the outage).
     */
    void fromRun(CheckRun r, List<CheckResult> now, java.util.Set<String> fresher, CheckStatus worst, String staleSince, ZoneId zone) {
        checkBadges.clear();
        superseded.clear();
        DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm").withZone(zone);
        Map<String, CheckResult> worstOf = new HashMap<>();
        for (CheckResult c : now) {
            if (fresher.contains(c.id()) && c.status() == CheckStatus.UNKNOWN) {
                superseded.add(c.pane());
                continue;
            }
            CheckResult was = worstOf.get(c.pane());
            if (was == null || c.status().severity() > was.status().severity()) {
                worstOf.put(c.pane(), c);
            }
        }
        java.util.Set<CheckResult> fresh = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        fresh.addAll(r.checks());
        superseded.removeAll(worstOf.keySet());
        // a stale check's badge says first why ("Prometheus down; last answer at 08:29:35: the check said pass: …")
        worstOf.forEach((pane, c) -> checkBadges.put(pane, new NavBadge(c.status().id(), shortText(c.status()), fresh.contains(c)
                ? c.title() + ": " + c.evidence() + " (as of the check at " + hm.format(r.at()) + ")"
                : c.evidence() + " (" + c.title() + ")")));
        checkBadges.put("today", new NavBadge(worst.id(), shortText(worst), staleSince + r.summary() + " (" + CheckReport.when(r.at(), zone) + ")"));
        merge();
    }

    /** No run: no badge of a run (the live ones stay). */
    void noRun() {
        checkBadges.clear();
        superseded.clear();
        merge();
    }

    /** Another environment: nothing of the previous one's. */
    void clear() {
        checkBadges.clear();
        superseded.clear();
        liveBadges.clear();
        merge();
    }

    /** A badge from data the console polls anyway (the alerts feed): it wins over the run's; null forgets it. */
    void live(String pane, NavBadge b) {
        if (b == null) {
            liveBadges.remove(pane);
        } else {
            liveBadges.put(pane, b);
        }
        merge();
    }

    /**
     * A built pane's own state ({@code st}, what its header and banners show; null: it has read nothing): its badge is
     * that state, or never better than it ({@link PaneState#badge} with the newest run's badge of that pane).
     */
    void pane(String pane, PaneState st) {
        if (st == null) {
            paneStates.remove(pane);
        } else {
            paneStates.put(pane, st);
        }
        merge();
    }

    /**
     * The Alerts badge from the alerts feed (polled while hidden, for the notifications): a critical firing is FAIL,
     * another firing WARN, none PASS; a feed not read yet, failing (its counts then are an old read's) or not configured
     * is UNKNOWN.
     */
    public static NavBadge alertsBadge(List<Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                       boolean notConfigured) {
        return alertsBadge(firingBySeverity, read, problem, notConfigured, 0, null);
    }

    /**
     * As above; {@code unknown}: alerts whose state cannot be told now, {@code cannotFire}: why no alert can fire
     * (Prometheus down): either makes the badge UNKNOWN unless a critical alert already fails it — never "ok" there.
     */
    public static NavBadge alertsBadge(List<Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                       boolean notConfigured, long unknown, String cannotFire) {
        NavBadge b = alertsBadge0(firingBySeverity, read, problem, notConfigured);
        if ("fail".equals(b.state()) || "unknown".equals(b.state())) {
            return b;
        }
        if (cannotFire != null && !cannotFire.isEmpty()) {
            return new NavBadge("unknown", "?", "no alert can fire now: " + cannotFire);
        }
        if (unknown > 0) {
            return new NavBadge("unknown", "?", unknown + " alert" + (unknown == 1 ? "" : "s") + " in an unknown state");
        }
        return b;
    }

    private static NavBadge alertsBadge0(List<Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                         boolean notConfigured) {
        if (notConfigured) {
            return new NavBadge("unknown", "?", "Alertmanager is not configured");
        }
        if (problem != null && !problem.isEmpty()) {
            return new NavBadge("unknown", "?", "alerts not read now: " + problem);
        }
        if (!read) {
            return new NavBadge("unknown", "?", "alerts not read yet");
        }
        long critical = 0;
        long all = 0;
        for (Map.Entry<String, Long> e : firingBySeverity) {
            all += e.getValue();
            if ("critical".equals(e.getKey())) {
                critical += e.getValue();
            }
        }
        if (critical > 0) {
            return new NavBadge("fail", critical + " crit", critical + " critical alert" + (critical == 1 ? "" : "s") + " firing");
        }
        if (all > 0) {
            return new NavBadge("warn", String.valueOf(all), all + " alert" + (all == 1 ? "" : "s") + " firing, none critical");
        }
        return new NavBadge("pass", "ok", "no alert firing");
    }

    /** The badges from the run's and the live ones, then the header's statement from them. */
    void merge() {
        Map<String, NavBadge> m = new HashMap<>(checkBadges);
        Context c = context.get();
        CheckRun l = c.latest();
        paneStates.forEach((pane, st) -> m.put(pane, PaneState.badge(checkBadges.get(pane), l == null ? null : l.at(), st)));
        m.putAll(liveBadges);
        badges.keySet().retainAll(m.keySet());
        badges.putAll(m);
        // the header's second statement: the worst of every badge, never "healthy" while any is unknown or none is known
        String worstState = null;
        List<String> bad = new ArrayList<>();
        for (String pane : List.of("today", "slots", "outbox", "alerts", "backups", "metrics")) {
            NavBadge b = m.get(pane);
            if (b == null) {
                continue;
            }
            if (worstState == null || severity(b.state()) > severity(worstState)) {
                worstState = b.state();
            }
            if (!"pass".equals(b.state()) && !"today".equals(pane)) {
                bad.add(pane + " " + b.state());
            }
        }
        // the statement names the environment it is about (a staging environment is never called "production")
        Environment e = c.env();
        String who = e == null ? "" : e.name() + ": ";
        String about = e == null ? "" : e.name() + (e.description() == null || e.description().isBlank() ? "" : " — " + e.description()) + "\n";
        if (worstState == null || l == null) {
            // no run of this environment: a live badge alone (alerts) says nothing of its health
            productionState.set(worstState == null || "pass".equals(worstState) ? "unknown" : worstState);
            production.set(worstState == null || "pass".equals(worstState) ? who + "not checked yet"
                    : who + String.join(", ", bad));
            productionDetail.set(about + String.join("\n", bad) + (c.down().isEmpty() ? "" : "\n" + String.join("\n", c.down())));
            return;
        }
        ZoneId z = c.zone();
        boolean today = l.at().atZone(z).toLocalDate().equals(clock.instant().atZone(z).toLocalDate());
        String at = DateTimeFormatter.ofPattern(today ? "HH:mm" : "MMM d HH:mm", Locale.ROOT).withZone(z).format(l.at());
        // a kept run (another session's, the CLI's) is not this window's knowledge of now: never green on it alone
        boolean kept = c.kept();
        String state = kept && "pass".equals(worstState) ? "unknown" : worstState;
        productionState.set(state);
        String stale = c.stale();
        // short (the header is shared at 1024 px): the whole list is in the tooltip and the badges
        production.set(stale != null ? who + stale
                : "pass".equals(state) ? who + "healthy (checks " + at + ")"
                : kept && "pass".equals(worstState) ? who + "kept check of " + at + ", not run now"
                // what is not well says when it was read: "ref: slots unknown +1 (checks 03:12)"
                : bad.isEmpty() && !superseded.isEmpty() ? who + String.join(", ", superseded) + " read again since the checks of " + at
                : who + (bad.isEmpty() ? worstState : bad.get(0) + (bad.size() > 1 ? " +" + (bad.size() - 1) : "")) + " (checks " + at + ")");
        productionDetail.set(about + (bad.isEmpty() && superseded.isEmpty() ? "every check passed" : String.join("\n", bad))
                + (superseded.isEmpty() ? "" : (bad.isEmpty() ? "" : "\n") + String.join(", ", superseded)
                + ": could not tell at the checks, read again since (see the pane)") + "\n(checks of "
                + CheckReport.when(l.at(), z) + (kept ? ", kept: not run in this window" : "") + ")"
                + (stale == null ? "" : "\nstale: " + String.join(", ", c.down())));
    }

    private static int severity(String state) {
        return CheckStatus.parse(state).severity();
    }

    static String shortText(CheckStatus s) {
        return switch (s) {
            case PASS -> "ok";
            case WARN -> "warn";
            case FAIL -> "fail";
            case UNKNOWN -> "?";
        };
    }
}
