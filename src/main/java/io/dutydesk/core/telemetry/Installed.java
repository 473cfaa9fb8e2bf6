package io.dutydesk.core.telemetry;

/** Holds {@link Telemetry#current()}. */
final class Installed {
    static volatile Telemetry current = Telemetry.NONE;

    private Installed() {}
}
