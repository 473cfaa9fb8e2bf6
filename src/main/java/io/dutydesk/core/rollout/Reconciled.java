package io.dutydesk.core.rollout;

/**
 * What {@link DetachedActions#reconcile} completed of the audit entries a console left open: the ends the server's exit
 * files gave, the jobs it marked as never started (nothing ran), and the entries it could only complete as unknown.
 */
public record Reconciled(int fromExitFiles, int neverStarted, int unknown) {
    public static final Reconciled NONE = new Reconciled(0, 0, 0);

    public int total() {
        return fromExitFiles + neverStarted + unknown;
    }
}
