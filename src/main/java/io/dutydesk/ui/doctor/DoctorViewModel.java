package io.dutydesk.ui.doctor;

import io.dutydesk.core.doctor.Check;
import io.dutydesk.core.doctor.DoctorReport;
import io.dutydesk.core.doctor.DoctorService;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The window's "Check configuration…": the results of {@link DoctorService} as they arrive, one hop onto the
 * {@code ui} executor per batch (a section of checks), then the whole report in its fixed order. A run started
 * after another replaces it; the older run's late batches are dropped.
 */
public final class DoctorViewModel {
    private final Executor ui;
    private final ObservableList<Check> results = FXCollections.observableArrayList();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final StringProperty summary = new SimpleStringProperty("");
    private long run; // touched on the ui executor only

    public DoctorViewModel(Executor ui) {
        this.ui = ui;
    }

    public ObservableList<Check> results() {
        return results;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    /**
     * Starts a run (call on the ui executor); {@code service} null: no environment selected. Completes once the
     * report is shown (after its ui hop).
     */
    public java.util.concurrent.CompletableFuture<Void> start(DoctorService service, String env) {
        long mine = ++run;
        results.clear();
        var shown = new java.util.concurrent.CompletableFuture<Void>();
        if (service == null) {
            running.set(false);
            summary.set("Select an environment first.");
            shown.complete(null);
            return shown;
        }
        running.set(true);
        summary.set("Checking " + env + "…");
        service.run(batch -> ui.execute(() -> {
            if (mine == run && running.get()) {
                results.addAll(batch);
                summary.set("Checking " + env + "… " + results.size() + " checks so far, " + problems(results) + " problems");
            }
        })).whenComplete((report, e) -> ui.execute(() -> {
            shown.complete(null);
            if (mine != run) {
                return;
            }
            running.set(false);
            if (report != null) {
                results.setAll(report.checks());
                summary.set(summary(report));
            } else {
                summary.set("The check could not finish: " + io.dutydesk.core.Errors.describe(e));
            }
        }));
        return shown;
    }

    static String summary(DoctorReport r) {
        return r.ok() ? r.env() + ": all " + r.checks().size() + " checks ok"
                : r.env() + ": " + r.problems() + " of " + r.checks().size() + " checks found a problem";
    }

    private static long problems(List<Check> l) {
        return l.stream().filter(c -> !c.ok()).count();
    }

    /** The text of one result row: "ok  title (detail)" or "problem  title: detail\nfix: …". */
    public static String text(Check c) {
        if (c.ok()) {
            return c.title() + (c.detail().isEmpty() ? "" : " — " + c.detail()) + (c.fix().isEmpty() ? "" : "\n" + c.fix());
        }
        return c.title() + ": " + c.detail() + "\nfix: " + c.fix();
    }
}
