package io.dutydesk.ui.alerts;

import io.dutydesk.core.Errors;
import io.dutydesk.core.alerts.Alert;
import io.dutydesk.core.alerts.AlertFilter;
import io.dutydesk.core.alerts.AlertGrouping;
import io.dutydesk.core.alerts.AlertNotifications;
import io.dutydesk.core.alerts.AlertsFeed;
import io.dutydesk.core.alerts.AlertsService;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.Silence;
import io.dutydesk.core.alerts.SilenceRequest;
import io.dutydesk.core.alerts.Transition;
import io.dutydesk.core.alerts.Unverified;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.Notifier;
import io.dutydesk.ui.fx.PaneModel;
import io.dutydesk.ui.fx.PolledValue;
import io.dutydesk.ui.fx.Times;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The alerts pane: Alertmanager's feed, polled (every 5 s by default), grouped and filtered; the
 * counts per severity; silences (the acknowledgement) and the history. A failed poll keeps the last
 * feed, marked "down; last answer at T". Everything reaches the properties through the ui executor.
 */
public final class AlertsViewModel implements PaneModel {

    private final Executor ui;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Function<EnvironmentHandle, AlertsService> services;
    private final Notifier notifier;

    private final ObservableList<AlertRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<AlertsFeed> feed = new SimpleObjectProperty<>();
    private final ObjectProperty<Alert> selected = new SimpleObjectProperty<>();
    /** The first read whose feed no longer held the selected alert (resolved); null while it is in the feed. */
    private final ObjectProperty<Instant> selectedGoneAt = new SimpleObjectProperty<>();
    private final StringProperty filterText = new SimpleStringProperty("");
    private final StringProperty filterError = new SimpleStringProperty();
    private final StringProperty problem = new SimpleStringProperty();
    private final BooleanProperty stale = new SimpleBooleanProperty();
    private final StringProperty updated = new SimpleStringProperty("");
    /** The environment has no Alertmanager ({@code alertmanager: false}): the pane says so and nothing is polled. */
    private final javafx.beans.property.BooleanProperty notConfigured = new javafx.beans.property.SimpleBooleanProperty();

    /** What the pane says of an environment without Alertmanager. */
    public static final String NOT_CONFIGURED = "Alertmanager: not configured for this environment (alertmanager: false in the "
            + "environments file); nothing is polled";
    private final StringProperty historyProblem = new SimpleStringProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty showSuppressed = new SimpleBooleanProperty(true);
    private final ObservableList<Map.Entry<String, Long>> counts = FXCollections.observableArrayList();
    private final SimpleObjectProperty<Long> suppressed = new SimpleObjectProperty<>(0L);
    private final StringProperty shownSummary = new SimpleStringProperty("");
    private final ObservableList<Silence> silences = FXCollections.observableArrayList();
    private final StringProperty silencesProblem = new SimpleStringProperty();
    private final ObservableList<Transition> history = FXCollections.observableArrayList();
    private final ObjectProperty<Duration> historyWindow = new SimpleObjectProperty<>(Duration.ofHours(12));
    private final Set<String> collapsed = new HashSet<>();
    private final List<Consumer<AlertsFeed>> feedListeners = new ArrayList<>();
    private final StringProperty cannotFire = new SimpleStringProperty();
    private final StringProperty sourceNote = new SimpleStringProperty();
    private final SimpleObjectProperty<Long> unknown = new SimpleObjectProperty<>(0L);
    private final SimpleObjectProperty<Long> tick = new SimpleObjectProperty<>(0L);
    private final ObjectProperty<Instant> staleSince = new SimpleObjectProperty<>();
    private final StringProperty unknownText = new SimpleStringProperty("");
    private final StringProperty countsAsOf = new SimpleStringProperty();
    private Consumer<io.dutydesk.core.Backend> answered = b -> { };
    /** Once per window, across environments: a firing alert notifies once per fingerprint and start. */
    private final AlertNotifications notifications = new AlertNotifications();
    private Map<String, Unverified> unverified = Map.of();

