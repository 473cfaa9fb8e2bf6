package io.dutydesk.ui.slots;

import io.dutydesk.core.Errors;
import io.dutydesk.core.rollout.MaintenanceLock;
import io.dutydesk.core.rollout.MaintenanceLocks;
import io.dutydesk.core.rollout.ReleaseHistory;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Slots pane's maintenance lock line and the releases: reads the environment's maintenance lock when the pane's
 * slots are read (at most every {@link #READ_EVERY}; at once after a lock or unlock, when a read of the slots fails and
 * after one of the lock failed), takes and releases it through
 * {@link MaintenanceLocks} (audited there). A lock that cannot be read says so — never "not locked".
 */
public final class MaintenanceViewModel {
    static final Duration READ_EVERY = Duration.ofSeconds(10);

    private final SlotsViewModel slots;
    private final Executor ui;
    private final Clock clock;
    private final SimpleObjectProperty<Optional<MaintenanceLock>> lock = new SimpleObjectProperty<>(Optional.empty());
    private final SimpleStringProperty text = new SimpleStringProperty("");
    private final SimpleBooleanProperty locked = new SimpleBooleanProperty();
    private final SimpleObjectProperty<io.dutydesk.ui.fx.HeaderNote> header = new SimpleObjectProperty<>(io.dutydesk.ui.fx.HeaderNote.NONE);
    private Instant lastRead = Instant.MIN;
    private SlotsContext readFor;

    public MaintenanceViewModel(SlotsViewModel slots, Executor ui, Clock clock) {
        this.slots = slots;
        this.ui = ui;
        this.clock = clock;
        // with the slots' reads: a successful one reads the lock when due (or at once while it is unknown); a failed one (SSH
        // down) at once — it was read only after a success, and an outage left the header saying nothing ("not locked")
        slots.snapshotProperty().addListener((o, a, s) -> readIfDue(unknown));
        slots.problemProperty().addListener((o, a, p) -> {
            if (p != null) {
                readIfDue(true);
            }
        });
    }

    /** The last read of the lock failed: it is unknown until one succeeds. */
    private boolean unknown;

    private void readIfDue(boolean now) {
        SlotsContext ctx = slots.context().orElse(null);
        if (ctx != null && (now || ctx != readFor || Duration.between(lastRead, clock.instant()).compareTo(READ_EVERY) >= 0)) {
            refresh();
        }
    }

    /** The lock held, as last read. */
    public ReadOnlyObjectProperty<Optional<MaintenanceLock>> lockProperty() { return lock; }

    /** "LOCKED: Locked for maintenance by alice@ws since …: "…"", "" when not locked, or that it cannot be read. */
    public ReadOnlyStringProperty textProperty() { return text; }

    public ReadOnlyBooleanProperty lockedProperty() { return locked; }

    /** The window header's chip: "LOCKED by alice@ws since 09:12: db migration", "lock state unknown", or nothing. */
    public ReadOnlyObjectProperty<io.dutydesk.ui.fx.HeaderNote> headerProperty() { return header; }

    /** Forgets what was read (no environment, or a single stack's shown instead): the header shows nothing of it. */
    public void clear() {
        readFor = null;
        lastRead = Instant.MIN;
        unknown = false;
        lock.set(Optional.empty());
        locked.set(false);
        text.set("");
        header.set(io.dutydesk.ui.fx.HeaderNote.NONE);
    }

    private static final java.time.format.DateTimeFormatter HM = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
    private static final java.time.format.DateTimeFormatter DAY = java.time.format.DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ROOT);

    /** The header's chip of a lock held: "LOCKED by alice@ws since 09:12: db migration" (the day, "Dec 3", when not today). */
    static io.dutydesk.ui.fx.HeaderNote header(String environment, MaintenanceLock l, ZoneId zone, Instant now) {
        String since = "";
        if (l.since() != null) {
            boolean today = l.since().atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
            since = " since " + (today ? HM : DAY).withZone(zone).format(l.since());
        }
        return new io.dutydesk.ui.fx.HeaderNote("LOCKED by " + (l.actor().isEmpty() ? "(unknown)" : l.actor()) + since + ": " + l.message(),
                environment + " is " + l.describe(zone) + " (lock " + l.id() + "): every action on it, from any console, is refused"
                        + " until it is unlocked (Slots ▸ Maintenance, or dutydesk unlock --env " + environment + ")", "warn");
    }

    /**
     * A ready rollback while the maintenance lock is held (the blue-green slots' chip and the single stack's line alike):
     * refused, never a green "ready" beside the LOCKED line; {@code ready}, what would be ready, in the parentheses.
     */
    static String refusedWhileLocked(String ready) {
        return "✖ Rollback refused while locked for maintenance (" + ready + ")";
    }

    /** The header's chip while the lock cannot be read: never nothing. */
    static io.dutydesk.ui.fx.HeaderNote unknown(String environment, String why) {
        return new io.dutydesk.ui.fx.HeaderNote("lock state unknown",
                "The maintenance lock of " + environment + " cannot be read: " + why + ". Actions are still checked by the server"
                        + " inside its lock.", "warn");
    }

    /** The header's chip while the first read of an environment's lock is under way. */
    static io.dutydesk.ui.fx.HeaderNote reading(String environment) {
        return new io.dutydesk.ui.fx.HeaderNote("lock state: reading…", "The maintenance lock of " + environment + " is being read.", "unknown");
    }

    /** Who acts from this console (an unlock of another's lock asks for the environment's name). */
    public String actor() {
        SlotsContext ctx = slots.context().orElse(null);
        return ctx == null ? "" : ctx.rollout().maintenance().actor();
    }

    public String environment() {
        SlotsContext ctx = slots.context().orElse(null);
        return ctx == null ? "" : ctx.environment().name();
    }

    /** Reads the lock now if it was not read for the slots' environment attached now (an attach whose first snapshot is not yet in). */
    void readIfNew() {
        SlotsContext ctx = slots.context().orElse(null);
        if (ctx != null && ctx != readFor) {
            refresh();
        }
    }

    /** Reads the lock now. */
    public CompletableFuture<Optional<MaintenanceLock>> refresh() {
        SlotsContext ctx = slots.context().orElse(null);
        if (ctx == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (readFor != ctx) {
            // another environment: what was shown of the previous one's lock never stands for this one's (nor its id
            // for an unlock here) while this one's is read
            ui.execute(() -> {
                lock.set(Optional.empty());
                locked.set(false);
                text.set("Maintenance lock of " + ctx.environment().name() + ": reading…");
                header.set(reading(ctx.environment().name()));
            });
        }
        readFor = ctx;
        lastRead = clock.instant();
        return ctx.rollout().maintenance().read().whenComplete((l, e) -> ui.execute(() -> {
            if (slots.context().orElse(null) != ctx) {
                return;
            }
            unknown = e != null;
            if (e != null) {
                // not known: no lock to unlock from here (its id may be gone), and never "unlocked" in the line
                lock.set(Optional.empty());
                locked.set(false);
                text.set("? Maintenance lock unknown: " + Errors.describe(e));
                header.set(unknown(ctx.environment().name(), Errors.describe(e)));
                return;
            }
            show(l);
        }));
    }

    private void show(Optional<MaintenanceLock> l) {
        lock.set(l);
        locked.set(l.isPresent());
        text.set(l.map(x -> "LOCKED: " + environment() + " is " + x.describe(ZoneId.systemDefault())
                + " — every action is refused until it is unlocked").orElse(""));
        header.set(l.map(x -> header(environment(), x, ZoneId.systemDefault(), clock.instant())).orElse(io.dutydesk.ui.fx.HeaderNote.NONE));
    }

    /** Takes the lock with {@code message} (audited; refused while an action runs or a lock is held). */
    public CompletableFuture<MaintenanceLock> lock(String message) {
        SlotsContext ctx = slots.context().orElse(null);
        if (ctx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        // read again by the ui: the answer arrives on the shell's thread, and refresh() is the view-model's (its
        // environment, its last read)
        return ctx.rollout().maintenance().lock(message).whenComplete((l, e) -> ui.execute(this::refresh));
    }

    /** Releases {@code expected}; another's lock only with {@code confirmedOthers} (the environment's name typed). */
    public CompletableFuture<Void> unlock(MaintenanceLock expected, boolean confirmedOthers) {
        SlotsContext ctx = slots.context().orElse(null);
        if (ctx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        return ctx.rollout().maintenance().unlock(expected, confirmedOthers).whenComplete((v, e) -> ui.execute(this::refresh));
    }

    /** The releases of the environment (audit log + images on the host). */
    public CompletableFuture<ReleaseHistory.Listing> releases() {
        SlotsContext ctx = slots.context().orElse(null);
        if (ctx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        return ctx.rollout().history().read();
    }

    /** A plan made by the environment's rollout service (a rollback to a release, a typed rollback). */
    public CompletableFuture<io.dutydesk.core.rollout.Plan> slotsRollout(
            java.util.function.Function<io.dutydesk.core.rollout.RolloutService, CompletableFuture<io.dutydesk.core.rollout.Plan>> plan) {
        SlotsContext ctx = slots.context().orElse(null);
        if (ctx == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no environment"));
        }
        return plan.apply(ctx.rollout());
    }

    /** The rollback types the environment declares. */
    public java.util.List<String> rollbackTypes() {
        SlotsContext ctx = slots.context().orElse(null);
        return ctx == null ? java.util.List.of() : java.util.List.copyOf(ctx.environment().deploy().rollbackTypes().keySet());
    }
}
