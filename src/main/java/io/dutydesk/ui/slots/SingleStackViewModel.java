package io.dutydesk.ui.slots;

import io.dutydesk.core.Ages;
import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.deploy.DockerHostEngine;
import io.dutydesk.core.deploy.HealthCheck;
import io.dutydesk.core.deploy.SingleReadiness;
import io.dutydesk.core.deploy.SingleService;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.ReleaseHistory;
import io.dutydesk.core.deploy.StackService;
import io.dutydesk.core.deploy.StackSnapshot;
import io.dutydesk.core.poll.Poller;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.ui.fx.PaneModel;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Slots pane of an environment that deploys one stack ({@code deploy.model: single}): the stack's services with the
 * same detail as a slot's (state, health, version, uptime, restarts), whether a rollback is possible (a backup to go back
 * to), and the actions: the team's health check, the team's logs, restart, deploy, rollback to a chosen backup. Inactive
 * (and not polling) for a blue-green environment. A failed read keeps the last rows, marked stale, never emptied.
 */
public final class SingleStackViewModel implements PaneModel {

    /** One service row as shown. */
    public record Row(String service, String container, String host, String state, String health, String version, String uptime,
                      String restarts) {}

    private final Executor ui;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final AuditLog audit;
    private final String actor;
    private final BooleanProperty active = new SimpleBooleanProperty();
    private final StringProperty headline = new SimpleStringProperty("");
    private final StringProperty rollback = new SimpleStringProperty("Rollback: …");
    private final StringProperty problem = new SimpleStringProperty();
    /** What the pane shows of the stack is not as of now: its read failed, or SSH or Docker is down since it. */
    private final BooleanProperty stale = new SimpleBooleanProperty();
    private final StringProperty staleNote = new SimpleStringProperty("");
    /** The headline as the pane and the window's title say it: "… (stale)" while stale, as the blue-green slots' title. */
    private final javafx.beans.binding.StringBinding titlePart = javafx.beans.binding.Bindings.createStringBinding(
            () -> headline.get() + (stale.get() ? " (stale)" : ""), headline, stale);
    /** When what is shown of the stack was read (its last successful read), null before the first. */
    private java.time.Instant shownAt;
    private final StringProperty status = new SimpleStringProperty("No action in this session.");
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final javafx.beans.property.ObjectProperty<Optional<MaintenanceLock>> lock =
            new javafx.beans.property.SimpleObjectProperty<>(Optional.empty());
    private final BooleanProperty locked = new SimpleBooleanProperty();
    private final StringProperty lockText = new SimpleStringProperty("");
    /** When the rollback line was read (null before). */
    private java.time.Instant rollbackAt;
    private final javafx.beans.binding.StringBinding rollbackShown = javafx.beans.binding.Bindings.createStringBinding(
            () -> rollbackShown(stale.get() ? staleRollback(rollback.get(), rollbackTime()) : rollback.get(), locked.get()),
            rollback, locked, stale);

    private String rollbackTime() {
        return rollbackAt == null ? "?" : io.dutydesk.ui.fx.Times.hms(rollbackAt, clock);
    }
    private final javafx.beans.property.ObjectProperty<io.dutydesk.ui.fx.HeaderNote> header =
            new javafx.beans.property.SimpleObjectProperty<>(io.dutydesk.ui.fx.HeaderNote.NONE);
    private final StringProperty actionsHint = new SimpleStringProperty("");
    private java.time.Instant lockReadAt = java.time.Instant.MIN;
    /**
     * The rollback readiness (backups and their verification, releases on the host) is read again with the stack's reads at
     * most this often: read only at attach, the window trial's chip said "newest … not verified yet" for minutes after the
     * morning check had verified that backup (the Backups pane and the check said verified).
     */
    static final java.time.Duration ROLLBACK_READ_EVERY = java.time.Duration.ofSeconds(30);
    private java.time.Instant rollbackReadAt = java.time.Instant.MIN;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private Environment env;
    private ContainersPort containers;
    private SingleService service;
    private BackupsService backups;
    private Poller<StackSnapshot> poller;
    private AutoCloseable subscription;
    private long appliedSeq = -1;
    private StackSnapshot last;
    /** The rollback readiness its line says; null while it is read the first time ("Rollback: …"). */
    private SingleReadiness.State rollbackState;
    /** The header's word on SSH and Docker, through which the stack is read, down or misconfigured now; null: both answer. */
    private String sourcesDown;
    /** The outage during which the stack was nevertheless read: that read is not stale. */
    private String readDespite;
    /** When the stack was last read (a failed read too), null before the first. */
    private java.time.Instant readAt;
    /** On the screen (the stack is polled either way: the window's title says it). */
    private boolean shown = true;
    /** The pane's one state for the navigation (null while nothing is read): what the pane shows, never better. */
    private final javafx.beans.property.ObjectProperty<io.dutydesk.ui.fx.PaneState> paneState =
            new javafx.beans.property.SimpleObjectProperty<>();
    /** The open confirmation (at most one: the dialog is modal), followed by the stack's reads. */
    private Confirmation open;
    /** A refused click's action as the click's reads state it now, to confirm again (empty: none). */
    private final javafx.beans.property.ObjectProperty<Optional<SingleService.SinglePlan>> reconfirm =
            new javafx.beans.property.SimpleObjectProperty<>(Optional.empty());

