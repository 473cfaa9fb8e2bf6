package io.dutydesk.core.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the alerts' source, Prometheus, can fire and resolve alerts now. Alertmanager only keeps what
 * Prometheus sends: when Prometheus is down, does not evaluate its rules or scrapes nothing, an alert
 * neither fires nor resolves, and Alertmanager drops a firing one when it times out. Such alerts are
 * unknown, never resolved. Pure: {@link #judge} reads Prometheus's answer, {@link #down} its failure.
 *
 * @param problem     why no alert can fire (null when they can)
 * @param since       the last moment alerts could fire (for a problem; null otherwise)
 * @param rules       the alert rule names, as last read
 * @param rulesKnown  false until the rules were read once
 * @param failing     rules Prometheus cannot evaluate: their alerts are unknown while the others are not
 * @param held        Prometheus's pending and firing alerts, by Alertmanager's fingerprint: state
 * @param notes       what could not be checked or may mislead, without stopping alerts (a Prometheus that does not
 *                    report when its rules last ran; no target answering its scrapes)
 * @param serverNow   Prometheus's own clock at the check (null when it did not answer)
 * @param resendWindow how long a freshly started Alertmanager may lack an alert Prometheus fires: 3 of Prometheus's
 *                    resend intervals (max(its resend delay, its rule groups' intervals))
 * @param alertmanagerStarted when Alertmanager started (its /api/v2/status uptime; null when not read). It keeps no
 *                    alerts across a restart: until Prometheus sends them again, an alert it lacks may still fire
 * @param heldNames   the names of the rules with an alert Prometheus holds (pending or firing), whatever its labels:
 *                    a rule of this Prometheus, evaluated, holding no alert at all means none of its alerts fires
 * @param backAt      when Prometheus answered again after it was down (null otherwise, and once it has had the time to
 *                    scrape again: {@link #settle}): until then its rules may hold nothing for want of fresh data (seen on
 *                    the reference host: evaluations holding no alert for seconds after a restart while the service was
 *                    still down), so an alert that went unknown in the outage is not resolved by it
 */
public record AlertSource(Instant checkedAt, String problem, Instant since, Set<String> rules, boolean rulesKnown,
                          Map<String, Unverified> failing, Map<String, String> held, List<String> notes, Instant serverNow,
                          Duration resendWindow, Instant alertmanagerStarted, Set<String> heldNames, Instant backAt) {
    /** How long a rule group may go unevaluated, at least. */
    static final Duration MIN_EVALUATION_SLACK = Duration.ofSeconds(30);
    /** How old the newest scrape may be, at least. */
    static final Duration MIN_SCRAPE_SLACK = Duration.ofSeconds(60);
    /**
     * Prometheus's default {@code --rules.alert.resend-delay}: how often it sends a firing alert again (at least its rule
     * group's interval), assumed when its flags do not say.
     */
    static final Duration RESEND_DELAY = Duration.ofMinutes(1);
    /** How many resend intervals a freshly started Alertmanager is given to receive every firing alert again. */
    static final int RESENDS = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    public AlertSource(Instant checkedAt, String problem, Instant since, Set<String> rules, boolean rulesKnown,
                       Map<String, Unverified> failing, Map<String, String> held, List<String> notes) {
        this(checkedAt, problem, since, rules, rulesKnown, failing, held, notes, null, RESEND_DELAY.multipliedBy(RESENDS), null,
                Set.of(), null);
    }

    public AlertSource {
        rules = Set.copyOf(rules);
        failing = Map.copyOf(failing);
        held = Map.copyOf(held);
        notes = List.copyOf(notes);
        heldNames = heldNames == null ? Set.of() : Set.copyOf(heldNames);
    }

    public boolean up() {
        return problem == null;
    }

    /** Prometheus did not answer (or not as expected): every alert it fires is unknown from the last check that worked. */
    public static AlertSource down(String problem, Instant checkedAt, AlertSource previous) {
        return new AlertSource(checkedAt, problem, since(previous, checkedAt), previous == null ? Set.of() : previous.rules,
                previous != null && previous.rulesKnown, Map.of(), Map.of(), List.of());
    }

    /**
     * Judges Prometheus's answer: no alert rules, a rule group not evaluated for 3 of its intervals (30 s at
     * least; a freshly started Prometheus has evaluated nothing yet), or no scrape at all for 4 intervals (60 s at
     * least: without scrapes not even {@code up == 0} can fire) mean no alert can fire; a rule in error cannot fire
     * its own alerts. Noted, not blocking: a group whose last evaluation Prometheus does not report (an older
     * version: that it runs is unknown, not assumed stopped), and no target answering the scrapes (alerts on
     * {@code up} fire, alerts on the targets' data may resolve for want of it).
     *
     * @param external Prometheus's external labels (added to what it sends Alertmanager, so to its fingerprints)
     */
    public static AlertSource judge(RuleEvaluation e, Map<String, String> external, Instant checkedAt, ZoneId zone,
                                    AlertSource previous) {
        return judge(e, external, RESEND_DELAY, checkedAt, zone, previous);
    }

    /** @param resendDelay Prometheus's {@code --rules.alert.resend-delay} ({@link #RESEND_DELAY} when it does not say) */
    public static AlertSource judge(RuleEvaluation e, Map<String, String> external, Duration resendDelay, Instant checkedAt,
                                    ZoneId zone, AlertSource previous) {
        Set<String> names = new HashSet<>();
        Map<String, Unverified> failing = new HashMap<>();
        Map<String, String> held = new HashMap<>();
        Set<String> heldNames = new HashSet<>();
        List<String> notes = new java.util.ArrayList<>();
        List<String> unreported = new java.util.ArrayList<>();
        String problem = null;
        Duration longest = Duration.ZERO;
        for (RuleEvaluation.Group g : e.groups()) {
            Duration slack = max(g.interval().multipliedBy(3), MIN_EVALUATION_SLACK);
            longest = max(longest, g.interval());
            if (!g.evaluationReported()) {
                unreported.add(g.name());
            } else if (problem == null && g.lastEvaluation() == null) {
                problem = "Prometheus has not evaluated its alert rules yet (group " + g.name() + ")";
            } else if (problem == null && g.lastEvaluation().isBefore(e.now().minus(slack))) {
                problem = "Prometheus has not evaluated its alert rules since " + TIME.format(g.lastEvaluation().atZone(zone))
                        + " (group " + g.name() + ")";
            }
            for (RuleEvaluation.Rule r : g.rules()) {
                names.add(r.name());
                if ("err".equals(r.health())) {
                    Unverified before = previous == null ? null : previous.failing.get(r.name());
                    failing.put(r.name(), new Unverified(before != null ? before.since() : checkedAt,
                            "Prometheus cannot evaluate the rule " + r.name() + ": " + r.lastError()));
                }
                if (!r.alerts().isEmpty()) {
                    heldNames.add(r.name());
                }
                for (RuleEvaluation.Held h : r.alerts()) {
                    held.merge(Fingerprints.of(Fingerprints.asSent(h.labels(), external)), h.state(),
                            (a, b) -> a.equals("firing") ? a : b);
                }
            }
        }
        if (!unreported.isEmpty()) {
            notes.add("Prometheus does not report when it last evaluated its alert rules (" + (unreported.size() == 1 ? "group "
                    : "groups ") + String.join(", ", unreported) + "; an older version): that they still run is not checked");
        }
        if (names.isEmpty()) {
            problem = "Prometheus has no alert rules";
        } else if (problem == null) {
            Duration slack = max(longest.multipliedBy(4), MIN_SCRAPE_SLACK);
            Instant stale = e.now().minus(slack);
            if (e.lastScrape().isEmpty()) {
                problem = "Prometheus scrapes nothing (no scrape of any target for 5 minutes)";
            } else if (e.lastScrape().get().isBefore(stale)) {
                problem = "Prometheus has not scraped since " + TIME.format(e.lastScrape().get().atZone(zone));
            } else if (e.lastAnswer().isEmpty()) {
                notes.add("no target answers Prometheus's scrapes (all down): alerts on up fire, alerts on the targets' data "
                        + "may resolve for want of it");
            } else if (e.lastAnswer().get().isBefore(stale)) {
                notes.add("no target has answered Prometheus's scrapes since " + TIME.format(e.lastAnswer().get().atZone(zone))
                        + ": alerts on up fire, alerts on the targets' data may resolve for want of it");
            }
        }
        Duration window = max(resendDelay, longest).multipliedBy(RESENDS);
        if (problem != null) {
            return new AlertSource(checkedAt, problem, since(previous, checkedAt), names, true, Map.of(), Map.of(), notes, e.now(),
                    window, null, Set.of(), null);
        }
        // back after an outage: from the first answer, for the time it needs to scrape again (as long as a scrape may be late)
        Instant back = previous == null ? null : !previous.up() ? checkedAt : previous.backAt;
        if (back != null && !checkedAt.isBefore(back.plus(settle(longest)))) {
            back = null;
        }
        return new AlertSource(checkedAt, null, null, names, true, failing, held, notes, e.now(), window, null, heldNames, back);
    }

    /**
     * This judgement with Alertmanager's start time ({@code started}), or why it could not be read ({@code problem}: then
     * an alert Alertmanager lost in a restart cannot be told from a resolved one, and that is noted).
     */
    public AlertSource withAlertmanager(Instant started, String problem) {
        List<String> n = notes;
        if (started == null && problem != null) {
            n = new java.util.ArrayList<>(notes);
            n.add("Alertmanager's start time was not read (" + problem + "): an alert it lost in a restart would read resolved");
        }
        return new AlertSource(checkedAt, this.problem, since, rules, rulesKnown, failing, held, n, serverNow, resendWindow, started,
                heldNames, backAt);
    }

    /**
     * Whether Alertmanager started so recently (on Prometheus's clock) that Prometheus may not have sent it every firing
     * alert again yet: an alert it lacks then is not known to have resolved.
     */
    public boolean alertmanagerJustStarted() {
        return alertmanagerStarted != null && serverNow != null && serverNow.isBefore(alertmanagerStarted.plus(resendWindow));
    }

    /** How long a Prometheus back from an outage is given to scrape again: as long as a scrape may be late (see judge). */
    static Duration settle(Duration longestGroupInterval) {
        return max(longestGroupInterval.multipliedBy(4), MIN_SCRAPE_SLACK);
    }

    private static Instant since(AlertSource previous, Instant checkedAt) {
        if (previous == null) {
            return checkedAt;
        }
        return previous.up() ? previous.checkedAt : previous.since;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Whether an alert so named is this Prometheus's: one of its rules as last read; before they were read,
     * {@code presumed} decides (an alert from any Prometheus, or one the history keeps).
     */
    boolean fires(String alertname, boolean presumed) {
        return rulesKnown ? rules.contains(alertname) : presumed;
    }

    /** Why an alert so named cannot be checked now, if it cannot. */
    public Optional<Unverified> unverified(String alertname, boolean presumed) {
        if (problem != null) {
            return fires(alertname, presumed) ? Optional.of(new Unverified(since, problem)) : Optional.empty();
        }
        return Optional.ofNullable(failing.get(alertname));
    }

    /** Why an alert Alertmanager reports cannot be checked now, if it cannot. */
    public Optional<Unverified> unverified(Alert a) {
        return unverified(a.alertname(), a.expression().isPresent());
    }

    /**
     * The fate of an open alert Alertmanager no longer has, in this order: unknown while its source cannot say; one
     * that was unknown stays so while Prometheus holds it (pending after a restart, or firing but not sent yet: it never
     * resolved as far as anyone can tell); one Prometheus still fires still fires (Alertmanager lost it: restarted, or
     * not sent it); while Alertmanager has only just started ({@link #alertmanagerJustStarted}) any other is unknown
     * since its start (Prometheus may not have resent it yet: cannot tell) — unless its rule is this Prometheus's and
     * holds no alert at all; else it resolved.
     *
     * @param unknownSince when it became unknown (null if it was known until now)
     */
    public Missing missing(String fingerprint, String alertname, Instant unknownSince, ZoneId zone) {
        Optional<Unverified> u = unverified(alertname, true);
        if (u.isPresent()) {
            return Missing.unknown(u.get());
        }
        String state = held.get(fingerprint);
        if (state != null && (unknownSince != null || !state.equals("firing"))) {
            if (unknownSince != null) {
                return Missing.unknown(new Unverified(unknownSince,
                        "Prometheus holds it again (" + state + ") but Alertmanager does not have it yet"));
            }
        } else if (state != null) {
            return Missing.firing(alertmanagerJustStarted()
                    ? "Alertmanager restarted at " + TIME.format(alertmanagerStarted.atZone(zone)) + " and Prometheus has not sent it again yet"
                    : "Alertmanager" + (alertmanagerStarted == null ? "" : " (up since " + TIME.format(alertmanagerStarted.atZone(zone)) + ")")
                    + " does not have it: Prometheus has not sent it (its delivery fails?)");
        }
        // unknown through an outage of Prometheus, which is back but may not have scraped again yet: holding nothing says
        // nothing yet (it never resolved as far as anyone can tell)
        if (unknownSince != null && backAt != null && fires(alertname, true)) {
            return Missing.unknown(new Unverified(unknownSince, "Prometheus is back since " + TIME.format(backAt.atZone(zone))
                    + " and holds no " + alertname + " alert yet: whether it resolved is told once it has scraped again"));
        }
        // its rule is this Prometheus's, evaluated (not failing: checked above), and holds no alert at all, under any
        // labels: it fires nowhere — resolved, however recently Alertmanager started
        if (alertmanagerJustStarted() && !(rulesKnown && rules.contains(alertname) && !heldNames.contains(alertname))) {
            Instant since = unknownSince != null ? unknownSince : alertmanagerStarted;
            return Missing.unknown(new Unverified(since, "Alertmanager restarted at " + TIME.format(alertmanagerStarted.atZone(zone))
                    + " and has not been sent it again yet (Prometheus resends every alert within "
                    + resendWindow.dividedBy(RESENDS).toSeconds() + " s or so): whether it resolved cannot be told yet"));
        }
        return Missing.RESOLVED;
    }
}
