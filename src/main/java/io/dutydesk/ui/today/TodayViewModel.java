package io.dutydesk.ui.today;

import io.dutydesk.core.Errors;
import io.dutydesk.core.check.CheckReport;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckService;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.CheckHistory;
import io.dutydesk.core.health.HealthSnapshot;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.ui.fx.NavBadge;
import io.dutydesk.ui.fx.PaneModel;
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
import javafx.collections.ObservableMap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Today pane's model: the environment's morning checklist ({@link CheckService}) run when the pane is opened, on
 * demand and at {@code checkSchedule.times} while the window is open (a background pane: its schedule and its worst
 * state serve the header and the navigation's badges even while hidden; hidden, it runs nothing else). It keeps the
 * stored runs of the last eight days for the history selector and "new since yesterday", and a row per environment of
 * the environments file with its worst status (this one from its own run, the others from their newest stored run: no
 * connection is opened to them).
 */
public final class TodayViewModel implements PaneModel {
    /** What the pane needs of the core: a {@link CheckService} or a test's fake. */
    public interface Checks {
        Environment environment();

        ZoneId zone();

        CompletableFuture<CheckRun> run();

        CompletableFuture<List<CheckRun>> runs(Instant from, Instant to);

        /** {@link #run()}, saying whether the local store kept the run (a fake that says nothing: kept). */
        default CompletableFuture<CheckService.Outcome> runKept() {
            return run().thenApply(r -> new CheckService.Outcome(r, Optional.empty()));
        }

        static Checks of(CheckService s) {
            return new Checks() {
                public Environment environment() { return s.environment(); }
                public ZoneId zone() { return s.zone(); }
                public CompletableFuture<CheckRun> run() { return s.run(); }
                @Override
                public CompletableFuture<CheckService.Outcome> runKept() { return s.runKept(); }
                public CompletableFuture<List<CheckRun>> runs(Instant from, Instant to) { return s.runs(from, to); }
            };
        }
    }

    /** One check as the pane shows it. */
    public record Row(String id, String title, CheckStatus status, String evidence, List<String> details, String pane,
                      boolean changed, Optional<CheckStatus> previous) {
        static Row of(CheckResult r) {
            return of(r, r.changed());
        }

        /** {@code r} as shown now (a stale check's own {@code changed}: the run's, not "pass → unknown"). */
        static Row of(CheckResult r, boolean changed) {
            return new Row(r.id(), r.title(), r.status(), r.evidence(), r.details(), r.pane(), changed, r.previous());
        }
    }

    /** One environment of the file: its worst status ("not run" when no run is kept) and when. */
    public record EnvRow(String env, Optional<CheckStatus> worst, String when, boolean current) {}


    /** How often the schedule looks at the clock. */
    static final Duration TICK = Duration.ofSeconds(30);
    /** Opening the pane again within this of the last run shows that run rather than running again. */
    static final Duration FRESH = Duration.ofMinutes(1);
    /** How far back the history selector reaches. */
    static final Duration HISTORY = Duration.ofDays(8);

    private final Executor ui;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Function<EnvironmentHandle, Checks> factory;
    private final Supplier<List<String>> environments;
    private final CheckHistory stored;

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<CheckRun> history = FXCollections.observableArrayList();
    /** The navigation's badges and the header's statement. */
    private final TodayBadges badges;
    /** A row per environment, and Run all. */
    private final EnvironmentRows others;
    /** The header's health: which checks read through a backend down now. */
    private final SourcesDown down = new SourcesDown();
    private final ObjectProperty<CheckRun> shown = new SimpleObjectProperty<>();
    private final ObjectProperty<CheckRun> latest = new SimpleObjectProperty<>();
    private final ObjectProperty<CheckStatus> worst = new SimpleObjectProperty<>(CheckStatus.UNKNOWN);
    /** What the pane says of its runs; {@link #status} adds "SSH down; last answer at T" in front while a source is down. */
    private final StringProperty baseStatus = new SimpleStringProperty("not run yet");
    private final javafx.beans.property.ReadOnlyStringWrapper status = new javafx.beans.property.ReadOnlyStringWrapper();
    private final StringProperty sinceYesterday = new SimpleStringProperty("");
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final BooleanProperty foldPassing = new SimpleBooleanProperty(true);

    private Checks checks;
    /** Bumped on every attach/detach (FX thread); read by Run all's chain off it. */
    private volatile long generation;
    private boolean isShown = true;
    private ScheduledFuture<?> tick;
    private Instant lastTick;
    private Consumer<String> navigate = id -> { };

    public TodayViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock, Function<EnvironmentHandle, Checks> factory,
                          Supplier<List<String>> environments, CheckHistory stored) {
        this.ui = ui;
        this.scheduler = scheduler;
        this.clock = clock;
        this.factory = factory;
        this.environments = environments;
        this.stored = stored == null ? CheckHistory.NONE : stored;
        this.badges = new TodayBadges(clock, () -> {
            CheckRun l = latest.get();
            return new TodayBadges.Context(checks == null ? null : checks.environment(), l, !ranInWindow,
                    l == null ? null : down.stale(l, clock.withZone(zone())), down.reasons(), zone());
        });
        this.others = new EnvironmentRows(ui, clock, environments, this.stored, () -> generation, this::zone, this::currentEnvRow);
    }

    /** Whether the window opens on the Today pane: before {@code todayFirstBefore} in the checklist's zone. */
    public static boolean firstPane(Environment.Checks c, Clock clock) {
        ZoneId zone = c.zone().orElse(clock.getZone());
        LocalTime now = ZonedDateTime.ofInstant(clock.instant(), zone).toLocalTime();
        return now.isBefore(c.todayFirstBefore());
    }

    /** Whether a scheduled time of day fell in {@code (after, upTo]} (in {@code zone}). */
    public static boolean due(List<LocalTime> times, ZoneId zone, Instant after, Instant upTo) {
        if (!upTo.isAfter(after)) {
            return false;
        }
        ZonedDateTime from = after.atZone(zone);
        // every day touched by the interval (a long sleep of the machine may cover days)
        for (java.time.LocalDate d = from.toLocalDate(); !d.isAfter(upTo.atZone(zone).toLocalDate()); d = d.plusDays(1)) {
            for (LocalTime t : times) {
                Instant at = d.atTime(t).atZone(zone).toInstant();
                if (at.isAfter(after) && !at.isAfter(upTo)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * "Run all environments": {@code runOther} runs environment {@code name}'s checklist over a connection of its own
     * (opened for it and closed after; its run kept in the local store like this one's).
     */
    public void setRunOther(Function<String, CompletableFuture<CheckRun>> runOther) {
        others.setRunOther(runOther);
    }

    public boolean canRunAll() {
        return others.canRunAll();
    }

    public ReadOnlyBooleanProperty runningAllProperty() { return others.runningAll(); }

    /**
     * Runs this environment's checklist and, alongside it, every other environment's, one at a time (each opens its own
     * connection: never two handshakes at once); each environment's row shows its worst as its run ends, and one
     * that could not be reached is UNKNOWN with the reason, never left as its older result.
     */
    public void runAll() {
        if (checks != null) {
            others.runAll(checks.environment().name(), this::run);
        }
    }

    /** The link of a row: the shell shows that pane. */
    public void setNavigate(Consumer<String> navigate) {
        this.navigate = Objects.requireNonNull(navigate);
    }

    public void open(Row r) {
        navigate.accept(r.pane());
    }

    public ObservableList<Row> rows() { return rows; }

    public ObservableList<CheckRun> history() { return history; }

    public ObservableList<EnvRow> environmentRows() { return others.rows(); }

    /**
     * pane id → its badge: slots, outbox, alerts, backups, metrics from the newest run's checks that link to them (as of
     * that run: a hidden pane does not poll for it), alerts live from the alerts feed when it is set
     * ({@link #liveBadge}), today the worst of the run.
     */
    public ObservableMap<String, NavBadge> badges() { return badges.badges(); }

    /** A badge from data the console polls anyway (the alerts feed): it wins over the run's; null forgets it. */
    public void liveBadge(String pane, NavBadge b) {
        badges.live(pane, b);
    }

    /**
     * Follows the built panes' own states (pane id → state, {@code ShellViewModel.paneStates()}): a pane's badge is what
     * its header shows, never better ({@link io.dutydesk.ui.fx.PaneState#badge}), and so is the header's statement.
     */
    public void followPanes(ObservableMap<String, io.dutydesk.ui.fx.PaneState> states) {
        states.addListener((javafx.collections.MapChangeListener<String, io.dutydesk.ui.fx.PaneState>) c ->
                badges.pane(c.getKey(), c.wasAdded() ? c.getValueAdded() : null));
        states.forEach(badges::pane);
    }

    /**
     * The Alerts badge from the alerts feed (polled while hidden, for the notifications): a critical firing is FAIL,
     * another firing WARN, none PASS; a feed not read yet, failing (its counts then are an old read's) or not configured
     * is UNKNOWN.
     */
    public static NavBadge alertsBadge(List<java.util.Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                       boolean notConfigured) {
        return TodayBadges.alertsBadge(firingBySeverity, read, problem, notConfigured);
    }

    /**
     * As above; {@code unknown}: alerts whose state cannot be told now, {@code cannotFire}: why no alert can fire
     * (Prometheus down): either makes the badge UNKNOWN unless a critical alert already fails it — never "ok" there.
     */
    public static NavBadge alertsBadge(List<java.util.Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                       boolean notConfigured, long unknown, String cannotFire) {
        return TodayBadges.alertsBadge(firingBySeverity, read, problem, notConfigured, unknown, cannotFire);
    }


    /** The header statement's tooltip: every pane not passing, and the run it comes from. */
    public ReadOnlyStringProperty productionDetailProperty() { return badges.productionDetail(); }

    /** pass, warn, fail, unknown: the header's "production" statement's state. */
    public ReadOnlyStringProperty productionStateProperty() { return badges.productionState(); }

    /** The run on the screen: the newest, or one picked from the history. */
    public ObjectProperty<CheckRun> shownRunProperty() { return shown; }

    /** The newest run of this environment (this window's or the newest kept). */
    public ReadOnlyObjectProperty<CheckRun> latestProperty() { return latest; }

    /** The worst of the newest run; UNKNOWN before a run. */
    public ReadOnlyObjectProperty<CheckStatus> worstProperty() { return worst; }

    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }

    /** The header's second statement: "production healthy" or what is not. */
    public ReadOnlyStringProperty productionProperty() { return badges.production(); }

    public ReadOnlyStringProperty sinceYesterdayProperty() { return sinceYesterday; }

    public ReadOnlyBooleanProperty runningProperty() { return running; }

    public BooleanProperty foldPassingProperty() { return foldPassing; }

    @Override
    public void attach(Environment env, EnvironmentHandle handle) {
        detach();
        long g = generation;
        checks = factory.apply(handle);
        badges.merge(); // the header's statement names this environment from now on
        lastTick = clock.instant();
        // what was kept: the history selector, the header's state until a run of this window
        loadHistory(g, true);
        if (scheduler != null) {
            tick = scheduler.scheduleWithFixedDelay(() -> ui.execute(this::tick), TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (isShown) {
            run();
        }
    }

    /** For tests: the schedule's look at the clock. */
    void tick() {
        if (checks == null) {
            return;
        }
        Instant now = clock.instant();
        Instant after = lastTick;
        lastTick = now;
        if (after != null && due(checks.environment().checks().times(), checks.zone(), after, now)) {
            run();
        }
    }

    @Override
    public void detach() {
        generation++;
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
        checks = null;
        running.set(false);
        others.detach();
        // nothing of the environment left behind: its run, its history, its badges and the header's statement
        ranInWindow = false;
        latest.set(null);
        shown.set(null);
        history.clear();
        down.clear();
        worst.set(CheckStatus.UNKNOWN);
        baseStatus.set("not run yet");
        badges.clear();
    }

    /** Ctrl+R: runs the checks when the pane is shown (a hidden pane runs nothing but its schedule). */
    @Override
    public void refresh() {
        if (isShown) {
            run();
        }
    }

    @Override
    public void shown() {
        isShown = true;
        CheckRun l = latest.get();
        boolean ranHere = l != null && l.actor() != null && ranInWindow;
        if (checks != null && !running.get() && !(ranHere && Duration.between(l.at(), clock.instant()).compareTo(FRESH) < 0)) {
            run();
        }
    }

    @Override
    public void hidden() {
        isShown = false;
    }

    private boolean ranInWindow;

    /** Runs the checklist now (Run now, opening the pane, the schedule); a run under way is not doubled. */
    public void run() {
        if (checks == null || running.get()) {
            return;
        }
        long g = generation;
        running.set(true);
        baseStatus.set("running " + checks.environment().checks().list().size() + " checks…");
        checks.runKept().whenComplete((o, e) -> ui.execute(() -> {
            if (g != generation) {
                return;
            }
            running.set(false);
            if (e != null) { // run() never fails; a fake may
                baseStatus.set("the checks did not run: " + Errors.describe(e));
                return;
            }
            CheckRun r = o.run();
            ranInWindow = true;
            history.removeIf(h -> h.id() != 0 && h.id() == r.id());
            history.add(0, r);
            setLatest(r);
            shown.set(r);
            // shown all the same, but said: tomorrow's "new since yesterday" cannot compare with it
            o.notKept().ifPresent(why -> statusNote("this run was not kept in the local store: " + why));
            loadHistory(g, false);
        }));
    }

    private void loadHistory(long g, boolean adoptNewest) {
        Checks c = checks;
        Instant now = clock.instant();
        c.runs(now.minus(HISTORY), now.plusSeconds(1)).whenComplete((l, e) -> ui.execute(() -> {
            if (g != generation) {
                return;
            }
            if (e == null) {
                List<CheckRun> all = new ArrayList<>(l);
                CheckRun mine = latest.get();
                CheckRun onScreen = shown.get();
                // the store gives copies back (times in milliseconds: not equal to the runs in memory): the runs this
                // window holds stay the same objects, so the selector finds the run on the screen among its items
                all.replaceAll(x -> same(x, onScreen) ? onScreen : same(x, mine) ? mine : x);
                if (mine != null && ranInWindow && all.stream().noneMatch(x -> same(x, mine))) {
                    all.add(0, mine);
                }
                // newest first; runs of the same instant (a fixed clock, a coarse one) newest kept first
                all.sort(java.util.Comparator.comparing(CheckRun::at).thenComparingLong(CheckRun::id).reversed());
                sync(history, all);
                if (adoptNewest && latest.get() == null && !all.isEmpty()) {
                    setLatest(all.get(0));
                    if (shown.get() == null) {
                        shown.set(all.get(0));
                    }
                }
            }
            sinceYesterday();
            loadEnvironmentRows();
        }));
        loadEnvironmentRows();
    }

    /**
     * Makes {@code list} equal to {@code target} (both newest first) by removing and inserting only what differs: a
     * wholesale replace would make a selector over the list drop its selection (the run on the screen).
     */
    static <T> void sync(List<T> list, List<T> target) {
        list.removeIf(x -> !target.contains(x));
        for (int i = 0; i < target.size(); i++) {
            if (i >= list.size() || !list.get(i).equals(target.get(i))) {
                int j = list.indexOf(target.get(i));
                if (j > i) {
                    list.remove(j);
                }
                list.add(i, target.get(i));
            }
        }
        while (list.size() > target.size()) {
            list.remove(list.size() - 1);
        }
    }

    private static boolean same(CheckRun a, CheckRun b) {
        return a != null && b != null && a.id() != 0 && a.id() == b.id() && a.env().equals(b.env());
    }

    private void setLatest(CheckRun r) {
        latest.set(r);
        ZoneId zone = zone();
        String when = CheckReport.when(r.at(), zone);
        derive();
        if (!ranInWindow) {
            baseStatus.set("newest kept run " + when + " (" + r.summary() + "); not run in this window yet");
        } else {
            baseStatus.set("ran " + when + " by " + r.actor() + ": " + r.summary()
                    + r.previousAt().map(p -> "; compared with " + CheckReport.when(p, zone)).orElse(""));
        }
    }

    /**
     * What the newest run says now: its checks as of the header's health ({@link #asOfNow}), hence the worst, the badges,
     * the rows when the newest run is on the screen, this environment's row and the header's statement.
     */
    private void derive() {
        CheckRun r = latest.get();
        if (r == null) {
            worst.set(CheckStatus.UNKNOWN);
            badges.noRun();
            currentRowAndStatus();
            return;
        }
        ZoneId zone = zone();
        List<CheckResult> now = down.asOfNow(r, clock.withZone(zone));
        CheckStatus w = CheckStatus.PASS;
        for (CheckResult c : now) {
            w = CheckStatus.worst(w, c.status());
        }
        worst.set(w);
        String stale = down.stale(r, clock.withZone(zone));
        badges.fromRun(r, now, down.superseded(r), w, stale == null ? "" : stale + ": ", zone);
        if (same(shown.get(), r) || shown.get() == r) {
            io.dutydesk.ui.fx.ListUpdates.replaceWhole(rows, rowsOf(r)); // its view rebuilds at each event
        }
        currentRowAndStatus();
    }

    private void currentRowAndStatus() {
        others.currentChanged();
        status.set(statusNow());
    }

    /** The rows of {@code r}: the newest run's as of now (see {@link SourcesDown#asOfNow}), an older one's as they were. */
    private List<Row> rowsOf(CheckRun r) {
        if (r == null) {
            return List.of();
        }
        CheckRun l = latest.get();
        if (l == null || !(l == r || same(l, r))) {
            return r.checks().stream().map(Row::of).toList();
        }
        List<CheckResult> now = down.asOfNow(r, clock.withZone(zone()));
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) {
            out.add(Row.of(now.get(i), r.checks().get(i).changed()));
        }
        return out;
    }

    /**
     * The header's health (every snapshot it shows): a backend the checks read through that is down makes the newest
     * run's checks through it "SSH down; last answer at T" and UNKNOWN (its rows, its badges, the header's statement) while it
     * is still shown with its time; back up, the run is shown as it was. A snapshot of another environment is ignored.
     */
    @Override
    public void health(HealthSnapshot now) {
        if (checks == null || now == null || !checks.environment().name().equals(now.environment())) {
            return;
        }
        if (down.update(now, clock.withZone(zone()), latest.get())) {
            derive();
        }
    }

    /** The status line: "SSH down; last answer at T: showing the run of …" in front of what the pane says of its runs. */
    private String statusNow() {
        CheckRun l = latest.get();
        String stale = l == null ? null : down.staleSources(l);
        if (stale == null && !down.isEmpty() && l == null) {
            return String.join(", ", down.reasons()) + " · " + baseStatus.get();
        }
        return stale == null ? baseStatus.get() : String.join(", ", down.reasons()) + ": showing the run of "
                + CheckReport.when(l.at(), zone()) + " — " + baseStatus.get();
    }

    {
        baseStatus.addListener((o, a, b) -> status.set(statusNow()));
        status.set(baseStatus.get());
    }

    static String shortText(CheckStatus s) {
        return TodayBadges.shortText(s);
    }

    /**
     * The end of the calendar day {@code days} before {@code at}'s (in the checklist's zone): "yesterday" is any run of
     * the day before, whatever its hour (09:05 yesterday is yesterday's run for a run at 09:00), across clock changes.
     */
    Instant startOfDaysBefore(Instant at, int days) {
        ZoneId z = zone();
        return at.atZone(z).toLocalDate().minusDays(days - 1L).atStartOfDay(z).toInstant();
    }

    /** "new since yesterday": the checks whose status differs from the newest kept run a day before the shown one. */
    private void sinceYesterday() {
        CheckRun r = shown.get();
        if (r == null) {
            sinceYesterday.set("");
            return;
        }
        Instant dayBefore = startOfDaysBefore(r.at(), 1);
        Optional<CheckRun> y = history.stream().filter(h -> h.at().isBefore(dayBefore)).findFirst();
        sinceYesterday.set(newSince(r, y, zone()));
    }

    /** What changed in {@code r} since {@code before}: "new since yesterday (08:58 Wed): outbox pass → warn". */
    public static String newSince(CheckRun r, Optional<CheckRun> before, ZoneId zone) {
        if (before.isEmpty()) {
            return "no run kept from a day before to compare with";
        }
        List<String> diff = new ArrayList<>();
        for (CheckResult c : r.checks()) {
            Optional<CheckStatus> was = before.get().check(c.id()).map(CheckResult::status);
            if (was.isEmpty()) {
                diff.add(c.id() + " new (" + c.status().id() + ")");
            } else if (was.get() != c.status()) {
                diff.add(c.id() + " " + was.get().id() + " → " + c.status().id());
            }
        }
        String head = "new since yesterday (" + DateTimeFormatter.ofPattern("EEE HH:mm", java.util.Locale.ROOT).withZone(zone)
                .format(before.get().at()) + "): ";
        return diff.isEmpty() ? head + "nothing" : head + String.join(", ", diff);
    }

    /**
     * "Yesterday" and "a week ago", one click each: shows the newest kept run at least {@code days} before the newest
     * run (not the one on the screen: clicking twice shows the same run), or says none is kept.
     */
    public void showDaysBefore(int days) {
        CheckRun from = latest.get();
        if (from == null) {
            statusNote("no run yet to go back from");
            return;
        }
        Instant limit = startOfDaysBefore(from.at(), days);
        Optional<CheckRun> r = history.stream().filter(h -> h.at().isBefore(limit)).findFirst();
        if (r.isPresent()) {
            shown.set(r.get());
        } else {
            statusNote("no run kept from " + (days == 1 ? "a day" : days + " days") + " before " + CheckReport.when(from.at(), zone()));
        }
    }

    /** Shows {@code r} (from the history selector) in the rows. */
    public void show(CheckRun r) {
        shown.set(r);
    }

    {
        shown.addListener((o, a, r) -> {
            rows.setAll(rowsOf(r));
            sinceYesterday();
        });
    }

    private void loadEnvironmentRows() {
        others.load(checks == null ? null : checks.environment().name());
    }

    /** This environment's row: its newest run's worst as of now ("· SSH down; last answer at T" while a source is down). */
    private EnvRow currentEnvRow(String n) {
        CheckRun l = latest.get();
        if (l == null) {
            return new EnvRow(n, Optional.empty(), down.isEmpty() ? "not run" : "not run; " + String.join(", ", down.reasons()), true);
        }
        String stale = down.stale(l, clock.withZone(zone()));
        return new EnvRow(n, Optional.of(worst.get()), CheckReport.when(l.at(), zone()) + (ranInWindow ? "" : " (kept)")
                + (stale == null ? "" : " · " + stale), true);
    }

    /** A note of the view's (copied, saved, not saved) in the status line. */
    public void statusNote(String note) {
        String s = baseStatus.get();
        int i = s.indexOf(" · ");
        baseStatus.set((i < 0 ? s : s.substring(0, i)) + " · " + note);
    }

    /** The shown run as Markdown, for the team's chat. */
    public String markdown() {
        CheckRun r = shown.get();
        return r == null ? "" : CheckReport.markdown(List.of(r), zone());
    }

    public String html() {
        CheckRun r = shown.get();
        return r == null ? "" : CheckReport.html(List.of(r), zone());
    }

    /** The zone the checklist's times are shown in (the file's timeZone, else the clock's). */
    public ZoneId zone() {
        return checks == null ? clock.getZone() : checks.zone();
    }

    /** Writes the shown run's HTML report to {@code file}, readable by the user only (0600). */
    public void saveHtml(Path file) throws IOException {
        CheckReport.save(file, html());
    }
}
