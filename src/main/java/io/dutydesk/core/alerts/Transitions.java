package io.dutydesk.core.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The history's rules, pure. An alert that appears fires; one that gains a silence is silenced, loses
 * it unsilenced; one that is no longer in Alertmanager's answer resolved — silenced or not, since
 * Alertmanager sends no resolution for a silenced alert, its disappearance is the only sign.
 * Only successful polls are compared: a failed poll changes nothing. An alert that disappears while its
 * source cannot fire or resolve it (Prometheus down: Alertmanager drops it when it times out) is unknown, not
 * resolved; seen again it fires again, and it resolves only once its source can say so.
 */
public final class Transitions {
    private Transitions() {}

    /** The result of comparing the open alerts with a feed. */
    public record Diff(List<Transition> transitions, Map<String, Tracked> open) {}

    /** What becomes of an open alert Alertmanager no longer has: resolved, still firing, or unknown (and why). */
    @FunctionalInterface
    public interface Judge {
        Judge RESOLVED = t -> Missing.RESOLVED;

        Missing vanished(Tracked t);
    }

    public static Diff diff(Map<String, Tracked> open, AlertsFeed feed) {
        return diff(open, feed, Judge.RESOLVED, Map.of());
    }

    public static Diff diff(Map<String, Tracked> open, AlertsFeed feed, Judge judge) {
        return diff(open, feed, judge, Map.of());
    }

