package io.dutydesk.cli;

import io.dutydesk.core.rollout.Plan;

import java.io.Console;
import java.io.PrintStream;

/** Asks the user to confirm a plan on the terminal. */
public interface Confirmer {
    /** True when the user confirmed; a cleanup needs the slot name typed. */
    boolean confirm(Plan plan, PrintStream out);

    /** A line typed on the terminal after {@code prompt} (empty when there is no terminal). */
    default java.util.Optional<String> typed(String prompt) {
        Console c = System.console();
        if (c == null) {
            return java.util.Optional.empty();
        }
        String s = c.readLine("%s", prompt);
        return java.util.Optional.ofNullable(s).map(String::strip);
    }

    /** Whether there is someone to ask. */
    boolean interactive();

    /** The terminal: y/N, or the typed slot name for a cleanup. */
    Confirmer TERMINAL = new Confirmer() {
        @Override
        public boolean confirm(Plan plan, PrintStream out) {
            Console c = System.console();
            if (c == null) {
                return false;
            }
            if (plan.typedConfirmation().isPresent()) {
                String want = plan.typedConfirmation().get();
                String typed = c.readLine("Type '%s' to confirm: ", want);
                return want.equals(typed == null ? null : typed.strip());
            }
            String a = c.readLine("Proceed? [y/N] ");
            return a != null && (a.strip().equalsIgnoreCase("y") || a.strip().equalsIgnoreCase("yes"));
        }

        @Override
        public boolean interactive() {
            return System.console() != null;
        }
    };
}
