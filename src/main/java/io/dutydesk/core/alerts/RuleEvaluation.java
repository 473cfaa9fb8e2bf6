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
 * @param lastScrape the newest scrape of any target, answered or not (the newest sample of {@code up}, which a failed
 *                   scrape writes too, as 0); empty when nothing was scraped for 5 minutes
 * @param lastAnswer the newest scrape a target answered (a sample of {@code up} that is 1, its own time); empty when no
 *                   target answers now
 */
public record RuleEvaluation(Instant now, Optional<Instant> lastScrape, Optional<Instant> lastAnswer, List<Group> groups) {
    /** Every scrape answered (a source that tells no difference). */
    public RuleEvaluation(Instant now, Optional<Instant> lastScrape, List<Group> groups) {
        this(now, lastScrape, lastScrape, groups);
    }

    /**
     * @param lastEvaluation     null before the group's first evaluation (Prometheus just started), or when not reported
     * @param evaluationReported whether Prometheus reports its groups' last evaluation at all (older versions do not)
     */
    public record Group(String name, Duration interval, Instant lastEvaluation, boolean evaluationReported, List<Rule> rules) {
        /** A group whose last evaluation is reported (null: not evaluated yet). */
        public Group(String name, Duration interval, Instant lastEvaluation, List<Rule> rules) {
            this(name, interval, lastEvaluation, true, rules);
        }
    }

    /** @param health Prometheus's word: ok, err, unknown */
    public record Rule(String name, String health, String lastError, List<Held> alerts) {}

    /**
     * One alert a rule holds; labels as Prometheus keeps them (without its external labels).
     *
     * @param state pending or firing
     */
    public record Held(Map<String, String> labels, String state) {}
}
