package io.dutydesk.ui.shell;

import io.dutydesk.core.Backend;
import io.dutydesk.core.health.BackendStatus;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;

import java.util.List;

/**
 * The window's status bar: always one line, at any width the window allows. It shows the most detailed
 * of its forms that fits:
 * <ol>
 *   <li>{@link #FULL}: one indicator per backend, "Redis down; last answer at 11:04:34" (the error and the first failed
 *       check on hover; the time is the last answer's, as the header and the panes say it: {@link io.dutydesk.ui.fx.Outage});</li>
 *   <li>{@link #DOWN_GROUPED}: the backends that are down as one chip, "7 down; last answer at 11:04:34: SSH, Docker, …",
 *       the others one each;</li>
 *   <li>{@link #GROUPED}: one chip per state, with the names: "2 down; last answer at …: SSH, Docker", "5 ok: …";</li>
 *   <li>{@link #SHORT}: one chip per state, names on hover: "2 down; last answer at 11:04:34", "5 ok".</li>
 * </ol>
 * No form hides that something is down or misconfigured, nor shows it green: a group keeps its members'
 * state (colour and count), and its hover text is every member's own.
 */
final class StatusBar extends Region {
    static final int FULL = 0;
    static final int DOWN_GROUPED = 1;
    static final int GROUPED = 2;
    static final int SHORT = 3;
    private static final List<BackendStatus.State> ORDER = List.of(BackendStatus.State.DOWN,
            BackendStatus.State.MISCONFIGURED, BackendStatus.State.UNKNOWN, BackendStatus.State.OK,
            BackendStatus.State.NOT_CONFIGURED);

    private final List<HBox> forms;
    private final ReadOnlyIntegerWrapper form = new ReadOnlyIntegerWrapper(FULL);

    StatusBar(ShellViewModel vm) {
        getStyleClass().add("status-bar");
        setId("status-bar");

        HBox full = row("status-full");
        for (Backend b : Backend.values()) {
            full.getChildren().add(indicator(vm.indicator(b), "indicator-" + b.id()));
        }

        HBox downGrouped = row("status-down-grouped");
        downGrouped.getChildren().add(group(vm.group(BackendStatus.State.DOWN), false));
        for (Backend b : Backend.values()) {
            BackendIndicatorViewModel ind = vm.indicator(b);
            Node n = indicator(ind, null);
            n.managedProperty().bind(ind.stateProperty().isNotEqualTo(BackendStatus.State.DOWN));
            n.visibleProperty().bind(n.managedProperty());
            downGrouped.getChildren().add(n);
        }

        HBox grouped = row("status-grouped");
        HBox shortForm = row("status-short");
        for (BackendStatus.State s : ORDER) {
            grouped.getChildren().add(group(vm.group(s), false));
            shortForm.getChildren().add(group(vm.group(s), true));
        }
        forms = List.of(full, downGrouped, grouped, shortForm);
        getChildren().setAll(forms);

        Rectangle clip = new Rectangle(); // the last form on a window narrower than allowed: cut, never over the panes
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
    }

    /** Which form is shown: {@link #FULL}, {@link #DOWN_GROUPED}, {@link #GROUPED} or {@link #SHORT}. */
    ReadOnlyIntegerProperty formProperty() {
        return form.getReadOnlyProperty();
    }

    private static HBox row(String id) {
        HBox row = new HBox(4);
        row.setId(id);
        row.setAlignment(Pos.CENTER_LEFT);
        row.setFillHeight(false);
        return row;
    }

    @Override
    protected double computePrefWidth(double height) {
        Insets in = getInsets();
        return in.getLeft() + forms.get(FULL).prefWidth(-1) + in.getRight();
    }

    @Override
    protected double computeMinWidth(double height) {
        Insets in = getInsets();
        return in.getLeft() + in.getRight();
    }

    @Override
    protected double computePrefHeight(double width) {
        Insets in = getInsets();
        return in.getTop() + forms.stream().mapToDouble(f -> f.prefHeight(-1)).max().orElse(0) + in.getBottom();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected double computeMaxHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        Insets in = getInsets();
        double w = getWidth() - in.getLeft() - in.getRight();
        double h = getHeight() - in.getTop() - in.getBottom();
        int chosen = SHORT;
        for (int i = 0; i < forms.size(); i++) {
            if (forms.get(i).prefWidth(-1) <= w) {
                chosen = i;
                break;
            }
        }
        for (int i = 0; i < forms.size(); i++) {
            HBox f = forms.get(i);
            f.setVisible(i == chosen);
            f.resizeRelocate(in.getLeft(), in.getTop(), Math.max(w, f.prefWidth(-1)), h);
        }
        form.set(chosen);
    }

    private static Node indicator(BackendIndicatorViewModel ind, String id) {
        Label name = new Label(ind.backend().label());
        Node box = chip(name, ind.textProperty(), ind.detailsProperty());
        if (id != null) {
            box.setId(id);
        }
        ind.stateProperty().addListener((o, a, s) -> ShellView.stateClass(box, s));
        ShellView.stateClass(box, ind.stateProperty().get());
        box.accessibleTextProperty().bind(Bindings.concat(ind.backend().label(), " ", ind.textProperty()));
        return box;
    }

    private static Node group(BackendGroupViewModel g, boolean shortText) {
        Label head = new Label();
        head.textProperty().bind(g.headProperty());
        ObservableStringValue text = shortText ? g.shortTextProperty() : g.textProperty();
        Node box = chip(head, text, g.detailsProperty());
        box.setId("group-" + g.state().name().toLowerCase() + (shortText ? "-short" : ""));
        box.getStyleClass().add("backend-group");
        ShellView.stateClass(box, g.state());
        box.managedProperty().bind(g.countProperty().greaterThan(0));
        box.visibleProperty().bind(box.managedProperty());
        box.accessibleTextProperty().bind(Bindings.concat(g.headProperty(), " ", text));
        return box;
    }

    private static Node chip(Label name, ObservableStringValue value, ObservableStringValue details) {
        Circle dot = new Circle(5);
        dot.getStyleClass().add("dot");
        name.getStyleClass().add("indicator-name");
        Label text = new Label();
        text.getStyleClass().add("indicator-text");
        text.textProperty().bind(value);
        // an empty text takes no room (no gap after the name)
        text.managedProperty().bind(Bindings.createBooleanBinding(() -> value.get() != null && !value.get().isEmpty(), value));
        text.visibleProperty().bind(text.managedProperty());
        name.setMinWidth(Region.USE_PREF_SIZE);
        text.setMinWidth(Region.USE_PREF_SIZE);
        HBox box = new HBox(dot, name, text);
        box.setMinWidth(Region.USE_PREF_SIZE);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("backend-indicator");
        io.dutydesk.ui.fx.LazyTooltip.install(box, details, io.dutydesk.ui.fx.LazyTooltip.PROMPT);
        return box;
    }
}
