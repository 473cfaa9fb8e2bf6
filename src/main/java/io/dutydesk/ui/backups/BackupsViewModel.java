package io.dutydesk.ui.backups;

import io.dutydesk.core.Errors;
import io.dutydesk.core.backups.BackupCatalog;
import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.BackupListing;
import io.dutydesk.core.backups.BackupsService;
import io.dutydesk.core.backups.JobResult;
import io.dutydesk.core.backups.Leftover;
import io.dutydesk.core.backups.Verification;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.ui.fx.PaneModel;
import io.dutydesk.ui.fx.PolledValue;
import io.dutydesk.ui.fx.Times;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The backups pane: the environment's backups as last read from the server (kept, marked stale, when a
 * read fails), filtered by kind; the RPO warning; verify, download, backup now and restore with their log.
 * Everything from the server arrives on the injected ui executor.
 */
public final class BackupsViewModel implements PaneModel {
    public static final String ALL_KINDS = "all kinds";
    private static final int MAX_LOG_LINES = 5000;

    private final Executor ui;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final ObjectProperty<BackupListing> listing = new SimpleObjectProperty<>();
    private final ObservableList<BackupEntry> all = FXCollections.observableArrayList();
    private final FilteredList<BackupEntry> shown = new FilteredList<>(all, e -> true);
    private final ObservableList<String> kinds = FXCollections.observableArrayList(ALL_KINDS);
    private final StringProperty kindFilter = new SimpleStringProperty(ALL_KINDS);
    private final StringProperty problem = new SimpleStringProperty();
    private final ObjectProperty<BackupListing.Rpo> rpoState = new SimpleObjectProperty<>();
    private final StringProperty rpoText = new SimpleStringProperty("");
    private final BooleanProperty stale = new SimpleBooleanProperty();
    private final StringProperty actionsOff = new SimpleStringProperty();
    /** The environment has no backups ({@code backups: false}): the pane says so and nothing is read. */
    private final BooleanProperty notConfigured = new SimpleBooleanProperty();

    /** What the pane says of an environment without backups. */
    public static final String NOT_CONFIGURED = "Backups: not configured for this environment (backups: false in the "
            + "environments file); nothing is read";
    /** Why the last read failed ("… : error"), null after a success. */
    private String readFailure;
    /** The SSH outage the shell reports (null: SSH answers); and the one during which a read nevertheless succeeded. */
    private String sourceDown;
    private String readDespite;
    /** The listing shown (the property is set after everything derived from it). */
    private BackupListing current;
    private final StringProperty freeSpace = new SimpleStringProperty("");
    private final StringProperty updated = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObjectProperty<Optional<JobResult>> lastJob = new SimpleObjectProperty<>(Optional.empty());
    private final ObservableList<Leftover> leftovers = FXCollections.observableArrayList();
    private final StringProperty leftoversText = new SimpleStringProperty("");
    private BackupsService service;
    private PolledValue<BackupListing> poller;
    private volatile boolean stopDownload;
    private final java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, BackupsService> services;
    /** On the screen (or as if: a view-model without a shell): polls; hidden, it lists nothing. */
    private boolean onScreen = true;
    /** The pane's one state for the navigation (null while nothing is read): the RPO banner's, never apart from it. */
    private final ObjectProperty<io.dutydesk.ui.fx.PaneState> paneState = new SimpleObjectProperty<>();
    /** When the folders were last read (a failed read too), null before the first. */
    private Instant readAt;

