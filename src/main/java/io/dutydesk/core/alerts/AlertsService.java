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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * The longest wait between two tries of a catch-up Prometheus failed (a query_range over up to {@link #MAX_GAP}):
     * after the n-th failure the next try waits the poll interval × 2^(n-1), at most this.
     */
    static final Duration MAX_CATCH_UP_BACKOFF = Duration.ofMinutes(15);
    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    /**
     * One poll: the feed, what the history recorded, whether the history could not be kept, and the truth of it:
     * whether Prometheus can fire alerts ({@code source}), the alerts it cannot vouch for now ({@code unverified}, by
     * fingerprint) and those Alertmanager dropped meanwhile, shown as unknown, never as resolved ({@code vanished},
     * state "unknown"; or as last seen when Prometheus still fires them: Alertmanager lost them, {@code notes} say so).
     * Every alert of {@code feed} and {@code vanished} starts when its incident started: as this console first saw it,
     * else as the history has it (an alert unknown for a while and known again keeps its start; one that fires again
     * after it resolved starts no earlier than that), else Alertmanager's start.
     */
    public record Update(AlertsFeed feed, List<Transition> transitions, Optional<String> historyProblem, AlertSource source,
                         Map<String, Unverified> unverified, List<Alert> vanished, List<String> notes) {
        public Update {
            unverified = Map.copyOf(unverified);
            vanished = List.copyOf(vanished);
            notes = List.copyOf(notes);
        }

        public Update(AlertsFeed feed, List<Transition> transitions, Optional<String> historyProblem, AlertSource source,
                      Map<String, Unverified> unverified, List<Alert> vanished) {
            this(feed, transitions, historyProblem, source, unverified, vanished, List.of());
        }

        public Update(AlertsFeed feed, List<Transition> transitions, Optional<String> historyProblem) {
            this(feed, transitions, historyProblem, null, Map.of(), List.of(), List.of());
        }

        /** Alertmanager's alerts, then the ones it no longer has but that are shown: unknown, or still firing. */
        public AlertsFeed shown() {
            if (vanished.isEmpty()) {
                return feed;
            }
            List<Alert> all = new ArrayList<>(feed.alerts());
            all.addAll(vanished);
            return new AlertsFeed(feed.environment(), feed.takenAt(), List.copyOf(all));
        }

        /** "No alert can fire: …" while Prometheus cannot fire them; the rules it cannot evaluate; else empty. */
        public Optional<String> cannotFire() {
            return source == null ? Optional.empty() : AlertsService.cannotFire(source);
        }

        /** What about Prometheus could not be checked or may mislead, without stopping alerts ({@link AlertSource#notes}). */
        public List<String> sourceNotes() {
            if (notes.isEmpty()) {
                return source == null ? List.of() : source.notes();
            }
            List<String> all = new ArrayList<>(source == null ? List.of() : source.notes());
            all.addAll(notes);
            return all;
        }
    }

    /** One read: Alertmanager's feed and Prometheus's state, checked together. */
    private record Read(AlertsFeed feed, AlertSource source) {}

    /** The time to fill in from Prometheus, fixed at the first attempt (later polls move the store's last poll on). */
    private record Gap(Instant from, Instant to, Duration step, Map<String, Tracked> open, Set<String> nowFiring) {}

    /**
     * An alert Alertmanager dropped while the console could not tell that it resolved: kept with its details, unknown
     * {@code since} then (null while it is known to still fire).
     */
    private record Dropped(Alert alert, Instant since) {}

    /** When Alertmanager started, or why that was not read. */
    private record Started(Instant at, String problem) {}

    private final Environment env;
    private final AlertsPort alertmanager;
    private final AlertSeriesPort prometheus;
    private final AlertHistory history;
    private final AuditLog audit;
    private final String actor;
    private final Clock clock;
    private CompletableFuture<Void> first;   // the first catch-up: the history is compared only after it
    private CompletableFuture<Void> catchUp; // the current attempt; a failed one is tried again at a later poll
    private volatile boolean gapKnown;       // the time to fill in is fixed (or nothing was missed)
    private volatile Gap gap;
    private volatile String catchUpProblem;
    private volatile boolean catchUpFailed;
    private int catchUpFailures;                // Prometheus's failures in a row; guarded by this
    private Instant nextCatchUp = Instant.MIN;  // no new try before; guarded by this
    private volatile boolean observed;       // the history was compared with a feed since the gap was fixed
    private volatile Map<String, String> external; // Prometheus's external labels, once read
    private volatile Duration resend;              // Prometheus's resend delay, once read
    private volatile AlertSource source;
    private Map<String, Alert> lastSeen = Map.of();            // guarded by this
    private final Map<String, Dropped> dropped = new LinkedHashMap<>(); // guarded by this
    private Map<String, Instant> starts = Map.of();            // each alert shown: its incident's start; guarded by this

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
     * Reads Alertmanager and, at the same time, whether Prometheus can fire alerts; records what changed (an alert
     * Alertmanager dropped while Prometheus could not say is unknown, not resolved). The first read first fills in
     * the time the console was closed; if that fails it is tried again at later polls, over the same time (a failure
     * of Prometheus's backs off: the poll interval × 2^(n-1) after the n-th, at most {@link #MAX_CATCH_UP_BACKOFF};
     * one of the local store's is tried again at the next poll).
     *
     * @param waitForHistory wait for the catch-up however long it takes (the CLI); the window shows the feed
     *                       after {@link #CATCH_UP_WAIT} and compares it with the history on a later poll
     */
    public CompletableFuture<Update> poll(boolean waitForHistory) {
        CompletableFuture<Started> started;
        try {
            started = alertmanager.startedAt().handle((t, e) -> e == null ? new Started(t, null) : new Started(null, Errors.describe(e)));
        } catch (RuntimeException e) {
            started = CompletableFuture.completedFuture(new Started(null, Errors.describe(e)));
        }
        CompletableFuture<AlertSource> checked = checkSource().thenCombine(started, (s, st) -> s.withAlertmanager(st.at(), st.problem()));
        return alertmanager.alerts().thenCombine(checked, Read::new).thenCompose(r -> {
            CompletableFuture<Void> attempt;
            synchronized (this) {
                if (catchUp == null || (catchUp.isDone() && catchUpFailed && !clock.instant().isBefore(nextCatchUp))) {
                    catchUpFailed = false;
                    catchUp = catchUp(r.feed());
                    if (first == null) {
                        first = catchUp;
                    }
                }
                attempt = catchUp;
            }
            // the history is compared after the first catch-up, and never before the time to fill in is fixed;
            // a retry of the filling in does not hold the comparison up
            CompletableFuture<Void> gate = first.isDone() && gapKnown ? null : attempt;
            if (gate == null) {
                return observe(r);
            }
            if (waitForHistory) {
                return gate.thenCompose(x -> gapKnown ? observe(r) : notKept(r));
            }
            if (!gate.isDone()) {
                // the feed does not wait for Prometheus: the history is compared once the gap is filled in
                String filling = "filling in the history from Prometheus (the time the console was closed)…";
                return gate.handle((x, e) -> (Update) null)
                        .completeOnTimeout(null, CATCH_UP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .thenCompose(u -> !gate.isDone() ? CompletableFuture.completedFuture(shown(r, null, List.of(),
                                Optional.of(filling))) : gapKnown ? observe(r) : notKept(r));
            }
            return gapKnown ? observe(r) : notKept(r);
        });
    }

    /** The feed without comparing it: the time to fill in could not be fixed (the store failed), so nothing is recorded. */
    private CompletableFuture<Update> notKept(Read r) {
        return CompletableFuture.completedFuture(shown(r, null, List.of(), Optional.of("history not kept: "
                + (catchUpProblem == null ? "the local store did not answer" : catchUpProblem))));
    }

    private CompletableFuture<Update> observe(Read r) {
        observed = true;
        AlertSource s = r.source();
        java.time.ZoneId zone = zone();
        return history.observe(r.feed(), t -> s.missing(t.fingerprint(), t.alertname(), t.unknownSince(), zone)).handle((o, e) -> {
            if (e != null) {
                return shown(r, null, List.of(), Optional.of("history not kept: " + Errors.describe(e)));
            }
            return shown(r, o.open(), o.transitions(), Optional.ofNullable(catchUpProblem));
        });
    }

    /**
     * The update as shown: Alertmanager's alerts, marked unknown where Prometheus cannot vouch for them, and the
     * alerts it dropped meanwhile that did not resolve as far as the console can tell (unknown, or still fired by
     * Prometheus). The history's open alerts say which dropped ones are still open (another console may have seen them
     * resolve); without the history (it failed) this service's own memory does. Every alert starts when its incident
     * started ({@link Update}).
     */
    private synchronized Update shown(Read r, Map<String, Tracked> open, List<Transition> ts, Optional<String> problem) {
        AlertSource s = r.source();
        java.time.ZoneId zone = zone();
        Map<String, Instant> startsNow = new LinkedHashMap<>();
        Map<String, Alert> now = new LinkedHashMap<>();
        for (Alert a : r.feed().alerts()) {
            if (!now.containsKey(a.fingerprint())) {
                Tracked t = open == null ? null : open.get(a.fingerprint());
                Alert shown = withStart(a, startOf(a.fingerprint(), t != null ? t.since() : a.startsAt()));
                now.put(a.fingerprint(), shown);
                startsNow.put(a.fingerprint(), shown.startsAt());
            }
        }
        Map<String, Unverified> unverified = new LinkedHashMap<>();
        for (Alert a : now.values()) {
            s.unverified(a).ifPresent(u -> unverified.put(a.fingerprint(), u));
        }
        for (Alert a : lastSeen.values()) {
            if (!now.containsKey(a.fingerprint())) {
                dropped.putIfAbsent(a.fingerprint(), new Dropped(a, null)); // its fate is judged below
            }
        }
        lastSeen = now;
        dropped.keySet().removeIf(now::containsKey);
        Map<String, Dropped> candidates = new LinkedHashMap<>();
        if (open != null) {
            // what the history keeps open that Alertmanager does not have: unknown, or still firing
            for (Tracked t : open.values()) {
                if (!now.containsKey(t.fingerprint())) {
                    Dropped d = dropped.get(t.fingerprint());
                    Alert a = d != null ? d.alert() : fromHistory(t, startOf(t.fingerprint(), t.since()));
                    candidates.put(t.fingerprint(), new Dropped(a, t.unknownSince()));
                }
            }
            dropped.keySet().retainAll(candidates.keySet());
        } else {
            candidates.putAll(dropped);
        }
        List<Alert> vanished = new ArrayList<>();
        List<String> firing = new ArrayList<>();
        for (Dropped d : candidates.values()) {
            Alert a = d.alert();
            Missing m = s.missing(a.fingerprint(), a.alertname(), d.since(), zone);
            if (m.resolved() && open != null) {
                // the history keeps it open (another console's judgement)
                m = d.since() != null ? Missing.unknown(new Unverified(d.since(), "unknown")) : Missing.firing("kept open by the history");
            }
            if (m.resolved()) {
                dropped.remove(a.fingerprint()); // resolved: its source says so
                continue;
            }
            startsNow.put(a.fingerprint(), a.startsAt());
            if (m.fate() == Missing.Fate.FIRING) {
                dropped.put(a.fingerprint(), new Dropped(a, null));
                firing.add(a.alertname() + " (" + m.reason() + ")");
                vanished.add(UNKNOWN.equals(a.state()) ? new Alert(a.fingerprint(), a.alertname(), a.severity(), "active", a.startsAt(),
                        a.updatedAt(), a.labels(), a.annotations(), List.of(), List.of(), a.generatorURL()) : a);
                continue;
            }
            Unverified v = new Unverified(d.since() != null ? d.since() : m.since(), m.reason());
            dropped.put(a.fingerprint(), new Dropped(a, v.since()));
            unverified.put(a.fingerprint(), v);
            vanished.add(new Alert(a.fingerprint(), a.alertname(), a.severity(), UNKNOWN, a.startsAt(), a.updatedAt(), a.labels(),
                    a.annotations(), List.of(), List.of(), a.generatorURL()));
        }
        starts = startsNow;
        List<String> notes = new ArrayList<>();
        if (!firing.isEmpty()) {
            notes.add("Alertmanager does not have " + firing.size() + (firing.size() == 1 ? " alert" : " alerts")
                    + " Prometheus still fires, shown as last seen: " + String.join("; ", firing));
        }
        AlertsFeed feed = new AlertsFeed(r.feed().environment(), r.feed().takenAt(), List.copyOf(now.values()));
        return new Update(feed, ts, problem, s, unverified, vanished, notes);
    }

    /** An alert's incident start: as this service first showed it (kept while it is shown), else {@code otherwise}. */
    private Instant startOf(String fingerprint, Instant otherwise) {
        Instant known = starts.get(fingerprint);
        return known != null ? known : otherwise;
    }

    private static Alert withStart(Alert a, Instant start) {
        if (java.util.Objects.equals(start, a.startsAt())) {
            return a;
        }
        return new Alert(a.fingerprint(), a.alertname(), a.severity(), a.state(), start, a.updatedAt(), a.labels(), a.annotations(),
                a.silencedBy(), a.inhibitedBy(), a.generatorURL());
    }

    /** The state of an alert shown though Alertmanager no longer has it. */
    public static final String UNKNOWN = "unknown";

    private Alert fromHistory(Tracked t, Instant start) {
        return new Alert(t.fingerprint(), t.alertname(), t.labels().getOrDefault(env.alerts().severityLabel(), ""), UNKNOWN, start,
                t.unknownSince(), t.labels(), Map.of(), List.of(), List.of(), "");
    }

    static Optional<String> cannotFire(AlertSource s) {
        if (!s.up()) {
            return Optional.of("No alert can fire or resolve: " + s.problem() + ". Alerts from it are unknown since the last check"
                    + " that worked; none is recorded resolved.");
        }
        if (!s.failing().isEmpty()) {
            return Optional.of("These alerts cannot fire or resolve: " + String.join("; ", s.failing().values().stream()
                    .map(Unverified::reason).sorted().toList()));
        }
        return Optional.empty();
    }

    /** Prometheus's state now: what it evaluates, held against its external labels; a failure makes it down. */
    private CompletableFuture<AlertSource> checkSource() {
        AlertSource previous = source;
        CompletableFuture<AlertSource> out;
        try {
            out = externalLabels().thenCombine(resendDelay(), Map::entry).thenCombine(prometheus.evaluation(),
                    (ext, ev) -> AlertSource.judge(ev, ext.getKey(), ext.getValue(), clock.instant(), zone(), previous));
        } catch (RuntimeException e) {
            out = CompletableFuture.failedFuture(e);
        }
        return out.exceptionally(e -> AlertSource.down("Prometheus down: " + Errors.describe(e), clock.instant(), previous))
                .thenApply(s -> {
                    source = s;
                    return s;
                });
    }

    private java.time.ZoneId zone() {
        return clock.getZone() == null ? java.time.ZoneId.systemDefault() : clock.getZone();
    }

    /** Prometheus's resend delay, read once (its default when it does not say; a failure is tried again at the next use). */
    private CompletableFuture<Duration> resendDelay() {
        Duration d = resend;
        if (d != null) {
            return CompletableFuture.completedFuture(d);
        }
        // a side read: a Prometheus that refuses its flags (an auth proxy's 403, a 5xx) must not fail the source's
        // judgement; the default is assumed this time and the flags asked again at the next poll
        return prometheus.resendDelay().thenApply(o -> {
            resend = o.orElse(AlertSource.RESEND_DELAY);
            return resend;
        }).exceptionally(e -> AlertSource.RESEND_DELAY);
    }

    /** Prometheus's external labels, read once (a failure is tried again at the next use). */
    private CompletableFuture<Map<String, String>> externalLabels() {
        Map<String, String> e = external;
        if (e != null) {
            return CompletableFuture.completedFuture(e);
        }
        return prometheus.externalLabels().thenApply(m -> {
            external = Map.copyOf(m);
            return external;
        });
    }

    /** Only the feed, nothing recorded (the CLI's {@code alerts}). */
    public CompletableFuture<AlertsFeed> feed() {
        return alertmanager.alerts();
    }

    private CompletableFuture<Void> catchUp(AlertsFeed feed) {
        CompletableFuture<Gap> g = gapKnown ? CompletableFuture.completedFuture(gap) : gap(feed);
        return g.thenCompose(gp -> gp == null ? CompletableFuture.<Void>completedFuture(null) : fill(gp)).handle((x, e) -> {
            caughtUp(e);
            return null;
        });
    }

    /**
     * The end of one catch-up attempt. Prometheus failing it (a query_range over up to 30 days, perhaps what makes
     * it fail) is tried again after a backoff, said with the attempt and the time of the next try; the local store
     * failing it (the time to fill in not fixed yet) is tried again at the next poll.
     */
    private synchronized void caughtUp(Throwable e) {
        if (e == null) {
            catchUpFailures = 0;
            nextCatchUp = Instant.MIN;
            catchUpProblem = null;
            catchUpFailed = false;
            return;
        }
        Instant now = clock.instant();
        String retry;
        if (gapKnown) {
            catchUpFailures++;
            Duration wait = catchUpBackoff(env.alerts().interval(), catchUpFailures);
            nextCatchUp = now.plus(wait);
            retry = "attempt " + catchUpFailures + " failed; tried again at " + TIME.format(nextCatchUp.atZone(zone()))
                    + " (in " + wait.toSeconds() + " s)";
        } else {
            nextCatchUp = Instant.MIN;
            retry = "tried again at the next poll";
        }
        catchUpProblem = "the time the console was closed is not filled in yet (" + (gapKnown ? "Prometheus" : "local store") + ": "
                + Errors.describe(e) + "); " + retry;
        catchUpFailed = true;
    }

    /** The wait after the {@code failures}-th failure in a row: {@code interval} × 2^(failures-1), capped. */
    static Duration catchUpBackoff(Duration interval, int failures) {
        Duration cap = interval.compareTo(MAX_CATCH_UP_BACKOFF) > 0 ? interval : MAX_CATCH_UP_BACKOFF;
        Duration d = interval.multipliedBy(1L << Math.min(Math.max(failures, 1) - 1, 20));
        return d.compareTo(cap) > 0 ? cap : d;
    }

    /** The time since a console last looked, and the alerts open then; null when nothing was missed. */
    private CompletableFuture<Gap> gap(AlertsFeed feed) {
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
                gapKnown = true;
                return CompletableFuture.completedFuture(null); // nothing missed
            }
            Instant f = from;
            Duration s = step;
            Set<String> now = feed.alerts().stream().map(Alert::fingerprint).collect(Collectors.toSet());
            return history.open(env.name()).thenApply(open -> {
                gap = new Gap(f, to, s, Map.copyOf(open), Set.copyOf(now));
                gapKnown = true;
                return gap;
            });
        });
    }

    /**
     * Reconstructs the gap from Prometheus's ALERTS series, in the fingerprints Alertmanager gives (its external labels
     * added). Filled in late (the history was compared with feeds since), only the alerts that fired and resolved
     * within the gap are added: the others were already judged by the comparison (resolved or unknown when seen).
     */
    private CompletableFuture<Void> fill(Gap g) {
        boolean late = observed;
        return externalLabels().thenCompose(ext -> prometheus.firing(g.from(), g.to(), g.step()).thenCompose(series -> {
            List<Transitions.Series> sent = series.stream()
                    .map(x -> new Transitions.Series(Fingerprints.asSent(x.labels(), ext), x.firing())).toList();
            List<Transition> ts = Transitions.reconstruct(g.open(), sent, g.from(), g.to(), g.step(), g.nowFiring());
            return late ? history.recordPast(env.name(), Transitions.within(ts, g.open().keySet(), g.nowFiring()))
                    : history.record(env.name(), ts);
        }));
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
