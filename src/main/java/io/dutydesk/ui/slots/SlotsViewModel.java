package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.poll.Snapshot;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ActionResult;
import io.dutydesk.core.rollout.DetachedActions;
import io.dutydesk.core.rollout.Plan;
import io.dutydesk.core.rollout.RolloutException;
import io.dutydesk.core.rollout.RolloutRules;
import io.dutydesk.core.rollout.Verb;
import io.dutydesk.core.slots.SlotsSnapshot;
import io.dutydesk.ui.fx.PaneModel;
import io.dutydesk.ui.fx.PolledValue;
import io.dutydesk.ui.fx.Times;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The slots pane: both slots as the server reports them, rollback readiness, the actions and
 * their live log, and the audit log. Slots are polled; a failed poll keeps the last snapshot,
 * marked stale since the last success, never emptied.
 */
public final class SlotsViewModel implements PaneModel {
    private static final int MAX_LOG_LINES = 5000;

    private final Executor ui;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final ObjectProperty<SlotsSnapshot> snapshot = new SimpleObjectProperty<>();
    private final StringProperty problem = new SimpleStringProperty();
    private final StringProperty updated = new SimpleStringProperty("");
    private final BooleanProperty actionRunning = new SimpleBooleanProperty();
    private final StringProperty actionStatus = new SimpleStringProperty("No action in this session.");
    private final StringProperty version = new SimpleStringProperty("");
    private final ObservableList<String> actionLog = FXCollections.observableArrayList();
    private final ObjectProperty<Optional<ActionResult>> lastResult = new SimpleObjectProperty<>(Optional.empty());
    private SlotsContext context;
    private final java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, SlotsContext> contexts;
    private PolledValue<SlotsSnapshot> poller;
    private long appliedSeq = -1;
    private AutoCloseable auditWatch;
    private final AuditTab auditTab;

    // what the header shows, derived from the snapshot and whether its sources answer (see recompute())
    private final StringProperty sourceDown = new SimpleStringProperty();
    /** The outage during which the slots were nevertheless read: that read is not stale. */
    private String readDespite;
    private final BooleanProperty stale = new SimpleBooleanProperty();
    private final StringProperty staleNote = new SimpleStringProperty("");
    private final StringProperty headline = new SimpleStringProperty("LIVE: …");
    private final BooleanProperty liveDegraded = new SimpleBooleanProperty();
    private final StringProperty rollbackText = new SimpleStringProperty("Rollback: …");
    private final ObjectProperty<Readiness> rollbackState = new SimpleObjectProperty<>(Readiness.UNKNOWN);
    /** The pane's one state for the navigation (null while nothing is read): the header's, never apart from it. */
    private final ObjectProperty<io.dutydesk.ui.fx.PaneState> paneState = new SimpleObjectProperty<>();
    /** When the slots were last read (a failed read too), null before the first. */
    private java.time.Instant readAt;
    /** On the screen (the slots are polled either way: the title and the chip). */
    private final javafx.beans.property.BooleanProperty shown = new javafx.beans.property.SimpleBooleanProperty(true);

    /** Whether a rollback could run now: UNKNOWN when nothing was read or what was read is stale. */
    public enum Readiness { UNKNOWN, READY, NOT_READY }

