package io.dutydesk.core;

import java.util.Locale;

/** The backends of one environment, in the order the console shows them. */
public enum Backend {
    SSH, DOCKER, POSTGRES, REDIS, PROMETHEUS, ALERTMANAGER, BACKUPS;

    /** The lower-case name used in the CLI and its JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String label() {
        return switch (this) {
            case SSH -> "SSH";
            case DOCKER -> "Docker";
            case POSTGRES -> "PostgreSQL";
            case REDIS -> "Redis";
            case PROMETHEUS -> "Prometheus";
            case ALERTMANAGER -> "Alertmanager";
            case BACKUPS -> "Backups";
        };
    }
}
