package io.dutydesk.ui.fx;

/**
 * A pane's worst state as the navigation shows it next to the pane's title.
 *
 * @param state   pass, warn, fail or unknown (the style class; unknown is never green)
 * @param text    the badge's few characters ("ok", "warn", "2 crit", "?")
 * @param tooltip what it stands for and as of when ("Outbox pending and oldest event: pending 140 ≥ 100, as of 09:00")
 */
public record NavBadge(String state, String text, String tooltip) {}
