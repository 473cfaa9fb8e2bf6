package io.dutydesk.core.check;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run of an environment's checklist: when, by whom, every check's result (compared with {@code previousAt}'s run).
 *
 * @param id         the store's id of the run (0 before it is kept)
 * @param previousAt the run this one was compared with, if any
 */
public record CheckRun(long id, String env, Instant at, String actor, List<CheckResult> checks, Optional<Instant> previousAt) {
    public CheckRun {
        checks = List.copyOf(checks);
    }

    /** The worst status of the run (PASS for a run without checks). */
    public CheckStatus worst() {
        CheckStatus w = CheckStatus.PASS;
        for (CheckResult c : checks) {
            w = CheckStatus.worst(w, c.status());
        }
        return w;
    }

    public boolean allPass() {
        return checks.stream().allMatch(c -> c.status() == CheckStatus.PASS);
    }

    public long count(CheckStatus s) {
        return checks.stream().filter(c -> c.status() == s).count();
    }

    public List<CheckResult> changed() {
        return checks.stream().filter(CheckResult::changed).toList();
    }

    public Optional<CheckResult> check(String checkId) {
        return checks.stream().filter(c -> c.id().equals(checkId)).findFirst();
    }

    public CheckRun withId(long newId) {
        return new CheckRun(newId, env, at, actor, checks, previousAt);
    }

    /** "3 pass, 1 warn, 0 fail, 1 unknown". */
    public String summary() {
        return count(CheckStatus.PASS) + " pass, " + count(CheckStatus.WARN) + " warn, " + count(CheckStatus.FAIL) + " fail, "
                + count(CheckStatus.UNKNOWN) + " unknown";
    }
}
