package io.dutydesk.core.rollout;

import java.util.List;
import java.util.Optional;

/**
 * What an action will do, decided from the server's state just read: shown in the confirmation.
 *
 * @param headline          e.g. "traffic green -> blue"
 * @param facts             what decides it, e.g. "blue 4/4 healthy", "outbox pending 12"
 * @param risk              what can go wrong or is lost
 * @param blocked           why it must not run (unless forced), empty when it may
 * @param typedConfirmation what the user must type to confirm (cleanup: the slot name), empty if a click will do
 */
public record Plan(Verb verb, Optional<String> version, String liveBefore, String target, String headline,
                   List<String> facts, String risk, List<String> blocked, Optional<String> typedConfirmation,
                   boolean forced) {

    /** The same plan, to be run despite its blockers (the user chose to force it). */
    public Plan forcedCopy() {
        return new Plan(verb, version, liveBefore, target, headline, facts, risk, blocked, typedConfirmation, true);
    }

    public boolean runnable() {
        return blocked.isEmpty() || forced;
    }

    /** One paragraph for a terminal or a dialog. */
    public String describe() {
        StringBuilder b = new StringBuilder(headline);
        for (String f : facts) {
            b.append("; ").append(f);
        }
        return b.toString();
    }
}
