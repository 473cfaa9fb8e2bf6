package io.dutydesk.core.ports;

import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Tracked;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.core.alerts.Transitions;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The alert history in the console's local store, per environment: every transition seen or
 * reconstructed, the alerts still open, and when the console last looked. Shared by the window and
 * the CLI (two processes on one file): a transition is recorded only if it changes what the store knows.
 */
public interface AlertHistory {
    /** When a console last read Alertmanager successfully for {@code env}, if ever. */
    CompletableFuture<Optional<Instant>> lastPoll(String env);

    CompletableFuture<Map<String, Tracked>> open(String env);

    /** Compares {@code feed} with the open alerts, records the transitions, notes the poll; returns what changed. */
    CompletableFuture<List<Transition>> observe(AlertsFeed feed);

    /** What one comparison recorded, and the alerts open after it (null when the store cannot say). */
    record Observation(List<Transition> transitions, Map<String, Tracked> open) {}

    /**
     * As {@link #observe(AlertsFeed)}, with {@code judge} saying what became of an alert Alertmanager no longer has:
     * resolved, or unknown (its source could not fire or resolve it).
     */
    default CompletableFuture<Observation> observe(AlertsFeed feed, Transitions.Judge judge) {
        return observe(feed).thenApply(ts -> new Observation(ts, null));
    }

    /** Records reconstructed transitions (in time order), applying them to the open alerts. */
    CompletableFuture<Void> record(String env, List<Transition> transitions);

    /**
     * Records reconstructed transitions of alerts that fired and resolved within a time nobody watched, filled in
     * late (after the history was compared with later feeds): only for alerts not open now, and the open alerts stay
     * as they are.
     */
    default CompletableFuture<Void> recordPast(String env, List<Transition> transitions) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this history cannot record the past"));
    }

    /** Transitions at or after {@code since}, oldest first. */
    CompletableFuture<List<Transition>> since(String env, Instant since);
}
