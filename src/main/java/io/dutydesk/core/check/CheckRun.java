package io.dutydesk.core.check;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run of an environment's checklist: when, by whom, every check's result (compared with {@code previousAt}'s run).
 *
 * @param id         the store's id of the run (0 before it is kept)
 * @param previousAt the run this one was compared with, if any
 * @param storeProblem what the local store failed at (the previous run could not be read: "no previous run" is then not
 *                     known; or this run could not be kept), if anything
 */
public record CheckRun(long id, String env, Instant at, String actor, List<CheckResult> checks, Optional<Instant> previousAt,
                       Optional<String> storeProblem) {
    public CheckRun {
        checks = List.copyOf(checks);
    }

    public CheckRun(long id, String env, Instant at, String actor, List<CheckResult> checks, Optional<Instant> previousAt) {
        this(id, env, at, actor, checks, previousAt, Optional.empty());
    }

    /** This run with {@code problem} of the local store said. */
    public CheckRun withStoreProblem(String problem) {
        return new CheckRun(id, env, at, actor, checks, previousAt,
                Optional.of(storeProblem.map(p -> p + "; ").orElse("") + problem));
    }

    /** "compared with …" / "no previous run" as far as it is known: a store that could not be read says so. */
    public String comparedWith(java.util.function.Function<Instant, String> when) {
        return previousAt.map(p -> "compared with the run of " + when.apply(p)).orElse(storeProblem.isPresent()
                ? "previous run unknown: " + storeProblem.get() : "no previous run");
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
        return new CheckRun(newId, env, at, actor, checks, previousAt, storeProblem);
    }

    /** "3 pass, 1 warn, 0 fail, 1 unknown". */
    public String summary() {
        return count(CheckStatus.PASS) + " pass, " + count(CheckStatus.WARN) + " warn, " + count(CheckStatus.FAIL) + " fail, "
                + count(CheckStatus.UNKNOWN) + " unknown";
    }
}
