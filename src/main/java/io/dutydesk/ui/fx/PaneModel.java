package io.dutydesk.ui.fx;

import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.health.HealthSnapshot;
import io.dutydesk.core.ports.EnvironmentHandle;
import javafx.beans.value.ObservableStringValue;

import java.util.function.Consumer;

/**
 * The view-model side of the pane contract: what the shell tells every pane, whatever it shows. The app builds it
 * from its core service (a factory of the opened environment's {@link EnvironmentHandle}); the shell attaches it to
 * the selected environment, tells it the header's health, and when it is shown and hidden. Every call is on the ui
 * executor. A hidden pane polls nothing but what the header or the notifications need; shown again it reads at once.
 */
public interface PaneModel extends AutoCloseable {
    /** Starts showing {@code env} (read through {@code handle}); stops showing the previous one. */
    void attach(Environment env, EnvironmentHandle handle);

    /** Stops showing the environment: every poll closed, late answers dropped. */
    void detach();

    /** Ctrl+R: read now (a hidden pane reads when it is shown again). */
    void refresh();

    /** The pane is on the screen: it polls, and reads now rather than a full interval later. */
    default void shown() {
    }

    /** The pane left the screen: it stops polling what only it shows. */
    default void hidden() {
    }

    /**
     * Where to tell which backend a read of this pane just got an answer from: the shell then runs its probe of that
     * backend at once if the header does not show it answering.
     */
    default void onAnswered(Consumer<Backend> answered) {
    }

    /** The header's probe of {@code b} answers again after failing: read now what this pane reads through it. */
    default void recovered(Backend b) {
    }

    /** Every health snapshot the header shows: a pane marks what it read through a backend now down stale at once. */
    default void health(HealthSnapshot now) {
    }

    /** What this pane adds to the window's title ("LIVE: GREEN", "" for nothing); null when it adds nothing ever. */
    default ObservableStringValue titlePart() {
        return null;
    }

    /**
     * What this pane puts in the header whichever pane is shown (the selected environment's maintenance lock), kept
     * while the pane is hidden; null when it puts nothing there ever.
     */
    default javafx.beans.value.ObservableValue<HeaderNote> headerNote() {
        return null;
    }

    /**
     * This pane's own state for the navigation's badge, drawn from the same state as its header and banners (the badge
     * never says better than the pane: {@link PaneState#badge}); its value null while the pane has read nothing. Null
     * when the pane has no state of its own (its badge is the morning check's).
     */
    default javafx.beans.value.ObservableValue<PaneState> paneState() {
        return null;
    }

    @Override
    default void close() {
        detach();
    }
}
