package io.dutydesk.core;

/**
 * A backend answered, but lacks what the environments file names (the outbox table or one of its
 * columns, the Redis stream): the console shows it "misconfigured", not "down" — waiting will not
 * fix it, the file (or the server) must change. The message says what is missing and which setting
 * names it.
 */
public final class MisconfiguredException extends RuntimeException {
    public MisconfiguredException(String message) {
        super(message);
    }

    public MisconfiguredException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether {@code t} is the server's answer that a path the configuration names is not there or not readable
     * ({@link java.nio.file.NoSuchFileException}, {@link java.nio.file.AccessDeniedException}): a configuration
     * matter, not an outage.
     */
    public static boolean pathNotThere(Throwable t) {
        return t instanceof java.nio.file.NoSuchFileException || t instanceof java.nio.file.AccessDeniedException;
    }

    /** Whether {@code t} (or one of its causes) says the backend is misconfigured. */
    public static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MisconfiguredException) {
                return true;
            }
        }
        return false;
    }
}
