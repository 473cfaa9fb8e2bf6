package io.dutydesk.adapters.support;

import java.io.IOException;

/**
 * The SSH connection itself could not be made ("ssh user@host:port: Connection refused"): every backend reached through it
 * fails with these words, never with its own address (Prometheus was not refused; the SSH server was).
 */
public final class SshSessionException extends IOException {
    public SshSessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
