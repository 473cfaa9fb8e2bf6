package io.dutydesk.ui.shell;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentHandle;

/** A pane's view-model that follows the selected environment: the shell attaches it on select, detaches it on switch. */
public interface EnvironmentPane {
    void attach(Environment env, EnvironmentHandle handle);

    void detach();

    /** Ctrl+R: read now. */
    void refresh();
}
