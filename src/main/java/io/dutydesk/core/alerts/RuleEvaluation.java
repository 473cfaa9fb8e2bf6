package io.dutydesk.core.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Prometheus says about its alerting at one moment: its clock, its newest scrape, and its alert rule
 * groups with when each was last evaluated, each rule's health and the alerts it holds.
 *
 * @param now        Prometheus's own clock (staleness is judged on it, not on the workstation's)
 * @param lastScrape the newest sample of any target's {@code up}; empty when nothing was scraped for 5 minutes
 */
public record RuleEvaluation(Instant now, Optional<Instant> lastScrape, List<Group> groups) {
    /** @param lastEvaluation null before the group's first evaluation (Prometheus just started) */
    public record Group(String name, Duration interval, Instant lastEvaluation, List<Rule> rules) {}

    /** @param health Prometheus's word: ok, err, unknown */
    public record Rule(String name, String health, String lastError, List<Held> alerts) {}

    /**
     * One alert a rule holds; labels as Prometheus keeps them (without its external labels).
     *
     * @param state pending or firing
     */
    public record Held(Map<String, String> labels, String state) {}
}
