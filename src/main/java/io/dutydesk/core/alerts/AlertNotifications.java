package io.dutydesk.core.alerts;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.Notifier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which alerts notify: a new, unsilenced alert of a notifying severity (critical by default), once per
 * fingerprint while it fires (a resolved alert that fires again notifies again). More than {@value #MAX_SEPARATE} at once make one notice.
 */
public final class AlertNotifications {
    static final int MAX_SEPARATE = 3;
    private final Environment.Alerts cfg;
    private final Set<String> notified = new HashSet<>();

    public AlertNotifications(Environment.Alerts cfg) {
        this.cfg = cfg;
    }

    /** The notices for one poll: {@code transitions} are the ones the history just recorded. */
    public synchronized List<Notifier.Notice> after(String env, AlertsFeed feed, List<Transition> transitions) {
        Map<String, Alert> byFp = new HashMap<>();
        feed.alerts().forEach(a -> byFp.put(a.fingerprint(), a));
        List<Alert> fresh = new ArrayList<>();
        for (Transition t : transitions) {
            if (Transition.RESOLVED.equals(t.event())) {
                notified.remove(t.fingerprint()); // the incident ended: firing again is a new one (and the set stays bounded)
                continue;
            }
            Alert a = byFp.get(t.fingerprint());
            if (Transition.FIRING.equals(t.event()) && a != null && !a.suppressed() && cfg.notifySeverities().contains(a.severity())
                    && notified.add(a.fingerprint())) {
                fresh.add(a);
            }
        }
        List<Notifier.Notice> out = new ArrayList<>();
        if (fresh.size() > MAX_SEPARATE) {
            String names = String.join(", ", fresh.stream().map(Alert::alertname).distinct().limit(5).toList());
            out.add(new Notifier.Notice("alerts:" + env + ":batch", level(fresh.get(0)),
                    fresh.size() + " new " + fresh.get(0).severity() + " alerts on " + env, names));
        } else {
            for (Alert a : fresh) {
                String summary = a.annotation("summary");
                out.add(new Notifier.Notice("alert:" + env + ":" + a.fingerprint(), level(a),
                        a.alertname() + " (" + a.severity() + ") on " + env,
                        summary.isEmpty() ? a.labels().toString() : summary));
            }
        }
        return out;
    }

    private Notifier.Level level(Alert a) {
        return cfg.rank(a.severity()) == 0 ? Notifier.Level.CRITICAL : Notifier.Level.WARNING;
    }
}
