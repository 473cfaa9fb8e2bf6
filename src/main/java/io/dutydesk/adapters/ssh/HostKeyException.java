package io.dutydesk.adapters.ssh;

/** The server's host key was refused: unknown and not accepted, or changed. */
public final class HostKeyException extends Exception {
    private final boolean changed;
    private final String fingerprint;

    HostKeyException(String message, boolean changed, String fingerprint) {
        super(message);
        this.changed = changed;
        this.fingerprint = fingerprint;
    }

    public boolean changed() { return changed; }

    public String fingerprint() { return fingerprint; }
}
