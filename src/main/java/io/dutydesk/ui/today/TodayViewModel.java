package io.dutydesk.ui.today;

import io.dutydesk.core.Errors;
import io.dutydesk.core.check.CheckReport;
import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckService;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.CheckHistory;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.ui.fx.NavBadge;
import io.dutydesk.ui.fx.PaneModel;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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

        static Checks of(CheckService s) {
            return new Checks() {
                public Environment environment() { return s.environment(); }
                public ZoneId zone() { return s.zone(); }
                public CompletableFuture<CheckRun> run() { return s.run(); }
                public CompletableFuture<List<CheckRun>> runs(Instant from, Instant to) { return s.runs(from, to); }
            };
        }
    }

    /** One check as the pane shows it. */
    public record Row(String id, String title, CheckStatus status, String evidence, List<String> details, String pane,
                      boolean changed, Optional<CheckStatus> previous) {
        static Row of(CheckResult r) {
            return new Row(r.id(), r.title(), r.status(), r.evidence(), r.details(), r.pane(), r.changed(), r.previous());
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
    private final ObservableList<EnvRow> envRows = FXCollections.observableArrayList();
    private final ObservableMap<String, NavBadge> badges = FXCollections.observableHashMap();
    /** From the newest run: each pane's worst check, as of that run. */
    private final java.util.Map<String, NavBadge> checkBadges = new java.util.HashMap<>();
    /** From what the console polls anyway (the alerts feed): overrides the run's. */
    private final java.util.Map<String, NavBadge> liveBadges = new java.util.HashMap<>();
    private final ObjectProperty<CheckRun> shown = new SimpleObjectProperty<>();
    private final ObjectProperty<CheckRun> latest = new SimpleObjectProperty<>();
    private final ObjectProperty<CheckStatus> worst = new SimpleObjectProperty<>(CheckStatus.UNKNOWN);
    private final StringProperty status = new SimpleStringProperty("not run yet");
    private final StringProperty production = new SimpleStringProperty("production: not checked yet");
    private final StringProperty productionState = new SimpleStringProperty("unknown");
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
    /** Runs another environment's checklist over its own connection (opened and closed for it); null: not offered. */
    private Function<String, CompletableFuture<CheckRun>> runOther;
    private final BooleanProperty runningAll = new SimpleBooleanProperty();
    /** Other environments' rows as this window's "Run all" left them: they win over their kept runs. */
    private final java.util.Map<String, EnvRow> ranAll = new java.util.HashMap<>();

    public TodayViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock, Function<EnvironmentHandle, Checks> factory,
                          Supplier<List<String>> environments, CheckHistory stored) {
        this.ui = ui;
        this.scheduler = scheduler;
        this.clock = clock;
        this.factory = factory;
        this.environments = environments;
        this.stored = stored == null ? CheckHistory.NONE : stored;
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
        this.runOther = runOther;
    }

    public boolean canRunAll() {
        return runOther != null;
    }

    public ReadOnlyBooleanProperty runningAllProperty() { return runningAll; }

    /**
     * Runs this environment's checklist and, alongside it, every other environment's, one at a time (each opens its own
     * connection: never two handshakes at once); each environment's row shows its worst as its run ends, and one
     * that could not be reached is UNKNOWN with the reason, never left as its older result.
     */
    public void runAll() {
        if (checks == null || runOther == null || runningAll.get()) {
            return;
        }
        long g = generation;
        runningAll.set(true);
        run();
        String current = checks.environment().name();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String n : environments.get()) {
            if (n.equals(current)) {
                continue;
            }
            chain = chain.thenCompose(v -> {
                if (g != generation) { // another environment since: open no more connections for this Run all
                    return CompletableFuture.completedFuture(null);
                }
                ui.execute(() -> setEnvRow(g, new EnvRow(n, Optional.empty(), "running…", false)));
                CompletableFuture<CheckRun> f;
                try {
                    f = runOther.apply(n);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                return f.handle((r, e) -> {
                    ui.execute(() -> setEnvRow(g, e != null || r == null
                            ? new EnvRow(n, Optional.of(CheckStatus.UNKNOWN), "not run: " + Errors.describe(e), false)
                            : new EnvRow(n, Optional.of(r.worst()), CheckReport.when(r.at(), zone()) + " · " + r.summary(), false)));
                    return null;
                });
            });
        }
        chain.whenComplete((v, e) -> ui.execute(() -> {
            if (g == generation) {
                runningAll.set(false);
            }
        }));
    }

    private void setEnvRow(long g, EnvRow row) {
        if (g != generation) {
            return;
        }
        ranAll.put(row.env(), row);
        for (int i = 0; i < envRows.size(); i++) {
            if (envRows.get(i).env().equals(row.env())) {
                envRows.set(i, row);
                return;
            }
        }
        envRows.add(row);
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

    public ObservableList<EnvRow> environmentRows() { return envRows; }

    /**
     * pane id → its badge: slots, outbox, alerts, backups, metrics from the newest run's checks that link to them (as of
     * that run: a hidden pane does not poll for it), alerts live from the alerts feed when it is set
     * ({@link #liveBadge}), today the worst of the run.
     */
    public ObservableMap<String, NavBadge> badges() { return badges; }

    /** A badge from data the console polls anyway (the alerts feed): it wins over the run's; null forgets it. */
    public void liveBadge(String pane, NavBadge b) {
        if (b == null) {
            liveBadges.remove(pane);
        } else {
            liveBadges.put(pane, b);
        }
        mergeBadges();
    }

    /**
     * The Alerts badge from the alerts feed (polled while hidden, for the notifications): a critical firing is FAIL,
     * another firing WARN, none PASS; a feed not read yet, failing (its counts then are an old read's) or not configured
     * is UNKNOWN.
     */
    public static NavBadge alertsBadge(List<java.util.Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                       boolean notConfigured) {
        return alertsBadge(firingBySeverity, read, problem, notConfigured, 0, null);
    }

    /**
     * As above; {@code unknown}: alerts whose state cannot be told now, {@code cannotFire}: why no alert can fire
     * (Prometheus down): either makes the badge UNKNOWN unless a critical alert already fails it — never "ok" there.
     */
    public static NavBadge alertsBadge(List<java.util.Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                       boolean notConfigured, long unknown, String cannotFire) {
        NavBadge b = alertsBadge0(firingBySeverity, read, problem, notConfigured);
        if ("fail".equals(b.state()) || "unknown".equals(b.state())) {
            return b;
        }
        if (cannotFire != null && !cannotFire.isEmpty()) {
            return new NavBadge("unknown", "?", "no alert can fire now: " + cannotFire);
        }
        if (unknown > 0) {
            return new NavBadge("unknown", "?", unknown + " alert" + (unknown == 1 ? "" : "s") + " in an unknown state");
        }
        return b;
    }

    private static NavBadge alertsBadge0(List<java.util.Map.Entry<String, Long>> firingBySeverity, boolean read, String problem,
                                         boolean notConfigured) {
        if (notConfigured) {
            return new NavBadge("unknown", "?", "Alertmanager is not configured");
        }
        if (problem != null && !problem.isEmpty()) {
            return new NavBadge("unknown", "?", "alerts not read now: " + problem);
        }
        if (!read) {
            return new NavBadge("unknown", "?", "alerts not read yet");
        }
        long critical = 0;
        long all = 0;
        for (java.util.Map.Entry<String, Long> e : firingBySeverity) {
            all += e.getValue();
            if ("critical".equals(e.getKey())) {
                critical += e.getValue();
            }
        }
        if (critical > 0) {
            return new NavBadge("fail", critical + " crit", critical + " critical alert" + (critical == 1 ? "" : "s") + " firing");
        }
        if (all > 0) {
            return new NavBadge("warn", String.valueOf(all), all + " alert" + (all == 1 ? "" : "s") + " firing, none critical");
        }
        return new NavBadge("pass", "ok", "no alert firing");
    }

    /**
     * What each pane's check reads through. While one of them is down the run's "ok" for that pane is not known any more:
     * the badge says so ("?") instead of staying green until the next run (the window trial: Prometheus down, Metrics
     * still "ok" from the run before). A warn or fail of the run stays: it is not green.
     */
    static final java.util.Map<String, List<io.dutydesk.core.Backend>> SOURCES = java.util.Map.of(
            "slots", List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.DOCKER),
            "outbox", List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.POSTGRES, io.dutydesk.core.Backend.REDIS),
            "backups", List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.BACKUPS),
            "metrics", List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.PROMETHEUS));
    /** The header's newest health snapshot of this environment, null before one. */
    private io.dutydesk.core.health.HealthSnapshot health;

    @Override
    public void health(io.dutydesk.core.health.HealthSnapshot now) {
        health = now;
        mergeBadges();
    }

    /** The run's passing badge of {@code pane}, or "?" while a backend it reads through is down. */
    private NavBadge sourced(String pane, NavBadge b) {
        if (health == null || !"pass".equals(b.state())) {
            return b;
        }
        for (io.dutydesk.core.Backend src : SOURCES.getOrDefault(pane, List.of())) {
            io.dutydesk.core.health.BackendStatus st = health.get(src);
            if (st != null && (st.state() == io.dutydesk.core.health.BackendStatus.State.DOWN
                    || st.state() == io.dutydesk.core.health.BackendStatus.State.MISCONFIGURED)) {
                String since = st.downSince() == null ? "" : " since " + DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone())
                        .format(st.downSince());
                return new NavBadge("unknown", "?", src.label() + " down" + since + ": not known now (" + b.tooltip() + ")");
            }
        }
        return b;
    }

    private void mergeBadges() {
        java.util.Map<String, NavBadge> m = new java.util.HashMap<>();
        checkBadges.forEach((pane, b) -> m.put(pane, sourced(pane, b)));
        m.putAll(liveBadges);
        badges.keySet().retainAll(m.keySet());
        badges.putAll(m);
        // the header's second statement: the worst of every badge, never "healthy" while any is unknown or none is known
        String worstState = null;
        List<String> bad = new ArrayList<>();
        for (String pane : List.of("today", "slots", "outbox", "alerts", "backups", "metrics")) {
            NavBadge b = m.get(pane);
            if (b == null) {
                continue;
            }
            if (worstState == null || severity(b.state()) > severity(worstState)) {
                worstState = b.state();
            }
            if (!"pass".equals(b.state()) && !"today".equals(pane)) {
                bad.add(pane + " " + b.state());
            }
        }
        CheckRun l = latest.get();
        if (worstState == null || l == null) {
            // no run of this environment: a live badge alone (alerts) says nothing of production's health
            productionState.set(worstState == null || "pass".equals(worstState) ? "unknown" : worstState);
            production.set(worstState == null || "pass".equals(worstState) ? "production: not checked yet"
                    : "production: " + String.join(", ", bad));
            productionDetail.set(String.join("\n", bad));
            return;
        }
        ZoneId z = zone();
        boolean today = l.at().atZone(z).toLocalDate().equals(clock.instant().atZone(z).toLocalDate());
        String at = DateTimeFormatter.ofPattern(today ? "HH:mm" : "MMM d HH:mm", java.util.Locale.ROOT).withZone(z).format(l.at());
        // a kept run (another session's, the CLI's) is not this window's knowledge of now: never green on it alone
        boolean kept = !ranInWindow;
        String state = kept && "pass".equals(worstState) ? "unknown" : worstState;
        productionState.set(state);
        // short (the header is shared at 1024 px): the whole list is in the tooltip and the badges
        production.set("pass".equals(state) ? "production healthy (checks " + at + ")"
                : kept && "pass".equals(worstState) ? "production: kept check of " + at + ", not run now"
                : "production: " + (bad.isEmpty() ? worstState : bad.get(0) + (bad.size() > 1 ? " +" + (bad.size() - 1) : "")));
        productionDetail.set((bad.isEmpty() ? "every check passed" : String.join("\n", bad)) + "\n(checks of "
                + CheckReport.when(l.at(), z) + (kept ? ", kept: not run in this window" : "") + ")");
    }

    private final StringProperty productionDetail = new SimpleStringProperty("");

    /** The header statement's tooltip: every pane not passing, and the run it comes from. */
    public ReadOnlyStringProperty productionDetailProperty() { return productionDetail; }

    private static int severity(String state) {
        return CheckStatus.parse(state).severity();
    }

    /** pass, warn, fail, unknown: the header's "production" statement's state. */
    public ReadOnlyStringProperty productionStateProperty() { return productionState; }

    /** The run on the screen: the newest, or one picked from the history. */
    public ObjectProperty<CheckRun> shownRunProperty() { return shown; }

    /** The newest run of this environment (this window's or the newest kept). */
    public ReadOnlyObjectProperty<CheckRun> latestProperty() { return latest; }

    /** The worst of the newest run; UNKNOWN before a run. */
    public ReadOnlyObjectProperty<CheckStatus> worstProperty() { return worst; }

    public ReadOnlyStringProperty statusProperty() { return status; }

    /** The header's second statement: "production healthy" or what is not. */
    public ReadOnlyStringProperty productionProperty() { return production; }

    public ReadOnlyStringProperty sinceYesterdayProperty() { return sinceYesterday; }

    public ReadOnlyBooleanProperty runningProperty() { return running; }

    public BooleanProperty foldPassingProperty() { return foldPassing; }

    @Override
    public void attach(Environment env, EnvironmentHandle handle) {
        detach();
        long g = generation;
        checks = factory.apply(handle);
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
        runningAll.set(false);
        ranAll.clear();
        // nothing of the environment left behind: its run, its history, its badges and the header's statement
        ranInWindow = false;
        latest.set(null);
        shown.set(null);
        history.clear();
        checkBadges.clear();
        liveBadges.clear();
        health = null;
        worst.set(CheckStatus.UNKNOWN);
        status.set("not run yet");
        mergeBadges();
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
        status.set("running " + checks.environment().checks().list().size() + " checks…");
        checks.run().whenComplete((r, e) -> ui.execute(() -> {
            if (g != generation) {
                return;
            }
            running.set(false);
            if (e != null) { // run() never fails; a fake may
                status.set("the checks did not run: " + Errors.describe(e));
                return;
            }
            ranInWindow = true;
            history.removeIf(h -> h.id() != 0 && h.id() == r.id());
            history.add(0, r);
            setLatest(r);
            shown.set(r);
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
        worst.set(r.worst());
        ZoneId zone = checks == null ? clock.getZone() : checks.zone();
        String when = CheckReport.when(r.at(), zone);
        DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm").withZone(zone);
        checkBadges.clear();
        java.util.Map<String, CheckResult> worstOf = new java.util.HashMap<>();
        for (CheckResult c : r.checks()) {
            CheckResult was = worstOf.get(c.pane());
            if (was == null || c.status().severity() > was.status().severity()) {
                worstOf.put(c.pane(), c);
            }
        }
        worstOf.forEach((pane, c) -> checkBadges.put(pane, new NavBadge(c.status().id(), shortText(c.status()),
                c.title() + ": " + c.evidence() + " (as of the check at " + hm.format(r.at()) + ")")));
        checkBadges.put("today", new NavBadge(r.worst().id(), shortText(r.worst()), r.summary() + " (" + when + ")"));
        mergeBadges();
        if (!ranInWindow) {
            status.set("newest kept run " + when + " (" + r.summary() + "); not run in this window yet");
        } else {
            status.set("ran " + when + " by " + r.actor() + ": " + r.summary()
                    + r.previousAt().map(p -> "; compared with " + CheckReport.when(p, zone)).orElse(""));
        }
    }

    static String shortText(CheckStatus s) {
        return switch (s) {
            case PASS -> "ok";
            case WARN -> "warn";
            case FAIL -> "fail";
            case UNKNOWN -> "?";
        };
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
            rows.setAll(r == null ? List.of() : r.checks().stream().map(Row::of).toList());
            sinceYesterday();
        });
    }

    private void loadEnvironmentRows() {
        String current = checks == null ? null : checks.environment().name();
        List<String> names = environments.get();
        List<EnvRow> out = new ArrayList<>();
        List<String> lookUp = new ArrayList<>();
        long g = generation;
        for (String n : names.isEmpty() && current != null ? List.of(current) : names) {
            if (n.equals(current)) {
                CheckRun l = latest.get();
                out.add(new EnvRow(n, l == null ? Optional.empty() : Optional.of(l.worst()),
                        l == null ? "not run" : CheckReport.when(l.at(), checks.zone()) + (ranInWindow ? "" : " (kept)"), true));
            } else if (ranAll.containsKey(n)) {
                out.add(ranAll.get(n));
            } else {
                // what the row showed until the store answers again (no flicker to "not run")
                out.add(envRows.stream().filter(r -> r.env().equals(n) && !r.current()).findFirst()
                        .orElse(new EnvRow(n, Optional.empty(), "not run", false)));
                lookUp.add(n);
            }
        }
        // the rows first, then the store's answers replace theirs (an answer never lands before its row)
        envRows.setAll(out);
        Instant now = clock.instant();
        for (String n : lookUp) {
            stored.latestAtOrBefore(n, now).whenComplete((r, e) -> ui.execute(() -> {
                if (g != generation || e != null || r.isEmpty() || ranAll.containsKey(n)) {
                    return;
                }
                for (int i = 0; i < envRows.size(); i++) {
                    if (envRows.get(i).env().equals(n)) {
                        envRows.set(i, new EnvRow(n, Optional.of(r.get().worst()),
                                CheckReport.when(r.get().at(), zone()) + " (kept)", false));
                    }
                }
            }));
        }
    }

    /** A note of the view's (copied, saved, not saved) in the status line. */
    public void statusNote(String note) {
        String s = status.get();
        int i = s.indexOf(" · ");
        status.set((i < 0 ? s : s.substring(0, i)) + " · " + note);
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
        byte[] bytes = html().getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true); // on the disk before it replaces the old report
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
