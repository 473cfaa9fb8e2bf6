package io.dutydesk.core.check;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One check of one run.
 *
 * @param id       the check's id in the environments file (slots, outbox, error-rate, ai-cost …)
 * @param evidence one line that says why ("pending 12 &lt; 100, oldest 40 s"; "ServiceDown fired 02:14, resolved 02:31")
 * @param details  more lines where a check has them (the newest error lines, one line per alert), possibly empty
 * @param pane     the pane that shows more: slots, outbox, alerts, backups, metrics
 * @param previous the same check's status in the previous run, empty when it was not in it (or there was none)
 * @param took     how long the check ran
 */
public record CheckResult(String id, String title, CheckSource source, CheckStatus status, String evidence,
                          List<String> details, String pane, Optional<CheckStatus> previous, Duration took) {
    public CheckResult {
        details = List.copyOf(details);
    }

    /** Changed since the previous run: its status differs from that run's (a check new in this run has not changed). */
    public boolean changed() {
        return previous.isPresent() && previous.get() != status;
    }

    public CheckResult withPrevious(Optional<CheckStatus> p) {
        return new CheckResult(id, title, source, status, evidence, details, pane, p, took);
    }
}
