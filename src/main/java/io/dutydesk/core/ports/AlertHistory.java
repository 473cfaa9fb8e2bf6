package io.dutydesk.core.ports;

import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.Tracked;
import io.dutydesk.core.alerts.Transition;

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

    /** Records reconstructed transitions (in time order), applying them to the open alerts. */
    CompletableFuture<Void> record(String env, List<Transition> transitions);

    /** Transitions at or after {@code since}, oldest first. */
    CompletableFuture<List<Transition>> since(String env, Instant since);
}
