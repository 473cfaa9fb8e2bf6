package io.dutydesk.core.check;

import java.util.Locale;

/** Where a check reads from, and the pane that shows more of it. */
public enum CheckSource {
    SLOTS("slots"), OUTBOX("outbox"), ALERTS("alerts"), BACKUPS("backups"), PROMETHEUS("metrics"), LOGS("slots"), DISK("backups");

    private final String pane;

    CheckSource(String pane) {
        this.pane = pane;
    }

    /** slots, outbox, alerts, backups, prometheus, logs, disk: the CLI's JSON and the environments file's kinds. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pane to link to: slots, outbox, alerts, backups, metrics. */
    public String pane() {
        return pane;
    }

    public static CheckSource of(String kind) {
        return valueOf(kind.toUpperCase(Locale.ROOT));
    }
}