    public SingleStackViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock, AuditLog audit, String actor) {
        this.ui = ui;
        this.scheduler = scheduler;
        this.clock = clock;
        this.audit = audit;
        this.actor = actor;
    }

    /** True while the selected environment deploys one stack: the pane shows this view instead of the two slots. */
    public ReadOnlyBooleanProperty activeProperty() { return active; }

    /** "PRODUCTION: v1.2.0 — 2/2 healthy" (the stack's version, how many services are healthy). */
    public ReadOnlyStringProperty headlineProperty() { return headline; }

    /** "Rollback: READY (backup 03:00 verified (…), release v1.4.0)" or NOT READY / unknown with the reason. */
    public ReadOnlyStringProperty rollbackProperty() { return rollback; }

    /** {@link #rollbackProperty} as the pane shows it: a ready rollback refused while the maintenance lock is held. */
    public javafx.beans.binding.StringExpression rollbackShownProperty() { return rollbackShown; }

    /**
     * A READY or NOT READY line while the stack is stale (SSH or Docker down, its read failing): "? Rollback unknown — at
     * 03:39:21 it was READY (…)", as the blue-green slots' chip says it; any other line (unknown already, "…") as it is.
     * The line said "Rollback: READY (…)" as of now through an SSH outage until its next read, up to 30 s later.
     */
    static String staleRollback(String line, String at) {
        String head = "Rollback: ";
        return line.startsWith(head + "READY") || line.startsWith(head + "NOT READY")
                ? "? Rollback unknown — at " + at + " it was " + line.substring(head.length()) : line;
    }

    /**
     * "✖ Rollback refused while locked for maintenance (ready: backup 03:00 verified (…), release v1.4.0)" for a READY
     * line while {@code locked}, as the blue-green slots' chip says it; any other line as it is.
     */
    static String rollbackShown(String line, boolean locked) {
        String head = "Rollback: READY (";
        if (!locked || !line.startsWith(head)) {
            return line;
        }
        String rest = line.substring(head.length()); // "what makes it ready)" and maybe "; what is missing" after it
        int close = rest.indexOf("); ");
        return MaintenanceViewModel.refusedWhileLocked("ready: " + (close >= 0 ? rest.substring(0, close) + rest.substring(close + 1)
                : rest.substring(0, rest.length() - 1)));
    }

    /** Null when the last read succeeded; otherwise "down; last answer at T: error" ({@link io.dutydesk.ui.fx.Outage}). */
    public ReadOnlyStringProperty problemProperty() { return problem; }

    /**
     * True while what the pane shows of the stack is not as of now — its read failed, or SSH or Docker (through which it
     * is read) is down since it: the headline, the window's title and the rows say so, as the blue-green slots' do.
     */
    public ReadOnlyBooleanProperty staleProperty() { return stale; }

    /** "Shown as read at 03:22:19; Docker down; last answer at 03:22:19." while {@link #staleProperty stale}, else "". */
    public ReadOnlyStringProperty staleNoteProperty() { return staleNote; }

    /** "PRODUCTION: v1.2.0 — 2/2 healthy", "… (stale)" while stale: the pane's headline and the window's title. */
    public javafx.beans.value.ObservableStringValue titlePart() { return titlePart; }

    public ReadOnlyStringProperty statusProperty() { return status; }

    public ReadOnlyBooleanProperty runningProperty() { return running; }

    public ObservableList<Row> rows() { return rows; }

    /** The maintenance lock held on the stack's environment, as last read (empty: not held, or not known). */
    public javafx.beans.property.ReadOnlyObjectProperty<Optional<MaintenanceLock>> lockProperty() { return lock; }

    /** True while a maintenance lock is held: restart, deploy and rollback are disabled (the server refuses them anyway). */
    public ReadOnlyBooleanProperty lockedProperty() { return locked; }

    /** "LOCKED: ENV is locked for maintenance by … since …: "…" — …", "" when not locked, or that it cannot be read. */
    public ReadOnlyStringProperty lockTextProperty() { return lockText; }

    /** The window header's chip: "LOCKED by alice@ws since 09:12: db migration", "lock state unknown", or nothing. */
    public javafx.beans.property.ReadOnlyObjectProperty<io.dutydesk.ui.fx.HeaderNote> headerProperty() { return header; }

    /** The disabled actions' tooltip while locked (the holder, the message, since when); "" otherwise. */
    public ReadOnlyStringProperty actionsHintProperty() { return actionsHint; }

    public ObservableList<String> log() { return log; }

    public Optional<SingleService> service() { return Optional.ofNullable(service); }

    /**
     * After a click refused because what its confirmation stated changed (more rows lost, another version live…): the same
     * action as the click's reads state it now, for the view to ask again; empty otherwise (cleared by the next run).
     */
    public javafx.beans.property.ReadOnlyObjectProperty<Optional<SingleService.SinglePlan>> reconfirmProperty() { return reconfirm; }

    /**
     * The pane's state as it shows it, for the navigation's badge, as the morning check judges a stack
     * ({@code CheckRules.stack}): a service not healthy "fail", rollback NOT READY "warn", rollback unknown (or not read
     * yet) unknown, else "ok"; what is shown not read now (the last read failed, SSH or Docker down or misconfigured)
     * unknown, never green — a known warn or fail stays. Null until something is read or the stack is known down
     * ({@link io.dutydesk.ui.fx.PaneState#badge}): without it the pane's badge was the morning check's alone, "ok" beside
     * the pane's "1/2 healthy" or its stale line.
     */
    @Override
    public javafx.beans.property.ReadOnlyObjectProperty<io.dutydesk.ui.fx.PaneState> paneState() { return paneState; }

    @Override
    public void shown() {
        shown = true;
        io.dutydesk.ui.fx.PaneState.markShown(paneState, true);
    }

    @Override
    public void hidden() {
        shown = false;
        io.dutydesk.ui.fx.PaneState.markShown(paneState, false);
    }

    /**
     * The header's word on SSH and Docker, through which the stack is read: either down or misconfigured makes what the
     * pane shows of it not as of now, its badge unknown, never green ({@link #state}); another environment's health is
     * not the shown one's ({@link io.dutydesk.ui.fx.PaneSources}).
     */
    @Override
    public void health(io.dutydesk.core.health.HealthSnapshot now) {
        io.dutydesk.ui.fx.PaneSources.tell(now, env == null ? null : env.name(),
                List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.DOCKER), java.util.Set.of(), clock, d -> {
                    if (!java.util.Objects.equals(d, sourcesDown)) {
                        sourcesDown = d;
                        if (d == null) {
                            readDespite = null;
                        }
                        state();
                    }
                });
    }

    /** The navigation's badge from what the pane shows now (see {@link #paneState()}), as of the stack's last read. */
    private void state() {
        if (env == null) {
            paneState.set(null); // detached: nothing of the environment left
            stale.set(false);
            staleNote.set("");
            return;
        }
        String down = sourcesDown != null && !sourcesDown.equals(readDespite) ? sourcesDown : null;
        // shown, not as of now: "2/2 healthy" stood unmarked in the pane and the title while Docker was down (every
        // container stopped) or the stack could not be read
        boolean isStale = last != null && (problem.get() != null || down != null);
        stale.set(isStale);
        staleNote.set(!isStale ? "" : "Shown as read at " + (shownAt == null ? "?" : io.dutydesk.ui.fx.Times.hms(shownAt, clock))
                + (down != null ? "; " + down : "") + ".");
        io.dutydesk.ui.fx.NavBadge badge;
        if (last == null) {
            String why = problem.get() != null ? problem.get() : down;
            if (why == null) {
                paneState.set(null); // nothing read, nothing known down: the morning check's badge
                return;
            }
            badge = new io.dutydesk.ui.fx.NavBadge("unknown", "down", "the stack not read yet; " + why);
        } else {
            String stale = problem.get() != null ? "the stack: " + problem.get() : down;
            String words = headline.get() + "; " + rollback.get() + (stale == null ? "" : "; " + stale);
            if (!last.allReady()) {
                badge = new io.dutydesk.ui.fx.NavBadge("fail", "fail", words);
            } else if (rollbackState == SingleReadiness.State.NOT_READY) {
                badge = new io.dutydesk.ui.fx.NavBadge("warn", "warn", words);
            } else if (stale != null || rollbackState != SingleReadiness.State.READY) {
                badge = new io.dutydesk.ui.fx.NavBadge("unknown", "?", words);
            } else {
                badge = new io.dutydesk.ui.fx.NavBadge("pass", "ok", words);
            }
        }
        paneState.set(io.dutydesk.ui.fx.PaneState.of(badge, readAt == null ? clock.instant() : readAt, shown));
    }

    @Override
    public void attach(Environment e, EnvironmentHandle h) {
        detach();
        if (!e.deploy().single()) {
            return;
        }
        env = e;
        containers = h.containers();
        backups = new BackupsService(e, h.shell(), h.verifications(), audit, actor, clock, Runnable::run);
        service = new SingleService(e, new DockerHostEngine(e, h.containers(), h.shell(), clock), h.outbox(), h.shell(),
                backups::list, audit, actor, clock);
        active.set(true);
        headline.set("PRODUCTION: …");
        rollback.set("Rollback: …");
        problem.set(null);
        rows.clear();
        log.clear();
        status.set("No action in this session.");
        appliedSeq = -1;
        var p = e.poll();
        SingleService s = service;
        Poller<StackSnapshot> pl = new Poller<>("stack", () -> s.engine().read(), p.interval(), p.maxBackoff(),
                p.timeout().multipliedBy(3), scheduler, clock);
        poller = pl;
        subscription = pl.subscribe(snap -> ui.execute(() -> apply(s, snap)));
        pl.start();
        readRollback(s);
        header.set(MaintenanceViewModel.reading(e.name()));
        readLock(s);
        // entries a killed console left open ("read from the server on the next start"): completed from the exit files
        s.runner().reconcile();
        reattach(s);
    }

    /**
     * An action already running on the server (started from this pane or the CLI, by this console before it was closed or
     * by another): shown as running and followed to its end, its result shown as this pane's own (nothing is started again).
     */
    CompletableFuture<Void> reattach(SingleService s) {
        return s.runner().current().handle((cur, e) -> {
            if (e != null || cur.isEmpty()) {
                return (Void) null;
            }
            io.dutydesk.core.rollout.DetachedActions.Running a = cur.get();
            ui.execute(() -> {
                if (service != s || running.get()) {
                    return;
                }
                if (a.id() == null) { // the lock's holder is not a well-formed action id (e.g. the maintenance lock): shown, never sent back
                    log.add("— the server lock is held: " + a.meta());
                    return;
                }
                String what = a.describe(ZoneId.systemDefault());
                log.add("— re-attached to " + what + ", still running on the server: following it to its end (nothing is started again)");
                status.set("Re-attached to " + what);
                running.set(true);
                s.attach(a.id(), (stderr, line) -> ui.execute(() -> {
                            if (service == s) {
                                log.add(line);
                            }
                        }), st -> ui.execute(() -> {
                            if (service == s) {
                                status.set(st);
                            }
                        }))
                        .whenComplete((r, x) -> ui.execute(() -> {
                            if (service != s) {
                                return;
                            }
                            status.set(x != null ? "The re-attached action could not be followed: " + Errors.describe(x)
                                    : (r.succeeded() ? "OK: " : "FAILED: ") + r.message());
                            running.set(false);
                            refresh();
                        }));
            });
            return (Void) null;
        });
    }

    @Override
    public void detach() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // a list removal
            }
            subscription = null;
        }
        if (poller != null) {
            poller.close();
            poller = null;
        }
        service = null;
        env = null;
        last = null;
        if (open != null) {
            open.changed.set("the environment is no longer shown");
        }
        reconfirm.set(Optional.empty());
        active.set(false);
        running.set(false);
        showLock(Optional.empty(), "");
        lockReadAt = java.time.Instant.MIN;
        rollbackReadAt = java.time.Instant.MIN;
        rollbackAt = null;
        rollbackState = null;
        sourcesDown = null;
        readDespite = null;
        readAt = null;
        shownAt = null;
        stale.set(false);
        staleNote.set("");
        paneState.set(null); // nothing of the environment left
    }

    @Override
    public void refresh() {
        if (poller != null) {
            poller.refreshNow();
        }
        if (service != null) {
            readRollback(service);
            readLock(service);
        }
    }

    /** Reads the maintenance lock now (at attach, on refresh, with the stack's reads at most every {@link MaintenanceViewModel#READ_EVERY}). */
    CompletableFuture<Optional<MaintenanceLock>> readLock(SingleService s) {
        lockReadAt = clock.instant();
        String name = env.name();
        return s.maintenance().read().whenComplete((l, e) -> ui.execute(() -> {
            if (service != s) {
                return;
            }
            if (e != null) {
                // not known: never "not locked" in the line; the actions stay the server's to refuse (it checks inside its lock)
                showLock(Optional.empty(), "? Maintenance lock unknown: " + Errors.describe(e));
                header.set(MaintenanceViewModel.unknown(name, Errors.describe(e)));
                return;
            }
            showLock(l, l.map(x -> "LOCKED: " + name + " is " + x.describe(ZoneId.systemDefault())
                    + " — every action is refused until it is unlocked").orElse(""));
        }));
    }

    void showLock(Optional<MaintenanceLock> l, String text) {
        lock.set(l);
        locked.set(l.isPresent());
        lockText.set(text);
        header.set(l.map(x -> MaintenanceViewModel.header(env == null ? "" : env.name(), x, ZoneId.systemDefault(), clock.instant()))
                .orElse(io.dutydesk.ui.fx.HeaderNote.NONE));
        actionsHint.set(l.map(x -> "Refused while " + (env == null ? "" : env.name() + " is ") + x.describe(ZoneId.systemDefault())
                + " (lock " + x.id() + "); unlock first").orElse(""));
    }

    /** Takes the maintenance lock with {@code message} (audited; refused while an action runs or a lock is held). */
    public CompletableFuture<MaintenanceLock> lock(String message) {
        SingleService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no single stack selected"));
        }
        // read again by the ui, for the stack shown then: the answer arrives on the shell's thread, and the pane may show
        // another environment by then (readLock reads the pane's environment)
        return s.maintenance().lock(message).whenComplete((l, e) -> readLockAgain(s));
    }

    /** Releases {@code expected}; another's lock only with {@code confirmedOthers} (the environment's name typed). */
    public CompletableFuture<Void> unlock(MaintenanceLock expected, boolean confirmedOthers) {
        SingleService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no single stack selected"));
        }
        return s.maintenance().unlock(expected, confirmedOthers).whenComplete((v, e) -> readLockAgain(s));
    }

    /** After a lock or an unlock of {@code s} (any thread): its lock read again on the ui executor, if still shown. */
    private void readLockAgain(SingleService s) {
        ui.execute(() -> {
            if (service == s) {
                readLock(s);
            }
        });
    }

    /** The rollback types the selected environment declares (deploy.rollbackTypes). */
    public java.util.Set<String> rollbackTypes() {
        return env == null ? java.util.Set.of() : env.deploy().rollbackTypes().keySet();
    }

    /** The selected environment's name ("" when none). */
    public String environment() {
        return env == null ? "" : env.name();
    }

    /** Who acts from this console. */
    public String actor() {
        return actor;
    }

    void apply(SingleService s, Snapshot<StackSnapshot> snap) {
        if (service != s || snap.seq() <= appliedSeq) {
            return;
        }
        appliedSeq = snap.seq();
        if (snap.value() != null) {
            last = snap.value();
            shownAt = snap.lastSuccessAt() != null ? snap.lastSuccessAt() : snap.takenAt();
            if (open != null) {
                open.follow(s, last);
            }
            io.dutydesk.ui.fx.ListUpdates.replace(rows, last.services().stream().map(this::row).toList());
            headline.set("PRODUCTION: " + last.version() + " — " + last.readyCount() + "/" + last.services().size() + " healthy");
        }
        if (java.time.Duration.between(lockReadAt, clock.instant()).compareTo(MaintenanceViewModel.READ_EVERY) >= 0) {
            readLock(s);
        }
        if (java.time.Duration.between(rollbackReadAt, clock.instant()).compareTo(ROLLBACK_READ_EVERY) >= 0) {
            readRollback(s);
        }
        // named by its last answer, as every pane and the status bar (it said the first failure's time as "stale since")
        problem.set(snap.error() == null ? null : io.dutydesk.ui.fx.Outage.of(snap.misconfigured(), snap.lastSuccessAt(), clock)
                + ": " + snap.error());
        if (!snap.pending()) {
            readAt = snap.takenAt();
            // a read that succeeds while the header still says SSH or Docker down is as of now; one that fails confirms it
            readDespite = snap.ok() ? sourcesDown : null;
        }
        state();
    }

    private Row row(StackService s) {
        return new Row(s.service(), s.container(), s.host(), s.state(), s.health(), s.version(),
                s.uptime(clock.instant()).map(Ages::compact).orElse("-"), s.info().isPresent() ? String.valueOf(s.restarts()) : "-");
    }

    private void readRollback(SingleService s) {
        rollbackReadAt = clock.instant();
        java.time.Instant at = rollbackReadAt;
        Environment e = env;
        CompletableFuture<Object> b = !e.backups().configured() ? CompletableFuture.completedFuture("not configured")
                : backups.list().<Object>thenApply(l -> l).exceptionally(x -> "cannot be read: " + Errors.describe(x));
        CompletableFuture<Object> r = s.releases().read().<Object>thenApply(l -> l).exceptionally(x -> "cannot be read: " + Errors.describe(x));
        b.thenCombine(r, (bl, rl) -> readinessOf(e, bl, rl, clock)).whenComplete((ready, x) -> ui.execute(() -> {
            if (service == s) {
                rollbackAt = at;
                rollback.set(x != null ? "Rollback: unknown — " + Errors.describe(x) : ready.line());
                rollbackState = x != null ? SingleReadiness.State.UNKNOWN : ready.state();
                state();
            }
        }));
    }

    /**
     * "Rollback: READY (backup 03:00 verified (…), release v1.4.0)" when a verified backup and/or an earlier release on
     * the host exists, else NOT READY (or unknown when a side cannot be read) with why ({@link SingleReadiness}).
     *
     * @param backups  a {@link BackupListing}, or why there is none
     * @param releases a {@link ReleaseHistory.Listing}, or why there is none
     */
    static String readiness(Environment env, Object backups, Object releases, Clock clock) {
        return readinessOf(env, backups, releases, clock).line();
    }

    /** {@link #readiness}, its state with its line. */
    static SingleReadiness readinessOf(Environment env, Object backups, Object releases, Clock clock) {
        return SingleReadiness.of(env, backups instanceof BackupListing l ? Optional.of(l) : Optional.empty(), String.valueOf(backups),
                releases instanceof ReleaseHistory.Listing l ? Optional.of(l) : Optional.empty(), String.valueOf(releases),
                clock.getZone(), clock.instant());
    }

    /** The backups a rollback may choose from, newest first. */
    public CompletableFuture<List<BackupEntry>> backups() {
        return backups == null ? CompletableFuture.completedFuture(List.of()) : backups.list().thenApply(l -> l.backups().stream()
                .filter(b -> !env.backups().dataOnlyKinds().contains(b.kind()))
                .sorted(java.util.Comparator.comparing(BackupEntry::takenAt).reversed()).toList());
    }

    /**
     * The deploy of {@code version} typed in the window: a version the environment refuses (pattern, "../x", "1.0;touch …")
     * is refused before any IO and written to the audit log as the CLI's refusal is (destructive actions are audited,
     * refused ones too).
     */
    public CompletableFuture<SingleService.SinglePlan> planDeploy(String version) {
        return plan(io.dutydesk.core.rollout.Verb.DEPLOY, List.of(printable(version)), s -> s.planDeploy(version));
    }

    /** The rollback to the backup {@code path} chosen in the window; a refusal audited as {@link #planDeploy}'s. */
    public CompletableFuture<SingleService.SinglePlan> planRollback(String path) {
        return plan(io.dutydesk.core.rollout.Verb.ROLLBACK, List.of(printable(path)), s -> s.planRollback(path));
    }

    /** The redeploy of the earlier release {@code version} chosen in the window; a refusal audited as {@link #planDeploy}'s. */
    public CompletableFuture<SingleService.SinglePlan> planRelease(String version) {
        return plan(io.dutydesk.core.rollout.Verb.ROLLBACK, List.of(printable(version)), s -> s.planRelease(version));
    }

    /** The rollback of {@code type} chosen in the window; a refusal audited as {@link #planDeploy}'s. */
    public CompletableFuture<SingleService.SinglePlan> planType(String type) {
        return plan(io.dutydesk.core.rollout.Verb.ROLLBACK, List.of("--type", printable(type)), s -> s.planType(type));
    }

    private static String printable(String s) {
        return s == null ? "" : io.dutydesk.core.rollout.RolloutRules.printable(s);
    }

    /** A plan; bad input refused before anything runs is audited (the CLI's {@code SingleCommands.action} alike). */
    private CompletableFuture<SingleService.SinglePlan> plan(io.dutydesk.core.rollout.Verb verb, List<String> args,
            java.util.function.Function<SingleService, CompletableFuture<SingleService.SinglePlan>> make) {
        SingleService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no single stack selected"));
        }
        CompletableFuture<SingleService.SinglePlan> planned;
        try {
            planned = make.apply(s);
        } catch (RuntimeException e) {
            planned = CompletableFuture.failedFuture(e);
        }
        return planned.handle((p, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(p);
            }
            Throwable c = Errors.unwrap(e);
            if (c instanceof io.dutydesk.core.rollout.RolloutException r && r.kind() == io.dutydesk.core.rollout.RolloutException.Kind.INVALID_INPUT) {
                return s.auditRefusal(verb, args, r.getMessage()).<SingleService.SinglePlan>handle((v, unwritten) -> {
                    throw new java.util.concurrent.CompletionException(unwritten == null ? r : new io.dutydesk.core.rollout.RolloutException(
                            r.kind(), r.getMessage() + "; " + io.dutydesk.core.audit.AuditWriteException.unwritten(audit, unwritten)));
                });
            }
            return CompletableFuture.<SingleService.SinglePlan>failedFuture(c);
        }).thenCompose(f -> f);
    }

    /** Runs the team's health check; its per-service result goes to the log. */
    public CompletableFuture<HealthCheck> healthCheck() {
        SingleService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no single stack selected"));
        }
        return s.engine().healthCheck().whenComplete((c, e) -> ui.execute(() -> {
            if (service != s) { // another environment is shown now: its log and status are not this one's
                return;
            }
            if (e != null) {
                log.add("health check: " + Errors.describe(e));
                status.set("Health check failed to run: " + Errors.describe(e));
                return;
            }
            log.add("$ " + c.command() + "  (exit " + c.exitCode() + ")");
            c.lines().forEach(log::add);
            status.set("Health check: " + (c.healthy() ? "all healthy" : "NOT all healthy") + " — "
                    + String.join(", ", c.services().stream().map(r -> r.service() + " " + (r.healthy() ? "healthy" : r.detail())).toList()));
        }));
    }

    /** The team's view of a service's log (deploy.commands.logs), into the log area. */
    public CompletableFuture<List<String>> teamLogs(String serviceName) {
        SingleService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no single stack selected"));
        }
        return s.engine().teamLogs(serviceName).whenComplete((lines, e) -> ui.execute(() -> {
            if (service != s) {
                return;
            }
            log.add("— logs of " + serviceName + " (the team's command)" + (e == null ? "" : ": " + Errors.describe(e)));
            if (lines != null) {
                log.addAll(lines);
            }
        }));
    }

    public CompletableFuture<Void> restart(String container) {
        SingleService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no single stack selected"));
        }
        return s.restart(containers, container).whenComplete((v, e) -> ui.execute(() -> {
            if (service != s) {
                return;
            }
            status.set(e == null ? "Restarted " + container : "Restart of " + container + " failed: " + Errors.describe(e));
            refresh();
        }));
    }

    /** Runs a confirmed plan, its output into the log; the result in the status line (a failed deploy says FAILED). */
    public CompletableFuture<ActionResult> run(SingleService.SinglePlan plan) {
        SingleService s = service;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no single stack selected"));
        }
        reconfirm.set(Optional.empty());
        running.set(true);
        log.add("— " + plan.plan().describe());
        status.set("Running: " + plan.plan().headline());
        // what comes after a switch to another environment is that action's, not the shown one's (its own running state,
        // status and log are never touched: the action itself is audited and followed by the pane of its environment)
        return s.run(plan, (stderr, line) -> ui.execute(() -> {
                    if (service == s) {
                        log.add(line);
                    }
                }), st -> ui.execute(() -> {
                    if (service == s) {
                        status.set(st);
                    }
                }))
                .whenComplete((r, e) -> ui.execute(() -> {
                    if (service != s) {
                        return;
                    }
                    running.set(false);
                    status.set(e != null ? "Refused or failed: " + Errors.describe(e)
                            : (r.succeeded() ? "OK: " : "FAILED: ") + r.message());
                    if (e != null && Errors.unwrap(e) instanceof io.dutydesk.core.deploy.PlanChangedException changed
                            && changed.now().isPresent()) {
                        SingleService.SinglePlan now = changed.now().get();
                        log.add("✖ " + changed.getMessage());
                        log.add("— what it states now: " + now.plan().describe());
                        reconfirm.set(Optional.of(now)); // the view asks again with the new statement
                    }
                    refresh();
                }));
    }

    /**
     * An open confirmation of {@code plan}: while it is open, every newer read of the stack plans the same action again
     * ({@link SingleService#replan}: the version live, the backup and its sidecar, the rows it loses), the dialog shows what
     * it states now, and {@link Confirmation#changedProperty()} says what differs from what was first stated
     * ({@link io.dutydesk.core.deploy.SinglePlans#changedSince}), for the dialog to refuse the click. Close it with the dialog.
     */
    public Confirmation confirm(SingleService.SinglePlan plan) {
        if (open != null) {
            open.close();
        }
        open = new Confirmation(plan, service);
        return open;
    }

    /** See {@link #confirm}. Lives on the ui executor; closing it stops following. */
    public final class Confirmation implements AutoCloseable {
        private final SingleService.SinglePlan planned;
        private final SingleService s;
        private final java.time.Instant opened = clock.instant();
        private final javafx.beans.property.ObjectProperty<SingleService.SinglePlan> current;
        private final javafx.beans.property.ObjectProperty<io.dutydesk.core.rollout.Plan> plan;
        private final StringProperty changed = new SimpleStringProperty("");
        private final StringProperty note = new SimpleStringProperty("");
        private long reads;
        private boolean closed;

        private Confirmation(SingleService.SinglePlan planned, SingleService s) {
            this.planned = planned;
            this.s = s;
            this.current = new javafx.beans.property.SimpleObjectProperty<>(planned);
            this.plan = new javafx.beans.property.SimpleObjectProperty<>(planned.plan());
            if (s == null || env == null || !env.name().equals(planned.plan().environment())) {
                changed.set("the environment is no longer " + planned.plan().environment());
            }
        }

        /** The plan as the stack's reads since state it (the facts, the risk, the blockers). */
        public javafx.beans.property.ReadOnlyObjectProperty<io.dutydesk.core.rollout.Plan> planProperty() { return plan; }

        /** What differs from what was first stated ("now LOST: 6 rows …"), "" while it all holds. */
        public ReadOnlyStringProperty changedProperty() { return changed; }

        /** "" while the stack is read; else that it could not be planned again (the click plans it once more). */
        public ReadOnlyStringProperty noteProperty() { return note; }

        /** The action as shown now (the backup with it), to run when confirmed. */
        public SingleService.SinglePlan current() { return current.get(); }

        /** The action as shown now, with the plan the dialog confirmed ({@code confirmed}: forced or not). */
        public SingleService.SinglePlan confirmed(io.dutydesk.core.rollout.Plan confirmed) {
            return new SingleService.SinglePlan(confirmed, current.get().backup());
        }

        void follow(SingleService from, StackSnapshot read) {
            if (closed || from != s || read.takenAt().isBefore(opened)) {
                return; // read before the plan was: the plan is newer
            }
            long n = ++reads;
            s.replan(planned).whenComplete((p, e) -> ui.execute(() -> {
                if (closed || n != reads || service != s) {
                    return;
                }
                if (e != null) {
                    note.set("It could not be planned again (" + Errors.describe(e) + "): the click plans it once more before anything runs.");
                    return;
                }
                note.set("");
                current.set(p);
                plan.set(p.plan());
                changed.set(io.dutydesk.core.deploy.SinglePlans.changedSince(planned.plan(), p.plan()).orElse(""));
            }));
        }

        @Override
        public void close() {
            closed = true;
            if (open == this) {
                open = null;
            }
        }
    }
}