    /**
     * @param lastResolved when alerts of the feed that are not open last resolved (by fingerprint, as recorded): one that
     *                     fires again starts no earlier than that — a new incident, even when Alertmanager's start is
     *                     older (an alert it lost and was sent again, a clock ahead of the server's)
     */
    public static Diff diff(Map<String, Tracked> open, AlertsFeed feed, Judge judge, Map<String, Instant> lastResolved) {
        Instant at = feed.takenAt();
        List<Transition> out = new ArrayList<>();
        Map<String, Tracked> next = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Alert a : feed.alerts()) {
            if (!seen.add(a.fingerprint())) {
                continue;
            }
            Tracked t = open.get(a.fingerprint());
            if (t == null) {
                Instant firedAt = a.startsAt() != null && a.startsAt().isBefore(at) ? a.startsAt() : at;
                Instant resolved = lastResolved.get(a.fingerprint());
                if (resolved != null && firedAt.isBefore(resolved)) {
                    firedAt = resolved.isAfter(at) ? at : resolved;
                }
                out.add(new Transition(a.fingerprint(), a.alertname(), Transition.FIRING, firedAt, Transition.LIVE, a.labels()));
                if (a.silenced()) {
                    out.add(new Transition(a.fingerprint(), a.alertname(), Transition.SILENCED, at, Transition.LIVE, a.labels()));
                }
                next.put(a.fingerprint(), new Tracked(a.fingerprint(), a.alertname(), a.silenced(), firedAt, a.labels()));
            } else {
                if (t.unknown()) {
                    // known again, still firing: the same incident (its start kept), never a second firing
                    out.add(new Transition(a.fingerprint(), a.alertname(), Transition.KNOWN, at, Transition.LIVE, a.labels()));
                }
                if (a.silenced() != t.silenced()) {
                    out.add(new Transition(a.fingerprint(), a.alertname(), a.silenced() ? Transition.SILENCED : Transition.UNSILENCED,
                            at, Transition.LIVE, a.labels()));
                }
                next.put(a.fingerprint(), new Tracked(t.fingerprint(), t.alertname(), a.silenced(), t.since(), t.labels()));
            }
        }
        for (Tracked t : open.values()) {
            if (seen.contains(t.fingerprint())) {
                continue;
            }
            Missing m = judge.vanished(t);
            if (m.resolved()) {
                out.add(new Transition(t.fingerprint(), t.alertname(), Transition.RESOLVED, at, Transition.LIVE, t.labels()));
            } else if (m.fate() == Missing.Fate.FIRING || t.unknown()) {
                next.put(t.fingerprint(), t); // still firing (Alertmanager lost it), or still unknown: nothing changed
            } else {
                Instant since = m.since();
                since = since.isBefore(t.since()) ? t.since() : since.isAfter(at) ? at : since;
                out.add(new Transition(t.fingerprint(), t.alertname(), Transition.UNKNOWN, since, Transition.LIVE, t.labels()));
                next.put(t.fingerprint(), new Tracked(t.fingerprint(), t.alertname(), t.silenced(), t.since(), t.labels(), since));
            }
        }
        return new Diff(List.copyOf(out), next);
    }

    /** One of Prometheus's ALERTS{alertstate="firing"} series: the alert's labels and the instants it was firing. */
    public record Series(Map<String, String> labels, List<Instant> firing) {}

    /**
     * What happened between {@code from} (the console last looked) and {@code to} (it looks again), from
     * Prometheus's ALERTS series sampled every {@code step}: a run of samples that starts after {@code from}
     * fired then, one that ends before {@code to} (or reaches it while Alertmanager no longer has the alert)
     * resolved one step after its last sample. Alerts open in the
     * history with no sample at all in the window, and not firing now, resolved while nobody watched: at
     * {@code from}, the earliest it can have been. Everything is marked reconstructed.
     *
     * @param nowFiring fingerprints in Alertmanager's answer at {@code to}
     */
    public static List<Transition> reconstruct(Map<String, Tracked> open, List<Series> series, Instant from, Instant to,
                                               Duration step, Set<String> nowFiring) {
        List<Transition> out = new ArrayList<>();
        Set<String> sampled = new HashSet<>();
        long gap = step.toMillis() * 3 / 2;
        for (Series s : series) {
            if (s.firing().isEmpty()) {
                continue;
            }
            String fp = Fingerprints.of(s.labels());
            String name = s.labels().getOrDefault("alertname", "");
            sampled.add(fp);
            List<Instant> ts = new ArrayList<>(s.firing());
            ts.sort(Comparator.naturalOrder());
            boolean isOpen = open.containsKey(fp);
            int i = 0;
            while (i < ts.size()) {
                int j = i;
                while (j + 1 < ts.size() && ts.get(j + 1).toEpochMilli() - ts.get(j).toEpochMilli() <= gap) {
                    j++;
                }
                Instant start = ts.get(i);
                Instant end = ts.get(j);
                boolean startedBefore = start.toEpochMilli() - from.toEpochMilli() <= gap;
                // a run reaching the end is still firing only if Alertmanager still has it: a resolution just
                // before the console opened is within a step of the end (a run that just began may not have reached it yet)
                boolean stillFiring = to.toEpochMilli() - end.toEpochMilli() <= gap
                        && (nowFiring.contains(fp) || to.toEpochMilli() - start.toEpochMilli() <= 2 * gap);
                if (isOpen && i == 0 && !startedBefore) {
                    // open when the console closed, but not firing at first: it resolved, then fired again
                    out.add(new Transition(fp, name, Transition.RESOLVED, from, Transition.RECONSTRUCTED, s.labels()));
                    isOpen = false;
                }
                if (!isOpen) {
                    out.add(new Transition(fp, name, Transition.FIRING, start, Transition.RECONSTRUCTED, s.labels()));
                    isOpen = true;
                }
                if (!stillFiring) {
                    out.add(new Transition(fp, name, Transition.RESOLVED, end.plus(step), Transition.RECONSTRUCTED, s.labels()));
                    isOpen = false;
                }
                i = j + 1;
            }
        }
        for (Tracked t : open.values()) {
            if (!sampled.contains(t.fingerprint()) && !nowFiring.contains(t.fingerprint())) {
                out.add(new Transition(t.fingerprint(), t.alertname(), Transition.RESOLVED, from, Transition.RECONSTRUCTED, t.labels()));
            }
        }
        out.sort(Comparator.comparing(Transition::at));
        return out;
    }

    /**
     * Of reconstructed transitions, those of alerts that fired and resolved entirely within the time (not open at its
     * start, not firing at its end, last event resolved): what a late catch-up may add without touching the alerts the
     * live history judged.
     */
    public static List<Transition> within(List<Transition> reconstructed, Set<String> openAtStart, Set<String> firingAtEnd) {
        Map<String, List<Transition>> byAlert = new LinkedHashMap<>();
        for (Transition t : reconstructed) {
            byAlert.computeIfAbsent(t.fingerprint(), k -> new ArrayList<>()).add(t);
        }
        List<Transition> out = new ArrayList<>();
        byAlert.forEach((fp, ts) -> {
            if (!openAtStart.contains(fp) && !firingAtEnd.contains(fp) && ts.get(ts.size() - 1).event().equals(Transition.RESOLVED)) {
                out.addAll(ts);
            }
        });
        out.sort(Comparator.comparing(Transition::at));
        return out;
    }
}
