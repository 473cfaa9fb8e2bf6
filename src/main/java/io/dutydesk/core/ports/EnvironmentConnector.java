package io.dutydesk.core.ports;

import io.dutydesk.core.config.Environment;

/** Opens environments. Opening connects lazily: the first probe or command connects. */
public interface EnvironmentConnector {
    EnvironmentHandle open(Environment environment, HostKeyPrompt hostKeys, SecretPrompt secrets);
}