    private AlertFilter filter = AlertFilter.ALL;
    private Consumer<String> openMetrics;
    private AlertsService service;
    private PolledValue<AlertsService.Update> poller;
    /**
     * On the screen (or as if: a view-model without a shell). Hidden, the feed is still polled — the notifications
     * come from it — but the silences and the history are not read until it is shown again.
     */
    private final javafx.beans.property.BooleanProperty shown = new javafx.beans.property.SimpleBooleanProperty(true);

    /**
     * @param services builds the service for an opened environment (the app: adapters of the handle,
     *                 the local store's history, the audit log)
     */
    public AlertsViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock,
                           Function<EnvironmentHandle, AlertsService> services, Notifier notifier) {
        this.ui = ui;
        this.scheduler = scheduler;
        this.clock = clock;
        this.services = services;
        this.notifier = notifier;
        filterText.addListener((o, a, b) -> applyFilter(b));
        showSuppressed.addListener((o, a, b) -> rebuild());
        historyWindow.addListener((o, a, b) -> refreshHistory());
        // another alert chosen (or none): what was gone was the previous one. Before the view's listener: it reads goneAt
        selected.addListener((o, a, b) -> {
            if (a == null || b == null || !a.fingerprint().equals(b.fingerprint())) {
                selectedGoneAt.set(null);
            }
        });
    }

    /** The usual factory: the handle's Alertmanager and Prometheus, the store's history, the audit log. */
    public static Function<EnvironmentHandle, AlertsService> services(AlertHistory history, AuditLog audit, String actor,
                                                                      Clock clock) {
        return h -> new AlertsService(h.environment(), h.alerts(), h.alertSeries(), history, audit, actor, clock);
    }

    public ObservableList<AlertRow> rows() { return rows; }

    /** The last good feed (kept while Alertmanager fails). */
    public ReadOnlyObjectProperty<AlertsFeed> feedProperty() { return feed; }

    public ObjectProperty<Alert> selectedProperty() { return selected; }

    /**
     * When the feed first no longer held the selected alert (Alertmanager drops a resolved alert): it stays selected,
     * as chosen, but is not active. Empty while the feed holds it, or for an alert that is not the selected one.
     */
    public Optional<Instant> goneAt(Alert a) {
        Alert sel = selected.get();
        return sel == null || a == null || !sel.fingerprint().equals(a.fingerprint()) ? Optional.empty()
                : Optional.ofNullable(selectedGoneAt.get());
    }

    /** {@link #goneAt} of the selected alert, for redrawing its details. */
    public javafx.beans.property.ReadOnlyObjectProperty<Instant> selectedGoneAtProperty() { return selectedGoneAt; }

    public StringProperty filterTextProperty() { return filterText; }

    /** Null when the filter parses; else what is wrong with it. */
    public ReadOnlyStringProperty filterErrorProperty() { return filterError; }

    /** Null when the last poll succeeded; else "Alertmanager: down; last answer at T: error" ({@link PolledValue#problem}). */
    public ReadOnlyStringProperty problemProperty() { return problem; }

    public ReadOnlyBooleanProperty staleProperty() { return stale; }

    public ReadOnlyStringProperty updatedProperty() { return updated; }

    /** True for an environment without Alertmanager: "not configured", not polled, never "no alerts". */
    public javafx.beans.property.ReadOnlyBooleanProperty notConfiguredProperty() { return notConfigured; }

    public ReadOnlyStringProperty historyProblemProperty() { return historyProblem; }

    /**
     * Null while alerts can fire; else why they cannot ("No alert can fire or resolve: Prometheus down: …"), or
     * which rules cannot.
     */
    public ReadOnlyStringProperty cannotFireProperty() { return cannotFire; }

    /** What about Prometheus could not be checked or may mislead, not stopping alerts (null when nothing). */
    public ReadOnlyStringProperty sourceNoteProperty() { return sourceNote; }

    /** Alerts shown whose truth is unknown now (their source stopped): not counted with their severity. */
    public ReadOnlyObjectProperty<Long> unknownProperty() { return unknown; }

    /**
     * The unknown alerts by severity, so a critical one is never hidden behind "0 critical": "1 unknown (1 critical)",
     * "3 unknown (1 critical, 2 warning)"; "" when none.
     */
    public ReadOnlyStringProperty unknownTextProperty() { return unknownText; }

    /** "as of 12:00:00" while Alertmanager fails (the counts are those of the last good read); null while it answers. */
    public ReadOnlyStringProperty countsAsOfProperty() { return countsAsOf; }

    /** Changes at every poll, good or failed: what is derived from the clock (ages) is drawn again. */
    public ReadOnlyObjectProperty<Long> tickProperty() { return tick; }

    /** The last good read while Alertmanager fails (null while it answers): everything shown is as of then. */
    public ReadOnlyObjectProperty<Instant> staleSinceProperty() { return staleSince; }

    /** Why an alert shown cannot be checked now ("unknown since T: reason"), if it cannot. */
    public Optional<Unverified> unverified(Alert a) {
        return Optional.ofNullable(unverified.get(a.fingerprint()));
    }

    /**
     * Until when what an alert shows is known true: the last check of its source that worked (unknown), the last
     * good read (stale feed); empty while it is current.
     */
    public Optional<Instant> asOf(Alert a) {
        Unverified u = unverified.get(a.fingerprint());
        if (u != null) {
            return Optional.of(u.since());
        }
        return Optional.ofNullable(staleSince.get());
    }

    /** The last action's outcome ("Silenced ...", "Alertmanager refused ..."). */
    public ReadOnlyStringProperty statusProperty() { return status; }

    public BooleanProperty showSuppressedProperty() { return showSuppressed; }

    /** Active alerts per severity (configured order), of the whole feed. */
    public ObservableList<Map.Entry<String, Long>> counts() { return counts; }

    public ReadOnlyObjectProperty<Long> suppressedProperty() { return suppressed; }

    /** "12 of 340 alerts match" or "340 alerts in 7 groups". */
    public ReadOnlyStringProperty shownSummaryProperty() { return shownSummary; }

    public ObservableList<Silence> silences() { return silences; }

    public ReadOnlyStringProperty silencesProblemProperty() { return silencesProblem; }

    public ObservableList<Transition> history() { return history; }

    public ObjectProperty<Duration> historyWindowProperty() { return historyWindow; }

    public Optional<Environment> environment() {
        return Optional.ofNullable(service).map(AlertsService::environment);
    }

    public String actor() {
        return service == null ? "" : service.actor();
    }

    /** Called on the ui executor with every good feed applied (the P3 benchmark measures here). */
    public void onFeed(Consumer<AlertsFeed> listener) {
        feedListeners.add(listener);
    }

    /** The Metrics pane's "open this expression"; without it the details offer no such link. */
    public void setOpenMetrics(Consumer<String> hook) {
        this.openMetrics = hook;
    }

    public boolean canOpenMetrics() {
        return openMetrics != null;
    }

    public void openMetrics(Alert a) {
        if (openMetrics != null) {
            a.expression().ifPresent(openMetrics);
        }
    }

    @Override
    public void attach(Environment env, EnvironmentHandle handle) {
        AlertsService s;
        try {
            s = services.apply(handle);
        } catch (UnsupportedOperationException e) {
            detach();
            problem.set("Alerts: not available for this environment: " + e.getMessage());
            return;
        }
        attach(s);
    }

    /** Starts showing one environment's alerts (tests attach a service directly). */
    public void attach(AlertsService s) {
        detach();
        service = s;
        feed.set(null);
        unverified = Map.of();
        cannotFire.set(null);
        sourceNote.set(null);
        unknown.set(0L);
        unknownText.set("");
        staleSince.set(null);
        countsAsOf.set(null);
        rows.clear();
        counts.clear();
        silences.clear();
        history.clear();
        selected.set(null);
        problem.set(null);
        stale.set(false);
        status.set("");
        updated.set("reading Alertmanager…");
        Environment env = s.environment();
        notConfigured.set(!env.alertmanager().configured());
        if (notConfigured.get()) {
            service = null; // no silences, no history, no poll: there is nothing to ask
            updated.set(NOT_CONFIGURED);
            return;
        }
        poller = new PolledValue<>("alerts", s::poll, env.alerts().interval(), env.poll().maxBackoff(),
                env.poll().timeout().multipliedBy(3), scheduler, clock, ui, this::apply);
        poller.start();
    }

    /** Whether the shell shows the pane (true until it says otherwise): what only the screen needs is drawn while it is. */
    public javafx.beans.property.ReadOnlyBooleanProperty shownProperty() { return shown; }

    /** Hidden: the feed is still polled (notifications), the silences and the history no longer. */
    @Override
    public void hidden() {
        shown.set(false);
    }

    /** Shown again: the feed, the silences and the history are read now. */
    @Override
    public void shown() {
        if (!shown.get()) {
            shown.set(true);
            refresh();
            refreshSilences();
            refreshHistory();
        }
    }

    @Override
    public void detach() {
        if (poller != null) {
            poller.close();
            poller = null;
        }
        service = null;
    }

    @Override
    public void refresh() {
        if (poller != null) {
            poller.refreshNow();
        }
    }

    @Override
    public void onAnswered(Consumer<io.dutydesk.core.Backend> answered) {
        this.answered = answered;
    }

    /** Alertmanager, Prometheus (or SSH, through which both are read) answer again: poll now, not after the backoff. */
    @Override
    public void recovered(io.dutydesk.core.Backend b) {
        if (b == io.dutydesk.core.Backend.ALERTMANAGER || b == io.dutydesk.core.Backend.PROMETHEUS || b == io.dutydesk.core.Backend.SSH) {
            refresh();
        }
    }

    void apply(Snapshot<AlertsService.Update> s) {
        tick.set(tick.get() + 1);
        if (!s.ok()) {
            problem.set(PolledValue.problem("Alertmanager", s, clock));
            stale.set(s.lastSuccessAt() != null);
            if (s.lastSuccessAt() != null && staleSince.get() == null) {
                staleSince.set(s.lastSuccessAt());
                countsAsOf.set("as of " + time(s.lastSuccessAt())); // the counts are the last good read's, not now's
                rebuild(); // the rows say "as of" the last good read
            }
            return;
        }
        AlertsService.Update u = s.value();
        answered.accept(io.dutydesk.core.Backend.ALERTMANAGER);
        if (u.source() != null && (u.source().up() || !u.source().problem().startsWith("Prometheus down"))) {
            answered.accept(io.dutydesk.core.Backend.PROMETHEUS); // its state was read: it answers
        }
        problem.set(null);
        stale.set(false);
        boolean wasStale = staleSince.get() != null;
        staleSince.set(null);
        countsAsOf.set(null);
        historyProblem.set(u.historyProblem().orElse(null));
        cannotFire.set(u.cannotFire().orElse(null));
        sourceNote.set(u.sourceNotes().isEmpty() ? null : "Note: " + String.join("; ", u.sourceNotes()));
        updated.set("read at " + time(u.feed().takenAt()) + " · every " + service.environment().alerts().interval().toSeconds() + " s");
        boolean marksChanged = !unverified.equals(u.unverified()) || wasStale;
        unverified = u.unverified();
        show(u.shown(), marksChanged);
        // from Alertmanager's feed itself: whoever recorded the firing, and whether or not the history works
        for (Notifier.Notice n : notifications.after(service.environment().alerts(), u.feed())) {
            notifier.notify(n);
        }
        if (!shown.get()) {
            return; // the silences and the history are read when the pane is shown again
        }
        if (!u.transitions().isEmpty() || history.isEmpty()) {
            refreshHistory();
        }
        refreshSilences();
    }

    /** Shows one feed (the poll's, or a test's). */
    public void show(AlertsFeed f) {
        show(f, false);
    }

    private void show(AlertsFeed f, boolean marksChanged) {
        AlertsFeed before = feed.get();
        feed.set(f);
        Environment.Alerts cfg = config();
        List<Alert> known = f.alerts().stream().filter(a -> !unverified.containsKey(a.fingerprint())).toList();
        Map<String, Long> c = AlertGrouping.activeBySeverity(known, cfg);
        counts.setAll(new ArrayList<>(new LinkedHashMap<>(c).entrySet()));
        suppressed.set(known.stream().filter(Alert::suppressed).count());
        unknownText.set(unknownText(f.alerts().stream().filter(a -> unverified.containsKey(a.fingerprint())).toList(), cfg));
        unknown.set((long) (f.alerts().size() - known.size()));
        if (marksChanged || before == null || !sameButUpdatedAt(before.alerts(), f.alerts())) {
            rebuild();
        }
        Alert sel = selected.get();
        if (sel != null) {
            // gone from the feed: resolved. It stays selected (the list does not pass the selection to another) and
            // says so, from the first read without it; back in the feed, it is the feed's again
            Optional<Alert> now = f.alerts().stream().filter(a -> a.fingerprint().equals(sel.fingerprint())).findFirst();
            if (now.isPresent()) {
                selectedGoneAt.set(null);
                if (!now.get().sameButUpdatedAt(sel)) {
                    selected.set(now.get()); // its details are drawn anew
                }
            } else if (selectedGoneAt.get() == null) {
                selectedGoneAt.set(f.takenAt());
            }
        }
        for (Consumer<AlertsFeed> l : feedListeners) {
            l.accept(f);
        }
    }

    /**
     * The same alerts but for {@link Alert#sameButUpdatedAt updatedAt}, which nothing shows and which Alertmanager sets at
     * each of Prometheus's resends of a firing alert (every minute by default, every 3 s on the reference host): a feed
     * that differs only there rebuilt every row and the selected alert's details (its Silence… button made anew under
     * the pointer or the focus), and in a hidden pane changed nodes at each resend — a whole-window repaint (see
     * {@code WhileShown}).
     */
    static boolean sameButUpdatedAt(List<Alert> a, List<Alert> b) {
        return a.size() == b.size()
                && java.util.stream.IntStream.range(0, a.size()).allMatch(i -> a.get(i).sameButUpdatedAt(b.get(i)));
    }

    /** "2 unknown (1 critical, 1 warning)": the configured severities in their order, then any other; "" for none. */
    static String unknownText(List<Alert> unknownAlerts, Environment.Alerts cfg) {
        if (unknownAlerts.isEmpty()) {
            return "";
        }
        Map<String, Long> by = new LinkedHashMap<>();
        for (String sev : cfg.severities()) {
            by.put(sev, 0L);
        }
        for (Alert a : unknownAlerts) {
            by.merge(a.severity() == null || a.severity().isEmpty() ? "no severity" : a.severity(), 1L, Long::sum);
        }
        List<String> parts = new ArrayList<>();
        by.forEach((sev, n) -> {
            if (n > 0) {
                parts.add(n + " " + sev);
            }
        });
        return unknownAlerts.size() + " unknown (" + String.join(", ", parts) + ")";
    }

    private Environment.Alerts config() {
        return service != null ? service.environment().alerts() : DEFAULTS;
    }

    private static final Environment.Alerts DEFAULTS = new Environment.Alerts(List.of("alertname"), "severity",
            List.of("critical", "warning", "info"), List.of("critical"), Duration.ofSeconds(5), false, Duration.ofHours(24));

    private void applyFilter(String text) {
        try {
            filter = AlertFilter.parse(text);
            filterError.set(null);
        } catch (IllegalArgumentException e) {
            filterError.set(e.getMessage());
            return; // keep the last good filter
        }
        rebuild();
    }

    /** Collapses or expands a group. */
    public void toggle(AlertGrouping.Group g) {
        if (!collapsed.remove(g.key())) {
            collapsed.add(g.key());
        }
        rebuild();
    }

    private void rebuild() {
        AlertsFeed f = feed.get();
        if (f == null) {
            rows.clear();
            shownSummary.set("");
            return;
        }
        List<Alert> matching = new ArrayList<>();
        for (Alert a : f.alerts()) {
            if ((showSuppressed.get() || !a.suppressed()) && filter.matches(a)) {
                matching.add(a);
            }
        }
        List<AlertGrouping.Group> groups = AlertGrouping.group(matching, config());
        List<AlertRow> out = new ArrayList<>(matching.size() + groups.size());
        for (AlertGrouping.Group g : groups) {
            boolean c = collapsed.contains(g.key());
            out.add(new AlertRow(g, null, c, null, null));
            if (!c) {
                for (Alert a : g.alerts()) {
                    out.add(new AlertRow(g, a, false, unverified.get(a.fingerprint()), asOf(a).orElse(null)));
                }
            }
        }
        rows.setAll(out); // every row redrawn: its "firing for" age is computed when drawn (ListUpdates would freeze it)
        shownSummary.set(filter.isEmpty() && showSuppressed.get()
                ? f.alerts().size() + " alerts in " + groups.size() + (groups.size() == 1 ? " group" : " groups")
                : matching.size() + " of " + f.alerts().size() + " alerts match");
    }

    /** The dialog's starting point for acknowledging {@code a}: its labels as matchers, 1 hour, no comment yet. */
    public List<Matcher> prefill(Alert a) {
        List<Matcher> out = new ArrayList<>();
        a.labels().forEach((k, v) -> out.add(Matcher.eq(k, v)));
        return out;
    }

    /** Sends the silence; the outcome (id, or Alertmanager's refusal in its words) arrives on the ui executor. */
    public CompletableFuture<String> silence(SilenceRequest r) {
        AlertsService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        CompletableFuture<String> out = new CompletableFuture<>();
        s.silence(r).whenComplete((id, e) -> ui.execute(() -> {
            if (e != null) {
                status.set("Silence refused: " + Errors.describe(e));
                out.completeExceptionally(Errors.unwrap(e));
            } else {
                status.set("Silenced (" + r.matchers().size() + " matchers) until " + time(r.endsAt()) + ": " + id);
                out.complete(id);
                refresh();
            }
        }));
        return out;
    }

    /** Expires a silence now; the alerts it held come back on the next poll. */
    public CompletableFuture<Void> expire(Silence silence) {
        AlertsService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        CompletableFuture<Void> out = new CompletableFuture<>();
        s.expire(silence.id()).whenComplete((v, e) -> ui.execute(() -> {
            if (e != null) {
                status.set("Expire refused: " + Errors.describe(e));
                out.completeExceptionally(Errors.unwrap(e));
            } else {
                status.set("Expired silence " + silence.id() + " (" + silence.matchersText() + ")");
                out.complete(null);
                refresh();
            }
        }));
        return out;
    }

    public void refreshSilences() {
        AlertsService s = service;
        if (s == null) {
            return;
        }
        s.silences().whenComplete((list, e) -> ui.execute(() -> {
            if (s != service) {
                return;
            }
            if (e != null) {
                silencesProblem.set("Silences not read: " + Errors.describe(e));
                return;
            }
            silencesProblem.set(null);
            List<Silence> sorted = new ArrayList<>(list);
            // active first, then pending, then expired; the newest end first
            sorted.sort(java.util.Comparator.comparingInt((Silence x) -> switch (x.state()) {
                case "active" -> 0;
                case "pending" -> 1;
                default -> 2;
            }).thenComparing(x -> x.endsAt() == null ? Instant.MIN : x.endsAt(), java.util.Comparator.reverseOrder()));
            if (!sorted.equals(silences)) {
                silences.setAll(sorted);
            }
        }));
    }

    public void refreshHistory() {
        AlertsService s = service;
        if (s == null) {
            return;
        }
        Instant since = clock.instant().minus(historyWindow.get());
        s.history(since).whenComplete((list, e) -> ui.execute(() -> {
            if (s != service) {
                return;
            }
            if (e != null) {
                historyProblem.set("History not read: " + Errors.describe(e));
                return;
            }
            List<Transition> newestFirst = new ArrayList<>(list);
            java.util.Collections.reverse(newestFirst);
            history.setAll(newestFirst);
        }));
    }

    String time(Instant t) {
        return Times.hms(t, clock);
    }

    @Override
    public void close() {
        detach();
    }
}
