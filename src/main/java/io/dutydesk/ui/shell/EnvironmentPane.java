package io.dutydesk.ui.shell;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;

/** A pane's view-model that follows the selected environment: the shell attaches it on select, detaches it on switch. */
public interface EnvironmentPane {
    void attach(Environment env, EnvironmentHandle handle);

    void detach();

    /** Ctrl+R: read now. */
    void refresh();

    /**
     * Where to tell which backend a read of this pane just got an answer from (called on the ui executor): the shell
     * then runs its probe of that backend at once if the header does not show it answering.
     */
    default void onAnswered(java.util.function.Consumer<io.dutydesk.core.Backend> answered) {
    }

    /** The header's probe of {@code b} answers again after failing: read now what this pane reads through it. */
    default void recovered(io.dutydesk.core.Backend b) {
    }
}