    public BackupsViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock) {
        this(ui, scheduler, clock, null);
    }

    /** {@code services}: the backups service of an opened environment (the app builds it from the handle). */
    public BackupsViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock,
                            java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, BackupsService> services) {
        this.ui = ui;
        this.scheduler = scheduler;
        this.clock = clock;
        this.services = services;
        kindFilter.addListener((o, a, k) -> shown.setPredicate(e -> k == null || k.equals(ALL_KINDS) || e.kind().equals(k)));
    }

    public ReadOnlyObjectProperty<BackupListing> listingProperty() { return listing; }

    /** The backups of the chosen kind, newest first (the table sorts its own view). */
    public ObservableList<BackupEntry> backups() { return shown; }

    public ObservableList<String> kinds() { return kinds; }

    public StringProperty kindFilterProperty() { return kindFilter; }

    /** Null while the last read succeeded; else "Backups: down; last answer at T: error" ({@link io.dutydesk.ui.fx.Outage}). */
    public ReadOnlyStringProperty problemProperty() { return problem; }

    /**
     * MET (green) only for a fresh listing with a verified backup within the RPO; MET_UNVERIFIED, NOT_MET, and
     * UNKNOWN — which is what a stale listing says, whatever it said when it was read. Null before the first read.
     */
    public ReadOnlyObjectProperty<BackupListing.Rpo> rpoStateProperty() { return rpoState; }

    /** The RPO banner's sentence; for a stale listing "RPO unknown: … last answer at T. As read then: …", its ages "at T". */
    public ReadOnlyStringProperty rpoTextProperty() { return rpoText; }

    /** True while what is shown was read before the last failed read (or before SSH stopped answering). */
    public ReadOnlyBooleanProperty staleProperty() { return stale; }

    /**
     * Why nothing can be run on the server now — the shell says SSH (or the Backups probe) does not answer, and no
     * read succeeded since — else null: the pane's actions are disabled meanwhile, rather than failing one by one.
     */
    public ReadOnlyStringProperty actionsOffProperty() { return actionsOff; }
    /** True for an environment without backups: "not configured", not polled, no action offered. */
    public ReadOnlyBooleanProperty notConfiguredProperty() { return notConfigured; }

    public ReadOnlyStringProperty freeSpaceProperty() { return freeSpace; }

    public ReadOnlyStringProperty updatedProperty() { return updated; }

    public ReadOnlyBooleanProperty busyProperty() { return busy; }

    public ReadOnlyStringProperty statusProperty() { return status; }

    /** 0..1 during a download, -1 otherwise. */
    public ReadOnlyDoubleProperty progressProperty() { return progress; }

    public ObservableList<String> log() { return log; }

    public ReadOnlyObjectProperty<Optional<JobResult>> lastJobProperty() { return lastJob; }

    /** Partial files ({@code .part}) killed jobs left in the folders. */
    public ObservableList<Leftover> leftovers() { return leftovers; }

    /** "2 leftover .part files of killed jobs (1.2 GiB)", or empty. */
    public ReadOnlyStringProperty leftoversTextProperty() { return leftoversText; }

    public Optional<String> environmentName() {
        return Optional.ofNullable(service).map(s -> s.environment().name());
    }

    @Override
    public void attach(io.dutydesk.core.config.Environment env, io.dutydesk.core.ports.EnvironmentHandle handle) {
        if (services == null) {
            throw new IllegalStateException("no way to build the backups service from an environment");
        }
        attach(services.apply(handle));
    }

    /** Hidden: the folders are not listed (the header's Backups probe still is). */
    @Override
    public void hidden() {
        onScreen = false;
        if (poller != null) {
            poller.pause();
        }
        showState();
    }

    /**
     * The pane's state as its RPO banner shows it, for the navigation's badge: met "ok", met but unverified or the
     * newest failed verification "warn", not met "fail"; the folders not readable now (a failed read, SSH or the Backups
     * probe down) unknown, never green — a known warn or fail stays. Null until something is read or a source is down
     * ({@link io.dutydesk.ui.fx.PaneState#badge}), and for an environment without backups.
     */
    @Override
    public ReadOnlyObjectProperty<io.dutydesk.ui.fx.PaneState> paneState() { return paneState; }

    private void showState() {
        io.dutydesk.ui.fx.PaneState.markShown(paneState, onScreen);
    }

    /** Shown again: the folders are listed now, not an interval later. */
    @Override
    public void shown() {
        if (!onScreen) {
            onScreen = true;
            showState();
            if (poller != null) {
                poller.resume();
            }
        }
    }

    /**
     * The header's word on SSH and the Backups probe, through which the folders are read, down or misconfigured (the
     * probe's error said: the folder it misses): see {@link #sourceDown}; another environment's health is not the shown
     * one's ({@link io.dutydesk.ui.fx.PaneSources}).
     */
    @Override
    public void health(io.dutydesk.core.health.HealthSnapshot now) {
        BackupsService s = service;
        io.dutydesk.ui.fx.PaneSources.tell(now, s == null ? null : s.environment().name(),
                List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.BACKUPS), java.util.Set.of(io.dutydesk.core.Backend.BACKUPS),
                clock, this::sourceDown);
    }

    /** Starts showing one environment's backups; stops showing the previous one's. */
    public void attach(BackupsService s) {
        detach();
        service = s;
        listing.set(null);
        current = null;
        all.clear();
        kinds.setAll(ALL_KINDS);
        kindFilter.set(ALL_KINDS);
        problem.set(null);
        readFailure = null;
        sourceDown = null;
        readDespite = null;
        readAt = null;
        paneState.set(null);
        rpoState.set(null);
        stale.set(false);
        rpoText.set("");
        freeSpace.set("");
        updated.set("reading the backup folders…");
        actionsOff.set(null);
        status.set("");
        log.clear();
        leftovers.clear();
        leftoversText.set("");
        notConfigured.set(!s.environment().backups().configured());
        if (notConfigured.get()) {
            service = null; // nothing to list and no action to run: no poll
            updated.set(NOT_CONFIGURED);
            return;
        }
        var p = s.environment().poll();
        Duration interval = p.interval().multipliedBy(6).compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : p.interval().multipliedBy(6);
        poller = new PolledValue<>("backups", s::list, interval, p.maxBackoff().multipliedBy(4),
                p.timeout().multipliedBy(6), scheduler, clock, ui, this::apply);
        if (!onScreen) {
            poller.pause();
        }
        poller.start();
        reattach(s);
    }

    /** A backup job already running on the server (a restore this window lost when it closed): follow it. */
    private void reattach(BackupsService s) {
        s.current().thenAccept(cur -> cur.filter(r -> BackupsService.backupAction(r.id()).isPresent()).ifPresent(r -> ui.execute(() -> {
            if (s != service || busy.get()) {
                return;
            }
            String what = r.describe(java.time.ZoneId.systemDefault());
            begin("Re-attached to " + what);
            append("— re-attached to " + what + ", still running on the server: following it to its end (nothing is started again)");
            job(s, s.attach(r.id(), sink(s)));
        }))).exceptionally(e -> null);
    }

    @Override
    public void detach() {
        if (poller != null) {
            poller.close();
            poller = null;
        }
        service = null;
        busy.set(false);
        stopDownload = true;
        readAt = null;
        paneState.set(null); // nothing of the environment left
    }

    @Override
    public void refresh() {
        if (poller != null) {
            poller.refreshNow();
        }
    }

    void apply(Snapshot<BackupListing> s) {
        readAt = s.takenAt();
        if (s.ok()) {
            answered.accept(io.dutydesk.core.Backend.SSH);
            answered.accept(io.dutydesk.core.Backend.BACKUPS);
            show(s.value());
        } else {
            readFailure = PolledValue.staleness(s, clock) + ": " + s.error();
            render();
        }
    }

    private java.util.function.Consumer<io.dutydesk.core.Backend> answered = b -> { };

    /** Told (on the ui executor) of each backend a read of the folders got an answer from: SSH and Backups. */
    @Override
    public void onAnswered(java.util.function.Consumer<io.dutydesk.core.Backend> answered) {
        this.answered = answered;
    }

    /**
     * The shell's word on SSH and the Backups probe, through which the folders are read: {@code why} while either
     * does not answer (what is shown is stale at once, not only after the next failed read), null when both answer
     * again (then they are read at once: shown, or hidden when the pane's own last read failed — hidden, its badge stayed
     * "?" from that failure after SSH was back, until the pane was shown again; a hidden pane whose last read succeeded
     * reads nothing, its last read is shown again).
     */
    public void sourceDown(String why) {
        if (!java.util.Objects.equals(why, sourceDown)) {
            sourceDown = why;
            if (why == null) {
                readDespite = null;
                if (readFailure != null && poller != null && poller.paused()) {
                    poller.readOnce();
                } else {
                    refresh();
                }
            }
            render();
        }
    }

    /** Shows one listing (from a poll, after an action, or in tests): a successful read. */
    public void show(BackupListing l) {
        readFailure = null;
        if (readAt == null || l.takenAt().isAfter(readAt)) {
            readAt = l.takenAt();
        }
        readDespite = sourceDown; // read while the indicator still says down: this read is not stale
        io.dutydesk.ui.fx.ListUpdates.replace(all, l.backups());
        List<String> k = new ArrayList<>();
        k.add(ALL_KINDS);
        l.backups().stream().map(BackupEntry::kind).distinct().sorted().forEach(k::add);
        String keep = kindFilter.get();
        io.dutydesk.ui.fx.ListUpdates.replace(kinds, k);
        kindFilter.set(k.contains(keep) ? keep : ALL_KINDS);
        io.dutydesk.ui.fx.ListUpdates.replace(leftovers, l.leftovers());
        shown(l);
        listing.set(l); // last: whoever waits on it sees the rest set
    }

    /**
     * Everything derived from the listing — the RPO banner, the free space, the count — fresh or marked
     * stale: a stale listing's RPO is UNKNOWN, and its ages and counts are said to be those at the time it was read.
     */
    private void render() {
        shown(current);
    }

    private void shown(BackupListing l) {
        if (notConfigured.get()) {
            return; // an SSH outage says nothing about backups the environment does not have
        }
        current = l;
        String down = sourceDown != null && !sourceDown.equals(readDespite) ? sourceDown : null;
        actionsOff.set(down == null ? null : down + ": nothing can run on the server until it answers");
        // the problem and the stale mark are set last: whoever waits on them sees the rest set
        if (l == null) {
            rpoState.set(readFailure != null ? BackupListing.Rpo.UNKNOWN : null);
            rpoText.set(readFailure != null ? "RPO unknown: the backup folders could not be read (" + readFailure + ")" : "");
            stale.set(false);
            problem.set(readFailure != null ? "Backups: down; " + readFailure : down != null ? "Backups: down — " + down : null);
            if (down != null) {
                updated.set("Nothing read yet: " + down);
            }
            state(problem.get() == null ? null : new io.dutydesk.ui.fx.NavBadge("unknown", "down", rpoText.get().isEmpty()
                    ? problem.get() : rpoText.get()));
            return;
        }
        String at = time(l.takenAt());
        boolean isStale = readFailure != null || down != null;
        List<String> unread = l.unreachableFolders().stream().map(f -> f.problem().orElseThrow()).toList();
        freeSpace.set(String.join("   ", l.folders().stream().map(f -> f.unreachable().isPresent() ? f.path() + ": unreachable"
                : f.path() + ": " + (f.freeBytes() < 0 ? "free space unknown" : human(f.freeBytes()) + " free")).toList())
                + (isStale ? " (at " + at + ")" : ""));
        long partBytes = l.leftovers().stream().mapToLong(Leftover::sizeBytes).sum();
        List<String> parts = new ArrayList<>();
        if (!l.leftovers().isEmpty()) {
            parts.add(l.leftovers().size() + " leftover .part file" + (l.leftovers().size() == 1 ? "" : "s")
                    + " of killed jobs (" + human(partBytes) + "): " + String.join(", ", l.leftovers().stream().map(Leftover::name).toList()));
        }
        l.inProgress().forEach(p -> parts.add(p.describe() + ", running now: not a leftover"));
        leftoversText.set(parts.isEmpty() ? "" : String.join("; ", parts) + (isStale ? " (at " + at + ")" : ""));
        if (isStale) {
            rpoState.set(BackupListing.Rpo.UNKNOWN);
            rpoText.set("RPO unknown: the backups cannot be read now; " + io.dutydesk.ui.fx.Outage.lastAnswer(l.takenAt(), clock)
                    + ". As read then: " + l.rpoText(at));
            updated.set(l.backups().size() + " backups as read from the server at " + at + " — stale"
                    + (down != null ? ": " + down + "; the actions wait until it answers" : ""));
            problem.set("Backups: down; " + (readFailure != null ? readFailure
                    : io.dutydesk.ui.fx.Outage.lastAnswer(l.takenAt(), clock) + ": " + down));
        } else {
            rpoState.set(l.rpo());
            rpoText.set(l.rpoText());
            updated.set(l.backups().size() + " backups, read from the server at " + at);
            problem.set(unread.isEmpty() ? null : "Backups: " + String.join("; ", unread) + " — the other folders are listed and usable");
        }
        stale.set(isStale);
        // the banner's colour (BackupsView.rpoClass), a stale listing's known warn or fail kept: never better than shown
        String why = rpoText.get() + (problem.get() == null ? "" : "; " + problem.get());
        state(switch (isStale ? l.rpo() : rpoState.get()) {
            case MET -> isStale ? new io.dutydesk.ui.fx.NavBadge("unknown", "?", why) : new io.dutydesk.ui.fx.NavBadge("pass", "ok", why);
            case MET_UNVERIFIED, MET_NEWEST_FAILED -> new io.dutydesk.ui.fx.NavBadge("warn", "warn", why);
            case NOT_MET -> new io.dutydesk.ui.fx.NavBadge("fail", "fail", why);
            case UNKNOWN -> new io.dutydesk.ui.fx.NavBadge("unknown", "?", why);
        });
    }

    /** The navigation's badge of the state just shown (null: nothing to say), as of the folders' last read. */
    private void state(io.dutydesk.ui.fx.NavBadge badge) {
        if (badge == null || (service == null && readAt == null)) {
            paneState.set(null);
            return;
        }
        paneState.set(io.dutydesk.ui.fx.PaneState.of(badge, readAt == null ? clock.instant() : readAt, onScreen));
    }

    /** What the Age column adds to each age: "" for a fresh listing, " at 12:00:00" for a stale one. */
    public String ageSuffix() {
        BackupListing l = current;
        return l != null && stale.get() ? " at " + time(l.takenAt()) : "";
    }

    // ------------------------------------------------------------------ actions

    public CompletableFuture<Verification> verify(BackupEntry e) {
        BackupsService s = service;
        if (s == null || busy.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("busy"));
        }
        begin("Verifying " + e.name() + " on the server…");
        CompletableFuture<Verification> out = new CompletableFuture<>();
        s.verify(e.path()).whenComplete((v, x) -> ui.execute(() -> {
            if (s != service) {
                return;
            }
            busy.set(false);
            if (x != null) {
                status.set(ranUnaudited(x).map(a -> "⚠ " + a.getMessage()).orElse("Verify failed: " + Errors.describe(x)));
                out.completeExceptionally(Errors.unwrap(x));
            } else {
                status.set((v.ok() ? "Verified OK: " : "Verification FAILED: ") + e.name() + " — " + v.detail());
                append("verify " + e.name() + ": " + (v.ok() ? "ok" : "BAD") + " — " + v.detail());
                out.complete(v);
                refresh();
            }
        }));
        return out;
    }

    public CompletableFuture<BackupsService.Download> download(BackupEntry e, Path dir) {
        BackupsService s = service;
        if (s == null || busy.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("busy"));
        }
        begin("Downloading " + e.name() + " to " + dir + "…");
        stopDownload = false;
        progress.set(0);
        CompletableFuture<BackupsService.Download> out = new CompletableFuture<>();
        long[] lastPct = {-1};
        s.download(e.path(), dir, (done, total) -> {
            long pct = total == 0 ? 100 : done * 100 / total;
            if (pct != lastPct[0]) {
                lastPct[0] = pct;
                ui.execute(() -> progress.set(pct / 100.0));
            }
            return !stopDownload;
        }).whenComplete((d, x) -> ui.execute(() -> {
            progress.set(-1);
            if (s != service) {
                return;
            }
            busy.set(false);
            if (x != null) {
                status.set(ranUnaudited(x).map(a -> "⚠ " + a.getMessage()).orElse("Download failed: " + Errors.describe(x)));
                append(ranUnaudited(x).map(a -> "⚠ " + a.getMessage()).orElse("download " + e.name() + " failed: " + Errors.describe(x)));
                out.completeExceptionally(Errors.unwrap(x));
            } else {
                status.set("Downloaded " + d.file() + " — sha256 checked" + (d.resumed() ? " (resumed)" : ""));
                append("download " + e.name() + " → " + d.file() + " sha256 " + d.sha256());
                out.complete(d);
            }
        }));
        return out;
    }

    /** Stops a running download; it resumes from where it stopped next time. */
    public void stopDownload() {
        stopDownload = true;
    }

    public CompletableFuture<JobResult> backupNow() {
        BackupsService s = service;
        if (s == null || busy.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("busy"));
        }
        begin("Backup running on the server…");
        append("— backup now (" + s.environment().backups().commands().get("backup") + ")");
        return job(s, s.backupNow(sink(s)));
    }

    /**
     * Removes the listed leftovers one after the other (each only once nothing writes it; refusals are shown and
     * audited), then reads the folders again.
     */
    public CompletableFuture<Void> removeLeftovers(List<Leftover> which) {
        BackupsService s = service;
        if (s == null || busy.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("busy"));
        }
        begin("Removing " + which.size() + " leftover .part file" + (which.size() == 1 ? "" : "s") + "…");
        List<String> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Leftover lo : which) {
            chain = chain.thenCompose(v -> s.removeLeftover(lo.path()).handle((what, x) -> {
                if (x == null) {
                    removed.add(lo.name() + " (" + human(lo.sizeBytes()) + ")");
                } else {
                    kept.add(lo.name());
                }
                ui.execute(() -> {
                    if (s == service) {
                        append(x == null ? "removed the leftover " + what
                                : ranUnaudited(x).map(a -> "⚠ " + a.getMessage()).orElse("✗ " + Errors.describe(x)));
                    }
                });
                return null;
            }));
        }
        return chain.whenComplete((v, x) -> ui.execute(() -> {
            if (s == service) {
                busy.set(false);
                status.set(leftoversResult(removed, kept));
                refresh();
            }
        }));
    }

    /** The headline after removing leftovers: what was removed, and what was not (the log says why). */
    static String leftoversResult(List<String> removed, List<String> kept) {
        String done = removed.isEmpty() ? "" : "Removed " + (removed.size() == 1 ? "the leftover " : removed.size() + " leftovers: ")
                + String.join(", ", removed);
        String not = kept.isEmpty() ? "" : "not removed: " + String.join(", ", kept) + " (the log says why)";
        if (done.isEmpty()) {
            return "Nothing removed: " + not.substring("not removed: ".length());
        }
        return not.isEmpty() ? done : done + "; " + not;
    }

    /** {@code typed}: what the user typed in the confirmation (must be the environment's name). */
    public CompletableFuture<JobResult> restore(BackupEntry e, boolean scratch, String typed) {
        return restore(e, scratch, typed, false, Optional.empty());
    }

    /**
     * The restore the confirmation showed ({@code p}): re-checked at the click against what it stated (the file's
     * size and time, the verification it relied on). {@code typed}: the environment's name, or "force NAME" for a
     * backup that failed verification (the force is then audited).
     */
    public CompletableFuture<JobResult> restore(BackupsService.RestorePlan p, String typed) {
        String env = environmentName().orElse("");
        boolean force = p.needsForce();
        String t = typed == null ? "" : typed.strip();
        String name = force && t.equals(confirmationWord(p)) ? env : force ? "" : t; // a forced restore needs the whole phrase
        return restore(p.backup(), p.scratch(), name, force, Optional.of(BackupsService.Stated.of(p)));
    }

    private CompletableFuture<JobResult> restore(BackupEntry e, boolean scratch, String typed, boolean force,
                                                 Optional<BackupsService.Stated> stated) {
        BackupsService s = service;
        if (s == null || busy.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("busy"));
        }
        begin((scratch ? "Restoring into a scratch database: " : "Restoring (verified, safety backup first): ") + e.name() + "…");
        append("— " + (scratch ? "scratch restore " : "restore ") + e.name() + (force ? " (FORCED past a failed verification)" : ""));
        return job(s, s.restore(new BackupsService.RestoreRequest(e.path(), scratch, typed, force, stated), sink(s)));
    }

    /** The plan the restore confirmation shows (bound, verification, safety backup), or empty without an environment. */
    public Optional<BackupsService.RestorePlan> restorePlan(BackupEntry e, boolean scratch) {
        return Optional.ofNullable(service).map(s -> s.plan(e, scratch));
    }

    /** What the confirmation asks to type: the environment's name, or "force NAME" to restore a backup that failed verification. */
    public String confirmationWord(BackupsService.RestorePlan p) {
        String env = environmentName().orElse("?");
        return p.needsForce() ? "force " + env : env;
    }

    private CompletableFuture<JobResult> job(BackupsService s, CompletableFuture<JobResult> f) {
        CompletableFuture<JobResult> out = new CompletableFuture<>();
        f.whenComplete((r, x) -> ui.execute(() -> {
            if (s != service) {
                return;
            }
            busy.set(false);
            if (x != null) {
                boolean notRun = Errors.unwrap(x) instanceof io.dutydesk.core.audit.AuditWriteException;
                status.set((notRun ? "Not run: " : "Refused or failed: ") + Errors.describe(x));
                append("✗ " + Errors.describe(x));
                out.completeExceptionally(Errors.unwrap(x));
                return;
            }
            r.counts().forEach(c -> append((c.differs() ? "  ≠ " : "  = ") + c.describe()));
            append((r.ok() ? "✓ " : "✗ ") + r.message());
            // its completion could not be written: the outcome stands, the missing audit entry is said beside it
            r.auditWarning().ifPresent(w -> append("⚠ " + w));
            status.set((r.ok() ? "Done: " : "FAILED: ") + r.message() + r.auditWarning().map(w -> " — ⚠ " + w).orElse(""));
            lastJob.set(Optional.of(r));
            out.complete(r);
            refresh();
        }));
        return out;
    }

    /** An action that ran (a verification, a download, a removal) and whose audit entry alone could not be written. */
    private static Optional<io.dutydesk.core.audit.AuditWriteException> ranUnaudited(Throwable x) {
        return io.dutydesk.core.audit.AuditWriteException.in(Errors.unwrap(x)).filter(io.dutydesk.core.audit.AuditWriteException::ran);
    }

    private RemoteShell.OutputListener sink(BackupsService s) {
        return (stderr, line) -> ui.execute(() -> {
            if (s == service) {
                append(line);
            }
        });
    }

    private void begin(String what) {
        busy.set(true);
        status.set(what);
    }

    private void append(String line) {
        log.add(line);
        if (log.size() > MAX_LOG_LINES) {
            log.remove(0, log.size() - MAX_LOG_LINES);
        }
    }

    /** A backup of a data-only kind (rows without the schema): never restored into the live database. */
    public boolean dataOnly(BackupEntry e) {
        BackupsService s = service;
        return s != null && s.environment().backups().dataOnlyKinds().contains(e.kind());
    }

    /** Facts for the restore confirmation: the backup, then the plan's (job bound, verification, safety backup, target), then the force option. */
    public List<String> restoreFacts(BackupEntry e, boolean scratch) {
        List<String> f = new ArrayList<>();
        f.add(e.name() + " — " + e.kind() + ", " + human(e.sizeBytes()) + ", taken " + e.takenAt().toString().replace("T", " ")
                .replace("Z", " UTC") + String.format(Locale.ROOT, " (%.1f h ago)", e.ageHours(clock.instant())));
        restorePlan(e, scratch).ifPresent(p -> {
            f.addAll(p.facts());
            f.add(p.needsForce() ? "force: it FAILED verification — type '" + confirmationWord(p) + "' to restore it anyway (audited as forced)"
                    : "force: not needed" + (p.verification() == BackupsService.VerificationState.NOT_VERIFIED
                    ? " now; if the verification fails the restore is refused (verify it, then confirm with 'force " + environmentName().orElse("?")
                    + "' if you must)" : ""));
        });
        return f;
    }

    private String time(Instant t) {
        return Times.hms(t, clock);
    }

    static String human(long bytes) {
        return io.dutydesk.core.backups.Sizes.human(bytes);
    }

    @Override
    public void close() {
        detach();
    }
}
