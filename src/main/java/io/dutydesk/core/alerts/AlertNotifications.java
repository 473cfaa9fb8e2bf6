package io.dutydesk.core.alerts;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.Notifier;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which alerts notify, per window: an alert of a notifying severity (critical by default) that this window sees
 * firing for the first time, unsilenced, once per fingerprint and start time — read from Alertmanager's feed,
 * whoever recorded it in the history first (another window, the CLI) and whether the history could be kept at all.
 * The start is the incident's, as {@link AlertsService.Update} gives it: an alert unknown for a while and known again
 * keeps its start (it does not notify again); a resolved alert that fires again has a new start (no earlier than its
 * resolution): it notifies again. An alert first seen silenced notifies when it
 * is seen unsilenced (the silence expired or was removed while it still fires): only a notice sent is remembered.
 * More than {@value #MAX_SEPARATE} at once make one notice.
 */
public final class AlertNotifications {
    static final int MAX_SEPARATE = 3;
    /** How long an alert's key is kept after it was last seen (bounds the set; far longer than any outage of the feed). */
    static final Duration KEEP = Duration.ofHours(24);
    private final Map<String, Instant> notified = new HashMap<>(); // key → last seen in a feed

    /** The notices for one good feed. */
    public synchronized List<Notifier.Notice> after(Environment.Alerts cfg, AlertsFeed feed) {
        String env = feed.environment();
        Instant now = feed.takenAt();
        List<Alert> fresh = new ArrayList<>();
        for (Alert a : feed.alerts()) {
            String key = env + "\u0000" + a.fingerprint() + "\u0000" + a.startsAt();
            if (notified.containsKey(key)) {
                notified.put(key, now); // still there: kept while it is
            } else if (!a.suppressed() && cfg.notifySeverities().contains(a.severity())) {
                notified.put(key, now); // remembered only once notified: a silenced one notifies when unsilenced
                fresh.add(a);
            }
        }
        notified.values().removeIf(t -> t.isBefore(now.minus(KEEP)));
        List<Notifier.Notice> out = new ArrayList<>();
        if (fresh.size() > MAX_SEPARATE) {
            String names = String.join(", ", fresh.stream().map(Alert::alertname).distinct().limit(5).toList());
            out.add(new Notifier.Notice("alerts:" + env + ":batch", level(cfg, fresh.get(0)),
                    fresh.size() + " new " + fresh.get(0).severity() + " alerts on " + env, names));
        } else {
            for (Alert a : fresh) {
                String summary = a.annotation("summary");
                out.add(new Notifier.Notice("alert:" + env + ":" + a.fingerprint(), level(cfg, a),
                        a.alertname() + " (" + a.severity() + ") on " + env,
                        summary.isEmpty() ? a.labels().toString() : summary));
            }
        }
        return out;
    }

    private static Notifier.Level level(Environment.Alerts cfg, Alert a) {
        return cfg.rank(a.severity()) == 0 ? Notifier.Level.CRITICAL : Notifier.Level.WARNING;
    }
}
