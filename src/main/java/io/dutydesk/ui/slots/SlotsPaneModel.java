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

    public SlotsPaneModel(SlotsViewModel slots, SingleStackViewModel single) {
        this.slots = Objects.requireNonNull(slots);
        this.single = Objects.requireNonNull(single);
        ObservableStringValue slotsTitle = slots.titlePart();
        this.titlePart = Bindings.createStringBinding(() -> single.activeProperty().get() ? single.headlineProperty().get()
                : slotsTitle.get(), single.activeProperty(), single.headlineProperty(), slotsTitle);
    }

    public SlotsViewModel slots() {
        return slots;
    }

    public SingleStackViewModel single() {
        return single;
    }

    @Override
    public void attach(Environment env, EnvironmentHandle handle) {
        if (env.deploy().single()) {
            slots.detach();
            single.attach(env, handle);
        } else {
            single.detach();
            slots.attach(env, handle);
        }
    }

    @Override
    public void detach() {
        slots.detach();
        single.detach();
    }

    @Override
    public void refresh() {
        if (single.activeProperty().get()) {
            single.refresh();
        } else {
            slots.refresh();
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