    public SlotsViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock) {
        this(ui, scheduler, clock, null);
    }

    /**
     * {@code contexts}: what the pane needs of an opened environment (the app builds the slots reader and the rollout
     * service from its handle). The slots are polled whether the pane is shown or not: the window's title and the
     * rollback chip say what they read.
     */
    public SlotsViewModel(Executor ui, ScheduledExecutorService scheduler, Clock clock,
                          java.util.function.Function<io.dutydesk.core.ports.EnvironmentHandle, SlotsContext> contexts) {
        this.ui = ui;
        this.scheduler = scheduler;
        this.clock = clock;
        this.contexts = contexts;
        this.auditTab = new AuditTab(ui, clock);
        this.titlePart = Bindings.createStringBinding(() -> snapshot.get() == null ? ""
                : headline.get() + (stale.get() ? " (stale)" : ""), snapshot, headline, stale);
    }

    private final javafx.beans.binding.StringBinding titlePart;

    /** The FX-thread executor it hops onto (the pane model's maintenance reads hop alike). */
    Executor uiExecutor() {
        return ui;
    }

    Clock clock() {
        return clock;
    }

    /** The window's title says the live slot, degraded or stale: "LIVE: GREEN (stale)"; "" before the first read. */
    @Override
    public javafx.beans.value.ObservableStringValue titlePart() {
        return titlePart;
    }

    @Override
    public void attach(io.dutydesk.core.config.Environment env, io.dutydesk.core.ports.EnvironmentHandle handle) {
        if (contexts == null) {
            throw new IllegalStateException("no way to build the slots' context from an environment");
        }
        attach(contexts.apply(handle));
    }

    /**
     * The header's word on SSH and Docker, through which the slots are read: either down or misconfigured marks what is
     * shown stale at once (see {@link #sourceDown}); another environment's health is not the shown one's
     * ({@link io.dutydesk.ui.fx.PaneSources}).
     */
    @Override
    public void health(io.dutydesk.core.health.HealthSnapshot now) {
        SlotsContext ctx = context;
        io.dutydesk.ui.fx.PaneSources.tell(now, ctx == null ? null : ctx.environment().name(),
                List.of(io.dutydesk.core.Backend.SSH, io.dutydesk.core.Backend.DOCKER), java.util.Set.of(), clock, this::sourceDown);
    }

    /** Whether the shell shows the pane (true until it says otherwise): what only the screen needs is drawn while it is. */
    public javafx.beans.property.ReadOnlyBooleanProperty shownProperty() { return shown; }

    @Override
    public void hidden() {
        shown.set(false);
        showState();
    }

    @Override
    public void shown() {
        shown.set(true);
        showState();
    }

    /**
     * The pane's state as its header shows it, for the navigation's badge: the live slot degraded "fail", rollback not
     * ready "warn", else "ok"; what is shown stale (the slots not read now, SSH or Docker down) unknown, never green — a
     * known warn or fail stays. Null until something is read or a source is down ({@link io.dutydesk.ui.fx.PaneState#badge}).
     */
    @Override
    public ReadOnlyObjectProperty<io.dutydesk.ui.fx.PaneState> paneState() { return paneState; }

    private void showState() {
        io.dutydesk.ui.fx.PaneState.markShown(paneState, shown.get());
    }

    /** SSH or Docker answer again: the slots are read now, not after their backoff. */
    @Override
    public void recovered(io.dutydesk.core.Backend b) {
        if (b == io.dutydesk.core.Backend.SSH || b == io.dutydesk.core.Backend.DOCKER) {
            refresh();
        }
    }

    public ReadOnlyObjectProperty<SlotsSnapshot> snapshotProperty() { return snapshot; }

    /** Null when the last poll succeeded; otherwise "Slots: down; last answer at T: error" ({@link PolledValue#problem}). */
    public ReadOnlyStringProperty problemProperty() { return problem; }

    public ReadOnlyStringProperty updatedProperty() { return updated; }

    public ReadOnlyBooleanProperty actionRunningProperty() { return actionRunning; }

    /**
     * Whether an environment of two slots is attached: detached for an environment of one stack (its Slots pane shows
     * {@link SingleStackViewModel}) and before the first environment, where there is no slot to roll back to.
     */
    public boolean attached() { return context != null; }

    public ReadOnlyStringProperty actionStatusProperty() { return actionStatus; }

    public StringProperty versionProperty() { return version; }

    public ObservableList<String> actionLog() { return actionLog; }

    public ObservableList<AuditEntry> audit() { return auditTab.rows(); }

    /** "" while the Audit tab's rows are the log's last read; else that the log could not be read, and when they were. */
    public ReadOnlyStringProperty auditProblemProperty() { return auditTab.problemProperty(); }

    public ReadOnlyObjectProperty<Optional<ActionResult>> lastResultProperty() { return lastResult; }

    public Optional<SlotsContext> context() { return Optional.ofNullable(context); }

    /**
     * True while what is shown may no longer be true: the last slots poll failed, or a backend it
     * is read through (SSH, Docker) is down. Cleared by the next successful read.
     */
    public ReadOnlyBooleanProperty staleProperty() { return stale; }

    /** "as of 21:30:05; the server does not answer — actions re-check it first", or "" when fresh. */
    public ReadOnlyStringProperty staleNoteProperty() { return staleNote; }

    /** "LIVE: GREEN", "LIVE: GREEN — 3/4 healthy" when the live slot is degraded, "LIVE: …" before the first read. */
    public ReadOnlyStringProperty headlineProperty() { return headline; }

    /** The live slot has a service that is not healthy (or no containers). */
    public ReadOnlyBooleanProperty liveDegradedProperty() { return liveDegraded; }

    public ReadOnlyStringProperty rollbackTextProperty() { return rollbackText; }

    public ReadOnlyObjectProperty<Readiness> rollbackStateProperty() { return rollbackState; }

    /**
     * A backend the slots are read through is down ({@code why}), or answers again (null): what is
     * shown is marked stale at once, without waiting for the slots poll to time out.
     */
    public void sourceDown(String why) {
        if (!java.util.Objects.equals(why, sourceDown.get())) {
            sourceDown.set(why);
            if (why == null) {
                readDespite = null;
            }
            recompute();
        }
    }

    /** A read just succeeded: whatever indicator still says down, what it read is not stale. */
    private void readOk() {
        readDespite = sourceDown.get();
    }

    /** Derives the header (headline, rollback chip, stale mark) from the snapshot and the sources' state. */
    private void recompute() {
        SlotsSnapshot s = snapshot.get();
        String down = sourceDown.get() != null && !sourceDown.get().equals(readDespite) ? sourceDown.get() : null;
        boolean isStale = s != null && (problem.get() != null || down != null);
        if (s == null) {
            headline.set("LIVE: …");
            liveDegraded.set(false);
            rollbackText.set("Rollback: …");
            rollbackState.set(Readiness.UNKNOWN);
        } else {
            var live = s.slot(s.liveSlot());
            String slot = s.liveSlot().toUpperCase();
            boolean degraded = live.map(l -> !l.allReady()).orElse(true);
            headline.set("LIVE: " + slot + (!degraded ? "" : live.map(l -> l.empty() ? " — no containers"
                    : " — " + l.readyCount() + "/" + l.services().size() + " healthy").orElse(" — not found")));
            liveDegraded.set(degraded);
            String known = s.rollbackReady() ? "ready: " + s.idle().summary()
                    : "NOT ready: " + String.join("; ", s.rollbackBlockers());
            if (isStale) {
                rollbackText.set("? Rollback unknown — at " + time(s.takenAt()) + " it was " + known);
                rollbackState.set(Readiness.UNKNOWN);
            } else {
                rollbackText.set((s.rollbackReady() ? "✔ Rollback " : "✖ Rollback ") + known);
                rollbackState.set(s.rollbackReady() ? Readiness.READY : Readiness.NOT_READY);
            }
        }
        stale.set(isStale);
        staleNote.set(!isStale ? "" : "Shown as read at " + time(s.takenAt()) + "; "
                + (down != null ? down : "the slots cannot be read now")
                + ". Every action reads the server again before it asks you.");
        state(s, down);
    }

    /**
     * The navigation's badge from what the header shows ({@link #recompute}), never apart from it: the badge followed only
     * the morning check and said "ok" beside the pane's stale mark. The live slot degraded: fail; rollback not ready: warn
     * (known from the last read, they stay while it is stale); else ok, unknown while what is shown is stale.
     */
    private void state(SlotsSnapshot s, String down) {
        io.dutydesk.ui.fx.NavBadge badge;
        if (context == null) {
            paneState.set(null); // detached: nothing of the environment left
            return;
        }
        if (s == null) {
            String why = problem.get() != null ? problem.get() : down;
            if (why == null) {
                paneState.set(null); // nothing read, nothing known down: the morning check's badge
                return;
            }
            badge = new io.dutydesk.ui.fx.NavBadge("unknown", "down", "the slots not read yet; " + why);
        } else if (liveDegraded.get()) {
            badge = new io.dutydesk.ui.fx.NavBadge("fail", "fail", headline.get() + (stale.get() ? "; " + staleNote.get() : ""));
        } else if (!s.rollbackReady()) {
            badge = new io.dutydesk.ui.fx.NavBadge("warn", "warn", headline.get() + "; " + rollbackText.get()
                    + (stale.get() ? "; " + staleNote.get() : ""));
        } else if (stale.get()) {
            badge = new io.dutydesk.ui.fx.NavBadge("unknown", "?", headline.get() + "; " + staleNote.get());
        } else {
            badge = new io.dutydesk.ui.fx.NavBadge("pass", "ok", headline.get() + "; " + rollbackText.get());
        }
        paneState.set(io.dutydesk.ui.fx.PaneState.of(badge, readAt == null ? clock.instant() : readAt, shown.get()));
    }

    /** Deploy is possible when a version that matches the environment's pattern is typed and nothing runs. */
    public BooleanBinding deployAllowed() {
        return Bindings.createBooleanBinding(() -> context != null && !actionRunning.get()
                && RolloutRules.versionProblem(context.environment().deploy(), version.get().strip()).isEmpty(),
                version, actionRunning);
    }

    /** Why the typed version is refused, in words with an example; empty when it is fine or nothing is typed. */
    public String versionProblem() {
        String v = version.get().strip();
        if (v.isEmpty() || context == null) {
            return "";
        }
        var deploy = context.environment().deploy();
        if (RolloutRules.versionProblem(deploy, v).isEmpty()) {
            return "";
        }
        String shown = v.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String example = versionExample();
        return "“" + shown + "” is not a version " + context.environment().name() + " deploys: "
                + (example.isEmpty() ? "" : "write it like " + example + " — ")
                + "it must match " + deploy.versionPattern().pattern() + " (deploy.versionPattern in the environments file)."
                + " Deploy stays off until it does.";
    }

    /** A version this environment's pattern accepts, to show as an example; "" when none of the usual forms fits. */
    public String versionExample() {
        if (context == null) {
            return "v1.2.0";
        }
        var pattern = context.environment().deploy().versionPattern();
        for (String candidate : List.of("v1.2.0", "1.2.0", "v1.2.0-rc.1", "1.2", "v1.2", "2026.11.22", "v12", "12", "1.2.0.3")) {
            if (pattern.matcher(candidate).matches()) {
                return candidate;
            }
        }
        return "";
    }

    /** Starts showing one environment; stops showing the previous one. */
    public void attach(SlotsContext ctx) {
        detach();
        context = ctx;
        appliedSeq = -1;
        snapshot.set(null);
        problem.set(null);
        sourceDown.set(null);
        readDespite = null;
        readAt = null;
        recompute();
        updated.set("reading the server…");
        actionLog.clear();
        actionStatus.set("No action in this session.");
        lastResult.set(Optional.empty());
        var p = ctx.environment().poll();
        poller = new PolledValue<>("slots", () -> ctx.reader().read(), p.interval(), p.maxBackoff(),
                p.timeout().multipliedBy(3), scheduler, clock, ui, this::applyRead);
        poller.start();
        ctx.rollout().reconcile().whenComplete((n, e) -> ui.execute(() -> {
            if (context == ctx) {
                refreshAudit();
            }
        }));
        // the Audit tab follows the file: entries the CLI appends show up without polling
        auditWatch = ctx.audit().watch(() -> ui.execute(() -> {
            if (context == ctx) {
                refreshAudit();
            }
        }));
        reattach(ctx);
    }

    /** An action already running on the server (another console, or this one before a restart): follow it. */
    private void reattach(SlotsContext ctx) {
        ctx.rollout().current().thenAccept(cur -> cur.ifPresent(a -> ui.execute(() -> {
            if (context != ctx || actionRunning.get()) {
                return;
            }
            if (a.id() == null) { // the server's lock holder is not a well-formed id: shown, never sent back to a shell
                actionLog.setAll("— an action holds the server lock, but its id is unreadable: " + a.meta());
                return;
            }
            actionRunning.set(true);
            String what = new DetachedActions.Running(a.id(), a.meta()).describe(java.time.ZoneId.systemDefault());
            actionLog.setAll("— attached to an action already running on the server: re-attached to " + what
                    + " (following it to its end; nothing is started again)", a.meta());
            actionStatus.set("Re-attached to " + what);
            ctx.rollout().attach(a.id(), lineSink(ctx), status(ctx)).whenComplete((r, e) -> ui.execute(() -> finished(ctx, r, e)));
        })));
    }

    @Override
    public void detach() {
        if (poller != null) {
            poller.close();
            poller = null;
        }
        if (auditWatch != null) {
            try {
                auditWatch.close();
            } catch (Exception ignored) {
                // closing a watch cannot fail in a way we can act on
            }
            auditWatch = null;
        }
        context = null;
        actionRunning.set(false);
        readAt = null;
        paneState.set(null); // nothing of the environment left
    }

    @Override
    public void refresh() {
        if (poller != null) {
            poller.refreshNow();
        }
    }

    private java.util.function.Consumer<io.dutydesk.core.Backend> answered = b -> { };

    /** Told (on the ui executor) of each backend a read of the slots got an answer from: SSH and Docker. */
    @Override
    public void onAnswered(java.util.function.Consumer<io.dutydesk.core.Backend> answered) {
        this.answered = answered;
    }

    /** One read of the slots from the current poller, in order: late ones are dropped. */
    void applyRead(Snapshot<SlotsSnapshot> s) {
        if (s.pending() || s.seq() <= appliedSeq) {
            return; // nothing yet, or an answer that arrived after a newer one
        }
        appliedSeq = s.seq();
        readAt = s.takenAt();
        if (s.ok()) {
            readOk();
            answered.accept(io.dutydesk.core.Backend.SSH);
            answered.accept(io.dutydesk.core.Backend.DOCKER);
            snapshot.set(s.value());
            problem.set(null);
            SlotsContext ctx = context; // null once detached (a view closed from another thread)
            updated.set("read from the server at " + time(s.takenAt())
                    + (ctx == null ? "" : " (" + ctx.environment().deploy().liveSlotCommand() + ")"));
        } else {
            // a read that fails confirms what the indicators say: a success that arrived late (after SSH or
            // Docker was marked down) no longer hides that cause in the stale note
            readDespite = null;
            problem.set(PolledValue.problem("Slots", s, clock));
        }
        recompute();
    }

    /** Show one snapshot (tests and previews). */
    public void show(SlotsSnapshot s) {
        readOk();
        readAt = s.takenAt();
        snapshot.set(s);
        problem.set(null);
        updated.set("read from the server at " + time(s.takenAt()));
        recompute();
    }

    private String time(java.time.Instant t) {
        return Times.hms(t, clock);
    }

    /** Reads the server and decides; the plan arrives on the ui executor. */
    public CompletableFuture<Plan> plan(Verb verb, boolean force) {
        SlotsContext ctx = context;
        if (ctx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        Optional<String> v = verb == Verb.DEPLOY ? Optional.of(version.get().strip()) : Optional.empty();
        CompletableFuture<Plan> out = new CompletableFuture<>();
        ctx.rollout().plan(verb, v, force).whenComplete((p, e) -> {
            Throwable c = e == null ? null : Errors.unwrap(e);
            if (c instanceof io.dutydesk.core.rollout.RolloutException r && r.kind() == io.dutydesk.core.rollout.RolloutException.Kind.INVALID_INPUT) {
                // a version refused before any IO is audited as the CLI's refusal is (destructive actions, refused ones too);
                // the button is disabled for one, but nothing refused goes unrecorded
                ctx.rollout().runner().refusedBeforeStart(verb.id(), v.map(x -> List.of(RolloutRules.printable(x))).orElse(List.of()),
                        null, r.getMessage()).whenComplete((x, unwritten) -> ui.execute(() -> out.completeExceptionally(unwritten == null ? r
                        : new io.dutydesk.core.rollout.RolloutException(r.kind(), r.getMessage() + "; "
                        + io.dutydesk.core.audit.AuditWriteException.unwritten(ctx.audit(), unwritten)))));
                return;
            }
            ui.execute(() -> {
                if (c != null) {
                    out.completeExceptionally(c);
                } else {
                    out.complete(p);
                }
            });
        });
        return out;
    }

    /**
     * An open confirmation of {@code plan}: while it is open it follows every newer read of the slots (the
     * pane's poll), so that what the dialog states is what the pane shows — the facts are decided again
     * ({@link io.dutydesk.core.rollout.RolloutService#replan}) and {@link Confirmation#changedProperty()} says
     * what no longer holds of what it was planned on (the live slot, the target's health:
     * {@link RolloutRules#changedSince}), for the dialog to refuse the click. Close it with the dialog.
     */
    public Confirmation confirm(Plan plan) {
        return new Confirmation(plan, context);
    }

    /** See {@link #confirm}. Lives on the ui executor; closing it stops following. */
    public final class Confirmation implements AutoCloseable {
        private final Plan planned;
        private final SlotsContext ctx;
        private final java.time.Instant opened = clock.instant();
        private final ObjectProperty<Plan> plan;
        private final StringProperty changed = new SimpleStringProperty("");
        private final StringProperty note = new SimpleStringProperty("");
        private final javafx.beans.value.ChangeListener<SlotsSnapshot> onRead = (o, a, s) -> follow(s);
        private final javafx.beans.value.ChangeListener<Object> onStale = (o, a, b) -> note();
        private long reads;
        private boolean closed;

        private Confirmation(Plan planned, SlotsContext ctx) {
            this.planned = planned;
            this.ctx = ctx;
            this.plan = new SimpleObjectProperty<>(planned);
            snapshot.addListener(onRead);
            stale.addListener(onStale);
            staleNote.addListener(onStale);
            if (ctx != null && !ctx.environment().name().equals(planned.environment())) {
                changed.set("the environment is no longer " + planned.environment());
            }
            note();
        }

        /** The plan as the slots read since say it now (the facts, the blockers); its live slot and target stay the planned ones. */
        public ReadOnlyObjectProperty<Plan> planProperty() { return plan; }

        /** What no longer holds of what it was planned on ("live is now green"), "" while it holds. */
        public ReadOnlyStringProperty changedProperty() { return changed; }

        /** "" while the slots are read; else that they could not be read since T (the click reads the server again). */
        public ReadOnlyStringProperty noteProperty() { return note; }

        /** The plan as first shown. */
        public Plan planned() { return planned; }

        private void follow(SlotsSnapshot s) {
            if (closed || s == null || s.takenAt().isBefore(opened)) {
                return; // nothing read, or read before the plan was: the plan is newer
            }
            long n = ++reads;
            Optional<String> why = RolloutRules.changedSince(planned, s);
            changed.set(why.orElse(""));
            if (!s.environment().equals(planned.environment()) || ctx == null) {
                return;
            }
            ctx.rollout().replan(planned, s).whenComplete((p, e) -> ui.execute(() -> {
                // the same action decided again; when live moved it would be another action: the refusal says so
                if (!closed && n == reads && p != null && p.liveBefore().equals(planned.liveBefore())
                        && p.target().equals(planned.target())) {
                    plan.set(p);
                }
            }));
        }

        private void note() {
            note.set(closed || !stale.get() ? "" : staleNote.get().replace("Every action reads the server again before it asks you.",
                    "The click reads the server again before anything runs."));
        }

        @Override
        public void close() {
            closed = true;
            snapshot.removeListener(onRead);
            stale.removeListener(onStale);
            staleNote.removeListener(onStale);
        }
    }

    /** Runs a confirmed plan; its output streams into the action log. */
    public CompletableFuture<ActionResult> run(Plan plan) {
        SlotsContext ctx = context;
        if (ctx == null || actionRunning.get()) {
            return CompletableFuture.failedFuture(new RolloutException(RolloutException.Kind.BUSY, "an action is already running"));
        }
        actionRunning.set(true);
        actionLog.setAll("$ " + plan.verb().id() + plan.version().map(x -> " " + x).orElse("") + "   (" + plan.describe() + ")");
        actionStatus.set("Running " + plan.verb().id() + " on " + plan.environment() + "…");
        CompletableFuture<ActionResult> out = new CompletableFuture<>();
        ctx.rollout().run(plan, lineSink(ctx), status(ctx)).whenComplete((r, e) -> ui.execute(() -> {
            finished(ctx, r, e);
            if (e != null) {
                out.completeExceptionally(Errors.unwrap(e));
            } else {
                out.complete(r);
            }
        }));
        return out;
    }

    /** Progress of the running action (e.g. "running on the server, re-attaching …"), on the FX thread. */
    private java.util.function.Consumer<String> status(SlotsContext ctx) {
        return s -> ui.execute(() -> {
            if (context == ctx && actionRunning.get()) {
                actionStatus.set(Character.toUpperCase(s.charAt(0)) + s.substring(1));
                actionLog.add("… " + s);
            }
        });
    }

    /** Output lines are handed to the FX thread in order. */
    private RemoteShell.OutputListener lineSink(SlotsContext ctx) {
        return (stderr, line) -> ui.execute(() -> {
            if (context == ctx) {
                actionLog.add(line);
                if (actionLog.size() > MAX_LOG_LINES) {
                    actionLog.remove(0, actionLog.size() - MAX_LOG_LINES);
                }
            }
        });
    }

    private void finished(SlotsContext ctx, ActionResult r, Throwable e) {
        if (context != ctx) {
            return;
        }
        if (e != null) {
            Throwable c = Errors.unwrap(e);
            actionStatus.set((c instanceof RolloutException ? "Refused: " : c instanceof io.dutydesk.core.audit.AuditWriteException
                    ? "Not run: " : "Failed: ") + Errors.describe(e));
            actionLog.addAll(LogText.failure(actionLog, "✖ " + Errors.describe(e))); // once: a refusal was streamed already
        } else {
            lastResult.set(Optional.of(r));
            String secs = String.format("%.1f s", r.elapsedMs() / 1000.0);
            actionStatus.set((r.succeeded() ? "✔ " : "✖ ") + r.verb().id() + (r.succeeded() ? " succeeded in "
                    : r.exitCode() < 0 ? " ended without an exit code after " : " failed after ") + secs + ": " + r.message());
            actionLog.add((r.succeeded() ? "✔ " : "✖ ") + r.message() + " (" + secs + ")");
            r.auditWarning().ifPresent(w -> { // the outcome stands; the missing audit entry is said beside it
                actionStatus.set(actionStatus.get() + " — ⚠ " + w);
                actionLog.add("⚠ " + w);
            });
        }
        actionRunning.set(false); // last: whoever sees the action over sees how it ended
        refresh();
        refreshAudit();
    }

    /** The Audit tab shown or hidden (the view, on the FX thread): its rows are read only while it is ({@link AuditTab}). */
    public void auditShown(boolean shown) {
        SlotsContext ctx = context;
        auditTab.shown(shown, ctx == null ? null : ctx.audit());
    }

    /** Reads the Audit tab's rows now if it is shown, else marks them to be read when it is. FX thread. */
    public void refreshAudit() {
        SlotsContext ctx = context;
        if (ctx != null) {
            auditTab.refresh(ctx.audit());
        }
    }

    /** Restarts one container (after the view confirmed). */
    public CompletableFuture<Void> restart(String container) {
        SlotsContext ctx = context;
        if (ctx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        if (actionRunning.get()) {
            return CompletableFuture.failedFuture(new RolloutException(RolloutException.Kind.BUSY, "an action is already running"));
        }
        actionRunning.set(true);
        actionLog.setAll("$ docker restart " + container);
        actionStatus.set("Restarting " + container + "…");
        long t0 = System.nanoTime();
        return ctx.rollout().restart(container).whenComplete((v, e) -> ui.execute(() -> {
            if (context != ctx) {
                return;
            }
            String secs = String.format("%.1f s", (System.nanoTime() - t0) / 1e9);
            var unwritten = e == null ? java.util.Optional.<io.dutydesk.core.audit.AuditWriteException>empty()
                    : io.dutydesk.core.audit.AuditWriteException.in(Errors.unwrap(e)).filter(a -> a.ran());
            String line = e == null ? "✔ restarted " + container + " in " + secs
                    : unwritten.isPresent() ? "⚠ " + unwritten.get().getMessage() + " (" + secs + ")"
                    : "✖ restart " + container + " failed after " + secs + ": " + Errors.describe(e);
            actionLog.add(line);
            actionStatus.set(line);
            actionRunning.set(false);
            refresh();
            refreshAudit();
        }));
    }

    @Override
    public void close() {
        detach();
    }
}
