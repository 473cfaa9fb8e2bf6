package io.dutydesk.core.rollout;

import java.util.List;
import java.util.Optional;

/**
 * What an action will do, decided from the server's state just read: shown in the confirmation,
 * and checked again when it runs — the environment by the console, the live slot by the server
 * inside the lock (a plan made stale by someone else's switch is refused, nothing runs).
 *
 * @param environment       the environment it was made for; a run on any other is refused
 * @param liveBefore        the live slot it was made against; the server refuses it if live is no longer this
 * @param target            the slot it acts on (deploy: the idle slot; switch/rollback: the new live slot; cleanup: the slot removed)
 * @param destroys          the slot whose containers it removes (cleanup), empty otherwise
 * @param headline          e.g. "traffic green -> blue"
 * @param facts             what decides it, e.g. "blue 4/4 healthy", "outbox pending 12"
 * @param risk              what can go wrong or is lost
 * @param blocked           why it must not run (unless forced), empty when it may
 * @param typedConfirmation what the user must type to confirm (cleanup: the slot name), empty if a click will do
 */
public record Plan(String environment, Verb verb, Optional<String> version, String liveBefore, String target,
                   Optional<String> destroys, String headline, List<String> facts, String risk, List<String> blocked,
                   Optional<String> typedConfirmation, boolean forced, Optional<String> rollbackType, List<String> repositories) {

    public Plan {
        if (environment == null || environment.isBlank()) {
            throw new IllegalArgumentException("a plan names its environment");
        }
        facts = List.copyOf(facts);
        blocked = List.copyOf(blocked);
        repositories = List.copyOf(repositories);
        if (rollbackType.isPresent() && (verb != Verb.ROLLBACK || version.isPresent())) {
            throw new IllegalArgumentException("a rollback type is a rollback's, without a version");
        }
    }

    /** A plan of the deploy script's verbs (a rollback to the idle slot, not to a chosen release or of a type). */
    public Plan(String environment, Verb verb, Optional<String> version, String liveBefore, String target,
                Optional<String> destroys, String headline, List<String> facts, String risk, List<String> blocked,
                Optional<String> typedConfirmation, boolean forced) {
        this(environment, verb, version, liveBefore, target, destroys, headline, facts, risk, blocked, typedConfirmation, forced,
                Optional.empty(), List.of());
    }

    /** The same plan, to be run despite its blockers (the user chose to force it). */
    public Plan forcedCopy() {
        return new Plan(environment, verb, version, liveBefore, target, destroys, headline, facts, risk, blocked,
                typedConfirmation, true, rollbackType, repositories);
    }

    /** A rollback to a chosen earlier release: its version deployed to the idle slot, checked, then switched to. */
    public boolean toRelease() {
        return verb == Verb.ROLLBACK && version.isPresent();
    }

    /** What is audited as its arguments: a deploy's version, a rollback's {@code --to VERSION} or {@code --type TYPE}. */
    public List<String> auditArgs() {
        if (toRelease()) {
            return List.of("--to", version.get());
        }
        if (rollbackType.isPresent()) {
            return List.of("--type", rollbackType.get());
        }
        return version.map(List::of).orElse(List.of());
    }

    public boolean runnable() {
        return blocked.isEmpty() || forced;
    }

    /** One paragraph for a terminal or a dialog. */
    public String describe() {
        StringBuilder b = new StringBuilder(environment).append(": ").append(headline);
        for (String f : facts) {
            b.append("; ").append(f);
        }
        return b.toString();
    }
}
