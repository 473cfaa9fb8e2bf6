package io.dutydesk.ui.shell;

import io.dutydesk.ui.fx.Icon;

/** A pane of the console: its place in the navigation, and what it says until it is built. */
public record PaneInfo(String id, String title, Icon icon, String purpose, boolean built) {

    public static final java.util.List<PaneInfo> ALL = java.util.List.of(
            new PaneInfo("slots", "Slots", Icon.SLOTS,
                    "Which slot is live, whether it is healthy, and whether you can roll back right now; "
                            + "deploy, switch, rollback and cleanup with the facts that decide them.", true),
            new PaneInfo("outbox", "Outbox", Icon.OUTBOX,
                    "Events pending, processing, failed and published in the transactional outbox, "
                            + "and the Redis stream's consumer groups, pending entries and lag.", true),
            new PaneInfo("alerts", "Alerts", Icon.ALERTS,
                    "Alertmanager's firing and silenced alerts, grouped, with what the runbook says to do.", true),
            new PaneInfo("backups", "Backups", Icon.BACKUPS,
                    "Backups by kind (daily full, hourly incremental, pre-migration, pre-deployment), "
                            + "their age against retention, and restore.", true),
            new PaneInfo("metrics", "Metrics", Icon.METRICS,
                    "Prometheus queries and the error rate, latency and backlog of each service.", true));
}
