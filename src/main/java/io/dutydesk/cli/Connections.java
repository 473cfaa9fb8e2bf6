package io.dutydesk.cli;

import io.dutydesk.core.Errors;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.EnvironmentConnector;
import io.dutydesk.core.ports.EnvironmentHandle;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.core.rollout.DetachedActions;

import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every verb's connection to an environment (the CLI never accepts an unknown host key: refused with its fingerprint).
 * Opening it starts completing the audit entries of that environment a console left open (killed mid-action) from the
 * server's record — the server asked only when the local log has some ({@link DetachedActions#reconcile}, the one
 * mechanism); {@link #reconciled} waits for that before the verb reads or runs anything (an action once its plan's read is
 * under way: the local read overlaps the SSH handshake).
 */
final class Connections {
    private final EnvironmentConnector connector;
    private final SecretPrompt secrets;
    private final AuditLog audit;
    private final String actor;
    private final PrintStream err;
    private CompletableFuture<io.dutydesk.core.rollout.Reconciled> reconciling = CompletableFuture.completedFuture(io.dutydesk.core.rollout.Reconciled.NONE);

    Connections(EnvironmentConnector connector, SecretPrompt secrets, AuditLog audit, String actor, PrintStream err) {
        this.connector = connector;
        this.secrets = secrets;
        this.audit = audit;
        this.actor = actor;
        this.err = err;
    }

    EnvironmentHandle open(Environment e) {
        return open(e, true);
    }

    /**
     * {@code ahead}: the SSH handshake started at once (a verb that asks the server anyway), overlapping the verb's
     * preparing and the local audit read; without it the connection is made at its first use (a verb of the local log,
     * which asks the server only when an entry is open).
     */
    EnvironmentHandle open(Environment e, boolean ahead) {
        EnvironmentHandle h = connector.open(e, HostKeyPrompt.REFUSE, secrets);
        if (ahead) {
            h.shell().connectAhead();
        }
        io.dutydesk.core.Phase.mark("opened");
        reconciling = new DetachedActions(e, h.shell(), audit, actor, Clock.systemUTC()).reconcile();
        return h;
    }

    /** Waits (bounded) for what {@link #open} started and says what it completed (best effort: the server may be down). */
    void reconciled() {
        try {
            io.dutydesk.core.rollout.Reconciled r = reconciling.get(30, TimeUnit.SECONDS);
            if (r.total() > 0) {
                err.println(RolloutCommands.reconciledLine(r));
            }
        } catch (Exception e) {
            err.println("dutydesk: could not complete the open audit entries: " + Errors.describe(e));
        } finally {
            reconciling = CompletableFuture.completedFuture(io.dutydesk.core.rollout.Reconciled.NONE);
            io.dutydesk.core.Phase.mark("reconciled");
        }
    }
}
