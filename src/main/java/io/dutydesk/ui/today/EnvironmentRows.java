package io.dutydesk.ui.today;

import io.dutydesk.core.Errors;
import io.dutydesk.core.check.CheckReport;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckStatus;
import io.dutydesk.core.ports.CheckHistory;
import io.dutydesk.ui.today.TodayViewModel.EnvRow;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Today pane's row per environment of the file (this one from its own run, the others from their newest kept run:
 * no connection opened for them) and "Run all environments" (each other one over a connection of its own, one at a
 * time). Every call on the ui executor; {@code generation} is the view-model's, bumped by another environment: answers
 * of an older one are dropped.
 */
final class EnvironmentRows {
    private final Executor ui;
    private final Clock clock;
    private final Supplier<List<String>> environments;
    private final CheckHistory stored;
    private final LongSupplier generation;
    private final Supplier<ZoneId> zone;
    /** This environment's row, from the view-model's newest run. */
    private final Function<String, EnvRow> currentRow;

    private final ObservableList<EnvRow> rows = FXCollections.observableArrayList();
    /** Runs another environment's checklist over its own connection (opened and closed for it); null: not offered. */
    private Function<String, CompletableFuture<CheckRun>> runOther;
    private final BooleanProperty runningAll = new SimpleBooleanProperty();
    /** Other environments' rows as this window's "Run all" left them: they win over their kept runs. */
    private final Map<String, EnvRow> ranAll = new HashMap<>();

    EnvironmentRows(Executor ui, Clock clock, Supplier<List<String>> environments, CheckHistory stored, LongSupplier generation,
                    Supplier<ZoneId> zone, Function<String, EnvRow> currentRow) {
        this.ui = ui;
        this.clock = clock;
        this.environments = environments;
        this.stored = stored;
        this.generation = generation;
        this.zone = zone;
        this.currentRow = currentRow;
    }

    ObservableList<EnvRow> rows() { return rows; }

    void setRunOther(Function<String, CompletableFuture<CheckRun>> runOther) {
        this.runOther = runOther;
    }

    boolean canRunAll() {
        return runOther != null;
    }

    ReadOnlyBooleanProperty runningAll() { return runningAll; }

    /**
     * Runs this environment's checklist ({@code runThis}) and, alongside it, every other environment's, one at a time
     * (each opens its own connection: never two handshakes at once); each environment's row shows its worst as its run
     * ends, and one that could not be reached is UNKNOWN with the reason, never left as its older result.
     */
    void runAll(String current, Runnable runThis) {
        if (runOther == null || runningAll.get()) {
            return;
        }
        long g = generation.getAsLong();
        runningAll.set(true);
        runThis.run();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (String n : environments.get()) {
            if (n.equals(current)) {
                continue;
            }
            chain = chain.thenCompose(v -> {
                if (g != generation.getAsLong()) { // another environment since: open no more connections for this Run all
                    return CompletableFuture.completedFuture(null);
                }
                ui.execute(() -> set(g, new EnvRow(n, Optional.empty(), "running…", false)));
                CompletableFuture<CheckRun> f;
                try {
                    f = runOther.apply(n);
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                return f.handle((r, e) -> {
                    ui.execute(() -> set(g, e != null || r == null
                            ? new EnvRow(n, Optional.of(CheckStatus.UNKNOWN), "not run: " + Errors.describe(e), false)
                            : new EnvRow(n, Optional.of(r.worst()), CheckReport.when(r.at(), zone.get()) + " · " + r.summary(), false)));
                    return null;
                });
            });
        }
        chain.whenComplete((v, e) -> ui.execute(() -> {
            if (g == generation.getAsLong()) {
                runningAll.set(false);
            }
        }));
    }

    private void set(long g, EnvRow row) {
        if (g != generation.getAsLong()) {
            return;
        }
        ranAll.put(row.env(), row);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).env().equals(row.env())) {
                rows.set(i, row);
                return;
            }
        }
        rows.add(row);
    }

    /**
     * Every environment's row again: {@code current}'s from its run, the ones "Run all" ran as it left them, the others
     * from the store's newest kept run (what the row showed stays until the store answers).
     */
    void load(String current) {
        List<String> names = environments.get();
        List<EnvRow> out = new ArrayList<>();
        List<String> lookUp = new ArrayList<>();
        long g = generation.getAsLong();
        for (String n : names.isEmpty() && current != null ? List.of(current) : names) {
            if (n.equals(current)) {
                out.add(currentRow.apply(n));
            } else if (ranAll.containsKey(n)) {
                out.add(ranAll.get(n));
            } else {
                // what the row showed until the store answers again (no flicker to "not run")
                out.add(rows.stream().filter(r -> r.env().equals(n) && !r.current()).findFirst()
                        .orElse(new EnvRow(n, Optional.empty(), "not run", false)));
                lookUp.add(n);
            }
        }
        // the rows first, then the store's answers replace theirs (an answer never lands before its row)
        rows.setAll(out);
        Instant now = clock.instant();
        for (String n : lookUp) {
            stored.latestAtOrBefore(n, now).whenComplete((r, e) -> ui.execute(() -> {
                if (g != generation.getAsLong() || e != null || r.isEmpty() || ranAll.containsKey(n)) {
                    return;
                }
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i).env().equals(n)) {
                        rows.set(i, new EnvRow(n, Optional.of(r.get().worst()),
                                CheckReport.when(r.get().at(), zone.get()) + " (kept)", false));
                    }
                }
            }));
        }
    }

    /** This environment's row from its run as of now (a new run, a backend down or back). */
    void currentChanged() {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).current()) {
                rows.set(i, currentRow.apply(rows.get(i).env()));
            }
        }
    }

    /** Another environment: no Run all under way, nothing of its results. */
    void detach() {
        runningAll.set(false);
        ranAll.clear();
    }
}
