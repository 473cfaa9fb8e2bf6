package io.dutydesk.core.alerts;

import java.time.Instant;

/**
 * An alert whose truth the console cannot check now, shown as "unknown since T: reason": its source stopped
 * (Prometheus down, not evaluating its rules, not scraping) or cannot evaluate its rule.
 *
 * @param since the last moment the source was seen able to fire and resolve it
 */
public record Unverified(Instant since, String reason) {}
