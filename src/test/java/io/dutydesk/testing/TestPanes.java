package io.dutydesk.testing;

import io.dutydesk.app.Panes;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.metrics.QueryStore;
import io.dutydesk.core.outbox.MemoryOutboxHistory;
import io.dutydesk.core.ports.Notifier;
import io.dutydesk.ui.fx.PaneModel;
import io.dutydesk.ui.fx.PaneSpec;
import io.dutydesk.ui.shell.ShellViewModel;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The app's own wiring of the panes ({@link Panes}) for shell tests: in-memory outbox history, no query store, no alert
 * history (the fake backends have no Alertmanager), no notifications.
 */
public final class TestPanes {
    private TestPanes() {}

    /** Every pane with its view. */
    public static List<PaneSpec> specs(Executor ui, ScheduledExecutorService scheduler, AuditLog audit) {
        return panes(ui, scheduler, audit).specs();
    }

    /** Every pane; only those in {@code views} with their view, the others show the shell's placeholder. */
    public static List<PaneSpec> specs(Executor ui, ScheduledExecutorService scheduler, AuditLog audit, Set<String> views) {
        return specs(ui, scheduler, audit).stream().map(s -> views.contains(s.id()) ? s
                : new PaneSpec(s.id(), s.title(), s.icon(), s.purpose(), s.background(), s.model(), null)).toList();
    }

    private static Panes panes(Executor ui, ScheduledExecutorService scheduler, AuditLog audit) {
        return new Panes(new Panes.Needs(ui, scheduler, Clock.systemDefaultZone(), audit, "tester@desk", new MemoryOutboxHistory(),
                QueryStore.NONE, null, Notifier.NONE, url -> { }));
    }

    /** Shows pane {@code id} (as the navigation does) and returns its model. */
    public static <M extends PaneModel> M shown(ShellViewModel vm, String id, Class<M> type) {
        return type.cast(vm.show(id).model());
    }
}
