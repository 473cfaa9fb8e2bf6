package io.dutydesk.ui.slots;

/** Test access to {@link LogText#display}. */
public final class LogTextAccess {
    private LogTextAccess() {}

    public static String display(String line) {
        return LogText.display(line);
    }
}
