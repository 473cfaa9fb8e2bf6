package io.dutydesk.core.alerts;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.AlertSeriesPort;
import io.dutydesk.core.ports.AlertsPort;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The alert capability, for the window and the CLI alike: the feed with its history, silences as
 * acknowledgements (validated, audited, refusals in Alertmanager's words), and the history itself.
 */
public final class AlertsService {
    /** The longest gap filled in from Prometheus. */
    static final Duration MAX_GAP = Duration.ofDays(30);
    /** Points per series at most (Prometheus refuses more than 11,000). */
    static final int MAX_POINTS = 10_000;
    /** How long a poll waits for the catch-up before showing the feed without it. */
    static final Duration CATCH_UP_WAIT = Duration.ofSeconds(2);

    /** One poll: the feed, what the history recorded, and whether the history could not be kept. */
    public record Update(AlertsFeed feed, List<Transition> transitions, Optional<String> historyProblem) {}

    private final Environment env;
    private final AlertsPort alertmanager;
    private final AlertSeriesPort prometheus;
    private final AlertHistory history;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;
    private CompletableFuture<Void> catchUp; // once per service: a slow catch-up is shared, never run twice
    private volatile String catchUpProblem;

    public AlertsService(Environment env, AlertsPort alertmanager, AlertSeriesPort prometheus, AlertHistory history,
                         AuditLog audit, String actor, Clock clock) {
        this.env = env;
        this.alertmanager = alertmanager;
        this.prometheus = prometheus;
        this.history = history;
        this.audit = audit;
        this.actor = actor;
        this.clock = clock;
    }

    public Environment environment() {
        return env;
    }

    public String actor() {
        return actor;
    }

    /**
     * Reads Alertmanager and records what changed. The first successful read first fills in the time
     * the console was closed from Prometheus's ALERTS series (marked reconstructed).
     */
    public CompletableFuture<Update> poll() {
        return poll(false);
    }

    /**
     * @param waitForHistory wait for the catch-up however long it takes (the CLI); the window shows the feed
     *                       after {@link #CATCH_UP_WAIT} and compares it with the history on a later poll
     */
    public CompletableFuture<Update> poll(boolean waitForHistory) {
        return alertmanager.alerts().thenCompose(feed -> {
            CompletableFuture<Void> before;
            synchronized (this) {
                if (catchUp == null) {
                    catchUp = catchUp(feed);
                }
                before = catchUp;
            }
            if (waitForHistory) {
                return before.thenCompose(x -> observe(feed));
            }
            if (!before.isDone()) {
                // the feed does not wait for Prometheus: the history is compared once the gap is filled in
                return before.handle((x, e) -> new Update(feed, List.of(),
                        Optional.of("filling in the history from Prometheus (the time the console was closed)…")))
                        .completeOnTimeout(new Update(feed, List.of(),
                                Optional.of("filling in the history from Prometheus (the time the console was closed)…")),
                                CATCH_UP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .thenCompose(u -> before.isDone() ? observe(feed) : CompletableFuture.completedFuture(u));
            }
            return observe(feed);
        });
    }

    private CompletableFuture<Update> observe(AlertsFeed feed) {
        return history.observe(feed).handle((ts, e) -> {
            if (e != null) {
                return new Update(feed, List.of(), Optional.of("history not kept: " + Errors.describe(e)));
            }
            return new Update(feed, ts, Optional.ofNullable(catchUpProblem));
        });
    }

    /** Only the feed, nothing recorded (the CLI's {@code alerts}). */
    public CompletableFuture<AlertsFeed> feed() {
        return alertmanager.alerts();
    }

    private CompletableFuture<Void> catchUp(AlertsFeed feed) {
        Instant to = feed.takenAt();
        return history.lastPoll(env.name()).thenCompose(last -> {
            Instant from = last.orElse(to.minus(env.alerts().backfill()));
            if (from.isBefore(to.minus(MAX_GAP))) {
                from = to.minus(MAX_GAP);
            }
            Duration range = Duration.between(from, to);
            Duration step = env.alerts().interval();
            long minStep = (range.toSeconds() + MAX_POINTS - 1) / MAX_POINTS;
            if (step.toSeconds() < minStep) {
                step = Duration.ofSeconds(minStep);
            }
            if (range.compareTo(step.multipliedBy(2)) < 0) {
                return CompletableFuture.completedFuture(null); // nothing missed
            }
            Instant f = from;
            Duration s = step;
            Set<String> now = feed.alerts().stream().map(Alert::fingerprint).collect(Collectors.toSet());
            return history.open(env.name()).thenCompose(open -> prometheus.firing(f, to, s)
                    .thenCompose(series -> history.record(env.name(), Transitions.reconstruct(open, series, f, to, s, now))));
        }).handle((x, e) -> {
            catchUpProblem = e == null ? null
                    : "the time the console was closed is not filled in (Prometheus: " + Errors.describe(e) + ")";
            return null;
        });
    }

    public CompletableFuture<List<Silence>> silences() {
        return alertmanager.silences();
    }

    public CompletableFuture<List<Transition>> history(Instant since) {
        return history.since(env.name(), since);
    }

    /** Creates a silence (the acknowledgement); audited, refused ones too. Completes with its id. */
    public CompletableFuture<String> silence(SilenceRequest request) {
        Instant start = clock.instant();
        Optional<String> problem = request.problem();
        if (problem.isPresent()) {
            IllegalArgumentException e = new IllegalArgumentException(problem.get());
            return audit("silence", request.auditArgs(), start, "refused", e.getMessage())
                    .thenCompose(x -> CompletableFuture.failedFuture(e));
        }
        return settle(alertmanager.silence(request), "silence", request.auditArgs(), start, id -> "silence " + id);
    }

    /** Expires a silence now; audited, refused ones too. */
    public CompletableFuture<Void> expire(String silenceId) {
        Instant start = clock.instant();
        if (silenceId == null || !silenceId.matches("[A-Za-z0-9-]{1,64}")) {
            IllegalArgumentException e = new IllegalArgumentException("'" + silenceId + "' is not a silence id");
            return audit("unsilence", List.of(String.valueOf(silenceId)), start, "refused", e.getMessage())
                    .thenCompose(x -> CompletableFuture.failedFuture(e));
        }
        return settle(alertmanager.expire(silenceId).thenApply(v -> silenceId), "unsilence", List.of(silenceId), start,
                id -> "expired " + id).thenApply(x -> null);
    }

    private <T> CompletableFuture<T> settle(CompletableFuture<T> call, String action, List<String> args, Instant start,
                                            java.util.function.Function<T, String> describe) {
        return call.handle((r, e) -> {
            if (e == null) {
                return audit(action, args, start, "succeeded", describe.apply(r)).thenApply(x -> r);
            }
            Throwable c = Errors.unwrap(e);
            String result = c instanceof AlertsPort.AlertmanagerException am && am.status() / 100 == 4 ? "refused" : "failed";
            return audit(action, args, start, result, Errors.describe(e)).<T>thenCompose(x -> CompletableFuture.failedFuture(c));
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Void> audit(String action, List<String> args, Instant start, String result, String message) {
        AuditEntry entry = new AuditEntry(UUID.randomUUID().toString(), actor, env.name(), action, List.copyOf(args), start,
                clock.instant(), null, null, result, null, null, message);
        return audit.append(entry).exceptionally(e -> null);
    }
}
