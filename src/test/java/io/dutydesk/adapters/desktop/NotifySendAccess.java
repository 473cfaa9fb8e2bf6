package io.dutydesk.adapters.desktop;

import io.dutydesk.core.ports.Notifier;

import java.nio.file.Path;
import java.util.List;

/** Test access to the notify-send command line. */
public final class NotifySendAccess {
    private NotifySendAccess() {}

    public static List<String> command(Notifier.Notice n) {
        return NotifySend.command(Path.of("/usr/bin/notify-send"), n);
    }
}
