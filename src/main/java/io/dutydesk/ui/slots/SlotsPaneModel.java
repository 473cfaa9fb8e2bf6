package io.dutydesk.ui.slots;

import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.health.HealthSnapshot;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.ui.fx.PaneModel;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableStringValue;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Slots pane's model: the two slots of a blue-green environment ({@link SlotsViewModel}) or, for an environment
 * that deploys one stack ({@code deploy.model: single}), that stack ({@link SingleStackViewModel}). Exactly one of the
 * two is attached to the selected environment, the other is detached (polls nothing); the view shows the attached one.
 * The window's title takes the attached one's headline.
 */
public final class SlotsPaneModel implements PaneModel {
    private final SlotsViewModel slots;
    private final SingleStackViewModel single;
    private final StringBinding titlePart;
    private final MaintenanceViewModel maintenance;
    private final javafx.beans.binding.ObjectBinding<io.dutydesk.ui.fx.HeaderNote> headerNote;
    private final javafx.beans.binding.ObjectBinding<io.dutydesk.ui.fx.PaneState> paneState;

    public SlotsPaneModel(SlotsViewModel slots, SingleStackViewModel single) {
        this.slots = Objects.requireNonNull(slots);
        this.single = Objects.requireNonNull(single);
        // the slots' maintenance lock is read with the slots' polls, which go on while the pane is hidden (the title, the
        // rollback chip): owned here, not by the view, so the header says the lock whichever pane is shown
        this.maintenance = new MaintenanceViewModel(slots, slots.uiExecutor(), slots.clock());
        this.headerNote = Bindings.createObjectBinding(() -> single.activeProperty().get() ? single.headerProperty().get()
                : maintenance.headerProperty().get(), single.activeProperty(), single.headerProperty(), maintenance.headerProperty());
        this.paneState = Bindings.createObjectBinding(() -> single.activeProperty().get() ? single.paneState().get()
                : slots.paneState().get(), single.activeProperty(), single.paneState(), slots.paneState());
        ObservableStringValue slotsTitle = slots.titlePart();
        ObservableStringValue singleTitle = single.titlePart();
        this.titlePart = Bindings.createStringBinding(() -> single.activeProperty().get() ? singleTitle.get()
                : slotsTitle.get(), single.activeProperty(), singleTitle, slotsTitle);
    }

    public SlotsViewModel slots() {
        return slots;
    }

    public SingleStackViewModel single() {
        return single;
    }

    /** The blue-green slots' maintenance lock (its line and menu in the Slots pane, its chip in the header). */
    public MaintenanceViewModel maintenance() {
        return maintenance;
    }

    /** The selected environment's maintenance lock for the window's header, whichever pane is shown. */
    @Override
    public javafx.beans.value.ObservableValue<io.dutydesk.ui.fx.HeaderNote> headerNote() {
        return headerNote;
    }

    /**
     * The attached one's own state for the navigation's badge: the blue-green slots' ({@link SlotsViewModel#paneState()})
     * or the single stack's ({@link SingleStackViewModel#paneState()}; it had none, its badge the morning check's alone).
     */
    @Override
    public javafx.beans.value.ObservableValue<io.dutydesk.ui.fx.PaneState> paneState() {
        return paneState;
    }

    @Override
    public void attach(Environment env, EnvironmentHandle handle) {
        if (env.deploy().single()) {
            slots.detach();
            maintenance.clear();
            single.attach(env, handle);
        } else {
            single.detach();
            maintenance.clear();
            slots.attach(env, handle);
            maintenance.readIfNew(); // "reading…" at once, never the previous environment's lock
        }
    }

    @Override
    public void detach() {
        slots.detach();
        maintenance.clear();
        single.detach();
    }

    @Override
    public void refresh() {
        if (single.activeProperty().get()) {
            single.refresh();
        } else {
            slots.refresh();
            maintenance.refresh();
        }
    }

    @Override
    public void shown() {
        slots.shown();
        single.shown();
    }

    @Override
    public void hidden() {
        slots.hidden();
        single.hidden();
    }

    @Override
    public void onAnswered(Consumer<Backend> answered) {
        slots.onAnswered(answered);
        single.onAnswered(answered);
    }

    @Override
    public void recovered(Backend b) {
        if (single.activeProperty().get()) {
            single.recovered(b);
        } else {
            slots.recovered(b);
        }
    }

    @Override
    public void health(HealthSnapshot now) {
        if (single.activeProperty().get()) {
            single.health(now);
        } else {
            slots.health(now);
        }
    }

    @Override
    public ObservableStringValue titlePart() {
        return titlePart;
    }

    @Override
    public void close() {
        slots.close();
        single.close();
    }
}
